"""The pages a person sees when an app asks to use their account (GET /oauth/authorize, as in
Mastodon): sign in with a name or e-mail address and a password, then allow or deny the app
the scopes it asked for. The rules (exact redirect URIs, scopes, PKCE, codes) are in
accounts/oauth.py; signing in and its rate limits in accounts/sign_in.py.

    GET  /oauth/authorize   the consent page when signed in here, else the sign-in page
    POST /oauth/sign_in     name + password; signed in: back to GET /oauth/authorize
    POST /oauth/authorize   allow (a code, sent to the app or shown) or deny (access_denied)
    POST /oauth/sign_out    forget the sign-in; back to the sign-in page

Every form carries a CSRF token (http/forms.py). Being signed in is a signed cookie (30
minutes, /oauth only) naming the account and a fingerprint of its password hash, so a new
password, a suspension or a deletion ends it. Pages are never cached, never framed, and may
post forms only to this site and, from the consent page, to the app's redirect target.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from aiohttp import web

from ..accounts import oauth
from ..accounts.sign_in import Attempt, TooManyAttempts, password_stamp, sign_in, signed_in_account
from ..errors import BadRequest, Forbidden, PubHubError, Unauthorized
from ..http.addresses import client_address
from ..http.bodies import read_form_pairs
from ..http.forms import Forms, clear_cookie, set_cookie, sign, unsign
from ..http.keys import runtime
from ..identity.login import login_enabled, prove_login, register, start_login
from ..store.models import Actor, parse_id
from .i18n import N_, Speech, public_form_page
from .messages import said, try_again_in
from .rendering import yivi_qr
from .verification import MAX_PARAMETER

SIGNED_IN_COOKIE = "pubhub_signin"
SIGNED_IN_LIFETIME = 30 * 60
_AUTHORIZATION_FIELDS = ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
                         "code_challenge_method")
_TRUE = {"1", "true", "t", "on", "yes"}

# What each scope lets an app do, in words (sub-scopes say it for one kind of thing).
SCOPE_TEXT = {
    "read": N_("read everything your account can see"),
    "write": N_("post, change and delete on your behalf"),
    "follow": N_("follow, unfollow, block and mute accounts"),
    "push": N_("receive notifications"),
    "profile": N_("see your profile (only who you are)"),
    "admin:read": N_("read moderation data"),
    "admin:write": N_("take moderation actions"),
}
SUB_SCOPE_TEXT = {"read": N_("read your %(what)s"), "write": N_("change your %(what)s"),
                  "admin:read": N_("read (moderation) your %(what)s"),
                  "admin:write": N_("act on (moderation) your %(what)s")}
SUB_SCOPE_THINGS = (N_("accounts"), N_("blocks"), N_("bookmarks"), N_("conversations"), N_("favourites"),
                    N_("filters"), N_("follows"), N_("lists"), N_("media"), N_("mutes"), N_("notifications"),
                    N_("reports"), N_("search"), N_("statuses"), N_("domain allows"), N_("domain blocks"),
                    N_("ip blocks"), N_("email domain blocks"), N_("canonical email blocks"))


def scope_text(speech: Speech, scope: str) -> str:
    if scope in SCOPE_TEXT:
        return speech._(SCOPE_TEXT[scope])
    kind, _, what = scope.rpartition(":")
    what = speech._(what.replace("_", " "))
    return speech._(SUB_SCOPE_TEXT[kind], what=what) if kind in SUB_SCOPE_TEXT else f"{kind} your {what}"


def _no_store(response: web.StreamResponse) -> web.StreamResponse:
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(request: web.Request, forms: Forms, name: str, *, status: int = 200, form_action: str = "'self'",
          **values) -> web.Response:
    return public_form_page(request, name, forms, status=status, form_action=form_action, **values)


def _message_page(request: web.Request, forms: Forms, name: str, *, status: int, heading: str, explanation: str,
                  **values) -> web.Response:
    """A page that says one thing (`heading`, `explanation`: English, shown in the visitor's language)."""
    speech = Speech.of(request)
    return _page(request, forms, name, speech=speech, status=status, form_action="'none'", title=speech._(heading),
                 heading=speech._(heading),
                 explanation=said(speech, explanation) if explanation else "", **values)


def _refused_page(request: web.Request, forms: Forms, refusal: oauth.OAuthError) -> web.Response:
    return _message_page(request, forms, "error.html", status=refusal.status if refusal.status < 500 else 400,
                         heading=N_("This app cannot sign in here"), explanation=refusal.message)


def _send_back(request: web.Request, forms: Forms, refusal: oauth.RedirectedRefusal) -> web.StreamResponse:
    """Tell the app at its redirect URI; with the oob URI, tell the person on a page."""
    if refusal.request.oob:
        return _message_page(request, forms, "oob.html", status=400, heading=N_("Not authorized"),
                             explanation=refusal.message, code=None)
    return _no_store(web.Response(status=302, headers={"Location": refusal.location}))


def _authorize_again(request: web.Request, auth: oauth.AuthorizationRequest) -> web.Response:
    """303 to GET /oauth/authorize with the same request (after signing in or out)."""
    return _no_store(web.Response(status=303, headers={"Location": "/oauth/authorize?" + urlencode(auth.params())}))


def redirect_source(uri: str) -> str:
    """The CSP source that lets the consent form's answer go on to `uri`: its origin for http(s),
    its scheme for an app's own (`com.example.app:`); nothing for oob (our own page)."""
    if uri == oauth.OOB:
        return ""
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        host = parts.hostname or ""
        if not all(c.isalnum() or c in ".-:[]" for c in host) or not host:
            return ""
        netloc = f"[{host}]" if ":" in host else host
        return f" {scheme}://{netloc}" + (f":{parts.port}" if parts.port else "")
    return f" {scheme}:"


async def _signed_in(request: web.Request, forms: Forms) -> Actor | None:
    value = unsign(forms.key, "signin", request.cookies.get(SIGNED_IN_COOKIE), forms.now)
    if value is None or "-" not in value:
        return None
    actor_id, _, stamp = value.partition("-")
    if not actor_id.isdigit():
        return None
    actor = await signed_in_account(runtime(request).db, int(actor_id))
    return actor if actor is not None and password_stamp(actor) == stamp else None


async def _form(request: web.Request) -> dict[str, str]:
    return dict(await read_form_pairs(request))


def _consent(request: web.Request, forms: Forms, auth: oauth.AuthorizationRequest, account: Actor) -> web.Response:
    granted = oauth.grantable_scopes(auth, account)
    withheld = [s for s in auth.scopes if s not in granted]
    destination = urlsplit(auth.redirect_uri)
    speech = Speech.of(request)
    return _page(request, forms, "consent.html", speech=speech,
                 form_action="'self'" + redirect_source(auth.redirect_uri),
                 title=speech._("Allow %(app)s?", app=auth.app.name), app_name=auth.app.name,
                 website=auth.app.website, account=account,
                 scopes=[{"name": s, "text": scope_text(speech, s)} for s in granted], withheld=withheld, oob=auth.oob,
                 destination=f"{destination.scheme}://{destination.netloc}" if destination.netloc else auth.redirect_uri,
                 hidden={**auth.params(), "authenticity_token": forms.token})


def _sign_in_page(request: web.Request, forms: Forms, auth: oauth.AuthorizationRequest, *, error: str = "",
                  username: str = "", status: int = 200) -> web.Response:
    rt = runtime(request)
    speech = Speech.of(request)
    return _page(request, forms, "sign_in.html", speech=speech, status=status, title=speech._("Sign in"),
                 app_name=auth.app.name, error=said(speech, error) if error else "", username=username,
                 hidden={**auth.params(), "authenticity_token": forms.token},
                 login_with=rt.settings.login_verifier.title() if login_enabled(rt) else None)


async def authorize_page(request: web.Request) -> web.StreamResponse:
    forms = await Forms.of(request)
    query = {name: request.query[name] for name in _AUTHORIZATION_FIELDS if name in request.query}
    try:
        auth = await oauth.authorization_request(runtime(request).db, query)
    except oauth.AuthorizationRefused as refusal:
        return _refused_page(request, forms, refusal)
    except oauth.RedirectedRefusal as refusal:
        return _send_back(request, forms, refusal)
    force_login = request.query.get("force_login", "").strip().lower() in _TRUE
    account = None if force_login else await _signed_in(request, forms)
    if account is None:
        return _sign_in_page(request, forms, auth)
    return _consent(request, forms, auth, account)


async def _posted(request: web.Request) -> tuple[Forms, dict[str, str], oauth.AuthorizationRequest | web.StreamResponse]:
    """A form post: CSRF checked first (403 and nothing else looked at), then the request it
    carries (or the page that refuses it)."""
    forms = await Forms.of(request)
    form = await _form(request)
    try:
        forms.check(form.get("authenticity_token"))
    except Forbidden as exc:
        return forms, form, _message_page(request, forms, "error.html", status=403, heading=N_("Form expired"),
                                          explanation=exc.message)
    params = {name: form[name] for name in _AUTHORIZATION_FIELDS if name in form}
    try:
        return forms, form, await oauth.authorization_request(runtime(request).db, params)
    except oauth.AuthorizationRefused as refusal:
        return forms, form, _refused_page(request, forms, refusal)
    except oauth.RedirectedRefusal as refusal:
        return forms, form, _send_back(request, forms, refusal)


async def sign_in_form(request: web.Request) -> web.StreamResponse:
    forms, form, auth = await _posted(request)
    if isinstance(auth, web.StreamResponse):
        return auth
    username = form.get("username", "")[:320]
    try:
        account = await password_sign_in(request, form)
    except TooManyAttempts as exc:
        response = _sign_in_page(request, forms, auth, error=try_again_in(Speech.of(request), exc.retry_after,
                                                                          notices=False),
                                 username=username, status=429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except Unauthorized as exc:
        return _sign_in_page(request, forms, auth, error=exc.message, username=username, status=401)
    return _signed_in_as(request, forms, account, _authorize_again(request, auth))


async def password_sign_in(request: web.Request, form: dict[str, str]) -> Actor:
    """The account a sign-in form names, by the checks and rate limits of accounts/sign_in.py
    (this page's and the moderator console's): TooManyAttempts or Unauthorized otherwise."""
    rt = runtime(request)
    attempt = Attempt(form.get("username", "")[:320], form.get("password", ""), client_address(request))
    return await sign_in(rt.db, rt.clock, attempt)


def _signed_in_as(request: web.Request, forms: Forms, account: Actor, response: web.StreamResponse) -> web.StreamResponse:
    value = sign(forms.key, "signin", f"{account.id}-{password_stamp(account)}", int(forms.now) + SIGNED_IN_LIFETIME)
    set_cookie(request, response, SIGNED_IN_COOKIE, value, SIGNED_IN_LIFETIME)
    return response


# ---- signing in by identity attribute (identity/login.py) ---------------------------------

def _attribute_page(request: web.Request, forms: Forms, auth: oauth.AuthorizationRequest, *, action: str,
                    status: int = 200, **values) -> web.Response:
    speech = Speech.of(request)
    if values.get("error"):
        values["error"] = said(speech, values["error"])
    return _page(request, forms, "sign_in_attribute.html", speech=speech, status=status, title=speech._("Sign in"),
                 action=action, hidden={**auth.params(), "authenticity_token": forms.token}, **values)


async def sign_in_by_attribute(request: web.Request) -> web.StreamResponse:
    """Start: the verifier's session, and what the person does next (scan, or sign in there)."""
    forms, form, auth = await _posted(request)
    if isinstance(auth, web.StreamResponse):
        return auth
    rt = runtime(request)
    try:
        row, started = await start_login(rt, forms.nonce, "/oauth/authorize?" + urlencode(auth.params()))
    except PubHubError as exc:
        return _sign_in_page(request, forms, auth, error=exc.message, status=exc.status)
    qr = yivi_qr(started.client["sessionPtr"]) if started.client.get("type") == "yivi" else None
    return _attribute_page(request, forms, auth, action=f"/oauth/sign_in/attribute/{row.id}/complete", started=started,
                           qr=qr)


async def complete_attribute_sign_in(request: web.Request) -> web.StreamResponse:
    forms, form, auth = await _posted(request)
    if isinstance(auth, web.StreamResponse):
        return auth
    try:
        outcome = await prove_login(runtime(request), session_id=parse_id(request.match_info["id"]),
                                    browser_key=forms.nonce)
    except PubHubError as exc:
        return _sign_in_page(request, forms, auth, error=exc.message, status=exc.status)
    return _after_proof(request, forms, auth, outcome)


async def attribute_sign_in_outcome(request: web.Request) -> web.StreamResponse:
    """Where the provider's callback sends the browser on (GET, with its `state` and `code`): the
    sign-in proved here, in the browser that started it (its CSRF cookie), and its outcome."""
    forms = await Forms.of(request)
    rt = runtime(request)
    state, code = (request.query.get(name, "")[:MAX_PARAMETER] for name in ("state", "code"))
    try:
        outcome = await prove_login(rt, reference=state, proof=code or None, browser_key=forms.nonce)
        auth = await oauth.authorization_request(rt.db, dict(parse_qsl(urlsplit(outcome.return_to).query)))
    except (PubHubError, oauth.AuthorizationRefused, oauth.RedirectedRefusal) as exc:
        return _message_page(request, forms, "error.html", status=getattr(exc, "status", 404),
                             heading=N_("Not signed in"), explanation=getattr(exc, "message", str(exc)))
    return _after_proof(request, forms, auth, outcome)


def _after_proof(request: web.Request, forms: Forms, auth: oauth.AuthorizationRequest, outcome) -> web.StreamResponse:
    if outcome.account is not None:
        return _signed_in_as(request, forms, outcome.account, _authorize_again(request, auth))
    return _attribute_page(request, forms, auth, action=f"/oauth/sign_in/attribute/{outcome.session_id}/register",
                           register=True, username="")


async def register_by_attribute(request: web.Request) -> web.StreamResponse:
    forms, form, auth = await _posted(request)
    if isinstance(auth, web.StreamResponse):
        return auth
    session_id = parse_id(request.match_info["id"])
    username = form.get("username", "")[:64]
    try:
        account = await register(runtime(request), session_id, forms.nonce, username)
    except BadRequest as exc:  # the handle: taken, reserved or not a name
        return _attribute_page(request, forms, auth, action=f"/oauth/sign_in/attribute/{session_id}/register",
                               register=True, username=username, error=exc.message, status=422)
    except PubHubError as exc:
        return _sign_in_page(request, forms, auth, error=exc.message, status=exc.status)
    return _signed_in_as(request, forms, account, _authorize_again(request, auth))


async def decide(request: web.Request) -> web.StreamResponse:
    forms, form, auth = await _posted(request)
    if isinstance(auth, web.StreamResponse):
        return auth
    account = await _signed_in(request, forms)
    if account is None:  # the sign-in ran out (or never was): sign in again
        return _authorize_again(request, auth)
    if form.get("decision") != "approve":
        return _send_back(request, forms, oauth.RedirectedRefusal(auth, "access_denied"))
    rt = runtime(request)
    try:
        code = await oauth.issue_code(rt.db, rt.clock, auth, account)
    except oauth.RedirectedRefusal as refusal:
        return _send_back(request, forms, refusal)
    if auth.oob:
        return _message_page(request, forms, "oob.html", status=200, heading=N_("Authorization code"),
                             explanation="", app_name=auth.app.name, code=code)
    return _no_store(web.Response(status=302, headers={"Location": auth.redirect(code=code)}))


async def sign_out(request: web.Request) -> web.StreamResponse:
    forms, form, auth = await _posted(request)
    if isinstance(auth, web.StreamResponse):
        return auth
    response = _authorize_again(request, auth)
    clear_cookie(request, response, SIGNED_IN_COOKIE)
    return response


def setup(app: web.Application) -> None:
    app.router.add_get("/oauth/authorize", authorize_page)
    app.router.add_post("/oauth/authorize", decide)
    app.router.add_post("/oauth/sign_in", sign_in_form)
    app.router.add_post("/oauth/sign_out", sign_out)
    app.router.add_post("/oauth/sign_in/attribute", sign_in_by_attribute)
    app.router.add_post("/oauth/sign_in/attribute/{id:\\d+}/complete", complete_attribute_sign_in)
    app.router.add_get("/oauth/sign_in/attribute/oidc", attribute_sign_in_outcome)
    app.router.add_post("/oauth/sign_in/attribute/{id:\\d+}/register", register_by_attribute)


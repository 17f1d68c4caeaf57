"""What the domain answers in English and the public pages show in the visitor's language:
marked here for the catalogue (`N_` marks without translating), translated where shown
(`Speech._` looks a message up by its English text; one not listed here stays English, as the
technical details of a provider's refusal do). tests/web/test_public_i18n.py checks that each
message the notice form can give is listed."""

from __future__ import annotations

import math

from .i18n import N_, Speech

NOTICE_MESSAGES = (  # moderation/notices.py
    N_("Give the exact address (URL) of the content."),
    N_("The address is longer than 2048 characters."),
    N_("Explain why the content is illegal or breaks the rules."),
    N_("The explanation is longer than 5000 characters."),
    N_("Choose whether the content is illegal or breaks the rules."),
    N_("Name the law the content breaks."),
    N_("The law's name is longer than 300 characters."),
    N_("The name is longer than 200 characters."),
    N_("This is not an e-mail address (or leave it empty)."),
    N_("Confirm that the notice is made in good faith."),
    N_("This is not the address of a public post, profile or room on this site."),
    N_("Illegal content"),
    N_("A breach of this instance's rules"),
)

SIGN_IN_MESSAGES = (  # accounts/sign_in.py, accounts/oauth.py, identity/login.py, accounts/local.py
    N_("Client authentication failed: unknown client, no client authentication included, or unsupported "
       "authentication method."),
    N_("The requested redirect URI is malformed or does not match the client's redirect URIs."),
    N_("The resource owner or authorization server denied the request."),
    N_("None of the requested scopes can be granted to this account."),
    N_("signing in by attribute is not offered here"),
    N_("no sign-in is waiting for this: start again"),
    N_("the account this proof belongs to cannot sign in (suspended, disabled or deleted)"),
    N_("an account is linked to this proof already: sign in again"),
)

VERIFICATION_MESSAGES = (  # identity/sessions.py, identity/verifier.py
    N_("no verification of this browser is waiting: start again from the room's page"),
    N_("no verification is waiting for this answer: start again from the room"),
    N_("this room does not ask for proof of attributes (join: open or approval)"),
    N_("this instance has no identity verifier (PUBHUB_IDENTITY_VERIFIERS)"),
    N_("this verification is expired: start a new one"),
    N_("this verification is used already: start a new one"),
    N_("the room's rule changed while you verified: start again"),
    N_("the attributes you proved do not satisfy the room's rule"),
    N_("the proof was issued in the future"),
    N_("the proof has expired"),
)

PERIOD_MESSAGES = (  # moderation/transparency.py
    N_("from must be a date written YYYY-MM-DD"),
    N_("to must be a date written YYYY-MM-DD"),
    N_("from must not be after to"),
    N_("the period is at most 732 days"),
)

# Messages the domain makes of a fixed start and a detail (itself one of those above, or English).
WITH_DETAIL = (
    N_("the proof is refused: %(detail)s"),
    N_("the identity verifier is unavailable: %(detail)s"),
)


def said(speech: Speech, message: str) -> str:
    """A domain message in the page's language: listed as it is, or a start in WITH_DETAIL with
    its detail translated in turn; else as the domain said it."""
    for template in WITH_DETAIL:
        start = template.split("%(detail)s")[0]
        if message.startswith(start):
            return speech._(template, detail=speech._(message[len(start):]))
    return speech._(message)


def try_again_in(speech: Speech, retry_after: int, *, notices: bool) -> str:
    """The refusal of a flood (of notices, or of failed sign-ins), with its wait in minutes."""
    minutes = max(1, math.ceil(retry_after / 60))
    if notices:
        return speech.ngettext("Too many notices from your address. Try again in %(num)d minute.",
                               "Too many notices from your address. Try again in %(num)d minutes.", minutes)
    return speech.ngettext("Too many failed sign-ins. Try again in %(num)d minute.",
                           "Too many failed sign-ins. Try again in %(num)d minutes.", minutes)

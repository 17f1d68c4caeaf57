"""Remote HTML sanitising and the plain-text composer for local posts."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings, strategies as st

from pubhub.compose import Mention, compose, find_mentions, text_html
from pubhub.content import ALLOWED_ATTRIBUTES, ALLOWED_CLASSES, ALLOWED_TAGS, is_web_url, plain_text, sanitize_html

REL = 'rel="nofollow noopener noreferrer"'


class Parsed(HTMLParser):
    """Every tag, attribute and text run of an HTML fragment, as a browser-like parser sees it."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


# ---- sanitize_html ---------------------------------------------------------------------------

@pytest.mark.parametrize("dirty, clean", [
    ("<p>hi<script>alert(1)</script>there</p>", "<p>hithere</p>"),
    ("<style>p{color:red}</style><p>x</p>", "<p>x</p>"),
    ('<iframe src="https://x.example/">inside</iframe>ok', "ok"),
    ('<object data="x">obj</object><embed src="y">ok', "ok"),
    ("<svg><script>alert(1)</script><circle/>svg text</svg>after", "after"),
    ("<math><mi>x</mi></math><template><p>t</p></template><noscript>n</noscript>ok", "ok"),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', '"&gt;'),
    ("<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)"),
    ("<!-- <script>x</script> -->c", "c"),
    ('<img src=x onerror=alert(1)><form action="https://x/"><input name=a></form>f', "f"),
    ('<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://e/"><link rel=stylesheet href=x>b', "b"),
    ('<p onclick="alert(1)" onmouseover=x OnLoad="y">p</p>', "<p>p</p>"),
    ('<p style="color:red" id="i" data-x="1">s</p>', "<p>s</p>"),
    ('<ol start="3" reversed onclick=x><li value="2" style="x">a</li></ol>', '<ol start="3" reversed=""><li value="2">a</li></ol>'),
    ('<a href="https://x.example/" title="t" target="_top" rel="me">y</a>', f'<a href="https://x.example/" title="t" {REL}>y</a>'),
    ("<b>b</b><strong>s</strong><em>e</em><i>i</i><u>u</u><del>d</del><s>s</s><pre><code>c</code></pre><blockquote>q</blockquote>",
     "<b>b</b><strong>s</strong><em>e</em><i>i</i><u>u</u><del>d</del><s>s</s><pre><code>c</code></pre><blockquote>q</blockquote>"),
    ("<h1>title</h1><table><tr><td>cell</td></tr></table>", "titlecell"),
    (None, ""),
    ("", ""),
])
def test_sanitize_html(dirty, clean):
    assert sanitize_html(dirty) == clean


@pytest.mark.parametrize("href", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "jav&#x09;ascript:alert(1)",
    "jav\tascript:alert(1)", "java&#x0A;script:alert(1)", "java&#13;script:alert(1)", "&#x01;javascript:alert(1)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)", "&#0000106avascript:alert(1)",
    "&#x6A;avascript&colon;alert(1)", "javascript&#58;alert(1)", "data:text/html;base64,PHNjcmlwdD4=",
    "DATA:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "VBScript:msgbox(1)", "ftp://x.example/",
    "file:///etc/passwd", "/relative", "//evil.example/", "?q=1", "#top", "ht&#x09;tps://x.example/",
])
def test_dangerous_and_relative_hrefs_are_removed(href):
    assert sanitize_html(f'<a href="{href}">x</a>') == f"<a {REL}>x</a>"


@pytest.mark.parametrize("href", ["https://x.example/a?b=1&amp;c=2", "http://x.example/", "HTTPS://X.EXAMPLE/", "mailto:a@x.example"])
def test_web_and_mail_links_are_kept(href):
    assert sanitize_html(f'<a href="{href}">x</a>') == f'<a href="{href}" {REL}>x</a>'


@pytest.mark.parametrize("value, web", [
    ("https://x.example/", True), ("http://x.example/a?b#c", True), ("HTTPS://X.EXAMPLE/", True), ("HtTp://x.example", True),
    ("https:///x", False), ("https://", False), ("https:// x.example", False), ("https://?q", False), ("https://#f", False),
    (" https://x.example/", False), ("javascript:alert(1)", False), ("mailto:a@x.example", False), ("ftp://x.example/", False),
    ("//x.example/", False), ("/relative", False), ("", False), (None, False),
])
def test_is_web_url_takes_absolute_http_links_in_any_case(value, web):
    assert is_web_url(value) is web


def test_only_mastodons_classes_are_kept():
    assert sanitize_html('<a class="mention hashtag evil" href="https://x.example/">m</a>') == \
        f'<a class="mention hashtag" href="https://x.example/" {REL}>m</a>'
    assert sanitize_html('<span class="h-card invisible ellipsis foo">s</span>') == '<span class="h-card invisible ellipsis">s</span>'
    assert sanitize_html('<a class="u-url mention" href="https://x.example/">x</a>') == \
        f'<a class="u-url mention" href="https://x.example/" {REL}>x</a>'
    assert sanitize_html('<p class="mention">x</p><span class="status-link">y</span>') == '<p>x</p><span class="">y</span>'


def test_a_mastodon_status_keeps_its_shape():
    status = ('<p><span class="h-card"><a href="https://m.example/@bob" class="u-url mention">@<span>bob</span></a></span> see '
              '<a href="https://example.com/long/path" target="_blank" rel="nofollow noopener noreferrer"><span class="invisible">https://</span>'
              '<span class="ellipsis">example.com/long</span><span class="invisible">/path</span></a> '
              '<a href="https://m.example/tags/fedi" class="mention hashtag" rel="tag">#<span>fedi</span></a></p><p>second<br>line</p>')
    cleaned = sanitize_html(status)
    assert cleaned == status.replace(' target="_blank"', "").replace(' rel="tag"', f" {REL}") \
        .replace('class="u-url mention">', f'class="u-url mention" {REL}>')


def test_plain_text():
    assert plain_text("<p>Hello <b>there</b></p>\n<script>x</script> &amp; you") == "Hello there & you"
    assert plain_text("<p>abcdef</p>", limit=3) == "abc"
    assert plain_text(None) == ""
    # Paragraphs and line breaks keep their words apart, as a reader sees them.
    assert plain_text("<p>one</p><p>two<br>three<BR/>four</p><ul><li>five</li><li>six</li></ul>") == \
        "one two three four five six"


# Fragments that sanitiser bypasses are built from.
NASTY = st.sampled_from([
    "<script>", "</script>", "<script src=//x>", "<a href=\"", "<a href='", "<a href=", "javascript:", "JaVaScRiPt:",
    "vbscript:", "data:", "jav&#x09;ascript:", "&#106;", "&#x0A;", "\t", "\n", "\x00", '"', "'", ">", "<", "</", "/>",
    "<svg onload=alert(1)>", "<img src=x onerror=", " onclick=", " style=", "<p class=\"mention evil\">", "<!--", "-->",
    "<![CDATA[", "<math>", "<iframe>", "<noscript>", "<template>", "<style>", "<p>", "<span class=invisible>", "`", "=",
    "&", ";", " ", "x", "https://a.example/", "<object>", "<embed>", "<base href=", "<form>", "<textarea>", "<title>",
])
DIRTY = st.lists(st.one_of(NASTY, st.text(max_size=3)), max_size=20).map("".join)


@settings(max_examples=200, deadline=None, database=None)
@given(DIRTY)
def test_sanitized_output_holds_only_the_allow_list(dirty):
    cleaned = sanitize_html(dirty)
    assert "<script" not in cleaned.lower() and "<svg" not in cleaned.lower()
    for tag, attrs in Parsed(cleaned).tags:
        assert tag in ALLOWED_TAGS, (dirty, cleaned)
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"class"} if tag in ALLOWED_CLASSES else set()) | ({"rel"} if tag == "a" else set())
        assert set(attrs) <= allowed, (dirty, cleaned)
        assert set((attrs.get("class") or "").split()) <= ALLOWED_CLASSES.get(tag, set()), (dirty, cleaned)
        if "href" in attrs:
            assert re.match(r"^(https?://|mailto:)", attrs["href"], re.IGNORECASE), (dirty, cleaned)
        if tag == "a":
            assert attrs["rel"] == "nofollow noopener noreferrer"
    again = Parsed(sanitize_html(cleaned))  # stable: cleaning twice changes nothing (but attribute order)
    assert (again.tags, again.text) == (Parsed(cleaned).tags, Parsed(cleaned).text), (dirty, cleaned)


# ---- compose ---------------------------------------------------------------------------------

ALICE = Mention("alice@remote.example", "https://remote.example/users/alice", "https://remote.example/@alice")
BOB = Mention("bob@local.test", "https://local.test/users/bob", "https://local.test/@bob")
RESOLVED = {"alice@remote.example": ALICE, "bob@local.test": BOB}


def render(text: str, resolved=None):
    return compose(text, local_domain="local.test", resolved=RESOLVED if resolved is None else resolved,
                   tag_url=lambda name: f"https://local.test/tags/{name}")


def link(url: str) -> str:
    return f'<a href="{html.escape(url)}" rel="nofollow noopener noreferrer" target="_blank">{html.escape(url)}</a>'


def tag(name: str) -> str:
    return f'<a href="https://local.test/tags/{name.lower()}" class="mention hashtag" rel="tag">#<span>{name}</span></a>'


def test_text_without_mentions_is_made_as_a_post_is_but_mentions_stay_text():
    text = "Hi @alice@remote.example <i>and</i> #Oost\nhttps://oost.example\n\nBye"
    made = text_html(text, tag_url=lambda name: f"https://local.test/tags/{name}")
    assert made == render(text, resolved={}).html
    assert made.startswith("<p>Hi @alice@remote.example &lt;i&gt;and&lt;/i&gt; " + tag("Oost") + "<br><a href=")
    assert made.endswith("</a></p><p>Bye</p>")


def test_plain_text_is_escaped_not_interpreted():
    assert render("<b>bold</b> & <script>alert(1)</script>").html == \
        "<p>&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert render('say "hi" it\'s').html == "<p>say \"hi\" it's</p>"


@pytest.mark.parametrize("text, url, after", [
    ("see https://example.com/a.", "https://example.com/a", "."),
    ("see https://example.com/a, ok", "https://example.com/a", ", ok"),
    ("see https://example.com/a!?", "https://example.com/a", "!?"),
    ("see https://example.com/a: yes", "https://example.com/a", ": yes"),
    ("(see https://example.com/a)", "https://example.com/a", ")"),
    ("[https://example.com/a]", "https://example.com/a", "]"),
    ("see https://en.wikipedia.org/wiki/Foo_(bar).", "https://en.wikipedia.org/wiki/Foo_(bar)", "."),
    ("(https://en.wikipedia.org/wiki/Foo_(bar))", "https://en.wikipedia.org/wiki/Foo_(bar)", ")"),
    ("see https://example.com/a?b=1&c=2#frag!", "https://example.com/a?b=1&c=2#frag", "!"),
    ('see "https://example.com/x"', "https://example.com/x", '"'),
    ("see https://ex.com/<script>", "https://ex.com/", "&lt;script&gt;"),
    ('see http://a.example/"onmouseover="x', "http://a.example/", '"onmouseover="x'),
])
def test_urls_are_linked_without_trailing_punctuation(text, url, after):
    rendered = render(text).html
    assert link(url) + after in rendered, rendered


def test_things_that_are_not_links():
    assert render("javascript:alert(1) and https:// and ftp://x.example/").html == \
        "<p>javascript:alert(1) and https:// and ftp://x.example/</p>"


def test_hashtags():
    composed = render("#hello #123 #a1 #Über #HELLO a#notatag &#38; #end,")
    assert composed.html == f"<p>{tag('hello')} #123 {tag('a1')} {tag('Über')} {tag('HELLO')} a#notatag &amp;#38; {tag('end')},</p>"
    assert composed.hashtags == ["hello", "a1", "Über", "end"]


def test_hashtags_inside_urls_stay_part_of_the_url():
    composed = render("https://example.com/#tag and https://example.com/page#section #real")
    assert composed.html == f"<p>{link('https://example.com/#tag')} and {link('https://example.com/page#section')} {tag('real')}</p>"
    assert composed.hashtags == ["real"]


def test_only_resolved_mentions_are_linked():
    composed = render("@alice@remote.example hi @carol@else.example and @bob, also @ALICE@Remote.Example")
    alice = '<span class="h-card"><a href="https://remote.example/@alice" class="u-url mention">@<span>{}</span></a></span>'
    bob = '<span class="h-card"><a href="https://local.test/@bob" class="u-url mention">@<span>bob</span></a></span>'
    assert composed.html == f"<p>{alice.format('alice')} hi @carol@else.example and {bob}, also {alice.format('ALICE')}</p>"
    assert composed.mentions == [ALICE, BOB]
    assert render("@alice@remote.example", resolved={}).html == "<p>@alice@remote.example</p>"


def test_mentions_in_urls_and_emails_are_text():
    composed = render("mail user@remote.example or a@alice@remote.example, https://example.com/@alice@remote.example")
    assert composed.mentions == []
    assert "h-card" not in composed.html
    assert find_mentions("@alice@remote.example @Bob @alice@REMOTE.example x@y.example", "local.test") == \
        ["alice@remote.example", "bob@local.test"]


@pytest.mark.parametrize("profile", ["javascript:alert(document.cookie)", "data:text/html,x", " javascript:x", "/relative"])
def test_a_mention_never_links_to_a_remote_supplied_script_url(profile):
    # A remote actor chooses its own `url`; our post must not carry it into an href.
    evil = Mention("eve@remote.example", "https://remote.example/users/eve", profile)
    composed = render("hi @eve@remote.example", resolved={"eve@remote.example": evil})
    assert 'href="https://remote.example/users/eve"' in composed.html and profile.strip() not in composed.html
    assert composed.mentions == [evil]
    broken = Mention("eve@remote.example", "javascript:x", "javascript:y")
    assert render("hi @eve@remote.example", resolved={"eve@remote.example": broken}).html == "<p>hi @eve@remote.example</p>"


def test_paragraphs_and_line_breaks():
    assert render("para1\n\npara2\nline2\n\n\n\npara3").html == "<p>para1</p><p>para2<br>line2</p><p>para3</p>"
    assert render("  leading\r\nwindows\r\n\r\nnext  \n\n \n").html == "<p>leading<br>windows</p><p>next</p>"


@settings(max_examples=100, deadline=None, database=None)
@given(st.lists(st.one_of(st.sampled_from(["<", ">", "&", '"', "'", "#", "@", "\n", "\n\n", " ", "https://", "http://x.example/",
                                           "(", ")", ".", "<script>", "javascript:", "#tag", "@bob", "&amp;", "\r\n"]),
                          st.text(max_size=5)), max_size=25).map("".join))
def test_composed_html_is_our_markup_around_the_exact_text(text):
    composed = render(text, resolved={})
    parsed = Parsed(composed.html)
    assert {tag for tag, _ in parsed.tags} <= {"p", "br", "a", "span"}
    for tag_name, attrs in parsed.tags:
        if tag_name == "a":
            assert re.match(r"^https?://", attrs["href"])
    assert re.sub(r"\s", "", "".join(parsed.text)) == re.sub(r"\s", "", text)


def test_the_shortest_links_are_linked_and_a_bare_scheme_never_stops_the_rest():
    composed = render("https:// then http://x then https://y.z")
    assert composed.html == f"<p>https:// then {link('http://x')} then {link('https://y.z')}</p>"


@pytest.mark.parametrize("url", ["https://example.com/wiki/A[1]", "https://example.com/f(x)"])
def test_a_closing_bracket_the_url_opened_stays_in_the_link(url):
    assert render(f"zie {url}.").html == f"<p>zie {link(url)}.</p>"

"""HTML: visible text, block structure, metadata and the map back to the raw source."""


import pytest

from carextract.errors import ReadError
from carextract.reading import Limits, read
from carextract.reading.html import html_to_text, nesting_depth

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Riverton assessment | Example news</title>
  <meta property="og:title" content="Riverton adult social care rated good">
  <meta property="og:url" content="https://news.example.org/2024/riverton-rated-good">
  <meta property="article:published_time" content="2024-11-05T09:30:00+00:00">
  <style>p { color: red; }</style>
  <script type="application/ld+json">{"headline": "Riverton adult social care rated good"}</script>
</head>
<body>
  <nav hidden>Skip to content</nav>
  <h1>Riverton adult   social care rated good</h1>
  <p>The regulator found that Riverton Council&rsquo;s adult social care
     was <strong>good</strong>&nbsp;overall &amp; scored 3 for safeguarding.</p>
  <script>document.write("Riverton rated inadequate");</script>
  <noscript>Please enable JavaScript</noscript>
  <template><p>Template text never shown</p></template>
  <div style="display: none">Hidden teaser</div>
  <h2>Quality statements</h2>
  <ul>
    <li>Assessing needs: 2</li>
    <li>Safeguarding: <em>3</em></li>
  </ul>
  <table>
    <tr><th>Theme</th><th>Score</th></tr>
    <tr><td>Working with people</td><td>2</td></tr>
  </table>
  <div>First line<br>second line</div>
  <!-- a comment that mentions Riverton -->
  <p>Inspectors visited in June.</p>
</body>
</html>
"""


@pytest.fixture(scope="module")
def doc():
    [d] = read(PAGE.encode("utf-8"))
    return d


def test_visible_text_and_structure(doc):
    assert doc.kind == "html"
    assert doc.text == (
        "Riverton adult social care rated good\n\n"
        "The regulator found that Riverton Council\u2019s adult social care was good overall & scored 3 for "
        "safeguarding.\n\n"
        "Quality statements\n\n"
        "- Assessing needs: 2\n"
        "- Safeguarding: 3\n\n"
        "Theme\tScore\n"
        "Working with people\t2\n\n"
        "First line\n"
        "second line\n\n"
        "Inspectors visited in June."
    )
    for hidden in ("color", "inadequate", "JavaScript", "Template text", "Hidden teaser", "Skip to", "comment",
                   "headline"):
        assert hidden not in doc.text


def test_metadata(doc):
    assert doc.title == "Riverton adult social care rated good"  # og:title wins over <title>
    assert doc.url == "https://news.example.org/2024/riverton-rated-good"
    assert doc.date == "2024-11-05"


def test_title_falls_back_to_title_element():
    [d] = read(b"<html><head><title> Plain   title </title></head><body><p>Body text.</p></body></html>")
    assert d.title == "Plain title" and d.url is None and d.date is None
    assert d.text == "Body text."


@pytest.mark.parametrize("needle, source_prefix", [
    ("Riverton adult", "Riverton adult   social"),
    ("regulator", "regulator"),
    ("Council", "Council&rsquo;s"),
    ("good overall", "good</strong>&nbsp;overall"),
    ("overall", "overall &amp;"),
    ("scored 3", "scored 3"),
    ("Quality", "Quality statements</h2>"),
    ("Assessing", "Assessing needs: 2</li>"),
    ("Safeguarding:", "Safeguarding: <em>"),
    ("Theme", "Theme</th>"),
    ("Working", "Working with people</td>"),
    ("2\n\nFirst", "2</td>"),
    ("First", "First line<br>"),
    ("second", "second line</div>"),
    ("Inspectors", "Inspectors visited"),
])
def test_offsets_map_back_to_the_raw_source(doc, needle, source_prefix):
    o = doc.to_original(doc.text.index(needle))
    assert o is not None
    assert PAGE[o:].startswith(source_prefix)


def test_heading_maps_to_body_not_to_json_ld(doc):
    o = doc.to_original(0)
    assert PAGE[:o].endswith("<h1>")


def test_entities_map_to_their_ampersand(doc):
    i = doc.text.index("\u2019s adult")
    assert PAGE[doc.to_original(i):].startswith("&rsquo;s")
    j = doc.text.index("& scored")
    assert PAGE[doc.to_original(j):].startswith("&amp; scored")
    start, end = doc.span_to_original(i - len("Council"), i + 2)
    assert PAGE[start:end] == "Council&rsquo;s"


def test_inserted_characters_have_no_original(doc):
    assert doc.to_original(doc.text.index("- Assessing")) is None  # the "- " list prefix
    assert doc.to_original(doc.text.index("\tScore")) is None  # the cell separator
    assert doc.to_original(doc.text.index("\n\nThe regulator")) is None  # the paragraph break
    assert not doc.offsets_exact and doc.origin_start is None


def test_fragment_without_markup_changes_is_exact():
    src = "<p>Camden was rated outstanding.</p>"
    [d] = read(src.encode())
    assert d.kind == "html" and d.text == "Camden was rated outstanding."
    assert d.offsets_exact and d.origin_start == 3
    assert src[d.origin_start:d.origin_start + len(d.text)] == d.text


def test_malformed_markup_still_maps():
    src = "<html><body><p>Alpha <b>beta <i>gamma</b> delta</i></span> epsilon</p><p>zeta &copy eta"
    h = html_to_text(src)
    assert h.text == "Alpha beta gamma delta epsilon\n\nzeta \u00a9 eta"
    from carextract.reading.document import SourceDocument

    d = SourceDocument(text=h.text, kind="html", offset_map=h.offset_map)
    for w in ("Alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"):
        i = h.text.index(w) if w != "eta" else h.text.rindex(w)
        assert src[d.to_original(i):].startswith(w)


def test_windows_1252_meta_charset():
    src = ('<html><head><meta charset="windows-1252"></head><body>'
           '<p>\u201cImproving\u201d \u2013 caf\u00e9</p></body></html>')
    [d] = read(src.encode("cp1252"))
    assert d.text == "\u201cImproving\u201d \u2013 caf\u00e9"


def test_html_detected_by_tag_density_and_extension(tmp_path):
    [d] = read(b"<p>One.</p><p>Two.</p><p>Three <b>four</b>.</p>")
    assert d.kind == "html" and d.text == "One.\n\nTwo.\n\nThree four."
    f = tmp_path / "page.html"
    f.write_text("Intro line <b>bold</b> words and a lot more plain text " * 5, encoding="utf-8")
    [d2] = read(f)
    assert d2.kind == "html"
    [d3] = read(b"Scores: 3 < 4 and 2 > 1, which is plain text.")
    assert d3.kind == "plain"


def test_pre_keeps_lines():
    h = html_to_text("<pre>Theme   Score\nSafe    3</pre><p>after</p>")
    assert h.text == "Theme   Score\nSafe    3\n\nafter"


def test_large_and_hostile_input():
    """(Their speed is measured by benchmarks/bench.py --hostile, not here.)"""
    big = "<div><p>Paragraph with <a href='/x'>a link</a> &amp; an entity.</p></div>\n" * 4000
    hostile = "<a" * 40000 + "<!--" + "&amp" * 20000
    h = html_to_text(big)
    html_to_text(hostile)
    assert h.text.count("Paragraph with a link & an entity.") == 4000
    assert nesting_depth(big) == 2 and nesting_depth(hostile) <= 1


@pytest.mark.parametrize("markup, depth", [
    ("<div><div><span>x</span></div></div>", 3),
    ("<ul><li>a<li>b<li>c</ul>", 1),  # end tags the parser supplies do not nest
    ("<p>one<p>two<br><img src=x><hr/>", 0),
    ("<div/><div/><div/>", 0),
    ("<!-- <div><div> --><script>'<div><div><div>'</script><b>x</b>", 1),
    ("</div></div><div>x", 1),
])
def test_nesting_depth_counts_what_nests(markup, depth):
    assert nesting_depth(markup) == depth


def test_deep_nesting_is_refused_before_the_parser():
    deep = b"<html><body>" + b"<div>" * 5000 + b"Camden was rated good." + b"</div>" * 5000 + b"</body></html>"
    with pytest.raises(ReadError, match=r"nests its elements too deeply.*max_depth"):
        read(deep)
    with pytest.raises(ReadError, match="more than 100 levels"):
        read(b"<div>" * 101 + b"x", limits=Limits(max_depth=100))
    [doc] = read(deep, limits=Limits(max_depth=6000))
    assert doc.text == "Camden was rated good."
    # a million nested elements: refused after reading the first 4,097 tags, not parsed
    assert nesting_depth("<b>" * 1_000_000, 4096) == 4097


def test_page_chrome_is_left_out():
    from carextract.reading import read

    page = (b"<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
            b"<article><h1>Borough rated good</h1><p>The inspectors praised the borough.</p></article>"
            b"<aside><h3>Related</h3><ul><li>Somerset rated good</li></ul></aside>"
            b"<div class='cookie-banner'>We use cookies</div><footer>Copyright</footer></body></html>")
    [doc] = read(page)
    assert "Borough rated good" in doc.text and "praised" in doc.text
    for chrome in ("Home", "Somerset", "cookies", "Copyright"):
        assert chrome not in doc.text

"""Feeds: RSS/Atom XML (defusedxml) and flattened feed text."""

import re

import pytest

from carextract.errors import ReadError
from carextract.reading import Limits, read
from carextract.reading.feed import looks_like_flat_feed, parse_flat_feed

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Care sector briefings</title>
  <link>https://briefings.example.net/</link>
  <item>
    <title>Eastvale council &amp; partners rated good</title>
    <link>https://briefings.example.net/2024/06/eastvale-rated-good/</link>
    <pubDate>Tue, 04 Jun 2024 07:15:00 +0100</pubDate>
    <description><![CDATA[<p>Short teaser&hellip;</p>]]></description>
    <content:encoded><![CDATA[<p>Eastvale&rsquo;s adult social care was rated <b>good</b>.</p>
      <ul><li>Safeguarding: 3</li><li>Assessing needs: 2</li></ul>]]></content:encoded>
  </item>
  <item>
    <title>Westmarsh awaits its report</title>
    <link>https://briefings.example.net/2024/05/westmarsh-awaits/</link>
    <dc:date>2024-05-20T10:00:00Z</dc:date>
    <description>The assessment of Westmarsh finished in May.</description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Regulator updates</title>
  <entry>
    <title type="html">Northbrook &lt;em&gt;requires improvement&lt;/em&gt;</title>
    <link rel="alternate" href="https://updates.example.org/northbrook"/>
    <link rel="enclosure" href="https://updates.example.org/northbrook.pdf"/>
    <published>2025-01-09T12:00:00+00:00</published>
    <updated>2025-01-10T08:00:00+00:00</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Northbrook scored 2 for safeguarding.</p><p>Second paragraph.</p></div></content>
  </entry>
  <entry>
    <title>Southcombe update</title>
    <link href="https://updates.example.org/southcombe"/>
    <updated>2025-02-01T00:00:00Z</updated>
    <summary>Southcombe \u2013 summary only.</summary>
  </entry>
</feed>
""".encode("utf-8")


def test_rss_items():
    docs = read(RSS)
    assert [d.kind for d in docs] == ["feed", "feed"]
    a, b = docs
    assert a.title == "Eastvale council & partners rated good"
    assert a.url == "https://briefings.example.net/2024/06/eastvale-rated-good/"
    assert a.date == "2024-06-04"
    assert a.text == ("Eastvale council & partners rated good\n\n"
                      "Eastvale\u2019s adult social care was rated good.\n\n- Safeguarding: 3\n- Assessing needs: 2")
    assert "teaser" not in a.text  # content:encoded wins over description
    assert b.date == "2024-05-20"
    assert b.text == "Westmarsh awaits its report\n\nThe assessment of Westmarsh finished in May."
    assert not a.offsets_exact and a.to_original(0) is None


def test_atom_entries():
    a, b = read(ATOM)
    assert a.title == "Northbrook requires improvement"
    assert a.url == "https://updates.example.org/northbrook"
    assert a.date == "2025-01-09"  # published before updated
    assert a.text == ("Northbrook requires improvement\n\n"
                      "Northbrook scored 2 for safeguarding.\n\nSecond paragraph.")
    assert b.url == "https://updates.example.org/southcombe"
    assert b.date == "2025-02-01"
    assert b.text == "Southcombe update\n\nSouthcombe \u2013 summary only."


def test_rss1_rdf():
    rdf = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://x.example/"><title>X</title></channel>
  <item rdf:about="https://x.example/1"><title>One</title><link>https://x.example/1</link>
    <dc:date>2023-12-01</dc:date><description>First item.</description></item>
</rdf:RDF>"""
    [d] = read(rdf)
    assert (d.title, d.url, d.date, d.text) == ("One", "https://x.example/1", "2023-12-01", "One\n\nFirst item.")


def test_html_entities_in_xml_are_tolerated():
    data = b"<rss><channel><item><title>A&nbsp;title &rsquo;quoted&rsquo;</title>" \
           b"<description>Body&nbsp;text.</description></item></channel></rss>"
    [d] = read(data)
    assert d.title == "A title \u2019quoted\u2019"
    assert d.text.endswith("Body text.")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss><channel><item><title>&lol9;</title></item></channel></rss>
"""


def test_billion_laughs_refused_before_expansion():
    # refused at the entity declarations, so nothing is expanded (no clock needed to show it)
    with pytest.raises(ReadError, match="unsafe XML"):
        read(BILLION_LAUGHS)


def test_external_entity_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me")
    xxe = f"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>
<rss><channel><item><title>&x;</title></item></channel></rss>""".encode()
    with pytest.raises(ReadError):
        read(xxe)


def test_malformed_feed_xml(tmp_path):
    f = tmp_path / "broken.rss"
    f.write_bytes(b"<rss><channel><item><title>Unclosed</channel></rss>")
    with pytest.raises(ReadError, match="broken.rss"):
        read(f)


# --- flattened feeds ------------------------------------------------------------------------------------------

SPAM = "\u5927\u5956\u5f00\u5956888\u5e73\u53f0"  # injected CJK gambling-ad text

FLAT = (
    f"{SPAM} Regulation - Care Digest https://digest.example.com/topic/regulation/ News for the care sector "
    "Wed, 02 Oct 2024 16:00:00 +0000 en-GB daily 1 https://wordpress.org/?v=6.5 "
    f"{SPAM} Harbourside council rated good after first inspection "
    "https://digest.example.com/2024/10/01/harbourside-rated-good/ "
    "https://digest.example.com/2024/10/01/harbourside-rated-good/#comments "
    "Tue, 01 Oct 2024 09:05:10 +0000 https://digest.example.com/?p=1201\n"
    "Harbourside has been rated good by the regulator, with strengths in\u2026\n"
    "]]>\n"
    "\n"
    "Harbourside has been rated good by the regulator, with strengths in reablement.\n"
    "\n"
    "It scored 3 for safeguarding and 2 for care provision.\n"
    "\n"
    "]]>\n"
    "https://digest.example.com/2024/10/01/harbourside-rated-good/feed/ 2 "
    "https://img.example.com/harbour.jpg Care Digest Photo: Someone/Stock\n"
    f"{SPAM} Inland Borough asked to improve carers support "
    "https://digest.example.com/2024/09/12/inland-borough-carers/ "
    "Thu, 12 Sep 2024 14:30:00 +0100 https://digest.example.com/?p=1188\n"
    "Inland Borough requires improvement, the report says\u2026\n"
    "]]>\n"
    "\n"
    "Inland Borough requires improvement, the report says.\n"
    "\n"
    "]]>\n"
    "https://img.example.com/inland.jpg Care Digest\n"
    f"{SPAM} Teaser-only item https://digest.example.com/2024/08/30/teaser/ "
    "Fri, 30 Aug 2024 11:00:00 +0000\n"
    "Only a summary is published for this one.\n"
    "]]>\n"
)


def test_flat_feed_detected_and_split():
    assert looks_like_flat_feed(FLAT)
    docs = read(FLAT.encode("utf-8"))
    assert [d.kind for d in docs] == ["feed"] * 3
    assert [d.title for d in docs] == ["Harbourside council rated good after first inspection",
                                       "Inland Borough asked to improve carers support", "Teaser-only item"]
    assert [d.url for d in docs] == ["https://digest.example.com/2024/10/01/harbourside-rated-good/",
                                     "https://digest.example.com/2024/09/12/inland-borough-carers/",
                                     "https://digest.example.com/2024/08/30/teaser/"]
    assert [d.date for d in docs] == ["2024-10-01", "2024-09-12", "2024-08-30"]
    assert docs[0].text == ("Harbourside council rated good after first inspection\n\n"
                            "Harbourside has been rated good by the regulator, with strengths in reablement.\n\n"
                            "It scored 3 for safeguarding and 2 for care provision.")
    assert docs[1].text.endswith("\n\nInland Borough requires improvement, the report says.")
    assert docs[2].text == "Teaser-only item\n\nOnly a summary is published for this one."
    for d in docs:
        assert SPAM not in d.text and "]]>" not in d.text and "http" not in d.text


def _assert_maps_back(doc, original):
    for i, ch in enumerate(doc.text):
        o = doc.to_original(i)
        if o is None:
            assert ch == "\n"  # only the inserted blank line between title and body
        else:
            assert original[o] == ch or (ch == "\n" and original[o] == "\r")


def test_flat_feed_positions_map_back():
    docs = read(FLAT.encode("utf-8"))
    for d in docs:
        _assert_maps_back(d, FLAT)
        assert FLAT[d.to_original(0):].startswith(d.title)
    crlf = FLAT.replace("\n", "\r\n")
    docs2 = read(crlf.encode("utf-8"))
    assert [d.text for d in docs2] == [d.text for d in docs]
    for d in docs2:
        _assert_maps_back(d, crlf)
        body = d.text.index("\n\n") + 2
        assert crlf[d.to_original(body):].startswith(d.text[body:body + 20])


def test_plain_text_with_dates_is_not_a_flat_feed():
    text = ("Report published Mon, 17 Jun 2024 10:00:00 +0000 at https://example.org/report\n"
            "The council was rated good.\n")
    assert not looks_like_flat_feed(text)
    [d] = read(text.encode())
    assert d.kind == "plain"
    assert parse_flat_feed("no items here") == []


def test_seed_flat_feed_splits_into_its_articles(shared):
    SEED = shared("seeds", "004_feed_excerpt.txt")  # ../shared beside the repository, or a skip naming it
    original = SEED.read_text(encoding="utf-8")
    n_markers = len(re.findall(r"(?m)^\s*\]\]>\s*$", original))
    docs = read(SEED)
    assert n_markers % 2 == 0 and len(docs) == n_markers // 2
    assert len({d.url for d in docs}) == len(docs)
    for d in docs:
        assert d.kind == "feed" and d.path == str(SEED)
        assert d.title and d.text.startswith(d.title + "\n\n")
        assert not re.search(r"[\u3000-\u9fff]", d.title)  # spam prefix left out
        assert d.url.startswith("http") and d.url in original and not d.url.endswith("#comments")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", d.date)
        assert "]]>" not in d.text
        assert len(d.text) > 500
        _assert_maps_back(d, original)


# --- hostile feeds -------------------------------------------------------------------------------------------

def _nested_item(depth: int, cdata: bool) -> bytes:
    desc = "<div>" * depth + "Camden Council was rated good." + "</div>" * depth
    if cdata:
        desc = f"<![CDATA[{desc}]]>"
    return (f'<?xml version="1.0"?><rss><channel><item><title>Deep</title><description>{desc}</description>'
            "</item></channel></rss>").encode()


@pytest.mark.parametrize("cdata", [False, True], ids=["elements", "cdata"])
def test_a_deeply_nested_description_is_read_without_recursion(cdata):
    [doc] = read(_nested_item(1500, cdata))  # ElementTree's writer recursed once per level: RecursionError
    assert doc.text == "Deep\n\nCamden Council was rated good."


@pytest.mark.parametrize("cdata", [False, True], ids=["elements", "cdata"])
def test_a_description_nested_past_the_limit_is_a_read_error(cdata):
    with pytest.raises(ReadError, match="markup in feed <bytes> nests its elements too deeply"):
        read(_nested_item(5000, cdata))
    with pytest.raises(ReadError, match="max_depth"):
        read(_nested_item(300, cdata), limits=Limits(max_depth=200))


def test_a_flat_feed_on_one_line_finds_its_line_bounds_once(monkeypatch):
    """Dates on one giant line: the line's bounds come from one list of the text's newlines, not from two scans
    of the line per date (which made the reader quadratic). Counted, not timed: the benchmark times it."""
    from carextract.reading import feed

    calls = []
    real = feed.occurrences
    monkeypatch.setattr(feed, "occurrences", lambda *a: calls.append(a[1:]) or real(*a))
    item = "Camden rated good https://news.example.com/{0}/ Tue, 01 Oct 2024 09:05:10 +0000 "
    line = "".join(item.format(i) for i in range(3000))
    assert parse_flat_feed(line + "\nBody\n]]>\n") == parse_flat_feed(line + "\nBody\n]]>\n")
    assert calls == [("\n",), ("\n",)]  # once per parse, whatever the number of dates

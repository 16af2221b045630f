"""Feeds: RSS 2.0 / RSS 1.0 (RDF) / Atom XML, and the flattened text of a feed ("flat feed").

XML is parsed with defusedxml (the ElementTree API with entity/DTD attacks refused): one SourceDocument
per item. A flat feed is what remains when a WordPress-style RSS document is copied as text with its tags
stripped: each item is a line "TITLE URL [URL URL#comments] RFC-822-DATE [GUID-URL]", a summary, a line
"]]>", the article body, a line "]]>" and trailing URLs/credits. It is split into one document per item
whose text is "title + blank line + body", each piece an exact slice of the file (``to_original`` maps it).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.entities import html5 as _HTML5

from bisect import bisect_left
from xml.sax.saxutils import escape as _escape, quoteattr as _quoteattr

from ..errors import ReadError
from ..segment import occurrences, trim
from .document import OffsetMap, OffsetMapBuilder, SourceDocument, iso_date
from .limits import DEFAULT_LIMITS, Limits
from .plain import decode_bytes, normalize_newlines

__all__ = ["looks_like_flat_feed", "parse_flat_feed", "parse_xml_feed", "read_feed"]


def _where(path: str | None) -> str:
    return path if path is not None else "<bytes>"


# --- XML feeds ---------------------------------------------------------------------------------------------

_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_MARKUP_RE = re.compile(r"<[A-Za-z/!]|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_XML_DECL_RE = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._\-]{1,40})["']""")
_XML_DECL_STR_RE = re.compile(r"^\s*<\?xml[^>]{0,200}\?>")
_NAMED_ENTITY_RE = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(elem: ET.Element, *names: str, ns: str | None = None) -> ET.Element | None:
    for name in names:
        for c in elem:
            if _local(c.tag) == name and (ns is None or c.tag == f"{{{ns}}}{name}"):
                return c
    return None


def _elem_text(elem: ET.Element | None) -> str | None:
    if elem is None:
        return None
    return "".join(elem.itertext())


def _parse_xml(data: bytes, path: str | None) -> ET.Element:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:
        raise ReadError(f"refusing unsafe XML in {_where(path)}: {type(e).__name__} "
                        "(entity declarations and external references are not allowed)") from e
    except ET.ParseError as e:
        first_error = e
    # Common in the wild: HTML entities (&nbsp;, &rsquo;) or a wrong/missing encoding declaration.
    m = _XML_DECL_RE.match(data)
    text = None
    if m:
        try:
            text = data.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = decode_bytes(data, path)[0]
    text = _XML_DECL_STR_RE.sub("", text.lstrip("\ufeff"), count=1)

    def entity(m: re.Match) -> str:
        name = m.group(1)
        if name in _XML_ENTITIES or name + ";" not in _HTML5:
            return m.group(0)
        return "".join(f"&#{ord(c)};" for c in _HTML5[name + ";"])

    text = _NAMED_ENTITY_RE.sub(entity, text)
    try:
        return fromstring(text, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:  # pragma: no cover - caught on the first attempt
        raise ReadError(f"refusing unsafe XML in {_where(path)}: {type(e).__name__}") from e
    except ET.ParseError:
        raise ReadError(f"malformed feed XML in {_where(path)}: {first_error}") from first_error


def _markup_to_text(s: str, max_depth: int = DEFAULT_LIMITS.max_depth, where: str = "<bytes>") -> str:
    from .html import html_to_text

    return html_to_text(s, max_depth=max_depth, where=f"markup in feed {where}").text


def _markup_of(elem: ET.Element) -> str:
    """The markup inside `elem` (its text, children and their tails), written out without recursion:
    ElementTree's own writer recurses once per level and fails on 1,000 nested elements."""
    out = [_escape(elem.text or "")]
    stack: list[tuple[ET.Element, bool]] = [(c, False) for c in reversed(elem)]
    while stack:
        e, closing = stack.pop()
        if closing:
            out.append(f"</{e.tag}>")
            out.append(_escape(e.tail or ""))
            continue
        if not isinstance(e.tag, str):  # a comment or processing instruction: only its tail is text
            out.append(_escape(e.tail or ""))
            continue
        attrs = "".join(f" {k}={_quoteattr(v)}" for k, v in e.attrib.items())
        out.append(f"<{e.tag}{attrs}>")
        out.append(_escape(e.text or ""))
        stack.append((e, True))
        stack.extend((c, False) for c in reversed(e))
    return "".join(out)


def _plain_block(s: str) -> str:
    """Text without markup: normalise line endings, strip each line, keep paragraph breaks."""
    lines = [" ".join(line.split()) for line in s.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out: list[str] = []
    blank = False
    for line in lines:
        if line:
            if out:
                out.append("\n\n" if blank else "\n")
            out.append(line)
            blank = False
        else:
            blank = True
    return "".join(out)


def _content_text(elem: ET.Element | None, max_depth: int = DEFAULT_LIMITS.max_depth,
                  where: str = "<bytes>") -> str:
    if elem is None:
        return ""
    if len(elem):  # Atom type="xhtml": inline elements
        for e in elem.iter():
            if isinstance(e.tag, str):
                e.tag = _local(e.tag)
            for k in list(e.attrib):
                if "}" in k:
                    del e.attrib[k]
        return _markup_to_text(_markup_of(elem), max_depth, where)
    s = elem.text or ""
    if _MARKUP_RE.search(s):
        return _markup_to_text(s, max_depth, where)
    return _plain_block(s)


def _title_text(elem: ET.Element | None, max_depth: int = DEFAULT_LIMITS.max_depth,
                where: str = "<bytes>") -> str | None:
    s = _elem_text(elem)
    if not s:
        return None
    if _MARKUP_RE.search(s):
        s = _markup_to_text(s, max_depth, where)
    s = " ".join(s.split())
    return s or None


def _link(item: ET.Element) -> str | None:
    best = None
    for c in item:
        if _local(c.tag) != "link":
            continue
        href = c.get("href")
        if href:  # Atom
            if c.get("rel") in (None, "alternate"):
                return href.strip()
            best = best or href.strip()
        elif c.text and c.text.strip():  # RSS
            return c.text.strip()
    if best:
        return best
    guid = _child(item, "guid")
    if guid is not None and guid.text and guid.text.strip().startswith(("http://", "https://")) \
            and guid.get("isPermaLink", "true") != "false":
        return guid.text.strip()
    return None


def _items(root: ET.Element) -> list[ET.Element]:
    name = _local(root.tag)
    if name == "feed":
        return [c for c in root if _local(c.tag) == "entry"]
    if name == "rss":
        channel = _child(root, "channel")
        return [c for c in (channel if channel is not None else root) if _local(c.tag) == "item"]
    if name == "RDF":
        return [c for c in root if _local(c.tag) == "item"]
    return []


def parse_xml_feed(data: bytes, path: str | None = None, *, limits: Limits | None = None) -> list[SourceDocument]:
    """One 'feed' SourceDocument per RSS item / Atom entry (text = title, blank line, content as text).

    Entity (and hence "billion laughs") declarations raise ReadError before any expansion happens.
    Positions cannot be mapped back to the XML (``to_original`` returns None).
    """
    max_depth = (limits or DEFAULT_LIMITS).max_depth
    where = _where(path)
    root = _parse_xml(data, path)
    if _local(root.tag) not in ("rss", "feed", "RDF"):
        raise ReadError(f"{_where(path)} is XML but not an RSS or Atom feed (root <{_local(root.tag)}>)")
    docs = []
    for item in _items(root):
        title = _title_text(_child(item, "title"), max_depth, where)
        content = _child(item, "encoded", ns=_CONTENT_NS)
        if content is None or not (content.text or len(content)):
            content = _child(item, "content", "description", "summary")
        body = _content_text(content, max_depth, where).strip()
        date = None
        for name in ("pubDate", "published", "date", "issued", "updated", "modified"):
            d = _child(item, name)
            if d is not None and d.text:
                date = iso_date(d.text)
                if date:
                    break
        text = "\n\n".join(p for p in (title, body) if p)
        if not text:
            continue
        docs.append(SourceDocument(text=text, kind="feed", path=path, title=title, url=_link(item), date=date,
                                   offsets_exact=False))
    return docs


# --- flattened feeds ---------------------------------------------------------------------------------------

_RFC822_RE = re.compile(
    r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-3]?[0-9]) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"([12][0-9]{3}) [0-2][0-9]:[0-5][0-9](?::[0-6][0-9])? (?:[+-][0-9]{4}|GMT|UTC?|[ECMP][SD]T|Z)\b")
_CDATA_END_RE = re.compile(r"^[ \t]*\]\]>[ \t]*$", re.M)
_TOKEN_RE = re.compile(r"\S+")
_URL_RE = re.compile(r"https?://[^\s]+\Z")
_CHANNEL_TAIL_RE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z]{2,4})?\s+(?:hourly|daily|weekly|monthly|yearly)\s+[0-9]+\s+")
_MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}
_LOOKBACK = 4000  # an item header's title and URLs fit in this many characters before its date


class _Header:
    __slots__ = ("line_start", "line_end", "title_start", "title_end", "url", "date")

    def __init__(self, line_start, line_end, title_start, title_end, url, date):
        self.line_start, self.line_end = line_start, line_end
        self.title_start, self.title_end = title_start, title_end
        self.url, self.date = url, date


def _is_url(tok: str) -> bool:
    return _URL_RE.match(tok) is not None


def _foreign(tok: str) -> bool:
    """Whether a token holds letters of a non-Latin script (CJK, Cyrillic, ...)."""
    for ch in tok:
        if ch.isalpha() and ord(ch) > 0x024F and not 0x1E00 <= ord(ch) <= 0x1EFF:
            return True
    return False


def _latin_share(s: str) -> float:
    letters = [ch for ch in s if ch.isalpha()]
    if not letters:
        return 0.0
    latin = sum(1 for ch in letters if ord(ch) <= 0x024F or 0x1E00 <= ord(ch) <= 0x1EFF)
    return latin / len(letters)


def _noise_prefix_end(text: str, start: int, end: int) -> int:
    """Where a title really starts: after leading tokens of another script (spam injected in front of
    every item, e.g. CJK gambling ads) when the rest of the title is Latin-script text."""
    toks = [m.span() for m in _TOKEN_RE.finditer(text, start, end)]
    i = 0
    while i < len(toks) - 1:
        tok = text[toks[i][0]:toks[i][1]]
        nxt = text[toks[i + 1][0]:toks[i + 1][1]]
        if _foreign(tok) or (not any(c.isalpha() for c in tok) and _foreign(nxt)):
            i += 1
            continue
        break
    if i and _latin_share(text[toks[i][0]:end]) >= 0.8:
        return toks[i][0]
    return start


def _headers(text: str) -> list[_Header]:
    """Item header lines: '... TITLE URL [URL...] DATE [URL...]' (the line may start with channel data)."""
    out: list[_Header] = []
    prev_end_on_line = -1
    prev_line = -1
    newlines: list[int] | None = None
    for m in _RFC822_RE.finditer(text):
        if newlines is None:  # the line bounds of every date from one list, not two scans of its line per date
            newlines = list(occurrences(text, "\n"))
        k = bisect_left(newlines, m.start())
        line_start = newlines[k - 1] + 1 if k else 0
        line_end = newlines[k] if k < len(newlines) else len(text)
        window_start = max(line_start, m.start() - _LOOKBACK)
        after_date_boundary = False
        if prev_line == line_start and prev_end_on_line > window_start:
            window_start, after_date_boundary = prev_end_on_line, True
        prev_line, prev_end_on_line = line_start, m.end()
        after = []
        for t in _TOKEN_RE.finditer(text, m.end(), line_end):
            after.append(t.group(0))
            if len(after) > 3:
                break
        if len(after) > 3 or not all(_is_url(t) for t in after):
            continue
        toks = [t.span() for t in _TOKEN_RE.finditer(text, window_start, m.start())]
        j = len(toks)
        while j and _is_url(text[toks[j - 1][0]:toks[j - 1][1]]):
            j -= 1
        n_urls = len(toks) - j
        if not n_urls or not j:
            continue
        i = j
        while i and not _is_url(text[toks[i - 1][0]:toks[i - 1][1]]):
            i -= 1
        title_start, title_end = toks[i][0], toks[j - 1][1]
        if after_date_boundary or i == 0:
            c = _CHANNEL_TAIL_RE.match(text, title_start, title_end)
            if c and c.end() < title_end:
                title_start = c.end()
        title_start = _noise_prefix_end(text, title_start, title_end)
        url = text[toks[j][0]:toks[j][1]]
        if url.endswith("#comments"):
            url = url[: -len("#comments")]
        date = f"{m.group(3)}-{_MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}"
        out.append(_Header(line_start, line_end, title_start, title_end, url, iso_date(date)))
    return out


def looks_like_flat_feed(text: str) -> bool:
    """True for the flattened-RSS shape: an item header line (title, URL(s), RFC-822 date) followed by a
    line ']]>' (the end of a CDATA section)."""
    cdata = _CDATA_END_RE.search(text)
    if cdata is None:
        return False
    return bool(_headers(text[: cdata.start()]))


def parse_flat_feed(text: str, path: str | None = None, base: OffsetMap | None = None) -> list[SourceDocument]:
    """Split flattened feed text into one 'feed' document per item (see the module docstring).

    ``base`` maps ``text`` to the decoded original (line-ending normalisation); each document's map is
    composed with it, so ``to_original`` gives positions in the file as decoded.
    """
    headers = _headers(text)
    cdata_ends = [m.start() for m in _CDATA_END_RE.finditer(text)]
    docs: list[SourceDocument] = []
    ci = 0
    for k, h in enumerate(headers):
        span_end = headers[k + 1].line_start if k + 1 < len(headers) else len(text)
        while ci < len(cdata_ends) and cdata_ends[ci] < h.line_end:
            ci += 1
        marks = []
        cj = ci
        while cj < len(cdata_ends) and cdata_ends[cj] < span_end and len(marks) < 2:
            marks.append(cdata_ends[cj])
            cj += 1
        body_start = h.line_end
        if len(marks) >= 2:  # summary ]]> body ]]>
            body_start = text.find("\n", marks[0]) + 1 or marks[0]
            body_end = marks[1]
        elif len(marks) == 1:  # summary only
            body_end = marks[0]
        else:
            body_end = span_end
        a, b = trim(text, body_start, body_end)
        if a == b and len(marks) >= 2:  # empty body: fall back to the summary
            a, b = trim(text, h.line_end, marks[0])
        title_start, title_end = h.title_start, h.title_end
        bld = OffsetMapBuilder()
        bld.add(title_end - title_start, title_start)
        parts = [text[title_start:title_end]]
        if b > a:
            parts += ["\n\n", text[a:b]]
            bld.add(2, None)
            bld.add(b - a, a)
        offset_map = bld.build().compose(base)
        docs.append(SourceDocument(text="".join(parts), kind="feed", path=path,
                                   title=" ".join(text[title_start:title_end].split()), url=h.url, date=h.date,
                                   offsets_exact=False, offset_map=offset_map))
    return docs


# --- dispatch ----------------------------------------------------------------------------------------------


def read_feed(data: bytes, path: str | None = None, *, limits: Limits | None = None) -> list[SourceDocument]:
    """XML feeds (first non-blank character '<') are parsed as XML, anything else as a flattened feed."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") or head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"):
        return parse_xml_feed(data, path, limits=limits)
    decoded, _ = decode_bytes(data, path)
    text, base = normalize_newlines(decoded)
    docs = parse_flat_feed(text, path, base)
    if not docs:
        raise ReadError(f"{_where(path)} does not look like a feed: no item with a title, URL and date")
    return docs

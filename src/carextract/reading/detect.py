"""Choose a reader by content (magic bytes, XML root, markup density, flat-feed shape); the file extension
only breaks ties."""

from __future__ import annotations

import codecs
import re
from pathlib import PurePath

__all__ = ["detect"]

SNIFF_BYTES = 65536

_PROLOG_RE = re.compile(r"\s*(?:<\?[^>]*>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\][ \t\r\n]*)?>)", re.S | re.I)
_ROOT_RE = re.compile(r"\s*<([A-Za-z_][\w.:\-]*)")
_HTML_MARK_RE = re.compile(r"<!DOCTYPE\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
_TAG_RE = re.compile(
    r"</?(?:p|div|span|br|hr|a|ul|ol|li|dl|dt|dd|table|thead|tbody|tr|td|th|h[1-6]|strong|em|b|i|u|img|"
    r"section|article|header|footer|nav|main|aside|blockquote|pre|code|figure|figcaption|meta|link|title)"
    r"(?=[\s/>])[^<>]*+>", re.I)
_HTML_EXTS = {".html", ".htm", ".xhtml", ".shtml"}


def _sample_text(data: bytes) -> str:
    sample = data[:SNIFF_BYTES]
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if sample.startswith(bom):
            return sample[len(bom):].decode(enc, errors="replace")
    return sample.decode("utf-8", errors="replace").lstrip("\ufeff")


def _root_element(text: str) -> str | None:
    pos = 0
    for _ in range(50):  # the XML declaration, comments, a doctype
        m = _PROLOG_RE.match(text, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    m = _ROOT_RE.match(text, pos)
    return m.group(1) if m else None


def detect(data: bytes, path: str | None = None) -> str:
    """'pdf', 'feed', 'html' or 'plain' for the bytes of a source (``path`` only for its extension).

    * '%PDF-' in the first 1024 bytes, or a '.pdf' extension (the PDF reader then reports a non-PDF) -> pdf
    * an XML root element <rss>, <feed> (Atom) or <rdf:RDF> -> feed
    * '<html', '<!DOCTYPE html', <head>/<body>, dense HTML tags, or other XML (for its text content) -> html
    * a flattened feed (item lines with title, URL(s) and an RFC-822 date, then ']]>' lines) -> feed
    * anything else -> plain
    """
    ext = PurePath(path).suffix.lower() if path else ""
    if b"%PDF-" in data[:1024] or ext == ".pdf":
        return "pdf"
    text = _sample_text(data)
    root = _root_element(text)
    if root is not None:
        local = root.rsplit(":", 1)[-1]
        if local in ("rss", "feed", "RDF"):
            return "feed"
        if local.lower() == "html" or text.lstrip().startswith("<?xml"):
            return "html"  # other XML: its text content, without the tags
    if _HTML_MARK_RE.search(text):
        return "html"
    n_tags = 0
    tag_chars = 0
    for m in _TAG_RE.finditer(text):
        n_tags += 1
        tag_chars += m.end() - m.start()
        if n_tags >= 20:
            break
    if n_tags >= 20 or (n_tags >= 2 and tag_chars >= 0.05 * max(len(text), 1)) or (n_tags and ext in _HTML_EXTS):
        return "html"
    from .feed import looks_like_flat_feed

    if looks_like_flat_feed(text.replace("\r\n", "\n").replace("\r", "\n")):
        return "feed"
    return "plain"

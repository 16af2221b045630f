"""HTML: visible text with paragraph structure, plus an exact map from text positions to the raw source.

The DOM comes from selectolax's lexbor parser (a fast, spec-following HTML5 parser: it repairs broken
markup exactly as browsers do). lexbor does not report source positions, so a small linear scanner
(``_scan``) decodes the character data of the raw source in order (skipping tags, comments, doctypes,
the bodies of script/style) into one string ``D`` with the source position of every character; each DOM
text node is then found in ``D`` just after the previous one. Nodes the parser moved (rare: stray text
inside tables) simply stay unmapped.
"""

from __future__ import annotations

import codecs
import re
from array import array
from html import unescape as _unescape
from html.entities import html5 as _HTML5
from typing import NamedTuple

from ..errors import ReadError
from .document import OffsetMap, OffsetMapBuilder, SourceDocument, iso_date
from .limits import DEFAULT_LIMITS, Limits, exceeded
from .plain import decode_bytes, text_document

__all__ = ["HtmlText", "decode_html", "html_to_text", "nesting_depth", "read_html"]

# --- decoding ---------------------------------------------------------------------------------------------

_META_CHARSET_RE = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{1,40})""", re.I)
_LATIN1_LABELS = {"latin_1", "iso8859-1", "ascii", "iso8859_1"}


def decode_html(data: bytes, path: str | None = None) -> str:
    """Decode HTML bytes: byte-order mark, then a <meta charset> in the first 1024 bytes, then the plain
    text chain (UTF-8, cp1252, Latin-1, charset-normalizer). Latin-1/ASCII labels mean cp1252 (WHATWG)."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        m = _META_CHARSET_RE.search(data, 0, 1024)
        if m:
            try:
                enc = codecs.lookup(m.group(1).decode("ascii")).name
            except LookupError:
                enc = None
            if enc and not enc.startswith("utf-16") and not enc.startswith("utf-32"):
                if enc in _LATIN1_LABELS:
                    enc = "cp1252"
                try:
                    return data.decode(enc)
                except UnicodeDecodeError:
                    pass
    return decode_bytes(data, path)[0]


# --- scanning the raw source into decoded character data with positions -----------------------------------

_TAG_RE = re.compile(r"""<(/?)([A-Za-z][^\s/>]*+)(?:[^>"']++|"[^"]*+"|'[^']*+')*+>""")
_SPECIAL_RE = re.compile(r"[&\r\x00]")
_ENTITY_RE = re.compile(r"&(?:#[xX][0-9A-Fa-f]+;?|#[0-9]+;?|[A-Za-z][A-Za-z0-9]*;?)")
_RAWTEXT = {"script", "style", "xmp", "iframe", "noembed", "noframes"}
_RCDATA = {"title", "textarea"}
_END_RES: dict[str, re.Pattern] = {}


def _end_re(name: str) -> re.Pattern:
    r = _END_RES.get(name)
    if r is None:
        r = _END_RES[name] = re.compile(r"</" + re.escape(name) + r"(?=[\s/>])", re.I)
    return r


def _decode_entity(ent: str) -> tuple[str, int]:
    """(decoded text, number of source characters consumed) for an '&...' match; ('', 0): not an entity."""
    if ent[1] == "#":
        return _unescape(ent), len(ent)
    name = ent[1:]
    if name.endswith(";") and name in _HTML5:
        return _HTML5[name], len(ent)
    # legacy entities without ';' ("&copy", "&amp"): the longest known prefix
    for k in range(min(len(name), 32), 1, -1):
        if name[:k] in _HTML5:
            return _HTML5[name[:k]], k + 1
    return "", 0


class _Data:
    """Decoded character data of the source (``text``) and each character's source position (``pos``)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = array("q")

    def literal(self, src: str, a: int, b: int) -> None:
        if b > a:
            self.parts.append(src[a:b])
            self.pos.extend(range(a, b))

    def char(self, s: str, at: int) -> None:
        self.parts.append(s)
        self.pos.extend([at] * len(s))

    def data(self, src: str, a: int, b: int, entities: bool = True) -> None:
        pos = a
        special = _SPECIAL_RE if entities else _RAW_SPECIAL_RE
        for m in special.finditer(src, a, b):
            i = m.start()
            if i < pos:  # inside an entity already consumed
                continue
            self.literal(src, pos, i)
            c = src[i]
            if c == "&":
                em = _ENTITY_RE.match(src, i, b)
                dec, n = _decode_entity(em.group(0)) if em else ("", 0)
                if n:
                    self.char(dec, i)
                    pos = i + n
                else:
                    self.char("&", i)
                    pos = i + 1
            elif c == "\r":
                self.char("\n", i)
                pos = i + 2 if src.startswith("\n", i + 1) and i + 1 < b else i + 1
            else:  # NUL: dropped from data, U+FFFD in raw text
                if not entities:
                    self.char("\ufffd", i)
                pos = i + 1
        self.literal(src, pos, b)

    def build(self) -> tuple[str, array]:
        return "".join(self.parts), self.pos


_RAW_SPECIAL_RE = re.compile(r"[\r\x00]")


def _scan(src: str) -> tuple[str, array]:
    """Linear scan of raw HTML: (decoded character data, source position of each of its characters)."""
    d = _Data()
    n = len(src)
    pos = 0
    while pos < n:
        i = src.find("<", pos)
        if i < 0:
            d.data(src, pos, n)
            break
        d.data(src, pos, i)
        if src.startswith("<!--", i):
            if src.startswith("<!-->", i):
                pos = i + 5
            elif src.startswith("<!--->", i):
                pos = i + 6
            else:
                j = src.find("-->", i + 4)
                pos = n if j < 0 else j + 3
        elif src.startswith(("<!", "<?"), i):
            j = src.find(">", i + 2)
            pos = n if j < 0 else j + 1
        elif src.startswith("</", i):
            c = src[i + 2: i + 3]
            if c.isascii() and c.isalpha():
                m = _TAG_RE.match(src, i)
                pos = n if m is None else m.end()
            elif c == ">":
                pos = i + 3
            else:
                j = src.find(">", i + 2)
                pos = n if j < 0 else j + 1
        else:
            c = src[i + 1: i + 2]
            if not (c.isascii() and c.isalpha()):
                d.char("<", i)
                pos = i + 1
                continue
            m = _TAG_RE.match(src, i)
            if m is None:  # unclosed tag: it runs to the end of input
                break
            pos = m.end()
            name = m.group(2).lower()
            if name in _RAWTEXT or name in _RCDATA:
                e = _end_re(name).search(src, pos)
                end = n if e is None else e.start()
                d.data(src, pos, end, entities=name in _RCDATA)
                pos = end
            elif name == "plaintext":
                d.data(src, pos, n, entities=False)
                break
    return d.build()


class _Aligner:
    """Finds each DOM text node in the scanned data, in document order."""

    WINDOW = 4096

    def __init__(self, src: str) -> None:
        self.data, self.pos = _scan(src)
        self.cursor = 0
        self.budget = 8 * len(self.data) + 65536  # total characters unbounded searches may scan

    def find(self, t: str) -> int:
        """Index in ``data`` where ``t`` starts, or -1."""
        d = self.data
        k = d.find(t, self.cursor, self.cursor + len(t) + self.WINDOW)
        if k < 0 and self.budget > 0:
            self.budget -= len(d) - self.cursor
            k = d.find(t, self.cursor)
        if k >= 0:
            self.cursor = k + len(t)
        return k


# --- the DOM walk ------------------------------------------------------------------------------------------

_SKIP = {"script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe", "object", "embed",
         "canvas", "audio", "video", "map", "select", "datalist", "textarea"}
_PARA = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article", "table", "ul", "ol", "dl",
         "header", "footer", "main", "nav", "aside", "figure", "pre", "hr", "form", "fieldset", "address",
         "details", "hgroup", "menu", "item", "entry"}
_LINE = {"div", "li", "tr", "dt", "dd", "caption", "figcaption", "summary", "legend", "center", "option",
         "thead", "tbody", "tfoot",
         # the elements of an RSS or Atom feed given as a string: each on a line of its own
         "description", "content", "pubdate", "published", "updated", "guid", "category", "author", "subtitle"}
_CELLS = {"td", "th"}
_WS = " \t\n\r\f\xa0"
_WORD_RE = re.compile(r"[^ \t\n\r\f\xa0]+")
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


class _Writer:
    def __init__(self, aligner: _Aligner) -> None:
        self.al = aligner
        self.parts: list[str] = []
        self.map = OffsetMapBuilder()
        self.at_line_start = True
        self.pending_break = 0
        self.pending_space = False
        self.space_origin: int | None = None
        self.pending_tabs = 0
        self.pending_prefix = ""
        self.cell_depth = 0
        self.pre_depth = 0

    # structure requests
    def request_break(self, level: int) -> None:
        if self.cell_depth:
            self.request_space(None)
            return
        if self.map.length:
            self.pending_break = max(self.pending_break, level)

    def br(self) -> None:
        if self.cell_depth:
            self.request_space(None)
        elif self.map.length:
            self.pending_break = min(2, self.pending_break + 1)

    def request_space(self, origin: int | None) -> None:
        if not self.pending_space:
            self.pending_space = True
            self.space_origin = origin

    def _emit(self, s: str, origin: int | None) -> None:
        self.parts.append(s)
        self.map.add(len(s), origin)

    def _flush(self) -> None:
        if self.pending_break and self.map.length:
            self._emit("\n" * self.pending_break, None)
            self.at_line_start = True
            self.pending_space = False
        self.pending_break = 0
        if self.pending_tabs:
            self._emit("\t" * self.pending_tabs, None)
            self.pending_tabs = 0
            self.at_line_start = False
            self.pending_space = False
        if self.at_line_start and self.pending_prefix:
            self._emit(self.pending_prefix, None)
            self.at_line_start = False
            self.pending_space = False
        self.pending_prefix = ""
        if self.pending_space and not self.at_line_start:
            self._emit(" ", self.space_origin)
        self.pending_space = False

    def _word(self, t: str, s: int, e: int, k: int) -> None:
        self._flush()
        self.parts.append(t[s:e])
        if k < 0:
            self.map.add(e - s, None)
        else:
            pos = self.al.pos
            a, b = pos[k + s], pos[k + e - 1]
            if b - a == e - s - 1:
                self.map.add(e - s, a)
            else:
                for j in range(k + s, k + e):
                    self.map.add(1, pos[j])
        self.at_line_start = False

    def text(self, t: str) -> None:
        if not t:
            return
        if self.pre_depth:
            self._pre_text(t)
            return
        if not t.strip(_WS):
            self.request_space(None)
            return
        k = self.al.find(t)
        prev_end = 0
        for m in _WORD_RE.finditer(t):
            s, e = m.span()
            if s > prev_end:
                self.request_space(self.al.pos[k + prev_end] if k >= 0 else None)
            self._word(t, s, e, k)
            prev_end = e
        if prev_end < len(t):
            self.request_space(self.al.pos[k + prev_end] if k >= 0 else None)

    def _pre_text(self, t: str) -> None:
        k = self.al.find(t)
        start = 0
        for line_end in [*(m.start() for m in re.finditer("\n", t)), len(t)]:
            if line_end > start:
                self._word(t, start, line_end, k)
            if line_end < len(t):
                self._flush()
                self.parts.append("\n")
                self.map.add(1, self.al.pos[k + line_end] if k >= 0 else None)
                self.at_line_start = True
            start = line_end + 1

    def result(self) -> tuple[str, OffsetMap]:
        return "".join(self.parts), self.map.build()


# page chrome around the article: menus, sidebars of related stories, footers, cookie banners. Their
# headlines ("Somerset rated good") are other documents' news, not this page's.
_CHROME_TAGS = {"nav", "aside", "footer"}
_CHROME_ROLES = {"navigation", "complementary", "contentinfo", "banner", "search"}
_CHROME_CLASS_RE = re.compile(r"(?:^|[\s_-])(?:cookie|consent|sidebar|related|share|sharing|social|newsletter|"
                              r"breadcrumbs?|menu|promo|advert|ads|subscribe|comments?)(?:$|[\s_-])", re.I)


def _chrome(tag: str, attrs: dict) -> bool:
    if tag in _CHROME_TAGS or (attrs.get("role") or "").lower() in _CHROME_ROLES:
        return True
    names = " ".join(str(attrs.get(k) or "") for k in ("class", "id"))
    return bool(names) and _CHROME_CLASS_RE.search(names) is not None


def _hidden(attrs: dict) -> bool:
    if "hidden" in attrs:
        return True
    style = attrs.get("style")
    return bool(style) and _HIDDEN_STYLE_RE.search(style) is not None


def _sync_skipped(node, aligner: _Aligner) -> None:
    """Consume the text of a skipped subtree so later nodes are not found inside it."""
    for sub in node.traverse(include_text=True):
        if sub.tag == "-text":
            t = sub.text_content
            if t and t.strip(_WS):
                aligner.find(t)


def _walk(root, w: _Writer) -> None:
    stack = [(root, False)]
    row_cells: list[int] = []
    while stack:
        node, exiting = stack.pop()
        tag = node.tag
        if exiting:
            if tag in _PARA:
                w.request_break(2)
            elif tag in _LINE:
                w.request_break(1)
            if tag in _CELLS:
                w.cell_depth -= 1
            elif tag == "pre":
                w.pre_depth -= 1
            elif tag == "tr" and row_cells:
                row_cells.pop()
            continue
        if tag == "-text":
            w.text(node.text_content)
            continue
        if tag is None or tag.startswith(("-", "!")):
            continue
        attrs = node.attributes
        if tag == "title" and node.parent is not None and node.parent.tag != "head":
            tag = "h1"  # an RSS or Atom item's <title> (a page's title is in its head): the item's headline
        if tag in _SKIP or _hidden(attrs) or _chrome(tag, attrs):
            _sync_skipped(node, w.al)
            continue
        if tag == "br":
            w.br()
        elif tag in _PARA:
            w.request_break(2)
        elif tag in _LINE:
            w.request_break(1)
        if tag == "li":
            w.pending_prefix = "- "
        elif tag == "tr":
            row_cells.append(0)
            w.pending_tabs = 0
        elif tag in _CELLS:
            if row_cells:
                if row_cells[-1] and not w.cell_depth:
                    w.pending_tabs += 1
                row_cells[-1] += 1
            w.cell_depth += 1
        elif tag == "pre":
            w.pre_depth += 1
        stack.append((node, True))
        children = []
        c = node.child
        while c is not None:
            children.append(c)
            c = c.next
        stack.extend((c, False) for c in reversed(children))


# --- metadata ----------------------------------------------------------------------------------------------

_DATE_META = ("article:published_time", "og:article:published_time", "datepublished", "date", "dc.date",
              "dc.date.issued", "dcterms.date", "dcterms.issued", "dcterms.created", "citation_publication_date",
              "pubdate", "publish_date")


def _collapse(s: str | None) -> str | None:
    if not s:
        return None
    s = " ".join(s.split())
    return s or None


def _metadata(tree) -> tuple[str | None, str | None, str | None]:
    metas: dict[str, str] = {}
    for m in tree.css("meta"):
        a = m.attributes
        key = a.get("property") or a.get("name") or a.get("itemprop")
        content = a.get("content")
        if key and content and key.lower() not in metas:
            metas[key.lower()] = content
    title = _collapse(metas.get("og:title"))
    if title is None:
        for t in tree.css("title"):
            parent = t.parent
            if parent is not None and parent.tag in ("head", "html", "body"):
                title = _collapse(t.text(deep=True))
                if title:
                    break
    url = _collapse(metas.get("og:url"))
    if url is None:
        for link in tree.css("link"):
            a = link.attributes
            if (a.get("rel") or "").lower() == "canonical" and a.get("href"):
                url = a["href"].strip()
                break
    date = None
    for key in _DATE_META:
        if key in metas:
            date = iso_date(metas[key])
            if date:
                break
    return title, url, date


# --- API ---------------------------------------------------------------------------------------------------


class HtmlText(NamedTuple):
    text: str
    offset_map: OffsetMap
    title: str | None
    url: str | None
    date: str | None


# --- nesting, bounded before the parser ---------------------------------------------------------------------

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr keygen command basefont "
                  "bgsound frame image isindex nextid spacer".split())
# elements whose end tag may be left out: the parser closes them itself, so they do not nest without end
_OPTIONAL_END = frozenset("p li dt dd tr td th tbody thead tfoot option optgroup colgroup caption rb rt rtc rp "
                          "html head body".split())
_TAG_START_RE = re.compile(r"<(?:(!--)|(/?)([A-Za-z][^\s/>]*+))")  # a tag's name runs to a space, '/' or '>'
_TAG_REACH = 4096  # characters a start tag's '>' is looked for in (to tell '<br/>'-style self-closing tags)


def nesting_depth(src: str, limit: int | None = None) -> int:
    """How deeply elements nest in `src`, counted from its tags in one pass (end tags the parser would supply
    itself, void and self-closing elements, comments and script bodies do not nest); stops as soon as the depth
    passes `limit`. lexbor's time grows faster than the nesting (100,000 nested elements: over half a minute),
    so the depth is known before it parses."""
    depth = deepest = 0
    pos = 0
    while True:
        m = _TAG_START_RE.search(src, pos)
        if m is None:
            return deepest
        pos = m.end()
        if m.group(1):  # a comment
            end = src.find("-->", pos)
            if end == -1:
                return deepest
            pos = end + 3
            continue
        name = m.group(3).lower()
        if name in _VOID or name in _OPTIONAL_END:
            continue
        if m.group(2):
            depth = depth - 1 if depth else 0
            continue
        if name in _RAWTEXT or name in _RCDATA:  # its body is text: skip to its end tag
            end = _end_re(name).search(src, pos)
            if end is None:
                return deepest
            pos = end.end()
            continue
        gt = src.find(">", pos, pos + _TAG_REACH)
        if gt != -1 and src[gt - 1] == "/":
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if limit is not None and deepest > limit:
                return deepest


def _check_depth(src: str, max_depth: int, where: str) -> None:
    depth = nesting_depth(src, max_depth)
    if depth > max_depth:
        raise ReadError(exceeded(f"{where} nests its elements too deeply", f"more than {max_depth:,} levels",
                                 "max_depth", f"{max_depth:,}"))


def html_to_text(src: str, *, max_depth: int = DEFAULT_LIMITS.max_depth, where: str = "<html>") -> HtmlText:
    """Visible text of an HTML document or fragment, its map back to ``src``, and title/url/date metadata.

    Blocks (p, headings, lists, tables, sections...) are separated by a blank line, div/li/tr/br by a line
    break; list items start with "- "; table cells are tab separated; whitespace inside blocks collapses to
    one space (a no-break space counts as whitespace); <pre> keeps its lines.
    """
    from selectolax.lexbor import LexborHTMLParser

    _check_depth(src, max_depth, where)  # ReadError before a parse that would take minutes
    tree = LexborHTMLParser(src)
    w = _Writer(_Aligner(src))
    root = tree.root
    if root is not None:
        _walk(root, w)
    text, offset_map = w.result()
    title, url, date = _metadata(tree)
    return HtmlText(text, offset_map, title, url, date)


def read_html(data: bytes, path: str | None = None, *, limits: Limits | None = None) -> SourceDocument:
    """One 'html' document; ``to_original`` maps into the decoded HTML source. ReadError when elements nest
    deeper than ``limits.max_depth``."""
    src = decode_html(data, path)
    h = html_to_text(src, max_depth=(limits or DEFAULT_LIMITS).max_depth, where=path or "<bytes>")
    return text_document(h.text, h.offset_map, kind="html", path=path, title=h.title, url=h.url, date=h.date)

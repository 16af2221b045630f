"""Plain text: decode bytes (UTF-8, UTF-8/16/32 with BOM, cp1252, Latin-1, else charset-normalizer) and
normalise line endings, keeping a map back to the decoded original."""

from __future__ import annotations

import codecs
import re

from ..errors import ReadError
from .document import OffsetMap, OffsetMapBuilder, SourceDocument

__all__ = ["decode_bytes", "normalize_newlines", "read_plain", "text_document"]

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls other than \t \n \v \f \r, and DEL: a few are tolerated, many mean "not text"
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_NEWLINE_RE = re.compile(r"\r\n?")


def _where(path: str | None) -> str:
    return path if path is not None else "<bytes>"


def _looks_like_text(text: str) -> bool:
    """Few control characters: a stray NUL or two (a form's padding, a bad copy) is tolerated as other controls
    are, while UTF-16 read as UTF-8 (a NUL in every other character) or binary data is not text."""
    if not text:
        return True
    n_bad = sum(1 for _ in _CONTROL_RE.finditer(text, 0, 65536))
    return n_bad <= max(2, min(len(text), 65536) // 100)


def _few_nuls(data: bytes) -> bool:
    """Whether NUL bytes are rare enough to be stray ones, not the zero halves of UTF-16 or UTF-32 code units
    (English text in UTF-16 has a NUL in every other byte)."""
    return data.count(b"\x00", 0, 65536) <= max(2, min(len(data), 65536) // 100)


def _ascii_ratio(data: bytes) -> float:
    if not data:
        return 1.0
    sample = data[:65536]
    return sum(1 for b in sample if b < 0x80) / len(sample)


def decode_bytes(data: bytes, path: str | None = None) -> tuple[str, str]:
    """(text, encoding name). A byte-order mark is removed; line endings are left as they are.

    Order: BOM; UTF-8; for mostly-ASCII bytes cp1252 then Latin-1 (English text that is not UTF-8 is almost
    always Windows-1252; Latin-1 agrees with it on every printable byte); otherwise charset-normalizer's
    best guess. Binary data (NUL bytes, many control characters) raises ReadError.
    """
    tried: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            tried.append(enc + " (BOM)")
            try:
                text = data[len(bom):].decode(enc)
            except UnicodeDecodeError:
                break
            if _looks_like_text(text):
                return text, enc
            break
    tried.append("utf-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_like_text(text):
        return text, "utf-8"
    has_nul = b"\x00" in data and not _few_nuls(data)  # a stray NUL must not send the text to UTF-16
    if not has_nul and _ascii_ratio(data) >= 0.9:
        for enc in ("cp1252", "latin-1"):
            tried.append(enc)
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return text, enc
    tried.append("charset-normalizer")
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        best = None
    else:
        best = from_bytes(data).best()
    if best is not None and not (best.encoding.startswith(("utf_16", "utf_32")) and _few_nuls(data)):
        # (UTF-16 without a byte-order mark picked for bytes with a stray NUL is mojibake: refused here)
        text = str(best)
        if _looks_like_text(text):
            return text, best.encoding
    raise ReadError(f"cannot decode {_where(path)} as text (binary data?); tried {', '.join(tried)}")


def normalize_newlines(text: str) -> tuple[str, OffsetMap | None]:
    """Replace '\\r\\n' and lone '\\r' by '\\n'. The map is None when nothing changed."""
    if "\r" not in text:
        return text, None
    b = OffsetMapBuilder()
    parts: list[str] = []
    pos = 0
    for m in _NEWLINE_RE.finditer(text):
        if m.start() > pos:
            parts.append(text[pos:m.start()])
            b.add(m.start() - pos, pos)
        parts.append("\n")
        b.add(1, m.start())
        pos = m.end()
    if pos < len(text):
        parts.append(text[pos:])
        b.add(len(text) - pos, pos)
    return "".join(parts), b.build()


def text_document(text: str, offset_map: OffsetMap | None, **meta) -> SourceDocument:
    """A SourceDocument for ``text`` that maps through ``offset_map`` (None: ``text`` is the original)."""
    if offset_map is None:
        return SourceDocument(text=text, offsets_exact=True, origin_start=0, **meta)
    origin = offset_map.single_run_origin
    if origin is not None and offset_map.length == len(text):
        return SourceDocument(text=text, offsets_exact=True, origin_start=origin, offset_map=offset_map, **meta)
    return SourceDocument(text=text, offsets_exact=False, origin_start=None, offset_map=offset_map, **meta)


def read_plain(data: bytes, path: str | None = None) -> SourceDocument:
    """One 'plain' document; ``text`` is the decoded file with normalised line endings."""
    decoded, _encoding = decode_bytes(data, path)
    text, offset_map = normalize_newlines(decoded)
    return text_document(text, offset_map, kind="plain", path=path)

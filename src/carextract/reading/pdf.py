"""PDF (the optional 'pdf' extra): text per page with pypdf, running headers/footers and page numbers
removed, words hyphenated across line breaks repaired, pages joined by a blank line."""

from __future__ import annotations

import io
import re
import time
from collections import Counter

from ..errors import MissingDependencyError, ReadError
from .document import SourceDocument, iso_date
from .limits import DEFAULT_LIMITS, Limits, exceeded

__all__ = ["clean_pages", "read_pdf"]

EDGE_LINES = 3  # running headers/footers are looked for among the first and last lines of each page

_DIGITS_RE = re.compile(r"[0-9]+")
_PAGE_NUMBER_RE = re.compile(
    r"(?:page\s+)?([0-9]{1,5})(?:\s*(?:of|/)\s*[0-9]{1,5})?|[-\u2013\u2014]\s*([0-9]{1,5})\s*[-\u2013\u2014]", re.I)
_HYPHEN_BREAK_RE = re.compile(r"([^\W\d_])[-\u00ad][ \t]*\n[ \t]*(?=[a-z])")
_BLANK_LINES_RE = re.compile(r"\n{3,}")


def _where(path: str | None) -> str:
    return path if path is not None else "<bytes>"


def _key(line: str) -> str:
    return _DIGITS_RE.sub("#", " ".join(line.split())).lower()


def _edge_indices(lines: list[str]) -> list[int]:
    idx = [i for i, line in enumerate(lines) if line.strip()]
    if len(idx) <= 2 * EDGE_LINES:
        return idx
    return idx[:EDGE_LINES] + idx[-EDGE_LINES:]


def _page_number(line: str) -> int | None:
    m = _PAGE_NUMBER_RE.fullmatch(line.strip())
    if not m:
        return None
    return int(m.group(1) or m.group(2))


def clean_pages(pages: list[str]) -> str:
    """Join page texts: drop lines that repeat (digits ignored) at the top or bottom of most pages, bare page
    numbers at a page's top or bottom that match the page's position, repair hyphenation, blank line between."""
    page_lines = [p.replace("\r\n", "\n").replace("\r", "\n").split("\n") for p in pages]
    n = len(page_lines)
    counts: Counter[str] = Counter()
    for lines in page_lines:
        counts.update({_key(lines[i]) for i in _edge_indices(lines)})
    running = {k for k, c in counts.items() if n >= 2 and c > n / 2 and c >= 2}
    # a consistent offset between printed page numbers and page positions (covers, roman-numbered front matter)
    offsets: Counter[int] = Counter()
    for p, lines in enumerate(page_lines):
        for i in _edge_indices(lines):
            num = _page_number(lines[i])
            if num is not None:
                offsets[num - (p + 1)] += 1
    offset = offsets.most_common(1)[0][0] if offsets else 0
    out: list[str] = []
    for p, lines in enumerate(page_lines):
        drop = set()
        for i in _edge_indices(lines):
            if _key(lines[i]) in running or _page_number(lines[i]) in (p + 1, p + 1 + offset):
                drop.add(i)
        if len(drop) >= len([x for x in lines if x.strip()]):
            # a page made only of "running" lines is a repeated page, not all header and footer: keep its text
            drop = {i for i in drop if _page_number(lines[i]) in (p + 1, p + 1 + offset)}
        kept = [line.rstrip() for i, line in enumerate(lines) if i not in drop]
        text = "\n".join(kept).strip("\n")
        text = _HYPHEN_BREAK_RE.sub(r"\1", text)
        text = _BLANK_LINES_RE.sub("\n\n", text)
        if text.strip():
            out.append(text)
    return "\n\n".join(out)


def _content_bytes(page) -> int:
    """Decompressed bytes of a page's content stream(s) (pypdf caps each stream; the sum over pages is ours)."""
    contents = page.get_contents()
    return 0 if contents is None else len(contents.get_data())


def read_pdf(data: bytes, path: str | None = None, *, limits: Limits | None = None) -> SourceDocument:
    """One 'pdf' document (``offsets_exact`` False; ``to_original`` returns None).

    Bounded by ``limits``: the number of pages, the decompressed bytes of the pages' content streams (counted
    before each page's text is extracted: a page bomb of streams each under pypdf's per-stream cap is
    refused before it is parsed) and the seconds spent; each raises ReadError saying which bound to raise."""
    limits = limits or DEFAULT_LIMITS
    where = _where(path)
    if b"%PDF-" not in data[:1024]:
        raise ReadError(f"{where} is not a PDF (no %PDF- header)")
    reader, pages = _open(data, where, limits)
    text = clean_pages(_page_texts(pages, where, limits))
    if not text.strip():
        raise ReadError(f"no extractable text in PDF {where} (scanned images? run OCR first)")
    title = date = None
    try:
        meta = reader.metadata
        if meta is not None:
            title = " ".join(str(meta.get("/Title") or "").split()) or None
            date = iso_date(meta.get("/CreationDate"))
    except Exception:  # noqa: BLE001 - broken metadata is not worth failing for
        pass
    return SourceDocument(text=text, kind="pdf", path=path, title=title, date=date, offsets_exact=False)


def _open(data: bytes, where: str, limits: Limits):
    """The pypdf reader of a PDF and its pages (unlocked when it opens with an empty password), within the page
    limit."""
    try:
        import pypdf
    except ImportError as e:
        raise MissingDependencyError(
            f"reading PDF files ({where}) needs pypdf: pip install 'carextract[pdf]'") from e
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except Exception as e:  # noqa: BLE001 - unsupported algorithm, missing crypto library
                raise ReadError(f"{where} is an encrypted PDF that cannot be opened: {e}") from e
            if not unlocked:
                raise ReadError(f"{where} is an encrypted PDF that needs a password; decrypt it first")
        n_pages = len(reader.pages)
        if n_pages > limits.max_pdf_pages:
            raise ReadError(exceeded(f"PDF {where} has too many pages", f"{n_pages:,}", "max_pdf_pages",
                                     f"{limits.max_pdf_pages:,}"))
        return reader, list(reader.pages)
    except ReadError:
        raise
    except Exception as e:  # noqa: BLE001 - pypdf raises many types on corrupt files
        raise ReadError(f"cannot read PDF {where}: {type(e).__name__}: {e}") from e


def _page_texts(pages: list, where: str, limits: Limits) -> list[str]:
    """Each page's text, the content bytes and seconds spent checked before and after each page; a page that
    fails reads empty, unless every page fails."""
    texts: list[str] = []
    failures = 0
    content = 0
    started = time.monotonic()
    for number, page in enumerate(pages, start=1):
        try:
            size = _content_bytes(page)
        except Exception:  # noqa: BLE001 - a broken stream: extract_text fails on it below, or reads it empty
            size = 0
        if size > limits.max_pdf_page_bytes:
            raise ReadError(exceeded(f"PDF {where} has a page bomb", f"page {number} decompresses to {size:,} bytes",
                                     "max_pdf_page_bytes", f"{limits.max_pdf_page_bytes:,}"))
        content += size
        if content > limits.max_pdf_content_bytes:
            raise ReadError(exceeded(f"PDF {where} decompresses to too much page content",
                                     f"over {limits.max_pdf_content_bytes:,} bytes by page {number}",
                                     "max_pdf_content_bytes", f"{limits.max_pdf_content_bytes:,}"))
        try:
            texts.append(page.extract_text() or "")
        except Exception:  # noqa: BLE001 - one broken page should not lose the others
            failures += 1
            texts.append("")
        spent = time.monotonic() - started
        if spent > limits.max_pdf_seconds and number < len(pages):
            raise ReadError(exceeded(f"PDF {where} takes too long to read",
                                     f"{spent:.1f} s for {number} of {len(pages)} pages", "max_pdf_seconds",
                                     limits.max_pdf_seconds))
    if pages and failures == len(pages):
        raise ReadError(f"cannot extract text from any page of PDF {where}")
    return texts

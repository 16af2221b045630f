"""The bounds every reader keeps, so that no file (a bomb, a device, a loop) can hang a read or fill memory.

    >>> from carextract.reading import Limits, read
    >>> docs = read(b"<p>Camden was rated good.</p>", limits=Limits(max_depth=100))

Each bound that is passed raises ReadError naming the bound and how to raise it. The defaults are far above
what a real report, page or feed needs.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "Limits"]


@dataclass(frozen=True)
class Limits:
    """Bounds of one read. Pass ``read(path, limits=Limits(max_pdf_pages=5000))``."""

    max_bytes: int = 256 * 2**20
    """bytes of one file or bytes object (a larger one is refused before it is read whole)"""
    max_depth: int = 4096
    """elements nested inside one another in HTML, or in markup inside a feed"""
    max_pdf_pages: int = 2000
    """pages of one PDF"""
    max_pdf_page_bytes: int = 16 * 2**20
    """decompressed bytes of one page's content stream (a page of text holds tens of kilobytes), counted
    before the page is read"""
    max_pdf_content_bytes: int = 128 * 2**20
    """decompressed bytes of all the pages' content streams of one PDF"""
    max_pdf_seconds: float = 120.0
    """seconds spent reading the pages of one PDF (checked after each page)"""
    max_folder_files: int = 100_000
    """files read from one folder by ``read(folder)``"""

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_depth", "max_pdf_pages", "max_pdf_page_bytes", "max_pdf_content_bytes",
                     "max_folder_files"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"Limits.{name} must be a positive int, got {value!r}")
        if not isinstance(self.max_pdf_seconds, (int, float)) or self.max_pdf_seconds < 0:
            raise ValueError(f"Limits.max_pdf_seconds must be a number >= 0, got {self.max_pdf_seconds!r}")


DEFAULT_LIMITS = Limits()


def exceeded(what: str, found: str, name: str, limit: object) -> str:
    """The message of a ReadError for a passed bound."""
    return f"{what}: {found}, over the limit of {limit} (raise it with read(..., limits=Limits({name}=...)))"

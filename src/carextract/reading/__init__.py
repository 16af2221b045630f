"""Input readers: files or bytes -> SourceDocuments (plain text, HTML, RSS/Atom or flattened feeds, PDF).

    >>> from carextract.reading import read
    >>> [doc] = read(b"Camden Council was rated outstanding.")
    >>> doc.kind, doc.text
    ('plain', 'Camden Council was rated outstanding.')

The reader is chosen by content (see :func:`carextract.reading.detect.detect`). A feed gives one document
per item; every other source gives one document. Text itself is not a source: call
``carextract.extract(text)`` for text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputTypeError, ReadError
from .detect import detect
from .document import SourceDocument

__all__ = ["SourceDocument", "detect", "iter_paths", "read"]


def _load(source: object) -> tuple[bytes, str | None]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), None
    if not isinstance(source, (str, os.PathLike)):
        raise InputTypeError.expected("a path or bytes", source, argument="source")
    p = os.fspath(source)
    if isinstance(p, bytes):
        p = os.fsdecode(p)
    path = Path(p)
    try:
        exists = path.exists()
    except (OSError, ValueError):  # embedded NUL, name too long: certainly not a file
        exists = False
    if not exists:
        shown = p if len(p) <= 120 else p[:117] + "..."
        hint = " (read() takes a path or bytes; for text call carextract.extract(text))" \
            if isinstance(source, str) else ""
        raise ReadError(f"path does not exist: {shown!r}{hint}")
    if path.is_dir():
        raise ReadError(f"{p} is a directory; expand folders with carextract.reading.iter_paths")
    try:
        return path.read_bytes(), p
    except OSError as e:
        raise ReadError(f"cannot read {p}: {e.strerror or e}") from e


def read(source: str | os.PathLike | bytes) -> list[SourceDocument]:
    """Read a file (a str or pathlib.Path path) or bytes into SourceDocuments.

    Raises ReadError when the path does not exist, the bytes cannot be decoded, the PDF is broken or
    encrypted, or the XML is unsafe; InputTypeError (a TypeError) for anything but a path or bytes;
    MissingDependencyError for a PDF without the 'pdf' extra installed.
    """
    data, path = _load(source)
    kind = detect(data, path)
    if kind == "pdf":
        from .pdf import read_pdf

        return [read_pdf(data, path)]
    if kind == "feed":
        from .feed import read_feed

        return read_feed(data, path)
    if kind == "html":
        from .html import read_html

        return [read_html(data, path)]
    from .plain import read_plain

    return [read_plain(data, path)]


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(folder: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        raise ReadError(f"cannot list folder {folder}: {e.strerror or e}") from e
    for entry in entries:
        if _hidden(entry.name):
            continue
        p = folder / entry.name
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(p)
        elif entry.is_file():  # regular files and symlinks to files
            yield p


def iter_paths(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> Iterator[Path]:
    """The files to read for some paths: files as given, folders expanded recursively in sorted order,
    skipping hidden files and folders (names starting with '.') and not following symlinked folders.

    A path that does not exist is yielded unchanged, so ``read`` reports it with the others' results.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for raw in paths:
        if not isinstance(raw, (str, os.PathLike)):
            raise InputTypeError.expected("a path", raw, argument="paths")
        p = Path(raw)
        if p.is_dir():
            yield from _walk(p)
        else:
            yield p

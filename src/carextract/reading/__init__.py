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

import errno
import os
import stat
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputTypeError, ReadError
from .detect import detect
from .document import SourceDocument
from .limits import DEFAULT_LIMITS, Limits, exceeded

__all__ = ["Documents", "Limits", "ReadWarning", "SourceDocument", "detect", "iter_paths", "read"]


class ReadWarning(UserWarning):
    """``read`` of a folder skipped some of its entries (listed in the message and in ``Documents.skipped``)."""


class Documents(list):
    """The documents read from a folder (a list), with ``skipped``: (path, reason) for every entry of the
    folder that was not read (not a regular file, a symlink loop, a file that failed to read)."""

    skipped: list[tuple[str, str]]

    def __init__(self, docs: Iterable[SourceDocument] = (), skipped: Iterable[tuple[str, str]] = ()):
        super().__init__(docs)
        self.skipped = list(skipped)


_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _stat(p: str, shown: str, hint: str) -> os.stat_result:
    try:
        return os.stat(p)
    except ValueError:  # an embedded NUL: certainly not a file
        raise ReadError(f"path does not exist: {shown!r}{hint}") from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise ReadError(f"{p} is a symlink loop") from None
        if e.errno in (errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG):
            raise ReadError(f"path does not exist: {shown!r}{hint}") from None
        raise ReadError(f"cannot read {p}: {e.strerror or e}") from None


def _load(source: object, limits: Limits) -> tuple[bytes, str | None]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > limits.max_bytes:
            raise ReadError(exceeded("bytes too large", f"{len(data):,} bytes", "max_bytes", f"{limits.max_bytes:,}"))
        return data, None
    p = _path_of(source)
    shown = p if len(p) <= 120 else p[:117] + "..."
    hint = " (read() takes a path or bytes; for text call carextract.extract(text))" if isinstance(source, str) else ""
    st = _stat(p, shown, hint)
    if stat.S_ISDIR(st.st_mode):
        raise ReadError(f"{p} is a directory; expand folders with carextract.reading.iter_paths")
    if not stat.S_ISREG(st.st_mode):  # a FIFO would block, /dev/zero would fill memory
        raise ReadError(f"{p} is {_kind(st.st_mode)}; read() takes regular files only")
    if st.st_size > limits.max_bytes:
        raise ReadError(exceeded(f"{p} is too large", f"{st.st_size:,} bytes", "max_bytes", f"{limits.max_bytes:,}"))
    try:
        with open(p, "rb") as f:
            data = f.read(limits.max_bytes + 1)  # (a file that grows while it is read is still bounded)
    except OSError as e:
        raise ReadError(f"cannot read {p}: {e.strerror or e}") from e
    if len(data) > limits.max_bytes:
        raise ReadError(exceeded(f"{p} is too large", f"over {limits.max_bytes:,} bytes", "max_bytes",
                                 f"{limits.max_bytes:,}"))
    return data, p


def _path_of(source: object) -> str:
    if not isinstance(source, (str, os.PathLike)):
        raise InputTypeError.expected("a path or bytes", source, argument="source")
    p = os.fspath(source)
    return os.fsdecode(p) if isinstance(p, bytes) else p


def read(source: str | os.PathLike | bytes, *, limits: Limits | None = None) -> list[SourceDocument]:
    """Read a file (a str or pathlib.Path path), a folder or bytes into SourceDocuments.

    A folder is read recursively (hidden entries left out, symlinked folders not followed): the result is a
    `Documents` list whose ``skipped`` names every entry not read and why (a FIFO, a device, a symlink loop, a
    file that failed to read), also given as one `ReadWarning`.

    Raises ReadError when the path does not exist or is no regular file, the bytes cannot be decoded, the PDF
    is broken or encrypted, the XML is unsafe, or a bound of `limits` (size, nesting, PDF pages, decompressed
    bytes and time; see `Limits`) is passed; InputTypeError (a TypeError) for anything but a path or bytes;
    MissingDependencyError for a PDF without the 'pdf' extra installed.
    """
    limits = DEFAULT_LIMITS if limits is None else limits
    if not isinstance(limits, Limits):
        raise InputTypeError.expected("a carextract.reading.Limits", limits, argument="limits")
    if not isinstance(source, (bytes, bytearray, memoryview)):
        p = _path_of(source)
        try:
            folder = os.path.isdir(p)
        except ValueError:
            folder = False
        if folder:
            return _read_folder(Path(p), limits)
    data, path = _load(source, limits)
    return _READERS[detect(data, path)](data, path, limits)


def _read_pdf(data: bytes, path: str | None, limits: Limits) -> list[SourceDocument]:
    from .pdf import read_pdf

    return [read_pdf(data, path, limits=limits)]


def _read_feed(data: bytes, path: str | None, limits: Limits) -> list[SourceDocument]:
    from .feed import read_feed

    return read_feed(data, path, limits=limits)


def _read_html(data: bytes, path: str | None, limits: Limits) -> list[SourceDocument]:
    from .html import read_html

    return [read_html(data, path, limits=limits)]


def _read_plain(data: bytes, path: str | None, limits: Limits) -> list[SourceDocument]:
    from .plain import read_plain

    return [read_plain(data, path)]


# what `detect` says a source is -> its reader (each imported on first use)
_READERS = {"pdf": _read_pdf, "feed": _read_feed, "html": _read_html, "plain": _read_plain}


def _read_folder(folder: Path, limits: Limits) -> Documents:
    out = Documents()
    n = 0
    for p in iter_paths([folder], skipped=out.skipped):
        n += 1
        if n > limits.max_folder_files:
            out.skipped.append((str(folder), exceeded("too many files", f"more than {limits.max_folder_files:,}",
                                                      "max_folder_files", f"{limits.max_folder_files:,}")))
            break
        try:
            out.extend(read(p, limits=limits))
        except (ReadError, ImportError) as e:  # a bad file, or a PDF without the pdf extra: listed, not fatal
            out.skipped.append((str(p), str(e)))
    if out.skipped:
        listed = "; ".join(f"{p}: {why}" for p, why in out.skipped[:20])
        more = f"; and {len(out.skipped) - 20} more" if len(out.skipped) > 20 else ""
        warnings.warn(f"read({str(folder)!r}) skipped {len(out.skipped)} entries: {listed}{more}", ReadWarning,
                      stacklevel=3)
    return out


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(folder: Path, skipped: list | None) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        if skipped is None:
            raise ReadError(f"cannot list folder {folder}: {e.strerror or e}") from e
        skipped.append((str(folder), f"cannot list folder: {e.strerror or e}"))
        return
    for entry in entries:
        if _hidden(entry.name):
            continue
        p = folder / entry.name
        why = None
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(p, skipped)
                continue
            if entry.is_symlink() and entry.is_dir():
                why = "a symlink to a folder (not followed)"
            else:
                mode = os.stat(p).st_mode  # through a symlink: what it names
                if stat.S_ISREG(mode):
                    yield p
                    continue
                why = f"{_kind(mode)}, not a regular file"
        except OSError as e:
            why = "a symlink loop" if e.errno == errno.ELOOP else \
                "a broken symlink" if e.errno == errno.ENOENT else f"cannot read: {e.strerror or e}"
        if skipped is not None:
            skipped.append((str(p), why))


def iter_paths(paths: str | os.PathLike | Iterable[str | os.PathLike], *,
               skipped: list | None = None) -> Iterator[Path]:
    """The files to read for some paths: files as given, folders expanded recursively in sorted order,
    skipping hidden files and folders (names starting with '.'), not following symlinked folders, and
    leaving out every entry of a folder that is not a regular file (FIFOs, devices, sockets, symlink loops,
    broken symlinks). Pass a list as `skipped` to have (path, reason) appended for each entry left out.

    A path given explicitly is yielded unchanged (even one that does not exist), so ``read`` reports it with
    the others' results.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for raw in paths:
        if not isinstance(raw, (str, os.PathLike)):
            raise InputTypeError.expected("a path", raw, argument="paths")
        p = Path(raw)
        try:
            folder = p.is_dir()
        except (OSError, ValueError):
            folder = False
        if folder:
            yield from _walk(p, skipped)
        else:
            yield p

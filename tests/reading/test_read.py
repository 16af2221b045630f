"""read(): argument checking, dispatch by content, iter_paths, the SourceDocument contract."""

import dataclasses
import os
from pathlib import Path

import pytest

from carextract.errors import InputTypeError, ReadError
from carextract.reading import Documents, Limits, ReadWarning, SourceDocument, detect, iter_paths, read


@pytest.mark.parametrize("bad", [None, 42, 3.5, ["a.txt"], {"path": "a.txt"}])
def test_wrong_types_raise_input_type_error(bad):
    with pytest.raises(InputTypeError) as e:
        read(bad)
    assert isinstance(e.value, TypeError)
    assert str(e.value) == f"source must be a path or bytes, got {type(bad).__name__}"


def test_str_that_is_not_a_path_is_not_text():
    with pytest.raises(ReadError, match="does not exist") as e:
        read("Camden Council was rated outstanding by the CQC.")
    assert "carextract.extract" in str(e.value)
    with pytest.raises(ReadError, match="does not exist"):
        read("no/such/file.txt")
    with pytest.raises(ReadError, match="does not exist"):
        read("bad\x00name")


def test_missing_pathlib_path(tmp_path):
    with pytest.raises(ReadError, match="does not exist"):
        read(tmp_path / "missing.html")


def _folder_with_hazards(tmp_path):
    (tmp_path / "a.txt").write_text("Camden Council was rated good.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("<p>Barnet was rated good.</p>", encoding="utf-8")
    (tmp_path / "sub" / "up").symlink_to(tmp_path / "sub")  # a symlinked folder: not followed
    (tmp_path / "loop").symlink_to(tmp_path / "loop")  # a symlink loop
    (tmp_path / "dangling").symlink_to(tmp_path / "missing")
    (tmp_path / "zero").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "broken.pdf").write_bytes(b"not a pdf at all")
    return tmp_path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symlinks")
def test_a_folder_is_read_and_lists_what_it_skipped(tmp_path):
    folder = _folder_with_hazards(tmp_path)
    with pytest.warns(ReadWarning, match="skipped 6 entries"):
        docs = read(folder)
    assert isinstance(docs, Documents) and isinstance(docs, list)
    assert [d.text for d in docs] == ["Camden Council was rated good.", "Barnet was rated good."]
    why = {Path(p).name: reason for p, reason in docs.skipped}
    assert why == {"broken.pdf": why["broken.pdf"], "dangling": "a broken symlink", "fifo": "a FIFO, not a regular file",
                   "loop": "a symlink loop", "up": "a symlink to a folder (not followed)",
                   "zero": "a character device, not a regular file"}
    assert "not a PDF" in why["broken.pdf"]
    skipped = []
    assert [p.name for p in iter_paths(folder, skipped=skipped)] == ["a.txt", "broken.pdf", "b.html"]
    assert sorted(Path(p).name for p, _ in skipped) == ["dangling", "fifo", "loop", "up", "zero"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symlinks")
def test_what_is_no_regular_file_is_refused_at_once(tmp_path):
    folder = _folder_with_hazards(tmp_path)
    with pytest.raises(ReadError, match="is a FIFO; read.. takes regular files only"):
        read(folder / "fifo")  # would block for ever
    with pytest.raises(ReadError, match="is a character device"):
        read(folder / "zero")  # would fill memory
    with pytest.raises(ReadError, match="is a character device"):
        read("/dev/zero")
    with pytest.raises(ReadError, match="symlink loop"):
        read(folder / "loop")
    with pytest.raises(ReadError, match="does not exist"):
        read(folder / "dangling")


def test_size_limit(tmp_path):
    f = tmp_path / "big.txt"
    f.write_bytes(b"Camden was rated good. " * 100)
    with pytest.raises(ReadError, match=r"too large: 2,300 bytes, over the limit of 1,000.*max_bytes"):
        read(f, limits=Limits(max_bytes=1000))
    with pytest.raises(ReadError, match="max_bytes"):
        read(f.read_bytes(), limits=Limits(max_bytes=1000))
    assert read(f, limits=Limits(max_bytes=2300))[0].text.startswith("Camden")
    with pytest.raises(ValueError, match="max_depth"):
        Limits(max_depth=0)
    with pytest.raises(InputTypeError):
        read(f, limits={"max_bytes": 10})


def test_folder_file_limit(tmp_path):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"text {i}")
    with pytest.warns(ReadWarning, match="too many files"):
        docs = read(tmp_path, limits=Limits(max_folder_files=2))
    assert [d.text for d in docs] == ["text 0", "text 1"]


def test_bytes_like_sources():
    assert read(bytearray(b"Text in a bytearray."))[0].text == "Text in a bytearray."
    assert read(memoryview(b"Text in a view."))[0].text == "Text in a view."


def test_dispatch_by_content_not_extension(tmp_path):
    cases = {
        "page.txt": (b"<!DOCTYPE html><html><body><p>Hello.</p></body></html>", "html"),
        "feed.txt": (b"<?xml version='1.0'?><rss><channel><item><title>T</title></item></channel></rss>", "feed"),
        "atom.dat": (b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>T</title></entry></feed>", "feed"),
        "notes.html": (b"Just words, no markup at all.", "plain"),
        "data.xml": (b"<?xml version='1.0'?><scores><council>A</council></scores>", "html"),
    }
    for name, (data, kind) in cases.items():
        f = tmp_path / name
        f.write_bytes(data)
        assert detect(data, str(f)) == kind, name
        assert read(f)[0].kind == kind, name
    assert detect(b"%PDF-1.7\n...") == "pdf"
    assert detect(b"anything", "report.PDF") == "pdf"


def test_iter_paths_expands_folders_sorted_skipping_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("z")
    (tmp_path / "b" / "a.html").write_text("<p>a</p>")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "c" / "d").mkdir(parents=True)
    (tmp_path / "c" / "d" / "e.txt").write_text("e")
    got = [p.relative_to(tmp_path).as_posix() for p in iter_paths([tmp_path])]
    assert got == ["a.txt", "b/a.html", "b/z.txt", "c/d/e.txt"]
    assert list(iter_paths(str(tmp_path / "a.txt"))) == [tmp_path / "a.txt"]
    explicit_hidden = tmp_path / ".hidden.txt"
    assert list(iter_paths([explicit_hidden])) == [explicit_hidden]  # named explicitly: kept
    missing = tmp_path / "missing.txt"
    assert list(iter_paths([missing])) == [missing]  # read() reports it
    with pytest.raises(InputTypeError):
        list(iter_paths([1]))


def test_source_document_contract():
    doc = SourceDocument(text="Rated good.", kind="plain", offsets_exact=True, origin_start=10)
    assert doc.to_original(0) == 10 and doc.to_original(len(doc.text)) == 21
    assert doc.span_to_original(6, 10) == (16, 20)
    with pytest.raises(IndexError):
        doc.to_original(12)
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.text = "changed"
    unmapped = SourceDocument(text="x", kind="pdf")
    assert unmapped.to_original(0) is None and unmapped.span_to_original(0, 1) is None
    with pytest.raises(ValueError):
        SourceDocument(text="x", kind="docx")
    with pytest.raises(ValueError):
        SourceDocument(text="x", offsets_exact=True)


def test_every_reader_returns_source_documents(tmp_path):
    f = tmp_path / "plain.txt"
    f.write_text("Some text.\n", encoding="utf-8")
    docs = read(Path(f))
    assert len(docs) == 1 and isinstance(docs[0], SourceDocument)
    assert docs[0].path == str(f) and docs[0].offsets_exact and docs[0].origin_start == 0

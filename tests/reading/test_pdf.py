"""PDF: pypdf text, running headers/footers and page numbers removed, hyphenation repaired, errors."""

import datetime as dt
import io
import sys

import pytest

from carextract.errors import MissingDependencyError, ReadError
from carextract.reading import Limits, read
from carextract.reading.pdf import clean_pages

fpdf = pytest.importorskip("fpdf")
pypdf = pytest.importorskip("pypdf")

PAGES = [
    "Lakeland County Council was rated good overall.\n"
    "The council's assess-\nment of unpaid carers was timely.",
    "Waiting lists for care act assessments fell.\n"
    "A well-\nKnown name keeps its hyphen before a capital.",
    "Safeguarding enquiries were completed promptly.\nIt scored 3 of 4 for safeguarding.",
]


def make_pdf(pages=PAGES, title="Lakeland assessment") -> bytes:
    class Report(fpdf.FPDF):
        def header(self):
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, "CQC | Local authority assessment", new_x="LMARGIN", new_y="NEXT")

        def footer(self):
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Report()
    pdf.set_title(title)
    pdf.set_creation_date(dt.datetime(2024, 11, 5, 9, 0, tzinfo=dt.timezone.utc))
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def pdf_bytes():
    return make_pdf()


def test_headers_footers_removed_and_hyphenation_repaired(pdf_bytes, tmp_path):
    f = tmp_path / "lakeland.pdf"
    f.write_bytes(pdf_bytes)
    [doc] = read(f)
    assert doc.kind == "pdf" and doc.path == str(f)
    assert doc.title == "Lakeland assessment" and doc.date == "2024-11-05"
    assert "CQC | Local authority assessment" not in doc.text
    assert "Page " not in doc.text
    assert "assessment of unpaid carers" in doc.text and "assess-" not in doc.text
    assert "A well-\nKnown name" in doc.text  # next line starts uppercase: not joined
    assert "It scored 3 of 4 for safeguarding." in doc.text  # a body line with digits survives
    assert doc.text.count("\n\n") == 2  # three pages joined by blank lines
    assert not doc.offsets_exact and doc.to_original(0) is None


def test_detected_by_magic_not_extension(pdf_bytes, tmp_path):
    f = tmp_path / "download.bin"
    f.write_bytes(pdf_bytes)
    [doc] = read(f)
    assert doc.kind == "pdf"
    [doc2] = read(pdf_bytes)
    assert doc2.path is None and doc2.text == doc.text


def test_encrypted_pdf_raises_with_path(pdf_bytes, tmp_path):
    w = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_bytes)))
    w.encrypt(user_password="s3cret", owner_password="owner", algorithm="RC4-128")
    f = tmp_path / "locked.pdf"
    with open(f, "wb") as fh:
        w.write(fh)
    with pytest.raises(ReadError) as e:
        read(f)
    assert str(f) in str(e.value) and "encrypted" in str(e.value)


def test_pdf_with_empty_user_password_opens(pdf_bytes):
    w = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_bytes)))
    w.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    w.write(buf)
    [doc] = read(buf.getvalue())
    assert "Lakeland County Council" in doc.text


def test_corrupt_and_fake_pdfs_raise_with_path(pdf_bytes, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(pdf_bytes[:300])
    with pytest.raises(ReadError, match="broken.pdf"):
        read(broken)
    fake = tmp_path / "error-page.pdf"
    fake.write_bytes(b"<html><body>Not found</body></html>")
    with pytest.raises(ReadError, match="not a PDF"):
        read(fake)


def test_missing_pypdf_raises_missing_dependency(pdf_bytes, monkeypatch):
    monkeypatch.setitem(sys.modules, "pypdf", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'carextract\[pdf\]'"):
        read(pdf_bytes)


def test_clean_pages_rules():
    bodies = ["Carers were supported.\nThe assess-\nment was quick.", "Waiting lists fell.\nStaff were kind.",
              "Safeguarding was strong.\nThe A-\nTeam helped.", "Data use improved.\nPlans were clear."]
    pages = [f"Annual report 202{i}\n{body}\n{i + 1}" for i, body in enumerate(bodies)]
    pages[2] += "\nA closing line"
    text = clean_pages(pages)
    assert "Annual report" not in text  # repeats on every page (digits ignored)
    assert text.startswith("Carers were supported.\nThe assessment was quick.\n\nWaiting lists fell.")
    assert "The A-\nTeam helped." in text
    assert not any(line.strip().isdigit() for line in text.split("\n"))
    assert "A closing line" in text
    # a single page: nothing repeats, only a bare page number 1 at the bottom goes
    assert clean_pages(["Header\nOnly page text.\n1"]) == "Header\nOnly page text."


def test_repeated_pages_keep_their_text():
    from carextract.reading.pdf import clean_pages

    page = "Short report\nCamden Council was rated good by the CQC.\nPage {n}"
    text = clean_pages([page.format(n=1), page.format(n=2)])
    assert "rated good" in text and "Page 1" not in text


# --- page bombs and limits -----------------------------------------------------------------------------------

def _bomb(pages: int, padding: int) -> bytes:
    """Blank pages whose content streams each decompress to `padding` bytes of white space (a few kilobytes
    compressed): a page bomb in small."""
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = pypdf.PdfWriter()
    for _ in range(pages):
        page = writer.add_blank_page(612, 792)
        stream = DecodedStreamObject()
        stream.set_data(b"BT ET\n" + b" " * padding)
        page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_a_page_bomb_is_refused_before_its_page_is_parsed():
    bomb = _bomb(3, 2_000_000)
    assert len(bomb) < 20_000
    with pytest.raises(ReadError, match=r"page bomb: page 1 decompresses to 2,000,006 bytes.*max_pdf_page_bytes"):
        read(bomb, limits=Limits(max_pdf_page_bytes=1_000_000))
    with pytest.raises(ReadError, match=r"too much page content: over 5,000,000 bytes by page 3"):
        read(bomb, limits=Limits(max_pdf_content_bytes=5_000_000))


def test_page_and_time_limits(pdf_bytes):
    with pytest.raises(ReadError, match=r"too many pages: 3, over the limit of 2.*max_pdf_pages"):
        read(pdf_bytes, limits=Limits(max_pdf_pages=2))
    with pytest.raises(ReadError, match=r"takes too long to read: .* for 1 of 3 pages.*max_pdf_seconds"):
        read(pdf_bytes, limits=Limits(max_pdf_seconds=0))  # no clock is asserted: any time spent is over 0
    assert read(pdf_bytes, limits=Limits(max_pdf_pages=3))[0].text.startswith("Lakeland County Council")

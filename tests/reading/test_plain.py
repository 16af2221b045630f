"""Plain text: decoding (UTF-8, BOM, cp1252, Latin-1, charset-normalizer), line endings, offsets."""

import codecs

import pytest

from carextract.errors import ReadError
from carextract.reading import read
from carextract.reading.plain import decode_bytes, normalize_newlines

TEXT = "Northshire Council\u2019s adult social care was rated \u201cgood\u201d \u2013 caf\u00e9 visits were noted."


def test_utf8_is_exact():
    [doc] = read(TEXT.encode("utf-8"))
    assert doc.kind == "plain" and doc.text == TEXT
    assert doc.offsets_exact and doc.origin_start == 0
    assert doc.path is None
    assert doc.to_original(5) == 5 and doc.to_original(len(TEXT)) == len(TEXT)


def test_utf8_bom_is_stripped():
    [doc] = read(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert doc.text == TEXT
    assert doc.offsets_exact and doc.origin_start == 0


def test_utf16_bom():
    [doc] = read(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"))
    assert doc.text == TEXT


def test_cp1252_curly_quotes_round_trip():
    data = TEXT.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    [doc] = read(data)
    assert doc.text == TEXT


def test_latin1_round_trip():
    text = "Sur la qualit\u00e9 des soins: na\u00efve \u00bd score, \u00a3120 per week, r\u00e9sum\u00e9."
    data = text.encode("latin-1")
    [doc] = read(data)
    assert doc.text == text


def test_latin1_bytes_undefined_in_cp1252_fall_back_to_latin1():
    data = "Weekly fee \u00a3250 and ".encode("latin-1") + b"\x81" + b" more text follows here in English." * 3
    text, encoding = decode_bytes(data)
    assert encoding == "latin-1"
    assert text.startswith("Weekly fee \u00a3250")


def test_mostly_non_ascii_uses_charset_normalizer():
    text = "\u0421\u043e\u0446\u0438\u0430\u043b\u044c\u043d\u0430\u044f \u043f\u043e\u043c\u043e\u0449\u044c " * 20
    decoded, encoding = decode_bytes(text.encode("cp1251"))
    assert decoded == text
    assert encoding.replace("_", "").lower() in {"cp1251", "windows1251"}


def test_binary_garbage_raises_naming_encodings():
    data = bytes(range(256)) * 8 + b"\x00\x00\xff\xfe\x00"
    with pytest.raises(ReadError) as e:
        read(data)
    msg = str(e.value)
    assert "<bytes>" in msg
    assert "utf-8" in msg and "charset-normalizer" in msg


def test_crlf_and_cr_are_normalised_with_a_map():
    original = "First line\r\nSecond line\rThird line"
    [doc] = read(original.encode("ascii"))
    assert doc.text == "First line\nSecond line\nThird line"
    assert not doc.offsets_exact
    for word in ("First", "Second", "Third"):
        i = doc.text.index(word)
        assert original[doc.to_original(i):].startswith(word)
    assert doc.to_original(len(doc.text)) == len(original)
    assert doc.span_to_original(doc.text.index("Third"), doc.text.index("Third") + 5) == (
        original.index("Third"), original.index("Third") + 5)


def test_normalize_newlines_without_cr_returns_no_map():
    assert normalize_newlines("a\nb") == ("a\nb", None)


def test_empty_bytes():
    [doc] = read(b"")
    assert doc.text == "" and doc.kind == "plain"


def test_path_source(tmp_path):
    f = tmp_path / "note.txt"
    f.write_bytes(TEXT.encode("cp1252"))
    [doc] = read(f)
    assert doc.text == TEXT and doc.path == str(f)
    [doc2] = read(str(f))
    assert doc2 == doc


@pytest.mark.parametrize("data, text", [
    (b"Camden was rated good.\x00 It scored 3.", "Camden was rated good.\x00 It scored 3."),
    ("Caf\u00e9 staff rated it good.\x00".encode("cp1252"), "Caf\u00e9 staff rated it good.\x00"),
    (b"Lakeland was rated good by the CQC; " * 40 + b"\x00", "Lakeland was rated good by the CQC; " * 40 + "\x00"),
], ids=["utf8", "cp1252", "long"])
def test_a_stray_nul_does_not_make_the_text_utf16(data, text):
    """A NUL byte or two once sent bytes to the detector, which read them as UTF-16 without a byte-order mark:
    mojibake and no error. The readable decoding is preferred."""
    assert read(data)[0].text == text


def test_stray_nul_in_html_keeps_the_page_readable():
    [doc] = read(b"<html><body><p>Camden was rated good.\x00</p><p>Barnet too.</p></body></html>")
    assert doc.kind == "html" and "Camden was rated good." in doc.text and "Barnet too." in doc.text


def test_utf16_without_bom_still_decodes():
    assert read("Camden Council was rated good by the CQC.".encode("utf-16-le"))[0].text == \
        "Camden Council was rated good by the CQC."

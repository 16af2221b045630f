"""Reading views of strings given to extract: HTML and PDF text, with every evidence span mapped back exactly."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import carextract
from carextract.reading.view import looks_like_html, looks_like_pdf_text, reading_view

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "texts"


def _noisy_records() -> list[Path]:
    """The corpus's HTML pages and PDF-extraction texts (read as strings, as a user pasting them would)."""
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".html", ".htm") or "pdf" in p.name)


def evidence_exact(text: str) -> list:
    result = carextract.extract(text)
    bad = []
    for ev in _all_evidence(result):
        if text[ev.start:ev.end] != ev.text or not 0 <= ev.start <= ev.end <= len(text):
            bad.append(ev)
    return bad


def _all_evidence(result):
    from carextract.reading.view import _evidence

    return list(_evidence(result))


# PDF texts of this release's unseen batches whose marks the detector does not yet see (a table broken over a
# page with no page number, statement names wrapped with no hyphenation): known gaps
_UNDETECTED = {"h14_cqc_summary_derbyshire_pdf.txt", "l11_pdf_table_pagebreak.txt", "l11_pdf_wrapped_names.txt"}


def _view_cases():
    for p in _noisy_records():
        marks = [pytest.mark.xfail(reason="PDF marks the detector misses (a known gap)", strict=True)] \
            if p.name in _UNDETECTED else []
        yield pytest.param(p, marks=marks, id=p.name)


@pytest.mark.parametrize("path", _view_cases())
def test_the_corpus_markup_and_pdf_texts_get_a_view(path):
    assert reading_view(path.read_text(encoding="utf-8")) is not None


@pytest.mark.parametrize("path", _noisy_records(), ids=lambda p: p.name)
def test_every_evidence_span_of_html_and_pdf_strings_is_exact(path):
    assert evidence_exact(path.read_text(encoding="utf-8")) == []


def test_plain_prose_gets_no_view():
    assert reading_view("Camden Council was rated outstanding by the CQC in 2024. Staff were praised.") is None
    assert not looks_like_html("Use <p> for paragraphs, and 3 < 4 > 2.")


def test_html_string_is_read_as_read_reads_it():
    text = "<html><body><h1>Leeds</h1><p>Leeds City Council was rated <b>good</b> by the CQC.</p></body></html>"
    view = reading_view(text)
    assert view.kind == "html" and "Leeds City Council was rated good by the CQC." in view.text
    result = carextract.extract(text)
    [a] = result.assessments
    assert a.rating.value == "good"
    ev = a.evidence_for("rating")[0]
    assert text[ev.start:ev.end] == ev.text and "good" in ev.text


def test_html_entities_and_cells_map_back():
    text = ("<table><tr><th>Council</th><th>Rating</th></tr><tr><td>Barnet</td><td>Requires&nbsp;improvement</td></tr>"
            "<tr><td>Enfield</td><td><span class='score'>Good</span></td></tr></table>")
    result = carextract.extract(text)
    assert {a.council.code: a.rating.value for a in result.assessments} == {
        "E09000003": "requires_improvement", "E09000010": "good"}
    assert evidence_exact(text) == []


PDF = ("Sheffield City Council - Local authority assessment\n"
       "Overall rating: R equires  improvement\n"
       "Safeguarding ..................... 2\n"
       "                                                   Page 2 of 30\n"
       "Sheffield City Council - Local authority assessment\n"
       "The in- dicative findings show that waits for a Care Act assess-\n"
       "ment were long.\n")


def test_pdf_repairs():
    assert looks_like_pdf_text(PDF)
    view = reading_view(PDF)
    assert "Requires improvement" in view.text
    assert "indicative" in view.text and "assessment were long" in view.text
    assert "Page 2 of 30" not in view.text
    assert view.text.count("Sheffield City Council - Local authority assessment") == 1  # the title stays
    assert re.search(r"Safeguarding {20,}2", view.text)  # a leader read as a gap, one for one


def test_pdf_facts_index_the_given_string():
    result = carextract.extract(PDF)
    [a] = result.assessments
    assert a.rating.value == "requires_improvement" and a.quality_statements == {"safeguarding": 2}
    ev = a.evidence_for("rating")[0]
    assert PDF[ev.start:ev.end] == ev.text and "R equires  improvement" in ev.text


def test_view_offsets_map_every_position():
    view = reading_view(PDF)
    for i in range(len(view.text)):
        s, e = view.to_original(i, i + 1)
        assert e == s + 1 and (PDF[s] == view.text[i] or view.text[i] == " ")


_PIECES = ["<p>", "</p>", "<li>", "<td>", "</td>", "<tr>", "<b>", "&amp;", "&nbsp;", "Leeds City Council",
           " was rated ", "good", "Requires improvement", "Score: 68", "\n", "Page 3 of 9\n", "assess-\nment",
           "R equires", "G ood", " ........ 3", "Safeguarding", " | ", "\t", "Barnet"]


@settings(max_examples=120, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=60))
def test_evidence_exact_on_arbitrary_markup_and_pdf_noise(pieces):
    text = "".join(pieces)
    assert evidence_exact(text) == []


def test_two_columns_side_by_side_are_read_one_after_the_other():
    left = ["The Care Quality Commission has", "published its assessment of how", "Lambeth meets its Care Act duties",
            "for adults. The council has been", "rated Requires Improvement, with", "an overall score of 58%."]
    right = ["Ofsted inspectors spent two weeks", "with our children's social care", "teams in January. Their report",
             "rates Lambeth's services for", "children and families as Good.", ""]
    text = "Staff newsletter\n\n" + "\n".join(f"{a:<39}{b}".rstrip() for a, b in zip(left, right)) + "\n"
    view = reading_view(text)
    assert view.kind == "columns"
    assert "for adults. The council has been\nrated Requires Improvement" in view.text
    result = carextract.extract(text)
    [a] = result.assessments
    assert (a.council.code, a.rating.value, a.score) == ("E09000022", "requires_improvement", 58)
    assert evidence_exact(text) == []


def test_a_table_laid_out_with_spaces_is_not_two_columns():
    from carextract.reading.columns import two_columns

    rows = ["Assessing needs                       4 - Exceptional standard",
            "Equity in experience and outcomes     3 - Good standard",
            "Partnerships and communities          3 - Good standard",
            "Safeguarding                          Requires improvement",
            "Governance, management and sustainability   Requires improvement"]
    assert two_columns("\n".join(rows)) is None
    assert two_columns("Subject Heading:      Care Quality Commission assessment\n"
                       "Cabinet Member:       Councillor Jane Smith, Cabinet Member\n"
                       "Report Author:        Head of Adult Social Care Performance\n") is None


def test_compose_maps_a_view_of_a_view_back_to_the_given_string():
    from carextract.reading.document import OffsetMapBuilder
    from carextract.reading.view import compose

    given = "abcdefghij"
    inner = OffsetMapBuilder()  # middle text "fghij\nabcde": the halves swapped, a line break inserted
    inner.add(5, 5)
    inner.add(1, None)
    inner.add(5, 0)
    middle_map = inner.build()
    outer = OffsetMapBuilder()  # last text "hij\nab": a slice of the middle text
    outer.add(6, 2)
    both = compose(outer.build(), middle_map)
    assert [both.lookup(k) for k in range(6)] == [7, 8, 9, None, 0, 1]
    assert given[7] == "h" and given[0] == "a"


def test_a_wrapped_statement_name_padded_to_its_column_is_joined_with_one_space():
    pad = " " * 50
    text = ("Isle of Wight Council: local authority assessment\nPage 1 of 3\n"
            "We gave each quality state-\nment a score from 1 to 4.\n"
            "Overall rating: Requires improvement\n"
            f"Assessing needs{pad}2\n"
            f"Supporting people to live healthier{pad}\nlives{pad}3\n"
            "Page 2 of 3\n")
    view = reading_view(text)
    assert view.kind == "pdf" and "Supporting people to live healthier lives " in view.text
    [a] = carextract.extract(text).assessments
    assert a.quality_statements["supporting_healthier_lives"] == 3
    assert evidence_exact(text) == []


def test_an_rss_feed_given_as_a_string_is_read_item_by_item():
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
            "<title>Trafford Council – latest news</title>\n"
            "<item><title>Bin collection dates confirmed</title><description>Bins move by two days."
            "</description></item>\n"
            "<item><title>Care regulator publishes report</title><description>The Care Quality Commission has "
            "rated Trafford Council&#8217;s adult social care as requires improvement.</description></item>\n"
            "</channel></rss>\n")
    view = reading_view(text)
    assert view.kind == "html" and "Care regulator publishes report" in view.text
    [a] = carextract.extract(text).assessments
    assert (a.council.code, a.rating.value) == ("E08000009", "requires_improvement")
    assert evidence_exact(text) == []


def test_three_words_broken_over_line_ends_make_pdf_text():
    text = ("Cornwall Council – Adult Social Care Local Account 2024/25\n\n"
            "The CQC team spent four days with us in Septem-\nber and spoke to more than 200 people. It was pub-\n"
            "lished in January 2025 and rated Cornwall as Good. Only 30.5% of carers said they were satisfied with "
            "support, compared with 36.3% na-\ntionally.\n")
    view = reading_view(text)
    assert view.kind == "pdf" and "nationally" in view.text
    assert evidence_exact(text) == []

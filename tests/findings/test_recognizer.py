"""findings/recognizer.py: clauses classified into (theme, polarity) findings with evidence."""

import pytest

from carextract.findings.model import FindingModel, model_dir
from carextract.findings.recognizer import FindingRecognizer
from carextract.results import Finding, Polarity
from carextract.segment import segment
from carextract.vocab import themes

recognize = FindingRecognizer()


def found(text, recognizer=recognize):
    return {(m.value.theme, m.value.polarity.value) for m in recognizer(segment(text))}


@pytest.mark.parametrize("text, theme, polarity", [
    ("People waited too long for assessments and the waiting list had grown.", "waiting_times", "improvement"),
    ("Inspectors praised strong partnerships with the NHS and the voluntary sector.", "partnerships", "strength"),
    ("Unpaid carers said they struggled to get a break from caring.", "unpaid_carers", "improvement"),
    ("Young people moving to adult services experienced delays and poor planning.", "transitions", "improvement"),
    ("Hospital discharge was timely and safe, inspectors found.", "hospital_discharge", "strength"),
])
def test_clear_findings(text, theme, polarity):
    assert (theme, polarity) in found(text)


def test_contrast_gives_both_polarities():
    text = ("Inspectors praised strong partnerships with the NHS and voluntary groups; however, "
            "people waited far too long for assessments.")
    got = found(text)
    assert ("partnerships", "strength") in got
    assert ("waiting_times", "improvement") in got


@pytest.mark.parametrize("text", [
    "",
    "The weather was sunny all week and the park was busy.",
    "Waiting lists.",  # shorter than the minimum clause
    "By Jane Doe, reporter",
])
def test_no_findings(text):
    assert recognize(segment(text)) == []


def test_mention_shape():
    text = "Camden Council was assessed.\n\nPeople waited too long for assessments and the waiting list had grown."
    ms = recognize(segment(text))
    assert ms
    for m in ms:
        f = m.value
        assert m.kind == "finding" and isinstance(f, Finding)
        assert f.theme in themes() and f.quality_statement == themes()[f.theme]["statement"]
        assert isinstance(f.polarity, Polarity)
        assert 0.0 <= f.confidence <= 1.0 and m.confidence == pytest.approx(f.confidence, abs=1e-4)
        [ev] = f.evidence
        assert (ev.start, ev.end) == (m.start, m.end) and text[ev.start:ev.end] == ev.text
        assert ev.rule == m.rule and m.rule.startswith("finding:model:")
        assert m.end - m.start >= 30


def test_pieces_only_add_findings():
    text = ("People waited a long time for assessments, occupational therapy and reviews, "
            "and unpaid carers said respite and breaks from caring were hard to arrange.")
    without = FindingRecognizer(pieces=False)(segment(text))
    with_ = recognize(segment(text))
    assert {m.rule for m in without} <= {m.rule for m in with_}
    assert all(":clause:" in m.rule for m in without)


def test_injected_model_is_used():
    model = FindingModel.load(model_dir())
    r = FindingRecognizer(model)
    assert r.model is model
    text = "People waited too long for assessments and the waiting list had grown."
    assert found(text, r) == found(text)


def test_deterministic():
    text = "Leaders had a clear vision and strong governance, but staff turnover was high."
    assert recognize(segment(text)) == recognize(segment(text))


def test_menus_state_no_findings():
    from carextract.findings.recognizer import is_menu

    menu = "Adult social care – get support | Carers | Safeguarding adults | Adult social care local account"
    row = "Direct payments (ASCOF 1C(2)): 32.5% | London 27.9% | England 26.2% | above both benchmarks"
    assert is_menu(menu, 0, len(menu)) and not is_menu(row, 0, len(row))


def test_a_statement_score_alone_is_no_finding():
    assert found("Safeguarding was scored 3 and partnerships and communities was scored 2.") == set()
    assert found("The council was rated good for seven of the nine quality statements, including safeguarding.") == set()


def test_list_items_take_the_polarity_of_their_lead():
    text = ("Eastshire County Council\n\n"
            "Areas for improvement were also listed in the report:\n"
            "- Waiting times for occupational therapy assessments across the county.\n"
            "- Support for carers and the information offered to them online.\n")
    got = found(text)
    assert got and all(polarity == "improvement" for _, polarity in got)


def test_confidence_is_a_probability():
    ms = recognize(segment("People waited too long for assessments and the waiting list had grown."))
    assert ms and all(0.0 < m.value.confidence < 1.0 for m in ms)


@pytest.mark.parametrize("text, expected", [
    ("Camden and Barnet councils were both rated good by the Care Quality Commission this week.\n\n"
     "The regulator's reports praised Camden for the support it gave unpaid carers and Barnet for its reablement "
     "service, which helped people regain independence.",
     {"E09000007": {("strength", "unpaid_carers")}, "E09000003": {("strength", "reablement")}}),
])
def test_a_finding_goes_to_the_council_named_before_its_keyword(text, expected):
    """'praising A for X and B for Y' splits: each finding's anchor is its theme's keyword in the clause."""
    import carextract

    got = {a.council.code: {(f.polarity.value, f.theme) for f in a.findings}
           for a in carextract.Extractor().extract(text).assessments}
    assert got == expected


def test_findings_carry_the_position_of_their_keyword():
    text = "Inspectors said waiting lists for assessments had grown far too long across the county."
    ms = [m for m in recognize(segment(text)) if m.value.theme == "waiting_times"]
    assert ms and all(text[slice(*m.attrs["word"])].lower().startswith("waiting") for m in ms)


def test_a_sentence_listing_areas_for_improvement_after_its_own_lead_gives_improvements():
    import carextract

    text = ("Sutton Council was rated good by the CQC. Areas for improvement included access to advice for residents and "
            "carers, carer support during assessments, information sharing with care providers, and support for young "
            "people moving to adult services.")
    [a] = carextract.extract(text).assessments
    assert a.improvements and not a.strengths

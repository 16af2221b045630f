"""TableRecognizer and the layouts read through the whole pipeline (tests/cases/layouts.json)."""

import pytest

import carextract
from carextract.layout import layout
from carextract.recognizers.tables import TableRecognizer, rating_of, score_of, statement_of_label, statement_score_of
from carextract.segment import segment


def assessments(text):
    out = {}
    for a in carextract.extract(text).to_record()["assessments"]:
        e = {}
        if a["rating"]:
            e["rating"] = a["rating"]
        if a["score"] is not None:
            e["score"] = a["score"]
        if a["quality_statements"]:
            e["quality_statements"] = a["quality_statements"]
        out[a["council"]] = e
    return out


@pytest.mark.cases("layouts.json", "cases")
def test_layout_cases(case):
    assert assessments(case["text"]) == case["assessments"]


@pytest.mark.cases("layouts.json", "cases")
def test_layout_evidence_indexes_the_given_string(case):
    text = case["text"]
    result = carextract.extract(text)
    for a in result.assessments:
        for ev in a.evidence:
            assert text[ev.start:ev.end] == ev.text


@pytest.mark.parametrize("cell, value", [
    ("Good", "good"), ("**Good**", "good"), ("✅ Good", "good"), ("RI", "requires_improvement"),
    ("R/I", "requires_improvement"), ("Req. Imp.", "requires_improvement"), ("Outst.", "outstanding"),
    ("Inad.", "inadequate"), ("Requires improvement", "requires_improvement"), ("Good (66%)", "good"),
    ("Awaiting assessment", None), ("", None), ("Goodwill", None), ("—", None),
])
def test_rating_of(cell, value):
    assert rating_of(cell) == value


@pytest.mark.parametrize("cell, value", [
    ("3", 3), ("3/4", 3), ("2 - some shortfalls", 2), ("Evidence shows a good standard", 3),
    ("Exceptional standard", 4), ("significant shortfalls", 1), ("Requires improvement", 2), ("★★", 2),
    ("5", None), ("36%", None), ("shortfalls", None), ("strong", None), ("", None),
])
def test_statement_score_of(cell, value):
    assert statement_score_of(cell) == value


@pytest.mark.parametrize("cell, value", [("68", 68), ("68%", 68), ("68 / 100", 68), ("3", None), ("2024", None)])
def test_score_of(cell, value):
    assert score_of(cell) == value


@pytest.mark.parametrize("label, sid", [
    ("Assessing needs", "assessing_needs"), ("Equity", "equity_in_experience"), ("Safe pathways", "safe_pathways"),
    ("Care provision, integration and continuity", "care_provision_integration"),
    ("4. care provision, integration and continuity of care", "care_provision_integration"),
    ("Governance", "governance_management"), ("Learning and innovation", "learning_improvement_innovation"),
    ("Council", None), ("Rating", None),
])
def test_statement_of_label(label, sid):
    assert statement_of_label(label) == sid


def test_rows_claimed_from_prose_recognizers():
    text = "| Council | Rating |\n|---|---|\n| Leeds | Good |\n| Bradford | RI |\n"
    ms = TableRecognizer()(segment(text))
    assert {m.kind for m in ms} == {"rating", "layout_claim"}
    assert {m.attrs.get("council") for m in ms if m.kind == "rating"} == {"E08000035", "E08000032"}


def test_no_table_no_work():
    doc = segment("Leeds City Council was rated good by the CQC. Inspectors praised its carers' support.")
    assert TableRecognizer()(doc) == []
    assert layout(doc)._tables is None  # the tables were never looked for


def test_awaiting_row_makes_no_assessment():
    text = ("Council,Rating,Score\nLeeds,Good,70%\nBradford,Awaiting assessment,\nWakefield,Not yet published,\n")
    assert set(assessments(text)) == {"E08000035"}


def test_totals_and_averages_are_not_councils():
    text = ("| Council | Rating | Score |\n|---|---|---|\n| Leeds | Good | 70% |\n| England average | | 61% |\n"
            "| Yorkshire and the Humber | | 63% |\n| Total | | |\n")
    assert assessments(text) == {"E08000035": {"rating": "good", "score": 70}}


def test_row_naming_several_councils_shares_its_rating_and_score():
    text = ("| Council | Rating | Score |\n|---|---|---|\n| Camden, Islington and Leicestershire | Outstanding | 89% |\n"
            "| Barnet | Good | 70% |\n")
    got = assessments(text)
    assert got["E09000019"] == got["E10000018"] == {"rating": "outstanding", "score": 89}
    assert got["E09000003"] == {"rating": "good", "score": 70}


def test_council_named_by_ons_code():
    text = "Code,Rating,Score\nE08000010,Outstanding,88%\nE08000006,Good,68%\nE08000009,Good,66%\n"
    assert set(assessments(text)) == {"E08000010", "E08000006", "E08000009"}


def test_an_ofsted_column_beside_the_cqc_one_is_skipped_not_the_table():
    text = ("la_name;cqc_asc_rating;cqc_asc_score;ofsted_ilacs_judgement\n"
            "Gateshead;Good;75;Outstanding\nNewcastle upon Tyne;Requires improvement;58;Good\n"
            "Sunderland;Good;78;Good\n")
    got = {a.council.short_name: (a.rating.value, a.score) for a in carextract.extract(text).assessments}
    assert got == {"Gateshead": ("good", 75), "Newcastle upon Tyne": ("requires_improvement", 58),
                   "Sunderland": ("good", 78)}


def test_a_table_of_ofsted_judgements_alone_is_no_councils():
    text = "council;ofsted_judgement\nGateshead;Outstanding\nSunderland;Good\nDurham;Good\n"
    assert carextract.extract(text).assessments == []


@pytest.mark.parametrize("label, sid", [("needs", "assessing_needs"), ("provision", "care_provision_integration"),
                                        ("healthier_lives", None)])
def test_bare_short_heads(label, sid):
    assert statement_of_label(label) == sid or (sid is None and statement_of_label(label.replace("_", " ")))


def test_an_overall_cell_with_the_score_before_the_rating():
    text = ("| Council | Assessing needs | Overall |\n|---|---|---|\n| Bradford | 2 | 53% Requires improvement |\n"
            "| Calderdale | 3 | 78% Good |\n")
    got = {a.council.short_name: (a.rating.value, a.score) for a in carextract.extract(text).assessments}
    assert got == {"Bradford": ("requires_improvement", 53), "Calderdale": ("good", 78)}


def test_legend_defines_head_codes_for_the_rating_score_and_wrapped_statements():
    # the legend's lines hold commas and semicolons but are definitions, not rows of a table
    text = ("AUTHORITY      RTG  SC%  AN SHL EIO CPI P&C SPT  SG GMS LII\n"
            "-----------------------------------------------------------\n"
            "Derby City     G     69   3   3   2   3   3   3   3   2   3\n"
            "Leicester City RI    53   2   2   2   2   3   2   2   2   2\n"
            "Nottingham     RI    50   2   2   2   2   2   2   2   2   2\n\n"
            "Legend: RTG = overall rating (G = Good, RI = Requires improvement); SC% = overall score;\n"
            "AN = assessing needs; SHL = supporting people to live healthier lives; EIO = equity in\n"
            "experience and outcomes; CPI = care provision, integration and continuity; P&C =\n"
            "partnerships and communities; SPT = safe pathways, systems and transitions; SG =\n"
            "safeguarding; GMS = governance, management and sustainability; LII = learning,\n"
            "improvement and innovation.\n")
    derby = next(a for a in carextract.extract(text).assessments if a.council.code == "E06000015")
    assert derby.rating.value == "good" and derby.score == 69
    assert len(derby.quality_statements) == 9
    assert derby.quality_statements["partnerships_communities"] == 3 and derby.quality_statements["safeguarding"] == 3


def test_a_label_joined_with_the_line_above_is_read_by_its_last_line():
    text = ("Gloucestershire County Council\n"
            "Local authority assessment\n"
            "Overall rating                    Good\n"
            "Overall score                     67%\n"
            "Date of assessment                16 to 19 June 2025\n"
            "Date of publication               24 September 2025\n")
    a = carextract.extract(text).assessments
    assert [(x.council.code, x.rating.value, x.score) for x in a] == [("E10000013", "good", 67)]


def test_a_cell_of_nine_scores_under_a_statement_scores_head_is_read_in_cqc_order():
    text = ("  Borough       Rating                  Score   Statement scores (QS1-QS9)\n"
            "  -----------   ---------------------   -----   --------------------------\n"
            "  Greenwich     Good                    67%     3-3-2-3-3-2-3-2-3\n"
            "  Lewisham      Requires improvement    58%     2-3-2-2-3-2-2-2-3\n"
            "  Southwark     Good                    64%     3-2-2-3-3-3-2-3-2\n")
    by_code = {a.council.code: a for a in carextract.extract(text).assessments}
    greenwich = by_code["E09000011"]
    assert greenwich.score == 67 and len(greenwich.quality_statements) == 9
    assert greenwich.quality_statements["equity_in_experience"] == 2
    assert by_code["E09000028"].quality_statements["learning_improvement_innovation"] == 2


def test_a_table_headed_by_the_rating_scale_counts_things_rated_not_councils():
    text = ("Worcestershire County Council\nAdult Social Care – Quarterly Quality Report\n\n"
            "Service type                 Outstanding   Good    Requires improvement   Inadequate\n"
            "Care homes with nursing      3%            76%     19%                    2%\n"
            "Home care agencies           4%            84%     11%                    1%\n"
            "England average              4%            78%     17%                    1%\n")
    assert carextract.extract(text).assessments == []


def test_a_csv_export_with_numbered_statement_heads_and_a_notes_column():
    text = ("LA name,Region,Overall rating,Score %,QS1 Assess,QS2 Healthier,QS3 Equity,QS4 Care prov,QS5 Partners,"
            "QS6 Safe sys,QS7 Safeg,QS8 Gov,QS9 Learn,Notes\n"
            'Camden,London,Outstanding,89,4,3,3,4,4,3,3,4,4,"Residents co-designed the new front door; strong coproduction culture"\n'
            'Wirral,North West,Requires improvement,53,2,2,2,2,3,2,2,2,2,"Hundreds waiting for OT and Care Act assessments"\n'
            "Sunderland,North East,Good,75,3,3,3,3,3,3,3,3,3,\n")
    got = {a.council.code: (a.rating.value, a.score, a.quality_statements.get("partnerships_communities"))
           for a in carextract.extract(text).assessments}
    assert got == {"E09000007": ("outstanding", 89, 4), "E08000015": ("requires_improvement", 53, 3),
                   "E08000024": ("good", 75, 3)}


def test_a_self_rating_column_is_no_cqc_score():
    text = ("Ref\tQuality statement\tOur self-rating\tEvidence summary\n"
            "1.1\tAssessing needs\t3 – good\tStrengths-based practice embedded\n"
            "3.2\tSafeguarding\t3 – good\tMASH in place\n")
    assert not [m for m in TableRecognizer()(segment(text)) if m.kind != "layout_claim"]


def test_a_table_of_ofsted_judgements_is_no_councils_assessment():
    text = ("### Children's services – latest Ofsted ILACS judgements\n\n"
            "| Local authority | Overall effectiveness | Inspection date |\n|---|---|---|\n"
            "| **Stockport** | 🟢 Good | Oct 2024 |\n| **Tameside** | 🟠 Requires improvement to be good | Feb 2024 |\n"
            "| **Trafford** | 🟢 Good | Jan 2025 |\n")
    assert carextract.extract(text).assessments == []

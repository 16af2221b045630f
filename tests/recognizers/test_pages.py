"""PageRecognizer: CQC's page layouts and label lines, alone (the whole pipeline is in test_tables' cases)."""

import pytest

from carextract.recognizers.pages import PageRecognizer
from carextract.segment import segment

recognize = PageRecognizer()


def found(text):
    return sorted((m.kind, m.value, m.attrs.get("council")) for m in recognize(segment(text)))


def test_statement_page_takes_the_title_council():
    text = ("North Yorkshire Council: local authority assessment\nCare provision, integration and continuity\n"
            "Score: 3\n3 - Evidence shows a good standard\nWhat people expect\nI have care and support.\n")
    assert found(text) == [("statement_score", ("care_provision_integration", 3), "E06000065")]


def test_summary_block_with_council_bullet():
    text = "Overview\n\n- Blackpool Council\nRequires improvement\nScore: 55\n"
    assert found(text) == [("rating", "requires_improvement", "E06000009"), ("score", 55, "E06000009")]


def test_rating_alone_under_another_line_is_not_a_summary():
    assert found("What we found\nThe staff were kind.\nGood\n") == []


def test_rating_scale_under_a_sentence_about_ratings_is_not_a_summary():
    text = ("Once a council has been assessed, the overall rating it receives will be one of the following:\n"
            "Outstanding\nThe service performs exceptionally well\nGood\nThe service performs well\n")
    assert found(text) == []


def test_pilot_indicative():
    text = "Nottingham City Council: local authority assessment\nIndicative rating\nGood\nIndicative score: 64\n"
    assert found(text) == [("rating", "good", "E06000018"), ("score", 64, "E06000018")]


@pytest.mark.parametrize("line, value", [
    ("Overall rating: Good", ("rating", "good")),
    ("Score (%): 71", ("score", 71)),
    ("Assessing needs: good standard", ("statement_score", ("assessing_needs", 3))),
    ("Equity in experience and outcomes – some shortfalls", ("statement_score", ("equity_in_experience", 2))),
    ("Safeguarding: Requires improvement", ("statement_score", ("safeguarding", 2))),
])
def test_label_lines(line, value):
    assert found(line) == [value + (None,)]


@pytest.mark.parametrize("line", ["Safeguarding: shortfalls were found", "Safeguarding: strong", "Overall rating: 2",
                                  "Score: 3"])
def test_label_lines_near_misses(line):
    assert found(line) == []


def test_numbered_nine_areas_in_cqc_order():
    items = ["Assessing needs – 3", "Supporting people to live healthier lives – 3", "Equity in experience and outcomes – 2",
             "Providing support – 3", "Partnerships and communities – 3", "Ensuring safety (pathways) – 2",
             "Safeguarding – 3", "Leadership – 2", "Learning and innovation – 3"]
    text = "The nine areas:\n" + "".join(f"{k}. {item}\n" for k, item in enumerate(items, 1))
    got = {m.value[0]: m.value[1] for m in recognize(segment(text)) if m.kind == "statement_score"}
    assert got == {"assessing_needs": 3, "supporting_healthier_lives": 3, "equity_in_experience": 2,
                   "care_provision_integration": 3, "partnerships_communities": 3, "safe_pathways": 2,
                   "safeguarding": 3, "governance_management": 2, "learning_improvement_innovation": 3}


def test_loose_title_gives_way_when_other_councils_are_named():
    text = "Stockport Council: how we were rated\nOverall rating: Good\nUnlike Bolton, we were visited in May.\n"
    assert found(text) == [("rating", "good", None)]


@pytest.mark.parametrize("line, rating, score", [
    ("- Wigan – Outstanding (88%)", "outstanding", 88),
    ("**Bolton**: Good, 66%", "good", 66),
    ("Oldham – Requires improvement, score 55%", "requires_improvement", 55),
    ("Salford Council: rated good", "good", None),
])
def test_council_lines(line, rating, score):
    got = {(m.kind, m.value) for m in recognize(segment(line))}
    assert ("rating", rating) in got and (score is None or ("score", score) in got)


@pytest.mark.parametrize("line", ["Tameside: awaiting publication", "Barnet Lodge – Good", "Wigan Athletic – good form",
                                  "Wigan – good news for carers", "Bolton: outstanding work by staff"])
def test_council_lines_near_misses(line):
    assert [m for m in recognize(segment(line)) if m.rule == "page:council_line"] == []


def test_key_value_blocks_each_name_their_council():
    """A tracker of blocks ('Council: X' over 'Rating:' and 'Score:'), a blank line between blocks."""
    import carextract

    text = ("CQC ASSESSMENT TRACKER\n\nCouncil: Derby\nStatus: Published\nRating: Good\nScore: 64\n\n"
            "Council: Leicester\nStatus: Published\nRating: Requires improvement\nScore: 53\n\n"
            "PROVIDER NEWS\nProvider: Lincoln Court Care Home\nRating: Inadequate\n")
    got = {a.council.short_name: (a.rating.value, a.score) for a in carextract.extract(text).assessments}
    assert got == {"Derby": ("good", 64), "Leicester": ("requires_improvement", 53)}


def test_a_fact_file_whose_heading_names_its_one_council():
    import carextract

    text = ("Harrow Council\nAdults Services Improvement Board - Briefing Pack\nItem 3: CQC assessment outcome\n\n"
            "Overall rating\n    Good\n\nOverall score\n    69%\n")
    a = carextract.extract(text).assessments
    assert [(x.council.short_name, x.rating.value, x.score) for x in a] == [("Harrow", "good", 69)]


def test_a_statement_page_titled_with_its_council_after_a_dash():
    import carextract

    text = ("Partnerships and communities - Newham (CQC local authority assessment)\n\n"
            "Reproduced from the Care Quality Commission's report on the London Borough of Newham.\n\n"
            "Score: 4 - Evidence shows an exceptional standard\n")
    [a] = carextract.extract(text).assessments
    assert a.quality_statements == {"partnerships_communities": 4}

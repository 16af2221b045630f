"""attribution.py: which council each fact is said of, and which councils were assessed.

Tested end to end through the Extractor (the attribution stage needs every
recognizer's mentions), on short texts written for the purpose.
"""

import pytest

import carextract
from carextract.attribution import anchor
from carextract.mentions import Mention

CAMDEN, ISLINGTON, KINGSTON, SUTTON = "E09000007", "E09000019", "E09000021", "E09000029"
HOUNSLOW, BARNET, EALING, WIRRAL = "E09000018", "E09000003", "E09000009", "E08000015"


def by_council(record):
    return {a["council"]: a for a in record["assessments"]}


def facts(record):
    return {a["council"]: (a["rating"], a["score"]) for a in record["assessments"]}


def test_section_headings_with_rating_and_score(record_of):
    text = ("CQC publishes latest council ratings\n\n"
            "The Care Quality Commission has published assessments of adult social care at three London councils.\n\n"
            "Hounslow (good, 70)\n"
            "Inspectors praised the borough's joint work with NHS partners. Safeguarding \u2013 3\n\n"
            "Barnet (requires improvement, 58)\n"
            "People waited too long for care assessments and there was a backlog of reviews.\n\n"
            "Ealing (outstanding, 90)\n"
            "Leaders had a clear vision and strong governance.\n")
    rec = record_of(text)
    assert [a["council"] for a in rec["assessments"]] == [HOUNSLOW, BARNET, EALING]
    assert facts(rec) == {HOUNSLOW: ("good", 70), BARNET: ("requires_improvement", 58), EALING: ("outstanding", 90)}
    a = by_council(rec)
    assert a[HOUNSLOW]["quality_statements"] == {"safeguarding": 3}
    assert a[BARNET]["quality_statements"] == {} and a[EALING]["quality_statements"] == {}
    # findings go to the section they are written under
    assert "partnerships" in a[HOUNSLOW]["strengths"]
    assert "waiting_times" in a[BARNET]["improvements"]
    assert "waiting_times" not in a[HOUNSLOW]["improvements"] + a[EALING]["improvements"]
    assert rec["sector"] == {"strengths": [], "improvements": []}


@pytest.mark.parametrize("text, expected", [
    ("Sutton Council was rated requires improvement by the CQC, while Kingston Council was rated good.",
     {SUTTON: ("requires_improvement", None), KINGSTON: ("good", None)}),
    ("The CQC published reports on two councils this week. Kingston Council scored 70% and was rated good. "
     "Sutton Council was rated requires improvement with a score of 55%.",
     {KINGSTON: ("good", 70), SUTTON: ("requires_improvement", 55)}),
    ("The CQC rated Kingston Council good overall. Sutton Council, by contrast, was rated inadequate with a "
     "score of 35%.",
     {SUTTON: ("inadequate", 35)}),
])
def test_fact_goes_to_nearest_preceding_council(record_of, text, expected):
    assert facts(record_of(text)).items() >= expected.items()


@pytest.mark.parametrize("text", [
    "Camden Council's adult social care was rated good by the CQC. The authority scored 72%.",
    "Camden Council was assessed by the CQC in May. The council received an overall score of 72% and a rating "
    "of good.",
    "Camden Council was assessed by the Care Quality Commission. It was rated good, with a score of 72%.",
])
def test_generic_reference_follows_the_council(record_of, text):
    assert facts(record_of(text)) == {CAMDEN: ("good", 72)}


def test_headline_before_council_name(record_of):
    text = ("Rated good by the regulator\n\n"
            "Camden Council's adult social care services have been rated good by the Care Quality Commission "
            "following an assessment.")
    assert facts(record_of(text)) == {CAMDEN: ("good", None)}


def test_home_council_of_minutes(record_of):
    text = ("Report to Cabinet\n\n"
            "The council's adult social care services were assessed by the Care Quality Commission in June and "
            "rated good. The council scored 3 for safeguarding.\n\n"
            "Prepared by Camden Council, adult social care directorate.")
    rec = record_of(text)
    assert facts(rec) == {CAMDEN: ("good", None)}
    assert rec["assessments"][0]["quality_statements"] == {"safeguarding": 3}


@pytest.mark.parametrize("text, assessed", [
    ("Camden Council's adult social care was rated good by the CQC. Leaders in neighbouring Islington said they "
     "hoped for a similar result.", [CAMDEN]),
    ("Camden Council was rated good by the CQC. Unison members at Camden and Islington councils staged a protest "
     "about pay. Islington Council said it was working with Camden on a joint housing scheme.", [CAMDEN]),
    ("Camden Council was rated good by the CQC. Separately, Ofsted rated Islington Council's children's services "
     "outstanding.", [CAMDEN]),
    ("Unison members at Wirral Council will strike next week over pay. The union said morale was low.", []),
    ("Islington Council is preparing for its CQC assessment, which is expected next year.", []),
    ("Camden Council's children's services were rated outstanding by Ofsted last year.", []),
])
def test_merely_mentioned_councils_are_not_assessed(record_of, text, assessed):
    assert [a["council"] for a in record_of(text)["assessments"]] == assessed


def test_council_named_in_tally_brackets_gets_that_rating(record_of):
    text = ("The CQC has published its latest assessments. Of the 20 councils assessed, one was rated "
            "outstanding (Camden), 15 good and four requires improvement.")
    rec = record_of(text)
    assert facts(rec) == {CAMDEN: ("outstanding", None)}
    assert rec["tallies"] == [{"councils": 20, "outstanding": 1, "good": 15, "requires_improvement": 4,
                               "inadequate": None}]


def test_sector_findings_from_a_regulator_summary(record_of):
    text = ("In its annual report, the CQC said councils across England struggled to recruit and keep social "
            "workers. Many local authorities had long waiting lists for assessments. Most councils worked well "
            "with NHS partners on hospital discharge.")
    rec = record_of(text)
    assert rec["assessments"] == []
    assert "waiting_times" in rec["sector"]["improvements"]
    assert rec["sector"]["strengths"]
    assert all(s["council"] is None for s in rec["finding_spans"])


def test_council_findings_are_not_sector_findings(record_of):
    text = ("Camden Council's adult social care was rated good by the Care Quality Commission. Inspectors found "
            "strong partnerships with the NHS. However, people waited too long for assessments.")
    rec = record_of(text)
    [a] = rec["assessments"]
    assert "partnerships" in a["strengths"] and "waiting_times" in a["improvements"]
    assert rec["sector"] == {"strengths": [], "improvements": []}


def test_strike_story_has_no_sector_findings(record_of):
    text = "Unison members at Wirral Council will strike next week over pay. The union said morale was low."
    assert record_of(text)["sector"] == {"strengths": [], "improvements": []}


def test_council_waiting_for_assessment_is_not_assessed(record_of):
    text = ("Camden Council has been rated good by the Care Quality Commission. The council scored 3 for "
            "safeguarding. Barnet Council, meanwhile, is still waiting for its assessment.")
    assert [a["council"] for a in record_of(text)["assessments"]] == [CAMDEN]


def test_councils_listed_after_a_count_get_that_rating(record_of):
    text = "Of the 12 London councils assessed, four were rated outstanding, including Camden and Barnet."
    assert facts(record_of(text)) == {CAMDEN: ("outstanding", None), BARNET: ("outstanding", None)}


@pytest.mark.parametrize("attrs, expected", [({"word": (12, 16)}, 12), ({"number": (20, 22)}, 20), ({}, 5)])
def test_anchor(attrs, expected):
    m = Mention("rating", 5, 30, "good", "rating:test", attrs=attrs)
    assert anchor(m) == expected


def test_a_rating_said_of_a_list_of_councils_goes_to_each(record_of):
    rec = record_of("CQC rates Barnet, Enfield and Haringey good\n\n"
                    "Three north London councils have been rated good for adult social care.")
    assert {(a["council"], a["rating"]) for a in rec["assessments"]} == {
        ("E09000003", "good"), ("E09000010", "good"), ("E09000014", "good")}


def test_a_list_ends_where_the_sentence_turns_to_another_council(record_of):
    rec = record_of("Of the 10 councils in the region, Leeds and Bradford were rated good by the CQC.")
    assert {a["council"] for a in rec["assessments"]} == {"E08000035", "E08000032"}


def test_title_naming_only_the_council_takes_the_cue_of_the_heading_under_it():
    import carextract

    r = carextract.extract("West Northamptonshire Council\nAdult social care: our CQC assessment at a glance\n\n"
                           "Overall rating: Requires improvement\nOverall score: 58%\n")
    assert [(a.council.code, a.rating.value, a.score) for a in r.assessments] == [("E06000062", "requires_improvement", 58)]


def test_a_table_of_ratings_assesses_each_council_in_its_row():
    import carextract

    r = carextract.extract("North East ratings\n\n| Council | Rating | Score |\n|---|---|---|\n"
                           "| Northumberland | Good | 74% |\n| Stockton-on-Tees | Requires improvement | 61% |\n")
    assert [(a.council.code, a.rating.value, a.score) for a in r.assessments] == [
        ("E06000057", "good", 74), ("E06000004", "requires_improvement", 61)]


def test_figures_alone_make_no_assessment():
    import carextract

    r = carextract.extract("Regional benchmarking, March 2025. Portsmouth City Council was rated good by the CQC. "
                           "Medway Council, whose assessment will take place in the summer, had 24.0% of people "
                           "receiving direct payments (South East 27.9%).")
    assert [a.council.code for a in r.assessments] == ["E06000044"]


def test_one_rating_for_a_list_of_councils():
    import carextract

    r = carextract.extract("The CQC rated Knowsley Council good, while Wirral, Halton, Sefton and St Helens were each "
                           "told they require improvement.")
    assert [(a.council.short_name, a.rating.value) for a in r.assessments] == [
        ("Knowsley", "good"), ("Wirral", "requires_improvement"), ("Halton", "requires_improvement"),
        ("Sefton", "requires_improvement"), ("St Helens", "requires_improvement")]


def test_a_rating_in_a_sentence_about_the_assessment_goes_to_the_home_council(record_of):
    """Minutes name the council once; 'the assessment ... resulted in an overall rating of Good' is its rating."""
    text = ("Camden Council – Health Scrutiny Committee, minutes\n\n"
            "The Director introduced the report on the Care Quality Commission's assessment of the Council's adult "
            "social care functions. The assessment, which included a site visit in March, had resulted in an overall "
            "rating of Good and a score of 68%.")
    assert facts(record_of(text)) == {CAMDEN: ("good", 68)}


def test_a_neighbouring_council_named_beside_the_assessed_one_takes_none_of_its_findings(record_of):
    text = ("Camden Council was rated good by the CQC, and Islington Council requires improvement. The CQC noted that "
            "Camden had shared a care records system with neighbouring Barnet Council until last year. Inspectors "
            "found that people waited too long for occupational therapy assessments.")
    assert BARNET not in [a["council"] for a in record_of(text)["assessments"]]


def test_a_page_getting_ready_for_its_assessment_has_no_assessment(record_of):
    """A council's own page before its assessment lists what it thinks of itself: no verdict, no findings."""
    text = ("Getting ready for our CQC assessment of adult social care\n\n"
            "Camden Council will be assessed by the Care Quality Commission in the coming months.\n\n"
            "In our own view:\n"
            "• our partnership with the NHS is a real strength;\n"
            "• too many people are still waiting for an assessment, and we are working to bring waits down.")
    rec = record_of(text)
    assert rec["assessments"] == [] and rec["sector"] == {"strengths": [], "improvements": []}


# -- outcomes said of a council without naming it in their sentence (issue 15) ------------------------------------

@pytest.mark.parametrize("text,expected", [
    # one rating shared by the list before: "Each ...", "All three ..."
    ("The CQC has published its reports on Hertfordshire, West Berkshire, and the London Borough of Hounslow. Each "
     "achieved an overall rating of 'good'.", {"E10000015": "good", "E06000037": "good", HOUNSLOW: "good"}),
    ("The CQC has published its reports on Camden, Islington and Sutton. All three were rated good.",
     {CAMDEN: "good", ISLINGTON: "good", SUTTON: "good"}),
    ("The only councils rated outstanding by the CQC so far are Camden along with Kensington and Chelsea.",
     {CAMDEN: "outstanding", "E09000020": "outstanding"}),
    # "It" is the council named in the sentence before, not one named later
    ("The CQC has assessed two more councils. Take Islington, the most recent to be published. It was rated good. "
     "Or Sutton, rated requires improvement.", {ISLINGTON: "good", SUTTON: "requires_improvement"}),
    # a headline's rating goes to the council named under it
    ("First council rated 'Outstanding' for both children's and adults' services\n\nThe London Borough of Camden is "
     "the only authority with top grades from Ofsted and the CQC.", {CAMDEN: "outstanding"}),
    # a council's own page: "us", the only council it names
    ("Inspectors from the CQC visited us in June 2025. The CQC found that the adult social care services provided by "
     "us require improvement. People in the London Borough of Sutton deserve better.", {SUTTON: "requires_improvement"}),
])
def test_outcome_of_an_unnamed_council(record_of, text, expected):
    assert {a["council"]: a["rating"] for a in record_of(text)["assessments"]} == expected


def test_it_before_a_list_is_the_regulator(record_of):
    text = "The CQC said it had rated three more councils good: Barnet, Enfield and Haringey."
    assert {a["council"]: a["rating"] for a in record_of(text)["assessments"]} == {
        BARNET: "good", "E09000010": "good", "E09000014": "good"}


def test_score_said_of_the_authority_before_a_council_named_beside_it(record_of):
    text = ("The Care Quality Commission rated Camden Council good. Inspectors awarded the authority an overall score "
            "of 81, which places it joint third in the country, alongside Wokingham Council.")
    assert facts(record_of(text)) == {CAMDEN: ("good", 81)}


def test_the_publishers_our_does_not_speak_for_a_council():
    """'our tracker' is the publication's voice, not a council's: the listed councils keep the rating."""
    import carextract

    text = ("The regulator has now published ratings for 150 councils. According to our tracker, the five "
            "outstanding councils are Camden, North Tyneside, Kingston upon Thames, Wiltshire and Rutland.")
    got = sorted(a.council.short_name for a in carextract.extract(text).assessments if a.rating)
    assert got == ["Camden", "Kingston upon Thames", "North Tyneside", "Rutland", "Wiltshire"]


def test_a_council_placed_by_reference_places_the_facts_after_it():
    """'The Council received ...' names no council, yet once it is placed the statement scores after it follow."""
    import carextract

    text = ("1.1 The CQC published its assessment of Warwickshire County Council on 15 August 2025.\n"
            "The Council received an overall rating of Good, with an overall percentage score of 72%.\n"
            "1.2 The quality statement scores were as follows: Assessing needs 3; Safeguarding 3; "
            "Equity in experience and outcomes 2.")
    a = carextract.extract(text).assessments
    assert [x.council.short_name for x in a] == ["Warwickshire"]
    assert a[0].quality_statements == {"assessing_needs": 3, "safeguarding": 3, "equity_in_experience": 2}


def test_a_council_named_in_an_aside_between_subject_and_verb_does_not_take_the_fact():
    text = ("Blackpool Council was rated inadequate by the Care Quality Commission in May. "
            "Lancashire County Council, which surrounds Blackpool, was rated requires improvement in August.")
    got = {a.council.code: a.rating.value for a in carextract.extract(text).assessments}
    assert got == {"E06000009": "inadequate", "E10000017": "requires_improvement"}


def test_a_rating_after_an_indefinite_article_in_a_sentence_about_no_council_is_no_ones():
    text = ("Opinion: A 'good' rating doesn't mean good enough\n\n"
            "Of the first eight councils with published reports, seven were rated good and one – Nottingham – "
            "requires improvement.")
    got = {a.council.code: a.rating for a in carextract.extract(text).assessments}
    assert got.get("E06000018") is None or got["E06000018"].value == "requires_improvement"
    said = carextract.extract("Leeds City Council was assessed by the CQC this year. It was given a 'good' rating.")
    assert [a.rating.value for a in said.assessments] == ["good"]


def test_a_councils_own_paper_calls_itself_the_council_after_naming_others():
    text = ("Essex County Council: Cabinet report\n\n"
            "2.1 To note that the CQC has rated the Council's adult social care as Good.\n\n"
            "5.1 Hertfordshire and Suffolk have been rated Good; Norfolk has been rated Requires Improvement. "
            "Officers note that the Council's score of 75% is among the highest published in the region.\n")
    got = {a.council.code: (a.rating.value if a.rating else None, a.score) for a in carextract.extract(text).assessments}
    assert got["E10000012"] == ("good", 75)
    assert got["E10000020"] == ("requires_improvement", None)


def test_the_county_and_the_city_are_the_councils_of_those_kinds_in_the_sentence():
    text = ("Derbyshire County Council and Leicester City Council have received their Care Quality Commission "
            "assessment reports, with the county rated good and the city requiring improvement.")
    got = {a.council.code: a.rating.value for a in carextract.extract(text).assessments}
    assert got == {"E10000007": "good", "E06000016": "requires_improvement"}


def test_a_self_assessments_label_lines_are_not_the_cqcs_scores():
    text = ("London Borough of Bexley\nAdult Social Care Self-Assessment 2025\nSummary\n\n"
            "Overall, we judge our performance to be good. Our self-assessed scores for each quality statement are:\n\n"
            "Assessing needs: 3 (Good)\nSafeguarding: 3 (Good)\nEquity in experience and outcomes: 2 (Requires improvement)\n")
    assert carextract.extract(text).assessments == []


def test_a_figure_said_of_a_council_not_assessed_in_the_text_is_not_the_focus_councils():
    text = ("Essex County Council was rated good by the CQC this week. Carers in Essex were praised. "
            "In Sheffield, 43.1% of carers reported financial difficulties because of caring, compared with "
            "39.9% nationally.")
    [a] = carextract.extract(text).assessments
    assert a.council.code == "E10000012" and a.metrics == []


def test_a_visit_alone_makes_no_assessment():
    text = ("Nottinghamshire County Council\nAdult Social Care Peer Challenge\nFeedback report\n"
            "On-site: 4 – 7 March 2024\n\nThe peer team spoke with over 180 people.\n")
    assert carextract.extract(text).assessments == []


def test_a_paper_on_preparing_for_the_assessment_gives_its_council_no_findings():
    text = ("HAMPSHIRE COUNTY COUNCIL\nHealth and Adult Social Care Select Committee\n\n"
            "Title: Preparing for the Care Quality Commission assessment of adult social care\n\n"
            "1.1 Hampshire has not yet been notified of the date of its assessment.\n"
            "1.2 Waiting lists for assessments remain too long, and support for unpaid carers needs to improve.\n")
    assert [a.council.code for a in carextract.extract(text).assessments] == []


def test_a_figure_about_childrens_services_is_no_adult_social_care_metric():
    text = ("Trafford Council was rated requires improvement by the CQC. "
            "Ninety-eight per cent of early years settings in Trafford are now rated good or outstanding by Ofsted, "
            "above the national average of 96 per cent.")
    [a] = carextract.extract(text).assessments
    assert a.metrics == []


def test_a_text_about_something_else_has_no_sector_findings():
    text = ("CQC Statement On The Quality of Adult Social Care\n\n"
            "The Care Quality Commission published three documents on 3 December 2009.\n\n"
            "However, one quarter of councils are rated only \"adequate\" in terms of giving people choice and "
            "control over their care.\n")
    assert carextract.extract(text).sector == []


def test_findings_said_before_the_outcome_that_makes_their_council_eligible_go_to_it():
    text = ("Wakefield Council was a 'hair's breadth' from having its adult social services rated as good by the "
            "Care Quality Commission, a meeting heard.\n\n"
            "The report highlighted strengths including strong leadership and a dedicated and skilled workforce.\n\n"
            "The council's corporate director told a scrutiny committee that services had been given an overall "
            "score of 62 following the inspection.\n")
    [a] = carextract.extract(text).assessments
    assert a.council.code == "E08000036" and a.score == 62
    assert {f.theme for f in a.findings} >= {"leadership", "workforce"}


def test_a_score_awarded_to_the_council_with_an_adjective_is_not_the_neighbours():
    text = ("Thurrock Council has been told its adult social care services require improvement. The Care Quality "
            "Commission awarded the financially troubled council an overall score of 57 per cent, placing it alongside "
            "neighbours across the river in Medway, which scored 59 per cent.")
    got = {a.council.code: a.score for a in carextract.extract(text).assessments}
    assert got == {"E06000034": 57, "E06000035": 59}


def test_a_council_named_after_a_comparison_does_not_take_the_score_before_it():
    text = ("East Riding of Yorkshire Council has been rated inadequate by the Care Quality Commission. It received an "
            "overall score of 28, lower than that of Blackpool, which had held the lowest score.")
    got = {a.council.code: a.score for a in carextract.extract(text).assessments}
    assert got == {"E06000011": 28}


def test_minutes_that_speak_of_the_local_authority_before_naming_it():
    text = ("The Director presented the report on the CQC assessment.\n- Members heard the Local Authority rating was\n"
            "‘Requires improvement’.\n- The action plan was welcomed.\n- Members noted that Leicester had scored 56%.\n"
            "- Leicester’s plan would return to the committee.")
    [a] = carextract.extract(text).assessments
    assert (a.council.code, a.rating.value, a.score) == ("E06000016", "requires_improvement", 56)


def test_a_council_named_as_where_a_listed_provider_is_takes_no_rating():
    text = ("The CQC has published 12 reports on care homes and home care agencies in the South West this week.\n"
            "- Orchard View, Bath and North East Somerset: Good\n- Elm Lodge, Bath and North East Somerset: Good\n")
    assert carextract.extract(text).assessments == []


def test_a_headline_rating_that_restates_a_services_rating_in_the_lede_is_no_assessment():
    text = ("Bury wins 'Outstanding' rating from Care Quality Commission\n\n"
            "Bury Council's Shared Lives service has been rated 'Outstanding' after its first CQC inspection.\n\n"
            "Inspectors praised the carers for the kind and safe support they give.")
    assert carextract.extract(text).assessments == []


def test_statement_scores_before_the_only_council_is_named_go_to_it():
    text = ("The watchdog's report on adult social care was published today and gives the service a good rating.\n\n"
            "It rated the service good in 'safeguarding' and 'partnerships and communities'.\n\n"
            "A spokesperson for the regulator said the work of the team stood out.\n\n"
            "Leaders at Rutland County Council said they were proud of staff.\n\n"
            "Staff at Rutland County Council told inspectors they felt supported by managers.\n\n"
            "The council's cabinet will discuss the report next month.")
    [a] = carextract.extract(text).assessments
    assert a.council.code == "E06000017"
    assert a.quality_statements == {"safeguarding": 3, "partnerships_communities": 3}


@pytest.mark.parametrize("text", [
    ("Watchdog criticises Dudley care services\n\nThe Care Quality Commission has taken enforcement action against "
     "two care services run by Dudley Council, after inspectors found they were not meeting basic standards.\n\n"
     "Inspectors found care plans had not been completed and assessments of people's needs had not been carried out. "
     "They said the process for reporting abuse was not robust and the services had too few managers."),
    ("A watchdog has praised the care given to some of the borough's most vulnerable residents.\nFour of Dudley "
     "Council's services have had unannounced visits from the Care Quality Commission and all passed.\nThe CQC report "
     "said staff had a good understanding of people's needs and carers could have a break when they needed one.\n"
     "Inspectors said the service worked well with the NHS to get people home from hospital."),
])
def test_findings_alone_make_no_assessment_in_a_story_about_a_councils_own_care_services(text):
    """No outcome, and nothing in the text speaks of adult social care or the Care Act: inspections of services the
    council runs, whose findings are the services'."""
    assert carextract.extract(text).assessments == []


def test_findings_alone_still_make_an_assessment_in_a_text_about_the_councils_adult_social_care():
    text = ("Inspectors tell Dudley to speed up care assessments\n\nThe CQC has told Dudley Council to improve its adult "
            "social care. Inspectors found that people waited too long for assessments and that unpaid carers struggled "
            "to get breaks.")
    [a] = carextract.extract(text).assessments
    assert a.council.code == "E08000027" and {"waiting_times", "unpaid_carers"} <= set(a.improvements)


def test_a_council_named_after_a_fact_as_a_place_does_not_take_it():
    """"... placed in Essex": where something happened, not whose score it is; the text's own council takes it."""
    text = ("Southend-on-Sea City Council was rated requires improvement by the CQC. The score of 2 for care provision "
            "reflected gaps in specialist dementia support, which meant some residents were placed in Essex.")
    got = {a.council.code: a.quality_statements for a in carextract.extract(text).assessments}
    assert got == {"E06000033": {"care_provision_integration": 2}}


def test_a_rating_said_of_the_assessment_in_a_one_council_text_goes_to_that_council():
    text = ("Agenda pack for Thursday's meeting of Rutland County Council.\n\n"
            "Item 6: CQC local authority assessment\n\n"
            "After the assessment visit in May, inspectors from the Care Quality Commission awarded a rating of "
            "'Good'.")
    r = carextract.extract(text)
    assert [(a.council.code, a.rating) for a in r.assessments] == [("E06000017", "good")]



def test_findings_beside_a_named_council_with_no_outcome_are_not_the_sectors():
    text = ("Cabinet update on adult social care\n\n"
            "The Care Quality Commission now assesses how councils meet their Care Act duties.\n\n"
            "Rutland had seen rising numbers of safeguarding concerns this year. "
            "Waiting lists for occupational therapy had grown and people were waiting too long.")
    r = carextract.extract(text)
    assert r.assessments == [] and r.sector == []



def test_a_sentence_saying_the_council_is_still_to_be_assessed_names_the_council_before_it():
    from carextract.attribution import Attributor
    from carextract.mentions import Kind
    from carextract.pipeline import default_extractor
    from carextract.segment import segment
    text = ("Rutland County Council said its quality team visited every home it funds. "
            "The council's adult social care is itself due to be assessed by the CQC next year.")
    doc = segment(text)
    ms = default_extractor().mentions(doc)
    attributor = Attributor(doc, [m for m in ms if m.kind == Kind.COUNCIL], [m for m in ms if m.kind == Kind.COUNCIL_REF])
    assert attributor._waiting() == {"E06000017"}


def test_the_council_an_only_council_outcome_is_given_to_takes_the_texts_figures_too():
    text = ("Rutland Adult Social Care - Performance Dashboard\n\n"
            "CQC local authority assessment | Overall score: 68%\n\n"
            "Measure\tRutland\tEngland\n"
            "Adults receiving direct payments (%)\t30.6\t25.5\n")
    [a] = carextract.extract(text).assessments
    assert a.council.code == "E06000017" and a.score == 68
    assert [(m.metric, m.value, m.comparator_value) for m in a.metrics] == [("direct_payments", 30.6, 25.5)]

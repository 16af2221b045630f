"""scope.py: the scope cues (rules/scope.json), each record's examples and counter-examples, and no assessment
from any hard-negative record."""

import json
import re
from pathlib import Path

import pytest

import carextract
from carextract.scope import Scope, rules
from carextract.segment import segment
from carextract.vocab import load_json

ROOT = Path(__file__).resolve().parents[1]
RECORDS = load_json("rules/scope.json")["rules"]
EXAMPLES = [(r["id"], r["kind"], text) for r in RECORDS for text in r["examples"]]
COUNTER = [(r["id"], text) for r in RECORDS for text in r["counter_examples"]]


def _pattern(rule_id):
    rule = next(r for r in rules() if r.id == rule_id)
    return re.compile(rule.pattern, re.IGNORECASE)


@pytest.mark.parametrize("record", RECORDS, ids=[r["id"] for r in RECORDS])
def test_every_record_is_complete(record):
    assert record["kind"] in ("other", "own", "modern")
    assert isinstance(record["document"], bool) and record["category"]
    assert record["examples"] and record["counter_examples"]


@pytest.mark.parametrize("rule_id,kind,text", EXAMPLES)
def test_example(rule_id, kind, text):
    """The cue is found; an 'other' cue's example yields no assessment, an 'own' or 'modern' one's does."""
    assert _pattern(rule_id).search(text)
    assessed = carextract.extract(text).assessments
    assert (not assessed) if kind == "other" else assessed


@pytest.mark.parametrize("rule_id,kind,text", EXAMPLES)
def test_every_match_holds_a_literal(rule_id, kind, text):
    """A sentence is searched for a cue only where it holds one of the cue's literals: none may be missed."""
    literals = next(r.literals for r in rules() if r.id == rule_id)
    for m in _pattern(rule_id).finditer(text):
        assert any(lit in m.group().lower() for lit in literals), m.group()


@pytest.mark.parametrize("rule_id,text", COUNTER)
def test_counter_example(rule_id, text):
    assert not _pattern(rule_id).search(text)


@pytest.mark.parametrize("text,kind", [
    ("Hull GP surgery placed in special measures\n\nA GP practice in Hull was rated inadequate.", "nhs"),
    ("LGA Peer Challenge of Adult Social Care\n\nWe invited the LGA to Gateshead.", "peer"),
    ("Date Published : 03 December 2009\n\nWalsall Council's adult social care improved.", "historic"),
    ("Westminster's adult social care earns recognition in CQC report\n\nThe CQC spoke to providers.", None),
    ("Council rated good by the CQC\n\nInspectors noted a shortage of care homes.", None),
    # a first heading that names nothing ("Agenda item") leaves the title to the sentence under it
    ("Agenda item\n\nThe CQC's inspection of the council-run Home Care Service in Rutland found it safe.", "provider"),
    ("News\n\nRutland County Council's adult social care was rated good by the CQC.", None),
])
def test_document_kind_from_title_and_opening(text, kind):
    assert Scope(segment(text)).kind == kind


@pytest.mark.parametrize("text,council", [
    # a council named as the subject, not as what qualifies a provider
    ("Leeds City Council's adult social care was rated good by the CQC, which praised its joint work with the NHS "
     "trust on discharge.", "E08000035"),
    ("A home care agency run by Leeds City Council was rated outstanding by the CQC.", None),
    # a council's own page: "we", "us", named once
    ("Inspectors from the CQC visited us in June. The CQC found that the adult social care services provided by us "
     "require improvement. People in York deserve better.", "E06000014"),
    # in a text about children's services, a named council's outcome must say it is the CQC's
    ("Children's services rated outstanding by Ofsted\n\nA quarter of councils now hold Ofsted's top grade. Of the ten "
     "authorities inspected this year with an outstanding rating, four - Dorset, Durham, Shropshire and York - "
     "improved.", None),
    ("Bury children's services rated good by Ofsted\n\nBury Council's children's services have been rated good by "
     "Ofsted. The judgement comes weeks after Bolton Council received a good rating from the Care Quality "
     "Commission for its adult social care.", "E08000001"),
    # old ratings and the new assessment in one text
    ("In 2008 Croydon was given two stars by the Commission for Social Care Inspection. This week the CQC, under its "
     "new framework, rated Croydon Council as requires improvement, with a score of 54%.", "E09000008"),
])
def test_outcome_kept_or_refused(text, council):
    assessed = [a.council.code for a in carextract.extract(text).assessments]
    assert assessed == ([council] if council else [])


def _records(folder: Path):
    for f in sorted(folder.glob("*.json")):
        record = json.loads(f.read_text(encoding="utf-8"))
        if not isinstance(record, dict) or "assessments" not in record:
            continue
        text = record.get("text")
        if text is None and record.get("text_file"):
            text = (f.parent / record["text_file"]).read_text(encoding="utf-8")
        if text is not None:
            yield record, text


def _hard_negatives():
    """The corpus's hard negatives (a batch's join it once the batch is merged into corpus/)."""
    corpus = ROOT / "corpus"
    return [(r["id"], r, t) for r, t in _records(corpus) if "neg" in r["id"]] if corpus.is_dir() else []


@pytest.mark.parametrize("record_id,record,text", _hard_negatives() or [pytest.param("", None, "", marks=pytest.mark.skip(
    reason="no hard-negative records"))], ids=lambda v: v if isinstance(v, str) and len(v) < 80 else "")
def test_hard_negative_records_make_no_assessment(record_id, record, text, extractor):
    """A hard negative (a care home, Ofsted, a peer challenge, a star rating ...) makes no assessment entry beyond
    the councils its record says were assessed (a text may also report a genuine one beside the negative)."""
    gold = {a["council"] for a in record["assessments"]}
    extra = {a.council.code for a in extractor.extract(text).assessments} - gold
    assert not extra, f"{record_id}: assessments for {sorted(extra)}"


def test_dev_negative_records_make_no_assessment(extractor):
    dev = ROOT.parent / "shared" / "dev" / "gold"
    if not dev.is_dir():
        pytest.skip("../shared/dev/gold is absent")
    made = {r["id"]: [a.council.code for a in extractor.extract(t).assessments]
            for r, t in _records(dev) if not r["assessments"]}
    assert made and not {k: v for k, v in made.items() if v}


def test_findings_alone_of_a_council_still_to_be_assessed_make_no_assessment():
    text = ("Sefton Council has welcomed a report on its reablement team. Inspectors found that staff helped people "
            "home from hospital quickly and that unpaid carers felt well supported. The CQC's assessment of how the "
            "council meets its Care Act duties has not yet taken place in Sefton.")
    assert carextract.extract(text).assessments == []


class _Counting:
    """A compiled pattern that counts its scans."""

    def __init__(self, rx):
        self.rx, self.calls = rx, 0

    def __getattr__(self, name):
        method = getattr(self.rx, name)

        def counted(*args, **kwargs):
            self.calls += 1
            return method(*args, **kwargs)
        return counted


def test_each_sentence_is_scanned_once_however_many_outcomes_it_holds(monkeypatch):
    """A line of a thousand ratings costs one scan of the line, not one per rating (counted, not timed)."""
    import carextract.scope as scope

    counters = {name: _Counting(getattr(scope, name)) for name in ("_CLAUSE_BREAK", "_ONE_COUNCIL", "_CQC")}
    for name, counter in counters.items():
        monkeypatch.setattr(scope, name, counter)
    text = "A care home in Leeds was rated good by the CQC, " + ", ".join(["another home rated good"] * 1000) + "."
    assert carextract.extract(text).assessments == []
    assert all(c.calls <= 2 for c in counters.values()), {k: c.calls for k, c in counters.items()}


def test_rows_under_a_provider_head_line_are_the_providers_and_their_place_names_are_places():
    """A block of short lines whose first line is a provider table's head ("Surgery Name Town Rating"): a council
    named in a row is where the surgery is, and the row's rating is the surgery's."""
    text = ("Ratings this week\n\nCouncil Rating\nDudley Council 🟢Good\n\nNews from GP surgeries\n\n"
            "Surgery Name Town Rating\nHill Street Practice Dudley ⭐Outstanding\nThe Beeches Walsall ⭐Good\n")
    got = [(a.council.code, a.rating.value) for a in carextract.extract(text).assessments]
    assert got == [("E08000027", "good")]


@pytest.mark.parametrize("dateline, kind", [("Leeds,\n4\nMarch\n2016\n", "historic"), ("Leeds,\n4\nMarch\n2025\n", None)])
def test_a_dateline_set_one_word_a_line_dates_the_text(dateline, kind):
    text = dateline + ("\nLeeds adult social care settings beat national figures\n\nA total of 90 per cent of the "
                       "300 Leeds providers are rated good or outstanding compared to a national average of 80 per cent.")
    assert Scope(segment(text)).kind == kind


def test_an_agenda_opening_that_lists_adult_social_care_beside_send_is_not_about_childrens_services():
    """A meeting page whose opening lines run together into one sentence naming adult social care and SEND: the
    text is about both, so the CQC's strengths listed below are the council's."""
    text = ("Scrutiny Committee - Wednesday, 5th March, 2025 10.00 am\nMarch 5, 2025 See the papers on the council "
            "website or watch the meeting online\nThe scrutiny committee of Dorset Council was due to discuss the "
            "improvement of adult social care services, updates on special educational needs and disabilities (SEND) "
            "and the budget.\nAdult social care\nThe committee was to note the findings of the CQC assessment.\n"
            "The CQC identified strengths of the local authority:\n- Positive experiences of Care Act assessments\n"
            "- Good support for unpaid carers\n")
    assert Scope(segment(text)).kind is None
    assert [a.council.code for a in carextract.extract(text).assessments] == ["E06000059"]

"""The rule records: valid, each with examples and counter-examples, and every evidence's rule explained.

Each rule file's examples are run through its recognizer and the whole pipeline by that recognizer's own tests
(tests/recognizers/test_statement_phrases.py, test_tallies.py, tests/test_scope.py); here the shared contract.
"""

import glob
import json
import os

import pytest

import carextract
from carextract.errors import RuleError
from carextract.rules import RuleRecord, explain, rule_records

RECORDS = sorted(rule_records().values(), key=lambda r: r.id)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_rule_files_load():
    assert len(RECORDS) > 20


@pytest.mark.parametrize("record", RECORDS, ids=[r.id for r in RECORDS])
def test_every_record_has_examples_and_counter_examples(record):
    assert record.examples, f"{record.id} ({record.source}) has no examples"
    assert record.counter_examples, f"{record.id} ({record.source}) has no counter-examples"


def test_a_record_without_a_family_is_refused():
    with pytest.raises(ValueError):
        RuleRecord(id="nofamily", kind="x")


def test_rule_error_is_the_librarys_own():
    assert issubclass(RuleError, carextract.CarextractError)


def test_explain_names_each_part_of_a_joined_rule():
    parts = explain("statement_score:after_name+list")
    assert [p.id for p in parts] == ["statement_score:after_name"]
    assert parts[0].regex


def test_explain_an_unknown_rule():
    with pytest.raises(KeyError):
        explain("nothing:here")


def _texts():
    for p in sorted(glob.glob(os.path.join(ROOT, "corpus", "*.json")))[::4]:
        d = json.load(open(p, encoding="utf-8"))
        yield open(os.path.join(ROOT, "corpus", d["text_file"]), encoding="utf-8").read()


def _evidence(result):
    for a in result.assessments:
        yield from a.evidence
        for f in a.findings:
            yield from f.evidence
        for m in a.metrics:
            yield from m.evidence
    for t in result.tallies:
        yield from t.evidence
    for f in result.sector:
        yield from f.evidence


def test_every_evidence_rule_is_explained():
    """Over a quarter of the corpus, every evidence's rule id leads back to a record, a pattern or a mechanism."""
    seen = set()
    for text in _texts():
        for ev in _evidence(carextract.extract(text)):
            if ev.rule not in seen:
                seen.add(ev.rule)
                assert explain(ev), ev.rule
    assert len(seen) > 30


def _load_from(tmp_path, monkeypatch, files):
    """`vocab.load_records` over a folder of our own files."""
    from carextract import vocab
    folder = tmp_path / "rules"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(vocab, "_data", lambda name: tmp_path / name)
    return vocab.load_records("rules", "rules", RuleRecord, "rule record")


RECORD = '{"id": "rating:x", "kind": "rating", "examples": ["a"], "counter_examples": ["b"]}'


def test_the_loader_reads_every_file_and_names_each_records_source(tmp_path, monkeypatch):
    got = _load_from(tmp_path, monkeypatch, {"a.json": '{"rules": [%s]}' % RECORD})
    assert list(got) == ["rating:x"] and got["rating:x"].source == "data/rules/a.json"


@pytest.mark.parametrize("files, message", [
    ({"a.json": "{not json"}, "a.json is not valid JSON"),
    ({"a.json": '{"rules": [{"id": "nocolon", "kind": "rating"}]}'}, "a malformed rule record \\(nocolon\\)"),
    ({"a.json": '{"rules": [%s]}' % RECORD, "b.json": '{"rules": [%s]}' % RECORD}, "defined twice"),
])
def test_the_loader_refuses_a_bad_file_or_record(tmp_path, monkeypatch, files, message):
    with pytest.raises(RuleError, match=message):
        _load_from(tmp_path, monkeypatch, files)

"""cli.py, run in-process: extract (json, record, jsonl, stdin, -o), evaluate (--json, --errors, --floors), schema."""

import io
import json

import pytest

from carextract.cli import main

CAMDEN_TEXT = "Camden Council was rated good by the CQC, with an overall score of 72%."
BARNET_TEXT = "Barnet Council was rated requires improvement by the CQC."


@pytest.fixture
def files(tmp_path):
    a = tmp_path / "camden.txt"
    b = tmp_path / "barnet.txt"
    a.write_text(CAMDEN_TEXT, encoding="utf-8")
    b.write_text(BARNET_TEXT, encoding="utf-8")
    return a, b


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# -- extract -------------------------------------------------------------------------------------

def test_extract_json_one_file(capsys, files):
    code, out, _ = run(capsys, "extract", files[0])
    assert code == 0
    payload = json.loads(out)
    [a] = payload["assessments"]
    assert a["council"]["code"] == "E09000007" and a["rating"] == "good" and a["score"] == 72
    assert payload["source"]["path"] == str(files[0])
    assert payload["error"] is None


def test_extract_json_many_files_is_a_list(capsys, files):
    code, out, _ = run(capsys, "extract", *files)
    assert code == 0
    payload = json.loads(out)
    assert isinstance(payload, list) and len(payload) == 2


def test_extract_record_format(capsys, files):
    code, out, _ = run(capsys, "extract", files[0], "--format", "record")
    assert code == 0
    rec = json.loads(out)
    assert rec["schema"] == "carextract-gold/1" and rec["id"] == str(files[0])
    assert rec["assessments"][0]["council"] == "E09000007"
    assert rec["assessments"][0]["rating"] == "good"


def test_extract_jsonl(capsys, files):
    code, out, _ = run(capsys, "extract", *files, "--format", "jsonl")
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 2
    ratings = [json.loads(line)["assessments"][0]["rating"] for line in lines]
    assert ratings == ["good", "requires_improvement"]


def test_extract_folder(capsys, files):
    code, out, _ = run(capsys, "extract", files[0].parent, "--format", "jsonl")
    assert code == 0 and len(out.strip().splitlines()) == 2


def test_extract_stdin(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(BARNET_TEXT))
    code, out, _ = run(capsys, "extract", "-", "--format", "record")
    assert code == 0
    rec = json.loads(out)
    assert rec["id"] == "-" and rec["assessments"][0]["council"] == "E09000003"


def test_extract_to_output_file(capsys, files, tmp_path):
    target = tmp_path / "out.json"
    code, out, _ = run(capsys, "extract", files[0], "-o", target)
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["assessments"][0]["rating"] == "good"


def test_extract_failure_is_reported_and_run_continues(capsys, files, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a pdf")
    code, out, err = run(capsys, "extract", files[0], broken, "--format", "jsonl")
    assert code == 1
    lines = [json.loads(line) for line in out.strip().splitlines()]
    assert lines[0]["error"] is None and lines[1]["error"]["type"]
    assert "1 of 2 documents failed" in err and "broken.pdf" in err


def test_bad_arguments_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["extract", "x.txt", "--format", "yaml"])
    assert info.value.code == 2
    with pytest.raises(SystemExit):
        main([])


# -- evaluate --------------------------------------------------------------------------------------

@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    good = {"schema": "carextract-gold/1", "id": "camden", "text": CAMDEN_TEXT,
            "assessments": [{"council": "E09000007", "rating": "good", "score": 72}]}
    # labelled deliberately unlike the text, so that rating F1 is below 1
    off = {"schema": "carextract-gold/1", "id": "barnet", "text": BARNET_TEXT,
           "assessments": [{"council": "E09000003", "rating": "inadequate"}]}
    for rec in (good, off):
        (folder / f"{rec['id']}.json").write_text(json.dumps(rec), encoding="utf-8")
    return folder


def test_evaluate_table(capsys, corpus):
    code, out, _ = run(capsys, "evaluate", corpus, "--errors")
    assert code == 0
    assert "2 records" in out and "rating" in out
    assert "barnet" in out and "FP rating" in out and "FN rating" in out


def test_evaluate_json(capsys, corpus):
    code, out, _ = run(capsys, "evaluate", corpus, "--json")
    assert code == 0
    report = json.loads(out)
    assert report["n_records"] == 2
    assert report["fields"]["councils"]["f1"] == 1.0
    assert report["fields"]["rating"]["tp"] == 1 and report["fields"]["rating"]["fp"] == 1
    assert [e["id"] for e in report["errors"]] == ["barnet"]


def test_evaluate_floors_met(capsys, corpus, tmp_path):
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"councils": 1.0, "rating": 0.5}), encoding="utf-8")
    code, _, err = run(capsys, "evaluate", corpus, "--json", "--floors", floors)
    assert code == 0 and "floors met" in err


def test_evaluate_floors_not_met_exits_1(capsys, corpus, tmp_path):
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"councils": 1.0, "rating": 0.9}), encoding="utf-8")
    code, _, err = run(capsys, "evaluate", corpus, "--floors", floors)
    assert code == 1
    assert "FAIL rating" in err and "councils" not in err.split("FAIL rating")[0]


def test_evaluate_unknown_floor_field_exits_2(capsys, corpus, tmp_path):
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"colour": 0.5}), encoding="utf-8")
    code, _, err = run(capsys, "evaluate", corpus, "--floors", floors)
    assert code == 2 and "carextract: error" in err


def test_evaluate_missing_corpus_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "evaluate", tmp_path / "nowhere")
    assert code == 2 and "carextract: error" in err


# -- schema ---------------------------------------------------------------------------------------------

def test_schema(capsys):
    code, out, _ = run(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "DocumentExtraction"
    assert {"assessments", "tallies", "sector", "warnings"} <= set(schema["properties"])


# -- csv, table, html ------------------------------------------------------------------------------

def test_extract_csv_writes_one_file_per_table(capsys, files, tmp_path):
    out = tmp_path / "tables"
    code, _, err = run(capsys, "extract", *files, "--format", "csv", "-o", out)
    assert code == 0 and "tables" in err
    names = {p.name for p in out.iterdir()}
    assert {"assessments.csv", "quality_statements.csv", "metrics.csv", "findings.csv", "tallies.csv"} <= names
    assert "E09000007" in (out / "assessments.csv").read_text(encoding="utf-8")


def test_table_gives_one_row_per_council(capsys, files, tmp_path):
    out = tmp_path / "results.csv"
    code, _, err = run(capsys, "table", *files, "-o", out)
    assert code == 0 and "2 councils" in err
    text = out.read_text(encoding="utf-8")
    assert "E09000007" in text and "E09000003" in text


def test_evaluate_html_report(capsys, corpus, tmp_path):
    page = tmp_path / "report.html"
    code, _, _ = run(capsys, "evaluate", corpus, "--html", page)
    assert code == 0
    html = page.read_text(encoding="utf-8")
    assert "<table" in html and "rating" in html

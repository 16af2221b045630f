"""cli.py, run in-process: extract (json, record, jsonl, csv, stdin, -o), evaluate (--json, --errors, --floors),
table, train's help, schema; every input accounted for and the exit status (0 / 1 some documents failed / 2 the
run failed); output into a closed pipe ends quietly."""

import io
import json
import os
import subprocess
import sys

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
    [payload] = json.loads(out)  # a list, one item per document, however many
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
    [rec] = json.loads(out)
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
    [rec] = json.loads(out)
    assert rec["id"] == "-" and rec["assessments"][0]["council"] == "E09000003"


def test_extract_to_output_file(capsys, files, tmp_path):
    target = tmp_path / "out.json"
    code, out, _ = run(capsys, "extract", files[0], "-o", target)
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))[0]["assessments"][0]["rating"] == "good"


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


# -- the same shape for one document as for many -----------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "record"])
def test_one_file_and_many_give_the_same_shape(capsys, files, fmt):
    _, one, _ = run(capsys, "extract", files[0], "--format", fmt)
    _, many, _ = run(capsys, "extract", *files, "--format", fmt)
    one, many = json.loads(one), json.loads(many)
    assert isinstance(one, list) and isinstance(many, list) and len(one) == 1 and len(many) == 2
    assert one[0] == many[0]


# -- nothing written where it was not asked for ------------------------------------------------------

def test_csv_to_a_file_name_is_refused_without_making_a_folder(capsys, files, tmp_path):
    target = tmp_path / "out.csv"
    code, _, err = run(capsys, "extract", *files, "--format", "csv", "-o", target)
    assert code == 2 and "folder" in err
    assert not target.exists()


def test_csv_and_table_never_write_into_the_current_folder_unasked(capsys, files, tmp_path, monkeypatch):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    code, _, err = run(capsys, "extract", *files, "--format", "csv")
    assert code == 2 and "-o DIR" in err
    with pytest.raises(SystemExit) as info:
        main(["table", str(files[0])])
    assert info.value.code == 2
    capsys.readouterr()
    assert list(cwd.iterdir()) == []


def test_progress_bar_shows_the_total(capsys, files):
    code, _, err = run(capsys, "extract", *files, "--format", "jsonl", "--progress")
    assert code == 0 and "2/2" in err


def test_train_help_names_its_default_corpus(capsys):
    with pytest.raises(SystemExit) as info:
        main(["train", "--help"])
    assert info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps its help to the terminal's width
    assert "default: corpus" in out


def test_evaluate_help_points_to_the_record_format(capsys):
    with pytest.raises(SystemExit):
        main(["evaluate", "--help"])
    assert "docs/RECORD_FORMAT.md" in capsys.readouterr().out


@pytest.mark.parametrize("extra", [[], ["--floors", "FLOORS"], ["--json"]])
def test_evaluate_without_records_fails_with_a_message(capsys, tmp_path, extra):
    empty = tmp_path / "empty"
    empty.mkdir()
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"councils": 0.5}), encoding="utf-8")
    code, out, err = run(capsys, "evaluate", empty, *[str(floors) if x == "FLOORS" else x for x in extra])
    assert code == 2 and "no labelled records" in err
    assert "1.000" not in out and "floors met" not in err


# -- every input accounted for; 1 = some documents failed, 2 = the run failed (issue 18) ----------

@pytest.fixture
def folder_with_a_bad_file(tmp_path, monkeypatch):
    """A folder of three files; reading the middle one raises an exception that is not the library's."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in (("a.txt", CAMDEN_TEXT), ("b.txt", "anything"), ("c.txt", BARNET_TEXT)):
        (folder / name).write_text(text, encoding="utf-8")
    import carextract.reading as reading

    real = reading.read

    def read(path):
        if str(path).endswith("b.txt"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(path)

    monkeypatch.setattr(reading, "read", read)
    return folder


@pytest.mark.parametrize("fmt", ["json", "record", "jsonl"])
def test_a_file_failing_with_any_exception_is_accounted_for_in_order(capsys, folder_with_a_bad_file, fmt):
    code, out, err = run(capsys, "extract", folder_with_a_bad_file, "--format", fmt)
    assert code == 1
    items = [json.loads(line) for line in out.splitlines()] if fmt == "jsonl" else json.loads(out)
    assert len(items) == 3
    errors = [x.get("error") for x in items]
    assert errors[0] is None and errors[2] is None and "RecursionError" in errors[1]["type"]
    ids = [x["id"] if fmt == "record" else x["source"]["path"] for x in items]
    assert [os.path.basename(i) for i in ids] == ["a.txt", "b.txt", "c.txt"]
    assert "1 of 3 documents failed" in err and "b.txt" in err and "Traceback" not in err


def test_a_document_failing_inside_extraction_is_accounted_for(capsys, files, monkeypatch):
    from carextract.pipeline import Extractor

    real = Extractor.extract

    def extract(self, text, **kw):
        if "Camden" in text:
            raise MemoryError("pretend")
        return real(self, text, **kw)

    monkeypatch.setattr(Extractor, "extract", extract)
    code, out, err = run(capsys, "extract", *files)
    assert code == 1
    payload = json.loads(out)
    assert payload[0]["error"]["type"] == "builtins.MemoryError" and payload[1]["error"] is None


def test_a_folder_that_cannot_be_walked_is_one_failed_input(capsys, files, monkeypatch):
    import carextract.reading as reading

    real = reading.iter_paths

    def iter_paths(paths, **kw):
        if any("broken" in str(p) for p in paths):
            raise OSError(40, "Too many levels of symbolic links")
        return real(paths, **kw)

    monkeypatch.setattr(reading, "iter_paths", iter_paths)
    code, out, err = run(capsys, "extract", files[0], "broken-folder", files[1], "--format", "jsonl")
    assert code == 1
    lines = [json.loads(line) for line in out.splitlines()]
    assert [x["error"] is None for x in lines] == [True, False, True]
    assert "broken-folder" in err


def test_the_run_itself_failing_exits_2(capsys, files, tmp_path):
    code, _, err = run(capsys, "extract", files[0], "-o", tmp_path / "no" / "such" / "folder" / "out.json")
    assert code == 2 and "carextract: error" in err and "Traceback" not in err


def test_table_reports_failed_documents(capsys, folder_with_a_bad_file, tmp_path):
    code, _, err = run(capsys, "table", folder_with_a_bad_file, "-o", tmp_path / "t.csv")
    assert code == 1 and "1 of 3 documents failed" in err and "b.txt" in err
    assert "E09000007" in (tmp_path / "t.csv").read_text(encoding="utf-8")


# -- a reader that stops early ---------------------------------------------------------------------------

class ClosedPipe(io.TextIOBase):
    def write(self, s):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize("command", ["extract", "extract-jsonl", "evaluate", "schema", "train"])
def test_a_closed_pipe_ends_every_subcommand_quietly(capsys, monkeypatch, files, corpus, command):
    import carextract.training.findings as train

    card = {"cross_validation": {"overall": {"f1": 1.0}},
            "evaluation": {"corpus": {"grouped_cv": {"f1": 1.0}, "in_sample": {"f1": 1.0}}}}
    monkeypatch.setattr(train, "train", lambda *a, **kw: card)  # what train prints, without training
    argv = {"extract": ["extract", *files], "extract-jsonl": ["extract", *files, "--format", "jsonl"],
            "evaluate": ["evaluate", corpus], "schema": ["schema"], "train": ["train", corpus]}[command]
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    code = main([str(a) for a in argv])
    err = capsys.readouterr().err
    assert code == 141 and err == ""


def test_a_closed_pipe_in_a_real_process_leaves_no_traceback(files):
    """As `carextract ... | head` does: the reader closes before the output is written."""
    for argv in (["schema"], ["extract", str(files[0]), str(files[1]), "--format", "jsonl"]):
        p = subprocess.Popen([sys.executable, "-m", "carextract.cli", *argv], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        p.stdout.close()
        err = p.stderr.read().decode()
        p.wait()
        p.stderr.close()
        assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err, err


def test_a_floor_of_zero_is_met_by_a_field_scoring_zero(capsys, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    rec = {"schema": "carextract-gold/1", "id": "camden", "text": CAMDEN_TEXT,
           "assessments": [{"council": "E09000007", "rating": "good", "score": 72}],
           "tallies": [{"councils": 20, "good": 5}]}  # a tally the text does not give: F1 0
    (folder / "camden.json").write_text(json.dumps(rec), encoding="utf-8")
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"tallies": 0.0, "councils": 0.0}), encoding="utf-8")
    code, out, err = run(capsys, "evaluate", folder, "--json", "--floors", floors)
    assert json.loads(out)["fields"]["tallies"]["f1"] == 0.0
    assert code == 0 and "all 2 floors met" in err


def test_ci_floor_files_name_known_fields_only():
    from pathlib import Path

    from carextract.evaluation import FIELDS

    ci = Path(__file__).resolve().parents[1] / "ci"
    for name in ("seed_floors.json", "dev_floors.json", "corpus_floors.json"):
        floors = json.loads((ci / name).read_text(encoding="utf-8"))
        assert set(floors) == set(FIELDS), name
        assert all(isinstance(v, (int, float)) and 0.0 <= v <= 1.0 for v in floors.values()), name


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
def test_entries_a_folder_walk_skips_are_accounted_for_in_place(capsys, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(CAMDEN_TEXT, encoding="utf-8")
    os.mkfifo(folder / "b.fifo")  # a FIFO would block a reader: it is skipped, and said to be
    os.symlink(folder / "loop", folder / "loop")  # a symlink loop
    (folder / "c.txt").write_text(BARNET_TEXT, encoding="utf-8")
    code, out, err = run(capsys, "extract", folder, "--format", "jsonl")
    assert code == 1
    lines = [json.loads(line) for line in out.splitlines()]
    names = [os.path.basename(x["source"]["path"]) for x in lines]
    assert names == ["a.txt", "b.fifo", "c.txt", "loop"]
    assert [x["error"] is None for x in lines] == [True, False, True, False]
    assert "2 of 4 documents failed" in err

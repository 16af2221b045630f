"""Command line: carextract extract | evaluate | train | table | schema.

Exit status: 0 when everything went well; 1 when the run finished but some documents failed (each is
reported, in order, with the others' results) or, for `evaluate --floors`, a floor was not met; 2 when the
run itself failed (bad arguments, no records to evaluate, an output that cannot be written). Output piped
into a reader that stops early (`| head`) ends the run quietly.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .errors import CarextractError

RECORD_FORMAT = "docs/RECORD_FORMAT.md"
"""Where the carextract-gold/1 record format is described (in the repository)."""


class RunError(CarextractError):
    """The run itself cannot go on (exit status 2)."""


def _files(paths: list[str]) -> list[tuple[str, Path | Exception | None]]:
    """(name, file) for every input, in order: files as given, folders expanded, '-' (stdin) as None. An
    entry of a folder that is not read (a FIFO, a device, a symlink loop, a folder that cannot be listed)
    gives its name with the reason, in its place, so it is reported like a file that failed."""
    from .errors import ReadError
    from .reading import iter_paths

    out: list[tuple[str, Path | Exception | None]] = []
    for p in paths:
        if p == "-":
            out.append(("-", None))
            continue
        skipped: list[tuple[str, str]] = []
        reported = 0

        def flush() -> None:  # entries skipped so far come before the next file in the walk's order
            nonlocal reported
            for name, why in skipped[reported:]:
                out.append((name, ReadError(f"not read: {why}")))
            reported = len(skipped)

        try:
            for f in iter_paths([p], skipped=skipped):
                flush()
                out.append((str(f), f))
            flush()
        except Exception as e:  # noqa: BLE001 - a folder that cannot be walked is one failed input
            flush()
            out.append((p, e))
    return out


def _documents(files: list[tuple[str, Path | Exception | None]]):
    """(file index, name, SourceDocument | str | Exception) per document, in input order: a file that cannot
    be read, for whatever reason, gives its exception in its place and the run goes on."""
    from .reading import read

    for k, (name, f) in enumerate(files):
        if isinstance(f, Exception):
            yield k, name, f
            continue
        try:
            docs = sys.stdin.read() if f is None else read(f)
        except Exception as e:  # noqa: BLE001 - one unreadable file never stops the run
            yield k, name, e
            continue
        if isinstance(docs, str):
            yield k, name, docs
            continue
        if not docs:
            yield k, name, RunError(f"{name}: no document in it")
        for i, d in enumerate(docs):
            yield k, (name if len(docs) == 1 else f"{name}#{i + 1}"), d


def _extracted(ex, name: str, item):
    """The result for one document; any failure becomes a result whose `error` says what went wrong."""
    from .results import failed
    from .results import SourceInfo

    if isinstance(item, Exception):
        return failed(item, SourceInfo(path=name))
    if isinstance(item, str):
        text, src = item, SourceInfo(path=name)
    else:
        text, src = item.text, SourceInfo(path=name, title=item.title, url=item.url, date=item.date)
    try:
        return ex.extract(text, source=src, keep_text=False)
    except Exception as e:  # noqa: BLE001 - one bad document never stops the run
        return failed(e, src)


def _progress(enabled: bool | None, total: int):
    from tqdm import tqdm

    show = enabled if enabled is not None else sys.stderr.isatty()
    return tqdm(total=total, disable=not show, file=sys.stderr, unit="file")


def _csv_folder(output: str | None) -> Path:
    """The folder the csv tables go to: -o must name one (never the current folder unasked, never a
    folder called 'x.csv')."""
    if not output:
        raise RunError("--format csv writes one file per table into a folder: name it with -o DIR")
    folder = Path(output)
    if folder.suffix.lower() == ".csv" or (folder.exists() and not folder.is_dir()):
        raise RunError(f"--format csv writes one file per table into a folder, and {output} names a file: "
                       "give -o a folder (or use 'carextract table PATH -o FILE.csv' for one table)")
    return folder


def _cmd_extract(args) -> int:
    from .pipeline import Extractor

    folder = _csv_folder(args.output) if args.format == "csv" else None
    files = _files(args.paths)
    ex = Extractor()
    failures = []
    out = sys.stdout
    if args.output and folder is None:
        try:
            out = open(args.output, "w", encoding="utf-8")
        except OSError as e:
            raise RunError(f"cannot write {args.output}: {e.strerror or e}") from e
    results = []  # kept only for the formats that write everything at the end
    n_done = 0
    try:
        with _progress(args.progress, len(files)) as bar:
            last = -1
            for k, name, item in _documents(files):
                n_done += 1
                r = _extracted(ex, name, item)
                if r.error:
                    failures.append((name, r.error))
                if args.format == "jsonl":
                    out.write(json.dumps(_payload(r, name, "json"), ensure_ascii=False) + "\n")
                    out.flush()
                else:
                    results.append((name, r))
                if k != last:
                    bar.update(k - last)
                    last = k
        if folder is not None:
            from .frames import write_csv_tables

            write_csv_tables({n: r for n, r in results}, folder)
            print(f"wrote tables to {folder}/", file=sys.stderr)
        elif args.format != "jsonl":
            payload = [_payload(r, n, args.format) for n, r in results]
            out.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return _report_failures(failures, n_done)


def _report_failures(failures: list, n_done: int) -> int:
    """The documents that failed, one line each on stderr; the exit status (1 when any failed)."""
    if not failures:
        return 0
    print(f"{len(failures)} of {n_done} documents failed:", file=sys.stderr)
    for name, err in failures:
        print(f"  {name}: {err.type}: {err.message}", file=sys.stderr)
    return 1


def _payload(r, name: str, fmt: str):
    if fmt == "record":
        record = r.to_record(id=name)
        if r.error:  # a record of no facts would hide the failure
            record["error"] = r.error.model_dump(mode="json")
        return record
    return r.model_dump(mode="json")


def _cmd_evaluate(args) -> int:
    from .evaluation import evaluate

    report = evaluate(args.corpus)
    if report.n_records == 0:
        raise RunError(f"no labelled records in {', '.join(args.corpus)}: evaluate reads carextract-gold/1 "
                       f"records (*.json, *.jsonl; see {RECORD_FORMAT})")
    if args.json:
        print(json.dumps({"n_records": report.n_records, "fields": report.summary(),
                          "errors": [e.model_dump(mode="json") for e in report.errors],
                          "failed": [{"id": d, "error": err} for d, err in report.failed]}, indent=2, default=list))
    else:
        print(f"{report.n_records} records")
        print(report.table())
        if args.errors:
            for e in report.errors:
                print(f"\n{e.id}")
                for f, items in e.false_positives.items():
                    for t in items:
                        print(f"  FP {f}: {t}")
                for f, items in e.false_negatives.items():
                    for t in items:
                        print(f"  FN {f}: {t}")
    for doc, error in report.failed:
        print(f"extraction failed for {doc}: {error} (scored as finding nothing)", file=sys.stderr)
    if args.html:
        from .rendering import render_evaluation

        render_evaluation(report, args.html)
    if args.floors:
        floors = json.loads(Path(args.floors).read_text(encoding="utf-8"))
        below = report.below(floors)
        for name, (f1, floor) in below.items():
            print(f"FAIL {name}: F1 {f1:.3f} < floor {floor:.3f}", file=sys.stderr)
        if report.failed:
            print(f"FAIL {len(report.failed)} records could not be extracted", file=sys.stderr)
        if below or report.failed:
            return 1
        print(f"all {len(floors)} floors met", file=sys.stderr)
    return 0


def _cmd_train(args) -> int:
    from .training.findings import train

    card = train(args.corpus, args.output)
    print(json.dumps({path: {"grouped_cv": e["grouped_cv"], "in_sample": e["in_sample"]}
                      for path, e in card["evaluation"].items()}, indent=2))
    return 0


def _cmd_table(args) -> int:
    from .aggregation import aggregate, write_table
    from .pipeline import Extractor

    if not args.output:
        raise RunError("table writes a CSV file: name it with -o FILE.csv")
    files = _files(args.paths)
    ex = Extractor()
    results = {}
    failures = []
    n_done = 0
    for _, name, item in _documents(files):
        n_done += 1
        r = _extracted(ex, name, item)
        if r.error:
            failures.append((name, r.error))
        else:
            results[name] = r
    rows = aggregate(results)
    try:
        write_table(rows, args.output)
    except OSError as e:
        raise RunError(f"cannot write {args.output}: {e.strerror or e}") from e
    print(f"{len(rows)} councils -> {args.output}", file=sys.stderr)
    return _report_failures(failures, n_done)


def _cmd_schema(args) -> int:
    from .results import DocumentExtraction

    print(json.dumps(DocumentExtraction.model_json_schema(), indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="carextract", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="extract facts from files, folders or stdin ('-')",
                       description="Extract facts from files, folders (recursively) or stdin ('-'). json and "
                                   "record print a list (one item per document, however many); jsonl one "
                                   "line per document; csv one file per table into the folder -o names. "
                                   "A document that fails keeps its place, with its error; exit status 1 "
                                   "when any failed, 2 when the run itself failed.")
    e.add_argument("paths", nargs="+")
    e.add_argument("--format", choices=["json", "record", "jsonl", "csv"], default="json",
                   help=f"record: carextract-gold/1 records ({RECORD_FORMAT})")
    e.add_argument("-o", "--output", help="output file (csv: the folder for the tables; required)")
    e.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None)
    e.set_defaults(func=_cmd_extract)
    v = sub.add_parser("evaluate", help="score extraction against labelled records",
                       description="Score extraction against labelled carextract-gold/1 records: precision, "
                                   "recall and F1 per field. The records' keys, vocabularies and how each "
                                   f"field is scored are described in {RECORD_FORMAT}. Exit status 2 when "
                                   "the paths hold no records.")
    v.add_argument("corpus", nargs="+", help="folders of *.json records, or .json / .jsonl files")
    v.add_argument("--json", action="store_true")
    v.add_argument("--errors", action="store_true", help="list false positives and negatives per record")
    v.add_argument("--html", help="write an HTML report with a chart")
    v.add_argument("--floors", help="JSON {field: minimum F1}; exit 1 when any is not met")
    v.set_defaults(func=_cmd_evaluate)
    t = sub.add_parser("train", help="rebuild the findings model from the corpus (deterministic)",
                       description="Rebuild the findings model (models/findings.npz, findings.json and the model card) "
                                   "from labelled records with finding_spans; progress and the time left go to stderr "
                                   "(about two minutes on two cores).")
    t.add_argument("corpus", nargs="*", default=["corpus"],
                   help="labelled records to train on, each folder or .jsonl file one source with its own grouped "
                        "cross-validation (default: corpus, the repository's corpus/ folder, relative to the current "
                        "folder). The shipped model adds the real texts last: `carextract train corpus "
                        "../shared/dev/gold` (the last source chooses the threshold and calibrates confidence)")
    t.add_argument("--output", default="models")
    t.set_defaults(func=_cmd_train)
    tb = sub.add_parser("table", help="one row per council from many documents")
    tb.add_argument("paths", nargs="+")
    tb.add_argument("-o", "--output", required=True, help="the CSV file to write")
    tb.set_defaults(func=_cmd_table)
    s = sub.add_parser("schema", help="print the JSON Schema of the results")
    s.set_defaults(func=_cmd_schema)
    return p


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (`| head`): no traceback, and no second error when Python
    flushes stdout at exit. Status 141 (128 + SIGPIPE), as a command killed by the broken pipe would end."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return 141


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except KeyboardInterrupt:
        print("carextract: interrupted", file=sys.stderr)
        return 130
    except CarextractError as e:
        print(f"carextract: error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # noqa: BLE001 - the run failed: say why in one line, not a traceback
        print(f"carextract: error: the run failed: {type(e).__module__}.{type(e).__name__}: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""Command line: carextract extract | evaluate | train | table | schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import CarextractError


def _documents(paths: list[str]):
    """(name, SourceDocument-or-text) for each input: files, folders (recursively) and '-' for stdin."""
    from .reading import iter_paths, read

    for p in paths:
        if p == "-":
            yield "-", sys.stdin.read()
            continue
        for f in iter_paths([p]):
            try:
                docs = read(f)
            except CarextractError as e:
                yield str(f), e
                continue
            for i, d in enumerate(docs):
                yield (str(f) if len(docs) == 1 else f"{f}#{i + 1}"), d


def _cmd_extract(args) -> int:
    from .pipeline import Extractor, failed
    from .results import SourceInfo

    ex = Extractor()
    failures = []
    out = open(args.output, "w", encoding="utf-8") if args.output and args.format != "csv" else sys.stdout
    progress = args.progress if args.progress is not None else sys.stderr.isatty()
    results = []  # kept only for the formats that write everything at the end
    from tqdm import tqdm

    n_done = 0
    for name, item in tqdm(_documents(args.paths), disable=not progress, file=sys.stderr, unit="doc"):
        n_done += 1
        if isinstance(item, Exception):
            r = failed(item, SourceInfo(path=name))
        else:
            if isinstance(item, str):
                text, src = item, SourceInfo(path=name)
            else:
                text, src = item.text, SourceInfo(path=name, title=item.title, url=item.url, date=item.date)
            try:
                r = ex.extract(text, source=src)
            except Exception as e:  # noqa: BLE001 - one bad document never stops the run
                r = failed(e, src)
        if r.error:
            failures.append((name, r.error))
        if args.format != "jsonl":
            results.append((name, r))
        else:
            out.write(json.dumps(_payload(r, name, "json"), ensure_ascii=False) + "\n")
    if args.format == "csv":
        from .frames import write_csv_tables

        folder = Path(args.output or "carextract-tables")
        write_csv_tables({n: r for n, r in results}, folder)
        print(f"wrote tables to {folder}/", file=sys.stderr)
    elif args.format != "jsonl":
        payload = [_payload(r, n, args.format) for n, r in results]
        out.write(json.dumps(payload[0] if len(payload) == 1 else payload, indent=2, ensure_ascii=False) + "\n")
    if out is not sys.stdout:
        out.close()
    if failures:
        print(f"{len(failures)} of {n_done} documents failed:", file=sys.stderr)
        for name, err in failures:
            print(f"  {name}: {err.type}: {err.message}", file=sys.stderr)
        return 1
    return 0


def _payload(r, name: str, fmt: str):
    if fmt == "record":
        return r.to_record(id=name)
    return r.model_dump(mode="json")


def _cmd_evaluate(args) -> int:
    from .evaluation import evaluate

    report = evaluate(args.corpus)
    if args.json:
        print(json.dumps({"n_records": report.n_records, "fields": report.summary(),
                          "errors": [e.model_dump(mode="json") for e in report.errors]}, indent=2, default=list))
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
    if args.html:
        from .rendering import render_evaluation

        render_evaluation(report, args.html)
    if args.floors:
        floors = json.loads(Path(args.floors).read_text(encoding="utf-8"))
        below = report.below(floors)
        for name, (f1, floor) in below.items():
            print(f"FAIL {name}: F1 {f1:.3f} < floor {floor:.3f}", file=sys.stderr)
        if below:
            return 1
        print(f"all {len(floors)} floors met", file=sys.stderr)
    return 0


def _cmd_train(args) -> int:
    from .findings.train import train

    card = train(args.corpus, args.output)
    print(json.dumps(card.get("cross_validation", {}).get("overall", {}), indent=2))
    return 0


def _cmd_table(args) -> int:
    from .aggregation import aggregate, write_table
    from .pipeline import Extractor

    ex = Extractor()
    results = {}
    for name, item in _documents(args.paths):
        if isinstance(item, Exception):
            continue
        results[name] = ex.extract(item if isinstance(item, str) else item.text)
    rows = aggregate(results)
    write_table(rows, args.output)
    print(f"{len(rows)} councils -> {args.output}", file=sys.stderr)
    return 0


def _cmd_schema(args) -> int:
    from .results import DocumentExtraction

    print(json.dumps(DocumentExtraction.model_json_schema(), indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="carextract", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="extract facts from files, folders or stdin ('-')")
    e.add_argument("paths", nargs="+")
    e.add_argument("--format", choices=["json", "record", "jsonl", "csv"], default="json")
    e.add_argument("-o", "--output", help="output file (csv: a folder)")
    e.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None)
    e.set_defaults(func=_cmd_extract)
    v = sub.add_parser("evaluate", help="score extraction against labelled records (LABELLING.md)")
    v.add_argument("corpus", nargs="+")
    v.add_argument("--json", action="store_true")
    v.add_argument("--errors", action="store_true", help="list false positives and negatives per record")
    v.add_argument("--html", help="write an HTML report with a chart")
    v.add_argument("--floors", help="JSON {field: minimum F1}; exit 1 when any is not met")
    v.set_defaults(func=_cmd_evaluate)
    t = sub.add_parser("train", help="rebuild the findings model from the corpus (deterministic)")
    t.add_argument("corpus", nargs="*", default=["corpus"])
    t.add_argument("--output", default="models")
    t.set_defaults(func=_cmd_train)
    tb = sub.add_parser("table", help="one row per council from many documents")
    tb.add_argument("paths", nargs="+")
    tb.add_argument("-o", "--output", default="results.csv")
    tb.set_defaults(func=_cmd_table)
    s = sub.add_parser("schema", help="print the JSON Schema of the results")
    s.set_defaults(func=_cmd_schema)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CarextractError as e:
        print(f"carextract: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

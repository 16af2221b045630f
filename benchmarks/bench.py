"""carextract's speed and memory, measured against spaCy's tokenizer on the same documents.

    python benchmarks/bench.py            # full run (a few minutes)
    python benchmarks/bench.py --short    # the CI run (about a minute)

Prints, for the seed and corpus texts as whole documents:
- throughput: words/s of Extractor.extract and of spacy.blank("en").make_doc, measured
  interleaved in one process (absolute speeds drift between runs here), and their ratio; make_doc is
  timed fresh (a new pipeline: documents it has not seen), domain-warm (a new pipeline that first read
  the other half of the documents) and re-seen (its token cache holds every chunk of these documents);
- findings overhead: extraction of a ~5,000-word text with and without the findings model;
- parallel: extract_many(n_process=2) over 200+ documents against n_process=1 (median of 3);
- cold start: `import carextract; carextract.extract(...)` against `import spacy; spacy.blank("en")`,
  in paired fresh processes;
- any size: a 5 MB document (time, peak memory) and the time ratio of 8x the text;
- streaming: resident memory while extract_many runs over many documents.
Not a pass/fail test: the targets are in the README's performance section.

    python benchmarks/bench.py --hostile  # issue 18's families: seconds per MB beside ordinary text
    python benchmarks/bench.py --passes   # whole-text passes per document, by stage
    python benchmarks/bench.py --patterns # every rule and grammar piece timed on runs that make regexes backtrack

prints, for each hostile family (a run of figures and benchmark phrases, forty thousand statement bullets,
one line of statement scores or of "%", a flat feed with its dates on one line, deeply nested HTML, ...),
the seconds per MB of `extract` (or `read`) at 1 MB and 2 MB, each in a fresh process, its ratio to ordinary
text (target: at most 10) and whether 2 MB cost about twice 1 MB; then the 5 MB repeated-sample document's
time and peak memory (target: under 600 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def documents() -> list[str]:
    paths = sorted((ROOT / "corpus" / "texts").glob("*.txt"))
    if SEEDS.exists():
        paths += sorted(SEEDS.glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def words(texts) -> int:
    return sum(len(t.split()) for t in texts)


def throughput(texts, rounds: int) -> dict:
    """Words/s of Extractor.extract and of make_doc over the same whole documents, interleaved per round.

    spaCy's tokenizer caches every whitespace-separated chunk it has seen, so its speed depends on what it
    saw before. Three states are timed, each a warm process (imports and first calls done):
    - fresh: a new blank pipeline per round, meeting the documents as a stream of new ones;
    - domain-warm: a new blank pipeline that has first tokenized the other half of the documents (a
      long-running pipeline that knows the domain's words, not these documents);
    - re-seen: the same pipeline every round (its cache holds every chunk of these documents).
    """
    import spacy

    import carextract

    nlp = spacy.blank("en")
    ex = carextract.Extractor()
    for t in texts:  # warm both
        nlp.make_doc(t)
        ex.extract(t)
    n = words(texts)
    halves = (texts[0::2], texts[1::2])
    times: dict[str, list[float]] = {"fresh": [], "domain_warm": [], "re_seen": [], "extract": []}
    for _ in range(rounds):
        cold = spacy.blank("en")  # its string store and token cache start empty
        t0 = time.perf_counter()
        for t in texts:
            cold.make_doc(t)
        times["fresh"].append(time.perf_counter() - t0)
        spent = 0.0
        for warm_on, measured in (halves, halves[::-1]):
            domain = spacy.blank("en")
            for t in warm_on:
                domain.make_doc(t)
            t0 = time.perf_counter()
            for t in measured:
                domain.make_doc(t)
            spent += time.perf_counter() - t0
        times["domain_warm"].append(spent)
        t0 = time.perf_counter()
        for t in texts:
            nlp.make_doc(t)
        times["re_seen"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for t in texts:
            ex.extract(t)
        times["extract"].append(time.perf_counter() - t0)
    out: dict = {"documents": len(texts), "words": n}
    for k, v in times.items():
        out[f"{k}_words_per_s" if k == "extract" else f"make_doc_{k}_words_per_s"] = round(n / statistics.median(v))
    for k in ("fresh", "domain_warm", "re_seen"):  # per round, so that drift between rounds cancels out
        out[f"ratio_to_{k}"] = round(statistics.median(a / b for a, b in zip(times[k], times["extract"])), 3)
    return out


def findings_overhead(texts, rounds: int) -> dict:
    import carextract
    from carextract.findings.recognizer import FindingRecognizer
    from carextract.pipeline import default_recognizers

    big, total = [], 0
    for t in texts:
        if total >= 5000:
            break
        big.append(t)
        total += len(t.split())
    doc = "\n\n".join(big)
    with_model = carextract.Extractor()
    without = carextract.Extractor([r for r in default_recognizers() if not isinstance(r, FindingRecognizer)])
    with_model.extract(doc)
    without.extract(doc)
    a, b = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        without.extract(doc)
        t1 = time.perf_counter()
        with_model.extract(doc)
        t2 = time.perf_counter()
        a.append(t1 - t0)
        b.append(t2 - t1)
    load = subprocess.run([sys.executable, "-c", "import time; t=time.perf_counter(); "
                           "from carextract.findings.model import FindingModel; FindingModel.load(); "
                           "print(time.perf_counter()-t)"], capture_output=True, text=True, check=True)
    return {"words": len(doc.split()), "without_findings_s": round(statistics.median(a), 4),
            "with_findings_s": round(statistics.median(b), 4),
            "added": round(statistics.median(b) / statistics.median(a) - 1, 3),
            "model_load_s": round(float(load.stdout), 4)}


def parallel(texts, minimum: int, rounds: int = 5) -> dict:
    """extract_many over `minimum` documents, one process against two; the median of `rounds` pairs (a second
    of work on a shared 2-core machine varies by a quarter from run to run, so five pairs, not one)."""
    import carextract

    docs = (texts * (minimum // len(texts) + 1))[:max(minimum, len(texts))]
    ex = carextract.Extractor()
    a, b, identical = [], [], True
    for _ in range(rounds):
        t0 = time.perf_counter()
        one = [r.to_record() for r in ex.extract_many(docs)]
        t1 = time.perf_counter()
        two = [r.to_record() for r in ex.extract_many(docs, n_process=2)]
        t2 = time.perf_counter()
        a.append(t1 - t0)
        b.append(t2 - t1)
        identical = identical and one == two
    return {"documents": len(docs), "n_process_1_s": round(statistics.median(a), 2),
            "n_process_2_s": round(statistics.median(b), 2),
            "speedup": round(statistics.median(x / y for x, y in zip(a, b)), 2), "identical": identical}


def _wall(code: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - t0


def cold_start(pairs: int) -> dict:
    ours = "import carextract; carextract.extract('Camden was rated outstanding.')"
    theirs = "import spacy; spacy.blank('en')"
    _wall(ours), _wall(theirs)
    ratios, a, b = [], [], []
    for _ in range(pairs):
        x, y = _wall(ours), _wall(theirs)
        a.append(x)
        b.append(y)
        ratios.append(x / y)
    return {"carextract_s": round(statistics.median(a), 3), "spacy_blank_s": round(statistics.median(b), 3),
            "ratio": round(statistics.median(ratios), 3)}


_BIG = """
import json, resource, sys, time
import carextract
texts = json.loads(sys.stdin.read())
size, parts = int(sys.argv[1]), []
n = 0
i = 0
while n < size:
    parts.append(texts[i % len(texts)]); n += len(parts[-1]) + 2; i += 1
doc = "\\n\\n".join(parts)[:size]
ex = carextract.Extractor()
ex.extract("warm up: Barnet was rated good.")
t = time.perf_counter()
r = ex.extract(doc)
print(json.dumps({"chars": len(doc), "seconds": time.perf_counter() - t,
                  "assessments": len(r.assessments),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def any_size(texts, size: int, rounds: int = 1) -> dict:
    """A document of `size` characters and one of an eighth of it, each in a fresh process; the time ratio is
    the median of `rounds` pairs (one run of a few seconds varies by a third here)."""
    def run(n):
        p = subprocess.run([sys.executable, "-c", _BIG, str(n)], input=json.dumps(texts), text=True,
                           capture_output=True, check=True)
        return json.loads(p.stdout)

    pairs = [(run(size // 8), run(size)) for _ in range(rounds)]
    big = max((b for _, b in pairs), key=lambda b: b["peak_rss_mb"])
    return {"chars": big["chars"], "seconds": round(statistics.median(b["seconds"] for _, b in pairs), 2),
            "peak_rss_mb": round(big["peak_rss_mb"]), "assessments_found": big["assessments"],
            "time_ratio_8x": round(statistics.median(b["seconds"] / s["seconds"] for s, b in pairs), 2)}


_STREAM = """
import json, resource, sys
import carextract
texts = json.loads(sys.stdin.read())
n = int(sys.argv[1])
ex = carextract.Extractor()
marks = []
for i, r in enumerate(ex.extract_many(texts[i % len(texts)] for i in range(n))):
    if i in (n // 10, n - 1):
        marks.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(marks))
"""


def streaming(texts, n: int) -> dict:
    p = subprocess.run([sys.executable, "-c", _STREAM, str(n)], input=json.dumps(texts), text=True,
                       capture_output=True, check=True)
    early, late = json.loads(p.stdout)
    return {"documents": n, "peak_rss_mb_at_10pct": round(early), "peak_rss_mb_at_end": round(late),
            "growth_mb": round(late - early, 1)}


# Issue 18's reproducers: a unit repeated to the size (extract), or bytes built for `read`.
HOSTILE = {
    "figure_average_run": "1% average ",
    "figure_benchmark_run": "83.7% compared with the England average of ",
    "statement_bullets": "- Safeguarding\n",
    "statement_score_line": "Safeguarding \u2013 3, ",
    "percent_line": "5% ",
    "pp_line": "0.8pp, ",
    "per_cent_line": "12 per cent and ",
    "council_names": "Barnet ",
    "rated_good": "rated good ",
    "finding_cues": "however, waiting lists and carers were praised; ",
    "tags_then_text": "<b>" * 20000 + "x>\n",
    # a run of hyphenated capitalised words with figures between (round-up name patterns: found in review)
    "hyphenated_names_scores": "The CQC scores " + "-".join(["Ab"] * 19 + ["56"]) + ", on 61%, ",
}
READ_HOSTILE = ("flat_feed_one_line", "nested_html")

_HOSTILE = """
import json, resource, sys, time
import carextract
family, size, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = sys.stdin.read()
if kind == "extract":
    text = (data * (size // len(data) + 1))[:size]
    ex = carextract.Extractor()
    ex.extract("warm up: Barnet was rated good.")
    t = time.perf_counter()
    r = ex.extract(text)
    ok = r.error is None
elif family == "flat_feed_one_line":  # the flat-feed parser itself (detection sniffs only the first 64 KB)
    from carextract.reading.feed import parse_flat_feed
    n = size // len(data.format(0))
    feed = "".join(data.format(i) for i in range(n)) + "\\nBody\\n]]>\\n"
    t = time.perf_counter()
    parse_flat_feed(feed)
    ok = True
else:  # nested_html: one element per 5 bytes, refused (a ReadError) before the parser
    blob = (b"<div>" * (size // 10)) + b"x" + (b"</div>" * (size // 10))
    t = time.perf_counter()
    try:
        carextract.read(blob)
        ok = False
    except carextract.ReadError:
        ok = True
print(json.dumps({"seconds": time.perf_counter() - t, "ok": ok,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _hostile_run(family: str, size: int, kind: str, data: str) -> dict:
    p = subprocess.run([sys.executable, "-c", _HOSTILE, family, str(size), kind], input=data, text=True,
                       capture_output=True)
    if p.returncode:
        last = (p.stderr.strip().splitlines() or ["?"])[-1]
        raise RuntimeError(f"{family} at {size:,} characters failed: {last}")
    return json.loads(p.stdout)


def hostile(texts, sizes=(1_000_000, 2_000_000), rounds: int = 3, big: int = 5_000_000) -> dict:
    """Seconds per MB of each family at each size (the median of `rounds` fresh processes), the ratio to
    ordinary text (the corpus and seeds as one document) at the largest size, and the ratio of the time at the
    largest size to the smallest one (twice the size: about 2 when linear); then the 5 MB repeated-sample
    document."""
    plain = "\n\n".join(texts)
    families: dict[str, tuple[str, str]] = {"ordinary_text": ("extract", plain)}
    families.update((k, ("extract", v)) for k, v in HOSTILE.items())
    families["flat_feed_one_line"] = ("read", "Camden rated good https://news.example.com/{0}/ "
                                              "Tue, 01 Oct 2024 09:05:10 +0000 ")
    families["nested_html"] = ("read", "")
    out: dict = {}
    for name, (kind, data) in families.items():
        per_size = {}
        for size in sizes:
            runs = [_hostile_run(name, size, kind, data) for _ in range(rounds)]
            assert all(r["ok"] for r in runs), name
            per_size[size] = statistics.median(r["seconds"] for r in runs) / (size / 1e6)
        out[name] = {"s_per_mb": {f"{s // 1_000_000} MB" if s >= 1_000_000 else f"{s // 1000} KB": round(v, 3)
                                  for s, v in per_size.items()}}
    base = out["ordinary_text"]["s_per_mb"]
    last = list(base)[-1]
    for name, row in out.items():
        row["ratio_to_ordinary"] = round(row["s_per_mb"][last] / base[last], 2)
        first = list(row["s_per_mb"])[0]
        # time at the largest size over time at the smallest, divided by the size ratio: 1.0 when linear
        row["growth"] = round(row["s_per_mb"][last] / row["s_per_mb"][first], 2)
    sample = (ROOT / "examples" / "sample_news.txt").read_text(encoding="utf-8")
    p = subprocess.run([sys.executable, "-c", _BIG, str(big)], input=json.dumps([sample]), text=True,
                       capture_output=True, check=True)
    doc = json.loads(p.stdout)
    out["repeated_sample_5mb"] = {"chars": doc["chars"], "seconds": round(doc["seconds"], 2),
                                  "peak_rss_mb": round(doc["peak_rss_mb"])}
    return out


def passes(texts) -> dict:
    """Whole-text passes per document, by stage: the scans of a Document that cover the whole text (a
    `finditer` over all of it, a `sentences_with` not answered from its cache, the lower-cased copy, the one
    Aho-Corasick scan of the rules' literals), counted by wrapping Document's methods while each stage runs.
    Scans of single sentences or windows are not passes and are not counted."""
    from carextract.pipeline import _apply_claims, default_extractor, resolve_overlaps
    from carextract.reading.view import reading_view
    from carextract.segment import Document, segment

    stage = ["segment"]
    counts: dict[str, int] = {}

    def count() -> None:
        counts[stage[0]] = counts.get(stage[0], 0) + 1

    finditer, sentences_with, literal_positions = Document.finditer, Document.sentences_with, Document.literal_positions
    lower = Document.lower.fget

    def finditer_counted(self, rx, start=0, end=None):
        if start == 0 and (end is None or end >= len(self.text)):
            count()
        return finditer(self, rx, start, end)

    def sentences_with_counted(self, rx):
        if ("with", rx) not in self._memo:
            count()
        return sentences_with(self, rx)

    def literal_positions_counted(self, literals):
        if "literal_sets" not in self._memo:
            count()
        return literal_positions(self, literals)

    def lower_counted(self):
        if "lower" not in self._memo:
            count()
        return lower(self)

    ex = default_extractor()
    Document.finditer, Document.sentences_with = finditer_counted, sentences_with_counted
    Document.literal_positions, Document.lower = literal_positions_counted, property(lower_counted)
    try:
        for t in texts:
            stage[0] = "reading view + segment"
            view = reading_view(t)
            doc = segment(view.text if view is not None else t)
            ms = []
            for r in ex.recognizers:
                stage[0] = type(r).__name__
                ms += r(doc)
            stage[0] = "attribution + assembly"
            ex._attribute_and_assemble(doc, resolve_overlaps(_apply_claims(ms)))
    finally:
        Document.finditer, Document.sentences_with = finditer, sentences_with
        Document.literal_positions, Document.lower = literal_positions, property(lower)
    n = max(1, len(texts))
    out = {k: round(v / n, 2) for k, v in sorted(counts.items(), key=lambda kv: -kv[1])}
    out["total"] = round(sum(counts.values()) / n, 2)
    return out


# runs of characters that make a regex backtrack when its quantifiers overlap (spaces under \s*\s+, hyphenated
# capitalised names under [\w-]*(?:[ -]...)*, lists of names)
RUNS = {
    "spaces": lambda n: "a" + " " * n + "b",
    "hyphenated_names": lambda n: "-".join(["Ab"] * n),
    "capitalised_words": lambda n: " ".join(["Ab"] * n),
    "words": lambda n: " ".join(["word"] * n),
    "figures": lambda n: " ".join(["12"] * n),
    "comma_list": lambda n: ", ".join(["Ab"] * n),
    "and_list": lambda n: " and ".join(["Safeguarding"] * n),
    "dash_list": lambda n: " – ".join(["Ab"] * n),
    "quotes": lambda n: "'" * n,
    "lines": lambda n: "a\n" * n,
    "cells": lambda n: "|".join(["2"] * n),
    "percentages": lambda n: " ".join(["5%"] * n),
}


def patterns(sizes=(200, 400)) -> dict:
    """Every rule record's and grammar piece's pattern run over each of RUNS at two sizes with finditer: the ones
    whose time grows more than three times when the run doubles, and takes over 20 ms, are listed (linear would be
    twice). finditer over a whole run is the worst case: most pieces are applied once, at one position, in a
    bounded window, where a listed one may still cost linear time; `--hostile` measures the pipeline itself."""
    from carextract.grammar import pieces
    from carextract.recognizers.base import compile_template
    from carextract.rules import rule_records
    compiled = [(p.id, p.compile()) for p in pieces().values()]
    compiled += [(r.id, compile_template(r.regex, multiline=r.multiline)) for r in rule_records().values() if r.regex]
    slow = []
    for pid, rx in compiled:
        for run, make in RUNS.items():
            times = []
            for n in sizes:
                text = make(n)
                t = time.perf_counter()
                for _ in rx.finditer(text):
                    pass
                times.append(time.perf_counter() - t)
            if times[1] > 0.02 and times[1] > 3 * times[0]:
                slow.append({"pattern": pid, "run": run, "seconds": [round(t, 4) for t in times]})
    return {"patterns": len(compiled), "runs": len(RUNS), "superlinear": slow}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--short", action="store_true", help="fewer rounds and smaller sizes (CI)")
    ap.add_argument("--hostile", action="store_true", help="issue 18's hostile families: seconds per MB")
    ap.add_argument("--passes", action="store_true", help="whole-text passes per document, by stage")
    ap.add_argument("--patterns", action="store_true", help="every rule and piece timed on backtracking runs")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.patterns:
        report = patterns()
        print(json.dumps(report, indent=2) if args.json else
              f"{report['patterns']} patterns x {report['runs']} runs; superlinear: "
              + ("none" if not report["superlinear"] else
                 "".join(f"\n  {s['pattern']} on {s['run']}: {s['seconds']}" for s in report["superlinear"])))
        return
    texts = documents()
    short = args.short
    if args.passes:
        report = passes(texts)
        print(json.dumps(report, indent=2) if args.json else
              "\n".join(f"{k:<32} {v}" for k, v in report.items()))
        return
    if args.hostile:
        report = hostile(texts, sizes=(250_000, 500_000) if short else (1_000_000, 2_000_000),
                         rounds=1 if short else 3)
        if args.json:
            print(json.dumps(report, indent=2))
            return
        for family, figures in report.items():
            print(f"{family:<24} " + "  ".join(f"{k} {v}" for k, v in figures.items()))
        return
    report = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "throughput": throughput(texts, rounds=5 if short else 7),
        "findings_overhead": findings_overhead(texts, rounds=5 if short else 15),
        "parallel": parallel(texts, minimum=200 if short else 400),
        "cold_start": cold_start(pairs=3 if short else 9),
        "any_size": any_size(texts, size=1_000_000 if short else 5_000_000, rounds=1 if short else 3),
        "streaming": streaming(texts, n=1000 if short else 10_000),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for section, figures in report.items():
        print(f"{section}:")
        for k, v in figures.items():
            print(f"  {k:<24} {v}")


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()

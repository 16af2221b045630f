"""Training the findings model (scikit-learn is imported here and nowhere else).

    carextract train [CORPUS ...] [--output models]

1. Every labelled record with `finding_spans` is segmented exactly as at
   extraction time; each clause is labelled with the themes and polarity of
   the spans that overlap it by at least half (of the clause or the span),
   clauses with none are negatives. Features come from features.py, the one
   implementation extraction uses too (words with organisation names masked,
   cues, the polarity of a list item's lead and of the clause before it).
2. A gate (does the clause state a finding?) over all clauses; theme
   detectors (one logistic regression per theme) and polarity over finding
   clauses; P(theme) = P(finding) x P(theme | finding).
3. Each corpus given is one *source*. For each source, five folds grouped by
   document: each fold's model is trained on every other source and the other
   folds of this one, then extracts the fold's documents, scored as
   LABELLING.md scores findings. These held-out figures are the honest ones
   (a source's in-sample figure is also reported, and flatters). They choose
   the threshold (on the last source given: the real texts when
   `../shared/dev/gold` is added) and calibrate `confidence`.
4. The final model is fitted on everything and written as JSON + npz (no
   pickle), with each source's SHA-256 so tests can check that the shipped
   model comes from the data it claims.

Deterministic: fixed fold assignment, liblinear solver, sorted vocabulary.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

from ..evaluation import load_records
from ..findings.features import CueIndex, clause_features, clauses, span_context
from ..findings.model import MODEL_JSON, MODEL_NPZ
from ..findings.recognizer import introduces_quote
from ..segment import segment
from ..vocab import load_json
from ..vocab import themes as theme_table

C_THEME = 4.0
C_POLARITY = 8.0
C_GATE = 4.0
MIN_DF = 3
FOLDS = 5
SCALE_POWER = 0.0  # 0: plain indicators (long clauses keep each cue's full weight); 1: unit length
CARD = "FINDINGS_MODEL_CARD.md"
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
SECONDS_PER_DOCUMENT = 0.2  # a whole run (features, 2 x 5 folds, final fit) per training document, two busy cores


def training_records(corpus) -> list[tuple[str, str, list[dict]]]:
    """(id, text, finding_spans) of every record that has finding_spans, sorted by id."""
    out = []
    for record, text in load_records(corpus):
        if record.get("finding_spans") is not None:
            out.append((str(record.get("id")), text, record["finding_spans"]))
    return sorted(out, key=lambda r: r[0])


def data_hash(records) -> str:
    h = hashlib.sha256()
    for rid, text, spans in records:
        h.update(rid.encode())
        h.update(text.encode())
        key = sorted((s["start"], s["end"], s["polarity"], s["theme"]) for s in spans)
        h.update(json.dumps(key).encode())
    return h.hexdigest()


def labelled_clauses(records):
    """[(doc_index, clause_text, {themes}, polarity or None, features)]"""
    rows = []
    for di, (_, text, spans) in enumerate(records):
        doc = segment(text)
        every = clauses(doc)
        keep = [k for k, c in enumerate(every) if not introduces_quote(text, c[0], c[1])]
        units = [every[k] for k in keep]
        context = span_context(doc, every)[keep]
        for (start, end), feats in zip(units, clause_features(text, units, CueIndex(text), context)):
            found_themes, pols = set(), set()
            for s in spans:
                overlap = min(end, s["end"]) - max(start, s["start"])
                if overlap > 0 and overlap >= 0.5 * min(end - start, s["end"] - s["start"]):
                    found_themes.add(s["theme"])
                    pols.add(s["polarity"])
            rows.append((di, text[start:end], found_themes, pols.pop() if len(pols) == 1 else None, feats))
    return rows


def _matrix(feature_lists, vocab):
    from scipy.sparse import csr_matrix

    indptr, indices = [0], []
    for feats in feature_lists:
        idx = sorted({vocab[f] for f in feats if f in vocab})
        indices.extend(idx)
        indptr.append(len(indices))
    data = np.ones(len(indices))
    for i in range(len(indptr) - 1):
        n = indptr[i + 1] - indptr[i]
        if n:
            data[indptr[i]:indptr[i + 1]] = 1.0 / np.sqrt(n) ** SCALE_POWER
    return csr_matrix((data, indices, indptr), shape=(len(feature_lists), len(vocab)))


def diags(values):
    from scipy.sparse import diags as sparse_diags

    return sparse_diags(values)


def _lr(c: float):
    from sklearn.linear_model import LogisticRegression

    # the dual problem: the same solution as the primal, twenty times faster with more features than clauses
    return LogisticRegression(C=c, solver="liblinear", dual=True, random_state=0, max_iter=2000)


# words of keyword phrases that say nothing of a theme on their own ("information and advice", "out of area")
_FUNCTION_WORDS = frozenset({"and", "of", "to", "in", "for", "from", "with", "into", "between", "no", "out", "the"})


def other_themes_words(vocabulary: list[str], themes: list[str]) -> dict[str, np.ndarray]:
    """For each theme, which features its model does not read: the keyword markers of the other themes
    (`__kw_<theme>`) and the words of the other themes' keyword phrases that are none of its own ('care' of
    'care home', 'people' of 'young people', 'carers'), as single-word features.

    A clause that names several themes ("strong leadership, a skilled workforce and good joint working with
    health") states a finding of each more often in real texts than in the corpus (about half of the dev finding
    clauses with keywords of two themes carry two, a quarter in the corpus); read by every theme model, one
    theme's words learn to count against another and the clause keeps one theme. Bigrams and all other words
    are still read.
    """
    keywords = load_json("finding_cues.json")["themes"]
    words: dict[str, set[str]] = {}
    for theme, phrases in keywords.items():
        for phrase in phrases:
            for word in phrase.lower().split():
                if word not in _FUNCTION_WORDS:
                    words.setdefault(word, set()).add(theme)
    out = {}
    for theme in themes:
        mask = np.zeros(len(vocabulary), dtype=bool)
        for i, f in enumerate(vocabulary):
            if f.startswith("__kw_"):
                mask[i] = f[5:] != theme
            elif f in words:
                mask[i] = theme not in words[f]
        out[theme] = mask
    return out


def fit(rows) -> tuple[dict, dict[str, np.ndarray]]:
    """The model (meta without threshold, float32 arrays) fitted on labelled clauses."""
    themes = list(theme_table())
    feats = [r[4] for r in rows]
    df: dict[str, int] = {}
    for fs in feats:
        for f in fs:
            df[f] = df.get(f, 0) + 1
    vocabulary = sorted(f for f, n in df.items() if n >= MIN_DF)
    vocab = {f: i for i, f in enumerate(vocabulary)}
    X = _matrix(feats, vocab)
    Y = np.array([[1 if t in r[2] else 0 for t in themes] for r in rows]).reshape(len(rows), len(themes))
    pol_y = np.array([1 if r[3] == "strength" else 0 for r in rows])
    pol_mask = np.array([r[3] is not None and bool(r[2]) for r in rows])
    is_finding = Y.sum(axis=1) > 0
    gate = _lr(C_GATE).fit(X, is_finding.astype(int))
    Xf, Yf = X[is_finding], Y[is_finding]
    W = np.zeros((X.shape[1], Y.shape[1]))
    b = np.zeros(Y.shape[1])
    unread = other_themes_words(vocabulary, themes)
    for j in range(Y.shape[1]):
        if Yf[:, j].sum() == 0 or Yf[:, j].sum() == len(Yf):
            b[j] = -20.0 if Yf[:, j].sum() == 0 else 20.0
            continue
        read = (~unread[themes[j]]).astype(float)
        m = _lr(C_THEME).fit(Xf @ diags(read), Yf[:, j])
        W[:, j], b[j] = m.coef_[0] * read, m.intercept_[0]
    lp = _lr(C_POLARITY).fit(X[pol_mask], pol_y[pol_mask])
    arrays = {"W_theme": W, "b_theme": b, "w_gate": gate.coef_[0], "b_gate": gate.intercept_,
              "w_pol": lp.coef_[0], "b_pol": lp.intercept_, "calibration": np.array([1.0, 0.0])}
    meta = {"themes": themes, "vocabulary": vocabulary, "training_clauses": len(rows),
            "finding_clauses": int(is_finding.sum()), "threshold": THRESHOLDS[1],
            "hyperparameters": {"C_theme": C_THEME, "C_polarity": C_POLARITY, "C_gate": C_GATE, "min_df": MIN_DF,
                                "folds": FOLDS, "scale_power": SCALE_POWER,
                                "theme_models_read_other_themes_words": False}}
    return meta, {k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()}


class _Progress:
    """Progress lines on stderr, with the time spent and an estimate of the time left."""

    def __init__(self, total_steps: int, quiet: bool = False):
        self.total, self.done, self.t0, self.quiet = total_steps, 0, time.perf_counter(), quiet

    def step(self, what: str) -> None:
        self.done += 1
        if self.quiet:
            return
        spent = time.perf_counter() - self.t0
        left = spent / self.done * (self.total - self.done)
        print(f"[{self.done}/{self.total}] {what} ({spent:.0f} s, about {left:.0f} s left)", file=sys.stderr, flush=True)


def _findings(record: dict) -> set[tuple[str, str, str]]:
    """(council or 'sector', polarity, theme) of a record."""
    out = set()
    for a in record.get("assessments") or []:
        for polarity, key in (("strength", "strengths"), ("improvement", "improvements")):
            out.update((a["council"], polarity, t) for t in a.get(key) or [])
    s = record.get("sector") or {}
    for polarity, key in (("strength", "strengths"), ("improvement", "improvements")):
        out.update(("sector", polarity, t) for t in s.get(key) or [])
    return out


def _held_out(model, records) -> dict[float, list]:
    """For each threshold: for each (record, text), its gold findings and the findings extracted, as (key, raw
    confidence) with key (council or 'sector', polarity, theme); a key found in several clauses keeps its
    highest confidence."""
    from ..pipeline import Extractor, default_recognizers
    from ..findings.recognizer import FindingRecognizer

    out = {}
    for threshold in THRESHOLDS:
        m = model.with_threshold(threshold)
        m.calibration = (1.0, 0.0)  # raw P(theme) x P(polarity): what calibration is fitted on
        ex = Extractor([FindingRecognizer(m) if isinstance(r, FindingRecognizer) else r for r in default_recognizers()])
        rows = []
        for record, text in records:
            res = ex.extract(text)
            best: dict = {}
            for code, fs in [(a.council.code, a.findings) for a in res.assessments] + [("sector", res.sector)]:
                for f in fs:
                    key = (code, f.polarity.value, f.theme)
                    best[key] = max(best.get(key, 0.0), f.confidence)
            rows.append((_findings(record), list(best.items())))
        out[threshold] = rows
    return out


def _score(held: list) -> dict:
    tp = fp = fn = 0
    for gold, found in held:
        pred = {k for k, _ in found}
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def _in_sample(model, records) -> list:
    """The shipped model's findings on records it was trained on, at its own threshold."""
    from ..pipeline import Extractor, default_recognizers
    from ..findings.recognizer import FindingRecognizer

    ex = Extractor([FindingRecognizer(model) if isinstance(r, FindingRecognizer) else r for r in default_recognizers()])
    out = []
    for record, text in records:
        res = ex.extract(text)
        found = {(a.council.code, f.polarity.value, f.theme): f.confidence for a in res.assessments for f in a.findings}
        found.update({("sector", f.polarity.value, f.theme): f.confidence for f in res.sector})
        out.append((_findings(record), list(found.items())))
    return out


def _per_theme(held: list, themes: list[str]) -> dict:
    out = {}
    for t in themes:
        sub = [({g for g in gold if g[2] == t}, [f for f in found if f[0][2] == t]) for gold, found in held]
        s = _score(sub)
        out[t] = {"precision": s["precision"], "recall": s["recall"], "f1": s["f1"], "support": s["tp"] + s["fn"]}
    return out


def _polarity_accuracy(held: list) -> float:
    """Of the gold (council, theme) pairs found with some polarity, the share found with the gold one."""
    right = total = 0
    for gold, found in held:
        pred = {k for k, _ in found}
        by_pair = {}
        for c, pol, t in gold:
            by_pair.setdefault((c, t), set()).add(pol)
        for (c, t), pols in by_pair.items():
            got = {pol for cc, pol, tt in pred if (cc, tt) == (c, t)}
            if got:
                total += 1
                right += bool(got & pols)
    return round(right / total, 3) if total else 0.0


def _calibrate(held: list) -> tuple[float, float]:
    """Platt scaling of the raw confidence (P(theme) x P(polarity)) of held-out findings against whether the
    finding is in the gold record: confidence = sigmoid(a * logit(raw) + b)."""
    x, y = _emitted(held)
    if len(set(y.tolist())) < 2:
        return 1.0, 0.0
    m = _lr(1e4)
    m.set_params(dual=False)
    m.fit(_logit(x)[:, None], y)
    return float(m.coef_[0][0]), float(m.intercept_[0])


def _emitted(held):
    x, y = [], []
    for gold, found in held:
        for k, conf in found:
            x.append(conf)
            y.append(int(k in gold))
    return np.array(x, dtype=np.float64), np.array(y, dtype=int)


def _logit(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def calibrated(raw, a: float, b: float):
    return 1.0 / (1.0 + np.exp(-(a * _logit(np.asarray(raw, dtype=np.float64)) + b)))


def _reliability(held: list, a: float, b: float) -> list[dict]:
    x, y = _emitted(held)
    c = calibrated(x, a, b)
    out = []
    for lo, hi in ((0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)):
        m = (c >= lo) & (c < hi)
        if m.any():
            out.append({"bin": f"{lo:.1f}-{min(hi, 1.0):.1f}", "n": int(m.sum()),
                        "mean_confidence": round(float(c[m].mean()), 3), "share_correct": round(float(y[m].mean()), 3)})
    return out


def train(corpora, output: str | Path = "models", *, quiet: bool = False) -> dict:
    """Rebuild the shipped model from the corpora (each a source) and write it, with its card, to `output`.

    Steps: the sources and their clauses (`_sources`), grouped cross-validation per source (`_grouped_cv`), the
    threshold and the calibration from the last source's held-out documents, the final model on everything, and
    its card (`_card`)."""
    from ..findings.model import FindingModel

    sources = _sources(corpora, quiet)
    progress = _Progress(len(sources) + FOLDS * len(sources) + 2, quiet)
    for s in sources:
        s["rows"] = [labelled_clauses([r]) for r in s["train"]]
        progress.step(f"clauses and features of {s['path']} ({sum(len(x) for x in s['rows'])} clauses)")
    held = _grouped_cv(sources, progress)
    # the threshold: the best F1 on the last source's held-out documents (the real texts when they are given
    # last); of equal ones the lowest (recall first, since every finding carries its evidence)
    judge = held[sources[-1]["path"]]
    by_threshold = {t: _score(judge[t])["f1"] for t in THRESHOLDS}
    threshold = min(t for t in THRESHOLDS if by_threshold[t] == max(by_threshold.values()))
    a, b = _calibrate(judge[threshold])
    meta, arrays = fit([row for s in sources for rows in s["rows"] for row in rows])
    arrays["calibration"] = np.array([a, b], dtype=np.float32)
    meta["threshold"] = threshold
    progress.step("final model")
    model = FindingModel(meta, arrays).with_threshold(threshold)
    card = _card(sources, held, threshold, meta, model, (a, b))
    progress.step("in-sample figures")
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / MODEL_NPZ, **arrays)
    (out / MODEL_JSON).write_text(json.dumps(card, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / CARD).write_text(card_markdown(card), encoding="utf-8")
    return card


def _sources(corpora, quiet: bool) -> list[dict]:
    """Each corpus with labelled finding spans, as a source: its path, its records and those it trains on."""
    from ..errors import CorpusError

    corpora = [corpora] if isinstance(corpora, (str, Path)) else list(corpora)
    sources = []
    for path in corpora:
        records = load_records(path)
        train_recs = training_records(path)
        if train_recs:
            sources.append({"path": str(path), "records": records, "train": train_recs})
    if not sources:
        raise CorpusError("no records with finding_spans to train on")
    if not quiet:
        n_docs = sum(len(s["train"]) for s in sources)
        guess = SECONDS_PER_DOCUMENT * n_docs
        print(f"training on {n_docs} documents from {len(sources)} source(s): "
              f"{len(sources)} x {FOLDS} folds grouped by document, then the final model; about {guess:.0f} s",
              file=sys.stderr, flush=True)
    return sources


def _grouped_cv(sources: list[dict], progress: "_Progress") -> dict[str, dict]:
    """For each source, {threshold: held-out findings}: its documents in FOLDS folds, each fold predicted by a
    model fitted on the other folds and on every other source."""
    from ..findings.model import FindingModel

    held: dict[str, dict] = {}
    for si, s in enumerate(sources):
        ids = [r[0] for r in s["train"]]
        fold_of = {rid: i % FOLDS for i, rid in enumerate(ids)}
        others = [row for sj, o in enumerate(sources) if sj != si for rows in o["rows"] for row in rows]
        held[s["path"]] = {t: [] for t in THRESHOLDS}
        for k in range(FOLDS):
            rows = others + [row for rid, rs in zip(ids, s["rows"]) if fold_of[rid] != k for row in rs]
            meta, arrays = fit(rows)
            test = [(r, t) for r, t in s["records"] if fold_of.get(str(r.get("id"))) == k]
            for t, found in _held_out(FindingModel(meta, arrays), test).items():
                held[s["path"]][t] += found
            progress.step(f"{s['path']}: fold {k + 1} of {FOLDS}")
    return held


def _card(sources: list[dict], held: dict, threshold: float, meta: dict, model, calibration) -> dict:
    """The model card's facts: sources and their hashes, the model's settings, each source's held-out and
    in-sample figures, the calibration and its reliability; the vocabulary last."""
    a, b = calibration
    judge = held[sources[-1]["path"]]
    pooled = [h for s in sources for h in held[s["path"]][threshold]]
    card = {"name": "carextract findings model", "version": 2, "trained": dt.date.today().isoformat(),
            "sources": [{"path": s["path"], "records": len(s["train"]), "sha256": data_hash(s["train"])}
                        for s in sources]}
    card["training_records"] = len(sources[0]["train"])
    card["training_data_sha256"] = data_hash(sources[0]["train"])
    card.update(meta)
    evaluation = {}
    for s in sources:
        h = held[s["path"]][threshold]
        inside = _in_sample(model, s["records"])
        evaluation[s["path"]] = {
            "grouped_cv": _score(h), "in_sample": _score(inside),
            "f1_by_threshold": {str(t): _score(held[s["path"]][t])["f1"] for t in THRESHOLDS},
            "polarity_accuracy": _polarity_accuracy(h), "per_theme": _per_theme(h, meta["themes"])}
    card["evaluation"] = evaluation
    card["calibration"] = {"a": round(a, 4), "b": round(b, 4), "fitted_on": sources[-1]["path"],
                           "reliability": _reliability(judge[threshold], a, b),
                           "reliability_all_sources": _reliability(pooled, a, b)}
    card["vocabulary"] = card.pop("vocabulary")  # last: the card's facts stay readable at the top of the file
    return card


def card_markdown(card: dict) -> str:
    """The model card in Markdown: what the model is and was trained on, its figures, its calibration, and the
    design notes of findings/CARD_NOTES.md."""
    lines = _card_head(card) + _card_figures(card) + _card_calibration(card)
    extra = Path(__file__).resolve().parents[1] / "findings" / "CARD_NOTES.md"  # (beside the model it describes)
    if extra.is_file():
        lines += [extra.read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(lines)


def _card_head(card: dict) -> list[str]:
    srcs = card["sources"]
    used = " ".join(s["path"] for s in srcs)
    lines = [
        "# Findings model card",
        "",
        f"- Trained: {card['trained']} by `carextract train {used}` (deterministic: fixed folds, liblinear, "
        "sorted vocabulary).",
        "- Training data: " + "; ".join(f"`{s['path']}`, {s['records']} records with `finding_spans` (SHA-256 "
                                        f"`{s['sha256']}`)" for s in srcs)
        + f"; {card['training_clauses']} clauses of which {card['finding_clauses']} state findings.",
        "- Model: three kinds of logistic regression over clause unigrams and bigrams (organisation names such as "
        "'the Carers Hub' or 'Safeguarding Adults Board' masked), negation markers, counts of the polarity cues "
        "and the theme keywords of `src/carextract/data/finding_cues.json`, a statement-score marker, a marker "
        "for method and background phrases ('inspectors spoke to', 'based on', 'councils should ensure'), and "
        "context: the polarity of a list item's lead ('Areas for improvement:') or of the heading above, and of "
        "the clause before, and the quality statement of the statement heading above (a CQC page's 'Care "
        "provision, integration and continuity' over its key findings). A gate (does the clause state a "
        "finding?), one per theme given a finding (each leaving out the other themes' keyword markers and keyword "
        "words), and one for polarity; P(theme) = P(finding) x P(theme | finding). A list item takes its lead's "
        "polarity; a clause whose only cue is a statement score or rating word states no finding. Stored as "
        "`findings.npz` (arrays, loaded with `allow_pickle=False`) and `findings.json`; extraction predicts with "
        "numpy alone.",
        f"- Threshold: a theme is emitted when P(theme) is at least {card['threshold']}, the one of "
        f"{list(THRESHOLDS)} with the best held-out F1 on `{srcs[-1]['path']}`.",
        f"- Hyperparameters: {card['hyperparameters']}.",
        "",
        "## Findings, scored as LABELLING.md scores them",
        "",
        "Unit: (document, council or sector, polarity, theme). *Grouped CV*: five folds grouped by document; each "
        "fold's model is trained on every other source and the other folds of this one, and extracts the fold's "
        "documents. **Grouped CV is the honest figure**; in-sample figures are from the shipped model on data it "
        "was trained on, and flatter it.",
        "",
        "| source | figure | P | R | F1 | tp | fp | fn |",
        "|---|---|---|---|---|---|---|---|",
    ]
    return lines


def _card_figures(card: dict) -> list[str]:
    lines: list[str] = []
    for path, e in card["evaluation"].items():
        for name, key in (("**grouped CV (honest)**", "grouped_cv"), ("in-sample", "in_sample")):
            s = e[key]
            lines.append(f"| `{path}` | {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
                         f"{s['tp']} | {s['fp']} | {s['fn']} |")
    lines += ["", "Grouped-CV F1 by threshold: " + "; ".join(
        f"`{p}` {e['f1_by_threshold']}" for p, e in card["evaluation"].items()) + ".", ""]
    for path, e in card["evaluation"].items():
        lines += [f"### Per theme, grouped CV on `{path}`", "",
                  f"Polarity accuracy (of the gold (council, theme) pairs found, the share found with the gold "
                  f"polarity): {e['polarity_accuracy']:.3f}.", "",
                  "| theme | P | R | F1 | support |", "|---|---|---|---|---|"]
        for t, s in e["per_theme"].items():
            lines.append(f"| {t} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |")
        lines.append("")
    return lines


def _card_calibration(card: dict) -> list[str]:
    cal = card["calibration"]
    lines = ["## Calibration", "",
              f"`confidence` = sigmoid({cal['a']} x logit(P(theme) x P(polarity)) + {cal['b']}), Platt scaling "
              f"fitted on the held-out folds of `{cal['fitted_on']}` against whether each emitted finding is in "
              "the gold record. Reliability on those held-out findings:", "",
              "| confidence | findings | mean confidence | share correct |", "|---|---|---|---|"]
    lines += [f"| {r['bin']} | {r['n']} | {r['mean_confidence']:.3f} | {r['share_correct']:.3f} |"
              for r in cal["reliability"]]
    lines += ["", "Same calibration on the held-out folds of every source:", "",
              "| confidence | findings | mean confidence | share correct |", "|---|---|---|---|"]
    lines += [f"| {r['bin']} | {r['n']} | {r['mean_confidence']:.3f} | {r['share_correct']:.3f} |"
              for r in cal["reliability_all_sources"]]
    lines.append("")
    return lines

"""Training the findings model (scikit-learn is imported here and nowhere else).

    carextract train [CORPUS ...] [--output models]

1. Every labelled record with `finding_spans` is segmented exactly as at
   extraction time; each clause is labelled with the themes and polarity of
   the spans that overlap it by at least half (of the clause or the span),
   clauses with none are negatives.
2. A gate (does the clause state a finding?) over all clauses; theme
   detectors (one logistic regression per theme) and polarity over finding
   clauses; P(theme) = P(finding) x P(theme | finding).
3. Five folds grouped by document choose the confidence threshold that
   maximises micro F1 of (clause, theme, polarity) and give the per-theme
   figures of the model card.
4. The final model is fitted on everything and written as JSON + npz (no
   pickle), with the SHA-256 of the training data so tests can check that
   the shipped model comes from the corpus it claims.

Deterministic: fixed fold assignment, liblinear solver, sorted vocabulary.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import numpy as np

from ..evaluation import load_records
from ..segment import segment
from ..vocab import themes as theme_table
from .features import CueIndex, clause_features, clauses, span_context
from .model import MODEL_JSON, MODEL_NPZ
from .recognizer import introduces_quote

C_THEME = 8.0
C_POLARITY = 8.0
C_GATE = 4.0
MIN_DF = 2
FOLDS = 5
SCALE_POWER = 0.0  # 0: plain indicators (long clauses keep each cue's full weight); 1: unit length
CARD = "FINDINGS_MODEL_CARD.md"


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


def _fit(X, Y, pol_mask, pol_y):
    """Gate (does the clause state a finding?), themes given a finding, polarity given a finding."""
    from sklearn.linear_model import LogisticRegression

    def lr(c):
        return LogisticRegression(C=c, solver="liblinear", random_state=0, max_iter=1000)

    is_finding = Y.sum(axis=1) > 0
    gate = lr(C_GATE).fit(X, is_finding.astype(int))
    Xf, Yf = X[is_finding], Y[is_finding]
    W = np.zeros((X.shape[1], Y.shape[1]))
    b = np.zeros(Y.shape[1])
    for j in range(Y.shape[1]):
        if Yf[:, j].sum() == 0 or Yf[:, j].sum() == len(Yf):
            b[j] = -20.0 if Yf[:, j].sum() == 0 else 20.0
            continue
        m = lr(C_THEME).fit(Xf, Yf[:, j])
        W[:, j], b[j] = m.coef_[0], m.intercept_[0]
    lp = lr(C_POLARITY).fit(X[pol_mask], pol_y[pol_mask])
    return {"W_theme": W, "b_theme": b, "w_gate": gate.coef_[0], "b_gate": gate.intercept_,
            "w_pol": lp.coef_[0], "b_pol": lp.intercept_}


def _predict(X, a):
    gate = 1 / (1 + np.exp(-np.asarray(X @ a["w_gate"] + a["b_gate"]).ravel()))
    pt = gate[:, None] / (1 + np.exp(-(X @ a["W_theme"] + a["b_theme"])))
    ps = 1 / (1 + np.exp(-(X @ a["w_pol"] + a["b_pol"])))
    return pt, np.asarray(ps).ravel()


def _prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _score(rows, pt, ps, themes, threshold):
    """Per-theme (tp, fp, fn) of (clause, theme, polarity) at a threshold."""
    counts = {t: [0, 0, 0] for t in themes}
    for i, (_, _, gold_themes, gold_pol, _) in enumerate(rows):
        pol = "strength" if ps[i] >= 0.5 else "improvement"
        for j, t in enumerate(themes):
            pred = pt[i, j] >= threshold
            gold = t in gold_themes
            if pred and gold and (gold_pol is None or gold_pol == pol):
                counts[t][0] += 1
            else:
                if pred:
                    counts[t][1] += 1
                if gold:
                    counts[t][2] += 1
    return counts


THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
TOLERANCE = 0.005


def document_cross_validation(corpus, folds: int = FOLDS) -> dict:
    """LABELLING.md's findings score on held-out documents: each fold's model extracts the documents it never saw.

    This is the figure the model is judged by (set of (council or sector, polarity, theme) per document), and
    it chooses the model's threshold among THRESHOLDS (a theme is emitted when its probability reaches it): the
    lowest whose F1 is within TOLERANCE of the best.
    """
    from ..evaluation import FieldScore, compare
    from ..pipeline import Extractor, default_recognizers
    from .model import FindingModel
    from .recognizer import FindingRecognizer

    records = load_records(corpus)
    ids = sorted({str(r.get("id")) for r, _ in records})
    fold_of = {rid: i % folds for i, rid in enumerate(ids)}
    totals = {t: FieldScore() for t in THRESHOLDS}
    for k in range(folds):
        train_recs = [(str(r.get("id")), t, r["finding_spans"]) for r, t in records
                      if fold_of[str(r.get("id"))] != k and r.get("finding_spans") is not None]
        meta, arrays = _fit_model(sorted(train_recs, key=lambda x: x[0]), cv=False)
        model = FindingModel(meta, arrays)
        for threshold, total in totals.items():
            recognizers = [FindingRecognizer(model.with_threshold(threshold)) if isinstance(r, FindingRecognizer)
                           else r for r in default_recognizers()]
            ex = Extractor(recognizers)
            for r, t in records:
                if fold_of[str(r.get("id"))] != k:
                    continue
                f = compare(r, ex.extract(t).to_record(), str(r.get("id")))[0]["findings"]
                total.tp, total.fp, total.fn = total.tp + f.tp, total.fp + f.fp, total.fn + f.fn
    # among thresholds within TOLERANCE of the best held-out F1 (differences that size are noise here), the
    # lowest: recall first, since every finding carries its evidence and a false one is quick to dismiss
    top = max(v.f1 for v in totals.values())
    best = min(t for t in THRESHOLDS if totals[t].f1 >= top - TOLERANCE)
    s = totals[best]
    return {"precision": round(s.precision, 3), "recall": round(s.recall, 3), "f1": round(s.f1, 3),
            "tp": s.tp, "fp": s.fp, "fn": s.fn, "threshold": best,
            "f1_by_threshold": {str(t): round(v.f1, 3) for t, v in totals.items()}}


def _fit_model(records, cv: bool = True) -> tuple[dict, dict[str, np.ndarray]]:
    """Fit the model on `records`; with cv, choose the threshold on grouped folds and record per-theme figures."""
    themes = list(theme_table())
    rows = labelled_clauses(records)
    feats = [r[4] for r in rows]
    df: dict[str, int] = {}
    for fs in feats:
        for f in fs:
            df[f] = df.get(f, 0) + 1
    vocabulary = sorted(f for f, n in df.items() if n >= MIN_DF)
    vocab = {f: i for i, f in enumerate(vocabulary)}
    X = _matrix(feats, vocab)
    Y = np.array([[1 if t in r[2] else 0 for t in themes] for r in rows])
    pol_y = np.array([1 if r[3] == "strength" else 0 for r in rows])
    pol_mask = np.array([r[3] is not None and bool(r[2]) for r in rows])
    meta: dict = {"themes": themes, "vocabulary": vocabulary, "training_clauses": len(rows),
                  "finding_clauses": int((Y.sum(axis=1) > 0).sum()),
                  "hyperparameters": {"C_theme": C_THEME, "C_polarity": C_POLARITY, "C_gate": C_GATE, "min_df": MIN_DF,
                                      "folds": FOLDS, "scale_power": SCALE_POWER}}
    docs = np.array([r[0] for r in rows])
    fold_of_doc = {d: i % FOLDS for i, d in enumerate(sorted(set(docs.tolist())))}
    folds = np.array([fold_of_doc[d] for d in docs])
    pt_cv = np.zeros(Y.shape)
    ps_cv = np.zeros(len(rows))
    for k in range(FOLDS):
        tr, te = folds != k, folds == k
        pt_cv[te], ps_cv[te] = _predict(X[te], _fit(X[tr], Y[tr], pol_mask[tr], pol_y[tr]))
    best = (0.0, 0.5)
    for threshold in np.arange(0.10, 0.81, 0.025):
        c = _score(rows, pt_cv, ps_cv, themes, threshold)
        f1 = _prf(*(sum(v[i] for v in c.values()) for i in range(3)))[2]
        if f1 > best[0] + 1e-12:
            best = (f1, round(float(threshold), 3))
    meta["threshold"] = best[1]
    if cv:
        counts = _score(rows, pt_cv, ps_cv, themes, best[1])
        per_theme = {t: dict(zip(("precision", "recall", "f1"), (round(x, 3) for x in _prf(*c))),
                             support=c[0] + c[2]) for t, c in counts.items()}
        overall = dict(zip(("precision", "recall", "f1"),
                           (round(x, 3) for x in _prf(*(sum(v[i] for v in counts.values()) for i in range(3))))))
        pol_acc = float(((ps_cv >= 0.5).astype(int) == pol_y)[pol_mask].mean())
        meta["cross_validation"] = {"overall": overall, "polarity_accuracy": round(pol_acc, 3),
                                    "per_theme": per_theme}
    arrays = {k: np.asarray(v, dtype=np.float32) for k, v in _fit(X, Y, pol_mask, pol_y).items()}
    return meta, arrays


def train(corpus, output: str | Path = "models", *, document_cv: bool = True) -> dict:
    """Rebuild the shipped model from the corpus and write it, with its card, to `output`."""
    records = training_records(corpus)
    if not records:
        from ..errors import CorpusError

        raise CorpusError("no records with finding_spans to train on")
    meta, arrays = _fit_model(records, cv=True)
    card = {"name": "carextract findings model", "version": 1, "trained": dt.date.today().isoformat(),
            "training_data_sha256": data_hash(records), "training_records": len(records)}
    card.update(meta)
    if document_cv:
        docs = document_cross_validation(corpus)
        card["cross_validation"]["documents"] = docs
        card["clause_threshold"] = card["threshold"]
        card["threshold"] = docs["threshold"]
    # vocabulary last: the card's facts stay readable at the top of the file
    card["vocabulary"] = card.pop("vocabulary")
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / MODEL_NPZ, **arrays)
    (out / MODEL_JSON).write_text(json.dumps(card, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / CARD).write_text(_card_markdown(card), encoding="utf-8")
    return card


def _card_markdown(card: dict) -> str:
    cv = card["cross_validation"]
    lines = [
        "# Findings model card",
        "",
        f"- Trained: {card['trained']} by `carextract train corpus` (deterministic: fixed folds, liblinear, sorted vocabulary).",
        f"- Training data: {card['training_records']} labelled records of `corpus/` with `finding_spans`, "
        f"{card['training_clauses']} clauses of which {card['finding_clauses']} state findings; "
        f"SHA-256 `{card['training_data_sha256']}`.",
        "- Model: three kinds of logistic regression over clause unigrams, bigrams, negation markers, counts of the "
        "polarity cues and the theme keywords of `src/carextract/data/finding_cues.json`: a gate (does the clause "
        "state a finding?), one per theme given a finding, and one for polarity; P(theme) = P(finding) x "
        "P(theme | finding). Stored as `findings.npz` (arrays, loaded with `allow_pickle=False`) and "
        "`findings.json` (vocabulary, thresholds); extraction predicts with numpy alone.",
        f"- Threshold: a theme is emitted when its probability is at least {card['threshold']}, chosen on held-out "
        "documents by LABELLING.md's findings F1 (see below; the clause-level folds alone would choose "
        f"{card.get('clause_threshold', card['threshold'])}; the per-theme table below uses that one).",
        f"- Hyperparameters: {card['hyperparameters']}.",
        "",
        f"## Cross-validated ({card['hyperparameters']['folds']} folds grouped by document) per-theme figures",
        "",
        "Unit: (clause, theme, polarity); a prediction is right when the theme is in the clause's labels and the "
        "polarity matches.",
        "",
        "| theme | P | R | F1 | support |",
        "|---|---|---|---|---|",
    ]
    for t, s in cv["per_theme"].items():
        lines.append(f"| {t} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |")
    o = cv["overall"]
    lines += [f"| **overall (micro)** | {o['precision']:.3f} | {o['recall']:.3f} | {o['f1']:.3f} | |", "",
              f"Polarity accuracy on finding clauses: {cv['polarity_accuracy']:.3f}.", ""]
    if "documents" in cv:
        d = cv["documents"]
        lines += ["## Held-out documents, scored as LABELLING.md scores findings", "",
                  "Each fold's model extracts the documents it was not trained on; the unit is (document, council "
                  "or sector, polarity, theme).", "",
                  f"P {d['precision']:.3f} · R {d['recall']:.3f} · F1 {d['f1']:.3f} "
                  f"(tp {d['tp']}, fp {d['fp']}, fn {d['fn']}) at the shipped threshold {d['threshold']}, the lowest "
                  f"within {TOLERANCE} of the best of {d['f1_by_threshold']} (F1 by threshold): recall first, since "
                  "every finding carries its evidence and a false one is quick to dismiss.", ""]
    return "\n".join(lines)

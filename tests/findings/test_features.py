"""findings/features.py: clause splitting on contrast, pieces, tokens and features."""

import pytest

from carextract.findings.features import clauses, features, pieces, tokens
from carextract.segment import segment


def clause_texts(text):
    return [text[s:e] for s, e in clauses(segment(text))]


@pytest.mark.parametrize("text, expected", [
    ("Reablement was a strength of the service; however, carers waited too long for support.",
     ["Reablement was a strength of the service", "however, carers waited too long for support."]),
    ("Inspectors praised strong partnerships with the NHS, but people waited too long for assessments.",
     ["Inspectors praised strong partnerships with the NHS", "but people waited too long for assessments."]),
    ("Partnership working with health partners was strong \u2013 although carers said they were not supported.",
     ["Partnership working with health partners was strong", "although carers said they were not supported."]),
    ("Leaders were visible and staff morale was high, while waiting lists for therapy remained long.",
     ["Leaders were visible and staff morale was high", "while waiting lists for therapy remained long."]),
    ("Safeguarding referrals were handled quickly by staff; waiting lists for reviews were still growing.",
     ["Safeguarding referrals were handled quickly by staff", "waiting lists for reviews were still growing."]),
])
def test_split_on_contrast_and_semicolon(text, expected):
    assert clause_texts(text) == expected


@pytest.mark.parametrize("text", [
    # contrast word without a comma or semicolon before it
    "Inspectors praised strong partnerships with the NHS but people waited too long for assessments.",
    # one side shorter than the minimum clause
    "It was good, but slow.",
    "Staff were kind; waits were long and carers felt ignored by officers.",
    # no contrast at all
    "Inspectors praised strong partnerships with the NHS and the voluntary sector.",
])
def test_no_split(text):
    assert clause_texts(text) == [text]


def test_clauses_of_each_sentence_in_order_and_within_it():
    text = ("Leaders were visible across the service, but staff said morale had fallen sharply this year. "
            "Carers were supported well; however, waits for assessments were too long.")
    doc = segment(text)
    spans = clauses(doc)
    assert len(spans) == 4
    assert spans == sorted(spans)
    for s, e in spans:
        sent = doc.sentences[doc.sentence_at(s)]
        assert sent.start <= s < e <= sent.end
        assert text[s:e] == text[s:e].strip()
        assert text[s] not in ",;:"


def test_empty_document_has_no_clauses():
    assert clauses(segment("")) == []


def test_pieces_split_long_lists():
    text = ("People waited a long time for assessments, occupational therapy and reviews, "
            "and carers said support was hard to find.")
    ps = pieces(text, 0, len(text))
    assert len(ps) >= 2
    for s, e in ps:
        assert 0 <= s < e <= len(text)
    assert text[ps[-1][0]:ps[-1][1]].endswith("hard to find.")


def test_single_piece_gives_nothing():
    text = "Short clause, tiny"
    assert pieces(text, 0, len(text)) == []


@pytest.mark.parametrize("clause, expected", [
    ("Carers WEREN\u2019T supported", ["carers", "weren't", "supported"]),
    ("Waits of 12 weeks", ["waits", "of", "12", "weeks"]),
    ("", []),
])
def test_tokens(clause, expected):
    assert tokens(clause) == expected


def test_features_are_sorted_and_deterministic():
    clause = "People did not get a break from caring and waited too long."
    f = features(clause)
    assert f == sorted(set(f))
    assert f == features(clause)


@pytest.mark.parametrize("clause, present", [
    ("people did not get support", {"people", "did not", "NOT_get"}),
    ("Staff were kind", {"staff", "staff were", "were kind"}),
])
def test_unigrams_bigrams_negation(clause, present):
    assert present <= set(features(clause))


def test_cue_features():
    assert any(f.startswith("__kw_") for f in features("long waiting lists for assessments"))
    assert "__neg1" in features("people waited too long")


def _features_agree(text, vocab, *, context=True, cues=True):
    """Whether extraction (clause_feature_pairs over the model's vocabulary) gives each clause of `text` exactly the
    features training names (clause_features), restricted to that vocabulary."""
    from carextract.findings.features import CueIndex, clause_feature_pairs, clause_features, span_context

    doc = segment(text)
    spans = clauses(doc)
    ctx = span_context(doc, spans) if context else None
    expected = [sorted(vocab[f] for f in fs if f in vocab)
                for fs in clause_features(text, spans, CueIndex(text) if cues else None, ctx)]
    rows, cols = clause_feature_pairs(text, spans, vocab, CueIndex(text) if cues else None, ctx)
    return [sorted(cols[rows == k].tolist()) for k in range(len(spans))] == expected


def test_extraction_features_equal_training_features():
    """Extraction's vectorised path (clause_feature_pairs) sees exactly the features training saw."""
    from pathlib import Path

    from carextract.findings.model import shipped_model

    vocab = shipped_model().vocab
    texts = [p.read_text(encoding="utf-8")
             for p in sorted((Path(__file__).resolve().parents[2] / "corpus" / "texts").glob("*.txt"))[:25]]
    texts.append("“We are proud,” said Cllr Jones. Carers didn’t get breaks; however, reablement was praised.")
    for text in texts:
        assert _features_agree(text, vocab, context=False, cues=False)


def test_dense_and_sorted_bigram_tables_agree(monkeypatch):
    """The dense pair table (small vocabularies) and the sorted keys (large ones) give the same bigrams."""
    import numpy as np

    from carextract.findings import features as F
    from carextract.findings.model import shipped_model

    vocab = shipped_model().vocab
    dense = F.FeatureTable(vocab)
    monkeypatch.setattr(F, "_DENSE_PAIRS", 0)
    sparse = F.FeatureTable(vocab)
    assert dense.pairs is not None and sparse.pairs is None
    ids = dense.word_ids("people did not get a break from caring and waited too long for an assessment".split())
    ids = np.concatenate([ids, np.arange(dense.n_words)])
    assert (dense.bigrams(ids) == sparse.bigrams(ids)).all()
    assert (dense.bigrams(ids) >= 0).any()


def test_clauses_leave_out_wrapping_tags_but_keep_their_text():
    from carextract.findings.features import clauses
    from carextract.segment import segment

    text = ("<p>Inspectors found long waits for assessments, and carers felt unsupported by the council.</p>\n"
            "<li>The council worked well with local NHS partners on discharge.</li>\n"
            "<title>CQC report https://example.org/report</title>")
    assert [text[a:b] for a, b in clauses(segment(text))] == [
        "Inspectors found long waits for assessments, and carers felt unsupported by the council.",
        "The council worked well with local NHS partners on discharge."]


# --- names, context and statement scores (invented examples) -------------------------------------------------

@pytest.mark.parametrize("clause, masked", [
    ("The Safeguarding Adults Board met in March to agree its annual plan.", "safeguarding"),
    ("Referrals came through the Carers Hub and Healthwatch Eastshire.", "carers"),
    ("The Integrated Care Board chaired the meeting.", "integrated"),
])
def test_organisation_names_are_masked(clause, masked):
    """A theme word inside an organisation's name is neither a word nor a theme keyword of the clause."""
    feats = features(clause)
    assert masked not in feats
    assert not any(f.startswith("__kw_") and masked[:5] in f for f in feats)
    assert "qname" in feats


def test_theme_words_outside_names_are_kept():
    feats = features("Safeguarding enquiries were handled quickly by the Safeguarding Adults Board.")
    assert "safeguarding" in feats and "__kw_safeguarding" in feats


LIST = ("Eastshire County Council\n\n"
        "The inspectors listed key strengths:\n"
        "- tailored support plans written with each person\n"
        "- joint work with the hospital trust on discharge\n\n"
        "Areas for improvement:\n"
        "- help for people who look after a relative at home\n"
        "- the time people spent before an occupational therapist visited\n")


def _context(text):
    from carextract.findings.features import CueIndex, context_marks, span_context

    doc = segment(text)
    spans = clauses(doc)
    ctx = span_context(doc, spans)
    import numpy as np

    bounds = np.array(spans)
    marks = context_marks(CueIndex(text), bounds[:, 0], bounds[:, 1], ctx)
    return {text[s:e]: {name for name, on in marks.items() if on[k]} for k, (s, e) in enumerate(spans)}


def test_list_items_read_the_polarity_of_their_lead():
    got = _context(LIST)
    assert {"__bullet", "__lead_pos"} <= got["tailored support plans written with each person"]
    assert "__lead_neg" not in got["tailored support plans written with each person"]
    assert {"__bullet", "__lead_neg"} <= got["help for people who look after a relative at home"]
    assert "__lead_pos" not in got["the time people spent before an occupational therapist visited"]


def test_previous_clause_polarity_stays_in_its_paragraph():
    text = ("Carers waited too long for their assessments.\n\n"
            "Leaders visited every team this year.")
    assert "__prev_neg" not in _context(text)["Leaders visited every team this year."]
    text = "Carers waited too long for their assessments. Leaders visited every team this year."
    assert "__prev_neg" in _context(text)["Leaders visited every team this year."]


def test_extraction_features_equal_training_features_with_context():
    """Both feature paths read the same context markers."""
    from carextract.findings.model import shipped_model

    vocab = shipped_model().vocab
    for text in (LIST, "Safeguarding was scored 3. Carers waited too long; however, reablement was praised."):
        assert _features_agree(text, vocab)


@pytest.mark.parametrize("clause, only", [
    ("Safeguarding was scored 3 by the regulator.", True),
    ("The council was rated good for partnerships and communities.", True),
    ("Assessing needs showed some shortfalls in the regulator's view.", True),
    ("Safeguarding was scored 3, and inspectors praised quick enquiries.", False),
    ("Carers waited too long for assessments.", False),
])
def test_score_only(clause, only):
    """A statement's score or rating word, with no other cue, is not support for a finding."""
    import numpy as np

    from carextract.findings.features import CueIndex, score_only

    assert bool(score_only(CueIndex(clause), np.array([0]), np.array([len(clause)]))[0]) is only


@pytest.mark.parametrize("heading, statement", [
    ("Care provision, integration and continuity", "care_provision_integration"),
    ("Quality statement: Safeguarding", "safeguarding"),
    ("Assessing needs \u2013 Score: 3", "assessing_needs"),
    ("Safe pathways, systems and transitions", "safe_pathways"),
    # a headline that mentions a statement, a table row, a heading naming two statements, no statement
    ("City council apologises after watchdog finds long waits and weak safeguarding", None),
    ("| Safeguarding | 3 |", None),
    ("Assessing needs and safeguarding", None),
    ("Key findings for this quality statement", None),
])
def test_statement_named_by_a_heading(heading, statement):
    from carextract.findings.features import statement_ids, statement_named

    k = statement_named(heading, 0, len(heading))
    assert (statement_ids()[k] if k >= 0 else None) == statement


CQC_PAGE = ("Partnerships and communities\n\n"
            "Score: 3\n\n"
            "Key findings for this quality statement\n\n"
            "Leaders worked with health colleagues to plan services for the town.\n\n"
            "Safeguarding\n\n"
            "Key findings for this quality statement\n\n"
            "Enquiries were completed on time by a trained team of officers.\n")


def test_clauses_carry_the_statement_of_the_heading_above():
    """A CQC page's findings sit under "Key findings for this quality statement", below the statement heading."""
    from carextract.findings.features import CueIndex, clause_features, span_context

    doc = segment(CQC_PAGE)
    spans = clauses(doc)
    feats = {CQC_PAGE[s:e]: f for (s, e), f in zip(spans, clause_features(CQC_PAGE, spans, CueIndex(CQC_PAGE),
                                                                              span_context(doc, spans)))}
    first = feats["Leaders worked with health colleagues to plan services for the town."]
    second = feats["Enquiries were completed on time by a trained team of officers."]
    assert "__qs_partnerships_communities" in first and "__qs_safeguarding" not in first
    assert "__qs_safeguarding" in second and "__qs_partnerships_communities" not in second


def test_extraction_features_equal_training_features_under_a_statement_heading():
    from carextract.findings.model import shipped_model

    vocab = shipped_model().vocab
    assert "__qs_safeguarding" in vocab
    assert _features_agree(CQC_PAGE, vocab)


@pytest.mark.parametrize("lead", ["The report identified several shortcomings, including:",
                                  "Inspectors said the service fell short in these areas:"])
def test_shortcomings_lead_a_list_of_improvements(lead):
    import numpy as np

    from carextract.findings.features import CueIndex, lead_polarity, span_context

    text = lead + "\n\n- the time people spent before an occupational therapist visited\n"
    doc = segment(text)
    spans = clauses(doc)
    polarity = lead_polarity(CueIndex(text), span_context(doc, spans))
    item = [k for k, (s, e) in enumerate(spans) if text[s:e].startswith("the time people")]
    assert item and int(np.asarray(polarity)[item[0]]) == -1


@pytest.mark.parametrize("clause, method", [
    ("Inspectors spoke to 40 people who use services and their carers.", True),
    ("The judgement was based on feedback from people, staff and partners.", True),
    ("Councils should ensure that carers are offered an assessment.", True),
    ("Carers waited too long for their assessments.", False),
])
def test_method_and_background_phrases_are_marked(clause, method):
    """How an assessment was done, or what a council must do, is background: the gate reads `__method`."""
    assert ("__method" in features(clause)) is method


def test_extraction_features_equal_training_features_with_method_phrases():
    from carextract.findings.model import shipped_model

    vocab = shipped_model().vocab
    assert "__method" in vocab
    text = "Inspectors spoke to 40 people. Carers waited too long; however, reablement was praised."
    for context in (True, False):
        assert _features_agree(text, vocab, context=context)


def test_cue_phrases_match_across_the_curly_apostrophe():
    """Cues are written with ' ("weren't"); published text mostly types ’: both give the same cues, at the same
    offsets."""
    from carextract.findings.features import CueIndex

    straight = "Staff weren't always able to finish reviews on time."
    curly = straight.replace("'", "’")
    a, b = CueIndex(straight), CueIndex(curly)
    assert (a.starts, a.ends, a.phrase_ids.tolist()) == (b.starts, b.ends, b.phrase_ids.tolist())
    assert any(curly[s:e] == "weren’t" for s, e in zip(b.starts, b.ends))


@pytest.mark.parametrize("clause, polarity", [
    ("Areas for improvement included access to advice, carer support and transitions.", -1),
    ("The key areas to improve were waiting times and reviews.", -1),
    ("Strengths included its work with partners and the voluntary sector.", 1),
    ("Concerns were screened on the same day.", 0),
    ("The council improved its advice line.", 0),
])
def test_a_clause_with_a_lead_of_its_own(clause, polarity):
    from carextract.findings.features import inline_lead_polarity

    assert inline_lead_polarity(clause, [(0, len(clause))]).tolist() == [polarity]


@pytest.mark.parametrize("text, pos, neg", [
    ("Assessments were done quickly, so there weren’t any waiting lists.", 2, 0),
    ("There were no delays in discharge.", 1, 0),
    ("Staff were not always trained.", 0, 1),
])
def test_a_criticism_denied_counts_as_praise(text, pos, neg):
    from carextract.findings.features import CueIndex

    cum_pos, cum_neg, _, _ = CueIndex(text).cumulative()
    assert (cum_pos[-1], cum_neg[-1]) == (pos, neg)

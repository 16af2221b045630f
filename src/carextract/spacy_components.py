"""carextract as spaCy pipeline components (registered through the `spacy_factories` entry point).

    nlp = spacy.blank("en")
    nlp.add_pipe("carextract")
    doc = nlp(text)
    doc._.assessments, doc._.tallies, doc._.sector, doc._.carextract   # the DocumentExtraction
    doc.spans["carextract"]                                           # every fact's evidence, labelled

The stages can be added one by one too: "carextract_mentions" (the recognizers,
optionally a subset by name) then "carextract_assemble" (attribution and
assembly). The components keep no state beyond their config, so
`nlp.to_disk` / `spacy.load` round-trip a pipeline that contains them.
This module is imported by spaCy whenever it builds a pipeline: it imports
nothing heavy until a component is created.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

SPAN_KEY = "carextract"

for _name in ("carextract", "assessments", "tallies", "sector", "carextract_mentions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _recognizers(names: list[str] | None):
    from .pipeline import default_recognizers

    all_ = default_recognizers()
    if not names:
        return all_
    by_name = {r.name: r for r in all_}
    unknown = sorted(set(names) - set(by_name))
    if unknown:
        from .errors import CarextractError

        raise CarextractError(f"unknown recognizers {unknown}; known: {sorted(by_name)}")
    return [by_name[n] for n in names]


def _set_results(doc: Doc, result) -> None:
    doc._.carextract = result
    doc._.assessments = result.assessments
    doc._.tallies = result.tallies
    doc._.sector = result.sector
    spans = []
    for label, ev in _evidence(result):
        span = doc.char_span(ev.start, ev.end, label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans[SPAN_KEY] = spans


def _evidence(result):
    for a in result.assessments:
        for ev in a.evidence:
            yield (ev.field or "fact").split(".")[0].upper(), ev
        for m in a.metrics:
            for ev in m.evidence[:2]:
                yield "METRIC", ev
        for f in a.findings:
            yield f.polarity.value.upper(), f.evidence[0]
    for t in result.tallies:
        for ev in t.evidence:
            yield "TALLY", ev
    for f in result.sector:
        yield f"SECTOR_{f.polarity.value.upper()}", f.evidence[0]


class CarextractComponent:
    """The whole extraction on doc.text; results on Doc extensions and doc.spans['carextract']."""

    def __init__(self, nlp: Language, name: str, recognizers: list[str] | None = None):
        from .pipeline import Extractor

        self.name = name
        self.recognizers = list(recognizers or [])
        self.extractor = Extractor(_recognizers(self.recognizers) if self.recognizers else None)

    def __call__(self, doc: Doc) -> Doc:
        _set_results(doc, self.extractor.extract(doc.text))
        return doc


class MentionsComponent:
    """The recognizers alone: doc._.carextract_mentions holds their Mentions (see carextract.mentions)."""

    def __init__(self, nlp: Language, name: str, recognizers: list[str] | None = None):
        from .pipeline import Extractor

        self.name = name
        self._extractor = Extractor(_recognizers(recognizers))

    def __call__(self, doc: Doc) -> Doc:
        from .segment import segment

        doc._.carextract_mentions = self._extractor.mentions(segment(doc.text))
        return doc


class AssembleComponent:
    """Attribution and assembly of the mentions left by 'carextract_mentions'."""

    def __init__(self, nlp: Language, name: str):
        from .pipeline import Extractor

        self.name = name
        self._extractor = Extractor([])

    def __call__(self, doc: Doc) -> Doc:
        from .errors import CarextractError

        mentions = doc._.carextract_mentions
        if mentions is None:
            raise CarextractError("'carextract_assemble' needs 'carextract_mentions' earlier in the pipeline")
        _set_results(doc, self._extractor.assemble_mentions(doc.text, mentions))
        return doc


@Language.factory("carextract", default_config={"recognizers": []})
def make_carextract(nlp: Language, name: str, recognizers: list[str]):
    return CarextractComponent(nlp, name, recognizers)


@Language.factory("carextract_mentions", default_config={"recognizers": []})
def make_mentions(nlp: Language, name: str, recognizers: list[str]):
    return MentionsComponent(nlp, name, recognizers)


@Language.factory("carextract_assemble")
def make_assemble(nlp: Language, name: str):
    return AssembleComponent(nlp, name)

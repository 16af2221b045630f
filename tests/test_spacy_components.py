"""spacy_components.py: the factories registered through the spacy_factories entry point."""

import spacy

TEXT = ("Camden Council's adult social care was rated outstanding by the Care Quality Commission, with an overall "
        "score of 89%. Inspectors praised its strong partnerships with the NHS, but carers waited too long for "
        "assessments.")


def test_whole_pipeline_component_sets_extensions_and_spans(extractor):
    nlp = spacy.blank("en")
    nlp.add_pipe("carextract")
    doc = nlp(TEXT)
    assert [a.council.code for a in doc._.assessments] == ["E09000007"]
    assert doc._.carextract.to_record() == extractor.extract(TEXT).to_record()
    labels = {s.label_ for s in doc.spans["carextract"]}
    assert {"COUNCIL", "RATING", "SCORE"} <= labels
    for s in doc.spans["carextract"]:
        assert s.text.strip()


def test_stages_one_by_one_give_the_same_result():
    whole = spacy.blank("en")
    whole.add_pipe("carextract")
    staged = spacy.blank("en")
    staged.add_pipe("carextract_mentions")
    staged.add_pipe("carextract_assemble")
    assert staged(TEXT)._.carextract.to_record() == whole(TEXT)._.carextract.to_record()


TABLE = ("Adult social care assessments published this month\n\n"
         "| Council | Rating | Score |\n|---|---|---|\n| Camden | Outstanding | 89% |\n| Barnet | Good | 70% |\n")


def test_stages_one_by_one_read_tables_as_extract_does(extractor):
    """One path from text to mentions (Extractor.mentions) serves extract and the 'carextract_mentions' stage."""
    staged = spacy.blank("en")
    staged.add_pipe("carextract_mentions")
    staged.add_pipe("carextract_assemble")
    assert staged(TABLE)._.carextract.to_record() == extractor.extract(TABLE).to_record()


def test_to_disk_and_load_round_trip(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("carextract")
    nlp.to_disk(tmp_path / "pipeline")
    again = spacy.load(tmp_path / "pipeline")
    assert again.pipe_names == ["carextract"]
    assert again(TEXT)._.assessments[0].rating.value == "outstanding"


def test_assemble_without_mentions_says_what_is_missing():
    import pytest

    import carextract

    nlp = spacy.blank("en")
    nlp.add_pipe("carextract_assemble")
    with pytest.raises(carextract.CarextractError, match="carextract_mentions"):
        nlp(TEXT)

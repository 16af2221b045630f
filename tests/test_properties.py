"""Properties of extraction over arbitrary text (hypothesis).

- any str (control characters, NULs, lone surrogates, random unicode, domain fragments) gives a result;
- every evidence offset is valid;
- the same input gives the same record (also from a fresh Extractor);
- a document embedded between unrelated paragraphs gives the same councils, ratings and scores.
"""

from hypothesis import given, settings, strategies as st

from carextract import DocumentExtraction, Extractor

SETTINGS = settings(max_examples=60, deadline=None)

# words and pieces that reach the recognizers' interesting paths
FRAGMENTS = [
    "Camden Council", "North Somerset", "Somerset", "Westminster", "Bedford", "Central Bedfordshire",
    "the council", "The authority", "CQC", "Care Quality Commission", "adult social care",
    "rated good", "rated 'requires improvement'", "an outstanding rating", "inadequate", "(good, 70)",
    "Overall rating: Good", "score of 72%", "scored 3 for safeguarding", "Safeguarding \u2013 3", "Assessing needs | 2",
    "3 in seven of the nine statements", "and 2 in the other two", "Of the 26 councils,", "14 good", "none inadequate",
    "visited between 22 July and 24 July 2024", "from 30 December to 2 January", "83.7%", "83.7 per cent",
    "100per cent", "sixty per cent", "one in five", "three-quarters", "nearly half", "0.8 percentage points",
    "0.8pp", "app",
    "compared with the England average of", "the London average", "similar councils", "vs",
    "however, ", "but ", "waited too long for assessments", "strong partnerships with the NHS", "children's services",
    "Ofsted", "care home", "close to", "\n", "\n\n", ". ", "; ", " | ", "\t", "- ", "\u2022 ", "1. ", "(", ")",
    "\u2019", "\"", "\x00", "\ud800", "\udfff", "\r\n", "\u2028", "\ufeff", "\u0301", "\U0001F600",
]

alphabet = st.characters() | st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF) | st.sampled_from(
    ["\x00", "\x0b", "\x0c", "\x1c", "\x85", "\r", "\n", "\u2028", "\u2029"])
any_text = st.one_of(
    st.text(),
    st.text(alphabet=alphabet, max_size=300),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join),
    st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(" ".join),
)

_extractor = Extractor()


@SETTINGS
@given(any_text)
def test_any_text_gives_a_result(text):
    r = _extractor.extract(text)
    assert isinstance(r, DocumentExtraction) and r.ok and r.text_length == len(text)


@SETTINGS
@given(any_text)
def test_evidence_offsets_valid(check_evidence, text):
    check_evidence(text, _extractor.extract(text))


@SETTINGS
@given(any_text)
def test_deterministic(text):
    first = _extractor.extract(text).to_record()
    assert _extractor.extract(text).to_record() == first
    assert Extractor().extract(text).to_record() == first


# -- embedding ----------------------------------------------------------------------------------------

DOCUMENTS = [
    "Camden Council was rated good by the CQC, with an overall score of 72%.",
    "Sutton Council was rated requires improvement by the CQC, while Kingston Council was rated good.",
    "Hounslow (good, 70)\nInspectors praised the borough's joint work with NHS partners.\n\n"
    "Barnet (requires improvement, 58)\nPeople waited too long for care assessments.",
    "The CQC rated Barnet Council's adult social care as outstanding. Barnet Council scored 90% overall.",
    "Of the 26 councils assessed, one was rated outstanding (Camden), 14 good and 11 requires improvement.",
    "Rated inadequate\n\nThe Care Quality Commission has rated Sandwell Council's adult social care inadequate, "
    "giving it an overall score of 35%.",
]

UNRELATED = [
    "The village fete raised money for the church roof, and the weather held until the evening.",
    "A new bakery opened on the high street last week; queues formed before eight o'clock.",
    "The football club signed a young striker on a two-year deal after a successful trial.",
    "Gardeners are advised to water tomatoes in the morning during hot spells.",
    "The library's book club will discuss a detective novel at its next meeting.",
    "Train services were delayed by a signal fault near the station on Tuesday morning.",
]


def key_facts(record):
    return sorted((a["council"], a["rating"], a["score"]) for a in record["assessments"])


def test_unrelated_paragraphs_alone_give_nothing():
    for p in UNRELATED:
        assert key_facts(_extractor.extract(p).to_record()) == []


@SETTINGS
@given(st.sampled_from(DOCUMENTS), st.lists(st.sampled_from(UNRELATED), max_size=4),
       st.lists(st.sampled_from(UNRELATED), max_size=4))
def test_embedding_keeps_councils_ratings_scores(document, before, after):
    alone = key_facts(_extractor.extract(document).to_record())
    embedded = "\n\n".join(before + [document] + after)
    assert key_facts(_extractor.extract(embedded).to_record()) == alone


# -- documents mixing real sentences, noise and markup, read as users read them ------------------------------

MARKUP = ["<p>", "</p>", "<div class='x'>", "</div>", "<br/>", "<h2>", "</h2>", "<li>", "</li>", "&amp;", "&rsquo;",
          "&nbsp;", "<script>var s = 'rated good';</script>", "<style>p{}</style>", "<!-- rated inadequate -->",
          "<![CDATA[", "]]>", "<a href='https://example.com/x'>", "</a>", "<table><tr><td>", "</td><td>", "</td></tr></table>"]


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(MARKUP), st.text(max_size=6)), max_size=60))
def test_markup_read_then_extracted(pieces):
    import carextract

    page = "<html><head><title>t</title></head><body>" + "".join(pieces) + "</body></html>"
    try:
        docs = carextract.read(page.encode("utf-8", "surrogatepass"))
    except carextract.ReadError:  # NULs and broken UTF-8 are refused with the library's own error
        return
    for doc in docs:
        result = Extractor().extract(doc.text)
        for a in result.assessments:
            for ev in a.evidence:
                assert doc.text[ev.start:ev.end] == ev.text

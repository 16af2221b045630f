"""segment.py: sentences, paragraphs, headings, bullets, hard-wrapped lines, offsets."""

import pytest
from hypothesis import given, settings, strategies as st

from carextract.segment import Document, segment


def texts(text: str) -> list[str]:
    return [text[s.start:s.end] for s in segment(text).sentences]


def assert_offsets_valid(text: str, doc: Document) -> None:
    assert doc.text is text
    prev_end = 0
    for s in doc.sentences:
        assert 0 <= prev_end <= s.start < s.end <= len(text)
        piece = text[s.start:s.end]
        assert piece == piece.strip(), "sentences are trimmed of surrounding whitespace"
        prev_end = s.end
    paragraphs = [s.paragraph for s in doc.sentences]
    assert paragraphs == sorted(paragraphs)


# -- sentences --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("The council was assessed. Inspectors found good practice.",
     ["The council was assessed.", "Inspectors found good practice."]),
    ("Was it fair? Leaders thought so! Staff agreed.", ["Was it fair?", "Leaders thought so!", "Staff agreed."]),
    ("The score was 72. It was published in May.", ["The score was 72.", "It was published in May."]),
    ("It was rated good. 72% of people agreed.", ["It was rated good.", "72% of people agreed."]),
    ('She said: "It was good." Then she left.', ['She said: "It was good."', "Then she left."]),
    ("One sentence without a full stop", ["One sentence without a full stop"]),
])
def test_sentence_boundaries(text, expected):
    assert texts(text) == expected


@pytest.mark.parametrize("text", [
    "It said Mr. Patel and Dr. Okafor led the review.",
    "Cllr. Hughes welcomed it, e.g. the new hub.",
    "The U.K. approach was noted by inspectors.",
    "Officers met at St. Albans station on the day.",
    "It scored 72.5 overall on the index.",
    "lower case after a full stop. does not start a sentence.",
])
def test_no_split_inside(text):
    assert texts(text) == [text]


def test_newline_ends_sentence_between_complete_lines():
    assert texts("First finding here.\nSecond finding here.") == ["First finding here.", "Second finding here."]


def test_crlf_line_endings():
    text = "First one.\r\nSecond one.\r\n\r\nThird one."
    doc = segment(text)
    assert texts(text) == ["First one.", "Second one.", "Third one."]
    assert [s.paragraph for s in doc.sentences] == [0, 0, 1]


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", " \t \n  \n"])
def test_empty_or_blank_text_has_no_sentences(text):
    assert segment(text).sentences == ()


# -- paragraphs ---------------------------------------------------------------------------------

def test_blank_line_starts_a_new_paragraph():
    text = "Alpha one. Alpha two.\n\nBeta one.\n\n\nGamma one."
    doc = segment(text)
    paras = [s.paragraph for s in doc.sentences]
    assert paras[0] == paras[1]
    assert paras[0] < paras[2] < paras[3]


def test_single_newline_keeps_paragraph():
    doc = segment("One line here.\nAnother line here.")
    assert {s.paragraph for s in doc.sentences} == {0}


# -- headings -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, heading", [
    ("Camden rated good\n\nThe report was published today.", True),
    ("Key findings\nStaff were praised.", True),
    ("ADULT SOCIAL CARE ASSESSMENT\nStaff were praised.", True),
    ("The report was published today.\nStaff were praised.", False),
    ("Summary:\nStaff were praised.", False),
    ("lower case line\nStaff were praised.", False),
    ("A heading that is far too long to be a heading because it goes on well past ninety characters\n\nNext.", False),
])
def test_heading_detection(text, heading):
    doc = segment(text)
    assert doc.sentences[0].heading is heading


def test_body_sentences_are_not_headings():
    doc = segment("Findings\n\nThe council was praised. It worked well with partners.")
    assert [s.heading for s in doc.sentences] == [True, False, False]


# -- bullets ------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "- Staff were kind.",
    "– Staff were kind.",
    "• Staff were kind.",
    "* Staff were kind.",
    "2) Staff were kind.",
    "(3) Staff were kind.",
    "a) Staff were kind.",
])
def test_bullet_lines(line):
    text = "Key findings\n" + line + "\n" + line
    doc = segment(text)
    assert [text[s.start:s.end] for s in doc.sentences[1:]] == [line, line]
    assert all(s.bullet for s in doc.sentences[1:])
    assert not any(s.heading for s in doc.sentences[1:])


def test_only_first_sentence_of_bullet_is_flagged():
    text = "- Waits were long. Carers were not told why."
    doc = segment(text)
    assert [s.bullet for s in doc.sentences] == [True, False]


def test_numbered_bullet_is_one_sentence():
    text = "Key findings\n1. Staff were kind.\n2. Waits were long."
    assert texts(text)[1:] == ["1. Staff were kind.", "2. Waits were long."]


# -- hard-wrapped (PDF-like) lines ------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    # long line ending mid-sentence, next starts in upper case
    "Inspectors found that the council had worked closely with partners across the\n"
    "NHS and the voluntary sector to reduce the waiting list for assessments.",
    # next line starts in lower case
    "This line is short\nbut continues here in lower case.",
    # line ends with a comma
    "The council was praised for its work with partners,\nIncluding the local hospital trust.",
    # three wrapped lines
    "People told inspectors that it could take a long time to get through to\n"
    "the right person at the council, and that they were not always told what\n"
    "would happen next with their request for support.",
    # a short line that ends on a word no sentence ends on ('been', '&', 'of')
    "The council's overall rating had been\n‘Requires improvement’.",
    "The Director of Adults &\nHealth presented the report.",
])
def test_wrapped_lines_are_joined(text):
    assert texts(text) == [text]


def test_wrapped_bullet_keeps_its_continuation():
    text = "Key findings\n- People waited too long for an\nassessment of their needs.\n- Carers were supported."
    assert texts(text) == ["Key findings", "- People waited too long for an\nassessment of their needs.",
                           "- Carers were supported."]


@pytest.mark.parametrize("text, n", [
    ("Short line one\nShort line two", 2),  # two headings, not one wrapped line
    ("A sentence that ends here.\nthen a lower-case line", 2),  # closing punctuation ends the line's sentence
    ("The first line is long enough to look wrapped if it did not end so.\n- A bullet item", 2),
    ("Wrapped?\nNo.", 2),
])
def test_lines_not_joined(text, n):
    assert len(texts(text)) == n


# -- offsets and lookup -----------------------------------------------------------------------------

SAMPLES = [
    "Camden rated good\n\nThe CQC said so. It was fair!\n- one\n- two\n",
    "  leading spaces. And trailing  \n\n\n",
    "Text with \u2019curly\u2019 quotes. \u201cQuoted\u201d start.\n\u2022 bullet",
    "x" * 300 + "\n" + "y" * 10,
]


@pytest.mark.parametrize("text", SAMPLES)
def test_offsets_valid(text):
    assert_offsets_valid(text, segment(text))


def test_sentence_at_finds_containing_sentence():
    text = "First sentence here. Second sentence here.\n\nThird."
    doc = segment(text)
    for i, s in enumerate(doc.sentences):
        assert doc.sentence_at(s.start) == i
        assert doc.sentence_at(s.end - 1) == i
    # a position in the gap belongs to the sentence before it
    assert doc.sentence_at(doc.sentences[1].start - 1) == 0


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab C.!?\n\t -•1)\"'"), max_size=200) | st.text(max_size=200))
def test_offsets_valid_property(text):
    assert_offsets_valid(text, segment(text))


def test_finditer_by_literals_finds_what_a_scan_finds():
    """Document.finditer tries a pattern only where one of its leading literals occurs: the same matches."""
    import re
    from pathlib import Path

    from carextract.attribution import _cues
    from carextract.recognizers.base import rating_trigger
    from carextract.recognizers.ratings import _compiled
    from carextract.segment import _anchor_literals

    patterns = [rating_trigger(), _cues().topics, _cues().assessment] + [rx for _, rx in _compiled()[0]]
    patterns.append(re.compile(r"\b(?:Rated|judged)\s+\w+", re.IGNORECASE))
    assert sum(_anchor_literals(rx.pattern) is not None for rx in patterns) >= 5
    root = Path(__file__).resolve().parents[1]
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "corpus" / "texts").glob("*.txt"))[:40]]
    texts.append("RATED good; rated Good. Judged   INADEQUATE (rating: good) rated\ngood")
    for text in texts:
        doc = segment(text)
        for rx in patterns:
            assert [m.span() for m in doc.finditer(rx)] == [m.span() for m in rx.finditer(text)]
            mid = len(text) // 3
            assert [m.span() for m in doc.finditer(rx, mid, 2 * mid)] == [m.span() for m in rx.finditer(text, mid, 2 * mid)]


def test_patterns_opening_at_a_line_or_after_a_cell_bar_are_tried_only_there():
    """A pattern opening with '^' or with one-character lookbehinds is tried only just after a newline, a '|' or
    a tab (and at 0 for '^'): the same matches as a scan, windows or not."""
    import re

    from carextract.segment import _LINE_START, _opening_condition

    line = re.compile(r"^[ \t]*Rating[ \t]*:[ \t]*(?P<r>good|outstanding)[ \t]*$", re.IGNORECASE | re.MULTILINE)
    cell = re.compile(r"(?:(?<=\|)|(?<=\t))[ \t]*(?:good|outstanding)[ \t]*(?=\||\t|$)", re.IGNORECASE)
    assert _opening_condition(line.pattern, line.flags) == _LINE_START
    assert _opening_condition(cell.pattern, cell.flags) == frozenset("|\t")
    assert _opening_condition(r"(?<=x)good", re.IGNORECASE) is None  # 'X' too: not known
    assert _opening_condition(r"^a|b", re.MULTILINE) is None
    text = ("Rating: Good\nBarnet | good | 71\nCamden\tOutstanding\t88\n  rating : outstanding\nx Rating: good\n"
            "| Good |\n")
    doc = segment(text)
    for rx in (line, cell):
        assert [m.span() for m in doc.finditer(rx)] == [m.span() for m in rx.finditer(text)]
        assert [m.span() for m in doc.finditer(rx, 5, 60)] == [m.span() for m in rx.finditer(text, 5, 60)]
        windows = [(0, 10), (14, 30), (33, 70)]
        expected = [m.span() for s, e in windows for m in rx.finditer(text, s, e)]
        assert [m.span() for m in doc.finditer_windows(rx, windows)] == expected


def test_patterns_opening_with_a_digit_are_tried_only_at_digits():
    import re

    from carextract.segment import _opening_digits

    rx = re.compile(r"(?<![\d.])\b(?P<n>[1-4])\s+(?=in\s)|(?<!\d)(?:100|[2-9]\d)%", re.IGNORECASE)
    assert _opening_digits(rx.pattern, rx.flags) == frozenset("123456789")
    assert _opening_digits(r"\d+", 0) is None  # any digit, not only ASCII ones
    assert _opening_digits(r"(?:[1-4]|one)", 0) is None
    text = "Scored 3 in four areas, 2 in five; 1.5 in none; 64% overall, 100%; ٣ in two"
    doc = segment(text)
    assert [m.span() for m in doc.finditer(rx)] == [m.span() for m in rx.finditer(text)]
    windows = [(0, 20), (22, 50), (52, len(text))]
    assert [m.span() for m in doc.finditer_windows(rx, windows)] == [m.span() for s, e in windows
                                                                     for m in rx.finditer(text, s, e)]


def test_windows_without_a_literal_every_match_holds_are_skipped():
    """A pattern whose every match holds one of a few literals is not run where none of them occurs: the same
    matches, and none of the characters that match an ASCII letter only when case is ignored is missed."""
    import re

    from carextract.segment import _required_literals

    rx = re.compile(r"\b(?:rated|judged)\s+(?:as\s+)?(?P<r>good|outstanding)\b", re.IGNORECASE)
    assert _required_literals(rx.pattern, rx.flags) == (("judged", "rated"), True)
    assert _required_literals(r"(?:ab|cd)+x?", 0) == (None, False)  # too short to gate on
    assert _required_literals(r"\w+ing", 0) == (("ing",), False)
    assert _required_literals(r"good(?=\s+standard)", 0) == (("good",), False)  # not what it only looks at
    assert _required_literals(r"(?:good|)x", 0) == (None, False)
    assert _required_literals(r"x(?i:good)", 0) == (("good",), True)
    text = "It was RATED good. Nothing here. Judged as outstanding, rated Outstanding. RATEd good"
    for t in (text, text.replace("RATED", "RATſD").replace("rated", "raTed")):
        doc = segment(t)
        windows = [(0, 19), (19, 33), (33, len(t))]
        expected = [m.span() for s, e in windows for m in rx.finditer(t, s, e)]
        assert [m.span() for m in doc.finditer_windows(rx, windows)] == expected
        assert [m.span() for m in doc.finditer(rx, 19, 33)] == [m.span() for m in rx.finditer(t, 19, 33)]
        assert [m.span() for m in doc.finditer(rx)] == [m.span() for m in rx.finditer(t)]
    sigma = re.compile(r"\d+\s+(?i:lossy)")  # a part ignoring case: 'ſ' matches its 's'
    t = "3 loſſy"
    assert [m.span() for m in segment(t).finditer(sigma)] == [m.span() for m in sigma.finditer(t)] == [(0, 7)]


def test_lower_keeps_offsets():
    doc = segment("İstanbul and KENT")
    assert len(doc.lower) == len(doc.text)
    assert doc.lower.endswith("kent")


def test_table_laid_out_with_spaces_keeps_its_rows():
    text = ("Measure                                  Council     England\n"
            "Older people at home 91 days after\n"
            "discharge into reablement                80.2%       83.7%\n"
            "People who feel safe                     73.5%       71.1%\n")
    rows = [text[s.start:s.end] for s in segment(text).sentences]
    assert len(rows) == 3
    assert rows[1].startswith("Older people") and rows[1].endswith("83.7%")


def test_numbered_paragraph_is_not_a_table_row():
    text = ("3.1   The council was rated good. The council scored 3 in six\n"
            "      of the nine quality statements and 2 in the remaining three.\n")
    assert any("six\n      of the nine" in text[s.start:s.end] for s in segment(text).sentences)


def test_markup_lines_are_sentences_not_wrapped_lines():
    """Feed and page bodies pasted as markup: a line closing with a tag ends its sentence, the next line opening
    with a tag is not its continuation, and a sentence ending '.</p>' is no heading."""
    text = ("<p>Inspectors found that people waited months for an assessment of their needs.</p>\n"
            "<p>Carers said they felt listened to.</p> <p>Leaders were visible.</p>")
    got = [(text[s.start:s.end], s.heading) for s in segment(text).sentences]
    assert got == [("<p>Inspectors found that people waited months for an assessment of their needs.</p>", False),
                   ("<p>Carers said they felt listened to.</p>", False), ("<p>Leaders were visible.</p>", False)]


def test_line_bounds_match_a_scan_of_the_line():
    text = "ab\ncd\n\nef"
    doc = segment(text)
    for pos in range(len(text) + 1):
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        assert doc.line_bounds(pos) == (start, len(text) if end == -1 else end), pos


def test_bullet_lead_is_the_line_before_the_list():
    doc = segment("Scored 3:\n- Safeguarding\n- Assessing needs\nAfter the list.\n- Another")
    leads = [doc.bullet_lead(i) for i in range(len(doc.sentences))]
    assert [s.bullet for s in doc.sentences] == [False, True, True, False, True]
    assert leads == [-1, 0, 0, 0, 3]


@pytest.mark.parametrize("block, heading_text", [
    ("<h2>Our rating</h2>", "<h2>Our rating"),
    ("Leaders were visible.</p> </div>", "Leaders were visible."),
    ("Summary ]]>", "Summary"),
    ("<b>" * 3 + "x>", "<b><b><b>x>"),
])
def test_tags_at_a_blocks_end_are_read_from_the_end(block, heading_text):
    from carextract.segment import _without_trailing_tags

    assert _without_trailing_tags(block) == heading_text


def test_a_lead_line_after_a_list_starts_a_sentence_of_its_own():
    """The last item of one list, then the lead of the next ("... identifies areas for improvement:") with no blank
    line between: the lead is not the item's wrapped text, so the next list's items take its polarity."""
    text = ("Strengths included:\n- a strong and stable leadership team that knew its communities and its providers well\n"
            "The assessment also identifies areas for improvement:\n- delays in annual reviews\n")
    sents = [text[s.start:s.end] for s in segment(text).sentences]
    assert "The assessment also identifies areas for improvement:" in sents


def test_a_line_closing_a_straight_quote_before_a_capital_ends_its_sentence():
    text = "Rutland's adult social care 'requires improvement'\nThe council spent less than it planned."
    doc = segment(text)
    assert [text[s.start:s.end] for s in doc.sentences] == [
        "Rutland's adult social care 'requires improvement'", "The council spent less than it planned."]
    assert doc.sentences[0].heading


def test_a_line_ending_in_a_plural_possessive_still_runs_on():
    text = ("Before the visit, inspectors read through the latest ratings of all the local care providers'\n"
            "CQC reports over the year before the visit.")
    assert len(segment(text).sentences) == 1


def test_run_together_sentences_of_a_scraped_page_are_split():
    text = "Inspectors visited in the spring.Three homes were rated inadequate within six months.The council agreed."
    assert [text[s.start:s.end] for s in segment(text).sentences] == [
        "Inspectors visited in the spring.", "Three homes were rated inadequate within six months.", "The council agreed."]

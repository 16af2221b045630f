"""layout.py: blocks and tables with offsets, found lazily."""

import pytest

from carextract.layout import Layout, layout, lines
from carextract.segment import segment


def table(text):
    [t] = Layout(text).tables
    return t.kind, [[c.clean for c in r.cells] for r in t.rows], t.head


def test_lines_offsets():
    text = "  a b \n\nc\n"
    assert [text[s:e] for s, e in lines(text)] == ["a b", "", "c", ""]


def test_pipe_with_alignment_row_and_bold():
    kind, rows, head = table("| Council | Rating |\n|:--|--:|\n| **Leeds** | ✅ Good |\n")
    assert (kind, rows, head) == ("pipe", [["Council", "Rating"], ["Leeds", "Good"]], 0)


def test_pipe_rows_broken_over_lines_join_the_head():
    kind, rows, head = table("Theme |\nArea |\nScore |\n|---|---|---|\n| x | Safeguarding |\n3 |\n")
    assert rows[0] == ["Theme", "Area", "Score"] and head == 0


def test_tab_rows():
    assert table("Council\tRating\nLeeds\tGood\n")[:2] == ("tab", [["Council", "Rating"], ["Leeds", "Good"]])


def test_csv_quotes_and_semicolons():
    kind, rows, _ = table('Council,Rating,Score\n"Bath, NE Somerset",Good,66\nBristol,RI,57\n')
    assert rows[1] == ["Bath, NE Somerset", "Good", "66"]
    assert table("Council;Rating;Score\nLeeds;Good;70\nBradford;RI;55\n")[1][2] == ["Bradford", "RI", "55"]


def test_prose_with_commas_is_no_table():
    text = "Leeds, Bradford and Wakefield were assessed, and all three, in the end, did well.\n" * 3
    assert Layout(text).tables == []


def test_fixed_width_columns_by_position():
    text = ("Council      Rating     Score\n"
            "-----------  ---------  -----\n"
            "Leeds        Good          70\n"
            "Bradford     RI            55\n")
    kind, rows, head = table(text)
    assert kind == "fixed" and rows[1:] == [["Leeds", "Good", "70"], ["Bradford", "RI", "55"]] and head == 0


def test_fixed_width_wrapped_label_joins_its_row():
    text = ("Quality statement                      Score\n"
            "Assessing needs                         2\n"
            "Care provision, integration and\n"
            "continuity                              3\n"
            "Safeguarding                            2\n")
    rows = table(text)[1]
    assert rows[2] == ["Care provision, integration and continuity", "3"]


def test_blocks():
    text = "Title line\n\nA paragraph that runs on. It ends here.\n- an item\nOverall rating: Good\n"
    kinds = [(b.kind, text[b.start:b.end]) for b in Layout(text).blocks]
    assert kinds == [("heading", "Title line"), ("paragraph", "A paragraph that runs on. It ends here."),
                     ("list_item", "- an item"), ("key_value", "Overall rating: Good")]
    kv = Layout(text).blocks[-1]
    assert text[kv.key[0]:kv.key[1]] == "Overall rating" and text[kv.value[0]:kv.value[1]] == "Good"


def test_lazy_and_cached():
    doc = segment("Plain prose about a council. Nothing laid out here.")
    lay = layout(doc)
    assert layout(doc) is lay and not lay.tableish and lay.tables == []


@pytest.mark.parametrize("text", ["", "\n" * 50, "|" * 200, "\t\t\n" * 20, ",,,\n" * 20, " " * 300])
def test_degenerate_inputs(text):
    lay = Layout(text)
    lay.tables, lay.blocks  # no error


def test_dash_separated_rows():
    kind, rows, head = table("Results (score – rating – council)\n84% – good – Shropshire\n62% – requires improvement – "
                             "Wolverhampton\n37% – inadequate – Rochdale\n")
    assert kind == "dash" and rows[1] == ["84%", "good", "Shropshire"] and head == 0


def test_a_sentence_with_dashes_is_no_row():
    assert Layout("The council – which was rated good – said it was proud – very proud – of its staff.\n").tables == []


def test_a_legend_with_commas_is_no_comma_separated_table():
    text = ("Key: RTG = overall rating (G = Good, RI = Requires improvement); SC% = overall score;\n"
            "AN = assessing needs; SHL = supporting people to live healthier lives; EIO = equity in\n"
            "experience and outcomes; CPI = care provision, integration and continuity; P&C =\n"
            "partnerships and communities; SPT = safe pathways, systems and transitions.\n")
    assert layout(segment(text)).tables == []


def test_a_fixed_width_cell_carried_onto_an_indented_line_joins_its_row():
    text = ("Authority          Date published   Overall rating          Score\n"
            "Redbridge          29/11/2024       Requires                61%\n"
            "                                    improvement\n"
            "Newham             06/12/2024       Requires                56%\n"
            "                                    improvement\n"
            "Waltham Forest     13/12/2024       Good                    72%\n")
    [t] = layout(segment(text)).tables
    assert [r.cells[2].clean for r in t.rows[1:]] == ["Requires improvement", "Requires improvement", "Good"]
    assert [r.cells[0].clean for r in t.rows[1:]] == ["Redbridge", "Newham", "Waltham Forest"]


def test_a_label_wrapped_forward_at_its_own_indent_is_not_carried_back():
    text = ("Theme                     Quality statement                              Score\n"
            "Working with people       Assessing needs                                  2\n"
            "                          Supporting people to live healthier\n"
            "                          lives                                            3\n"
            "                          Safeguarding                                     3\n")
    [t] = layout(segment(text)).tables
    assert [c.clean for c in t.rows[1].cells] == ["Working with people", "Assessing needs", "2"]

"""The document tree's one walk: visit, nodes, query and walk reach every node in document order."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import get_args

import pytest
from conftest import CONSTRUCTS, DATA

from zhengji_publish import model as m
from zhengji_publish.reader import read_file

pytestmark = pytest.mark.unit


def sample() -> m.Document:
    """A tree with every kind of node, nested lists and divs, a table and a footnote."""
    return m.Document(
        m.Meta(title="标题"),
        [
            m.Heading(1, [m.Text("一", 1)], "h", 1),
            m.Paragraph(
                [
                    m.Text("甲", 3),
                    m.Strong([m.Emph([m.Text("乙")]), m.Link("#h", [m.Code("丙")])]),
                    m.FootnoteRef("n", 1),
                    m.LineBreak(),
                    m.Strike([m.Text("丁")]),
                    m.Image("i.png", "戊"),
                ],
                3,
            ),
            m.Figure(m.Image("f.png", "图"), [m.Text("图题")], 5),
            m.BlockQuote([m.Paragraph([m.Text("引")])], 7),
            m.ListBlock(
                False,
                [
                    m.ListItem(
                        [
                            m.Paragraph([m.Text("项一")]),
                            m.ListBlock(True, [m.ListItem([m.Paragraph([m.Text("子项")])])]),
                        ]
                    ),
                    m.ListItem([m.Paragraph([m.Text("项二")])]),
                ],
                line=9,
            ),
            m.Table(
                [m.TableCell([m.Text("表头")], 13), m.TableCell([m.Text("说明")], 13)],
                [[m.TableCell([m.Text("格一")], 15), m.TableCell([m.Strong([m.Text("格二")])])]],
                ["", ""],
                13,
            ),
            m.CodeBlock("print()", "py", 17),
            m.ThematicBreak(20),
            m.Div("notice", [m.Heading(2, [m.Text("通知")]), m.Div("byline", [m.Paragraph([m.Text("署名")])])], 22),
        ],
        [
            m.Footnote(
                "n",
                1,
                [
                    m.Paragraph([m.Text("注"), m.Emph([m.Text("文")])]),
                    m.ListBlock(True, [m.ListItem([m.Paragraph([m.Text("注项")])])]),
                ],
                30,
            )
        ],
    )


def table_of(doc: m.Document) -> m.Table:
    table = doc.blocks[5]
    assert isinstance(table, m.Table)
    return table


def label(node: m.Node) -> str:
    text = getattr(node, "text", None)
    return type(node).__name__ + (f":{text}" if isinstance(text, str) else "")


# Pre-order, document order: the body, then each footnote with its body.
ORDER = [
    "Heading", "Text:一",
    "Paragraph", "Text:甲", "Strong", "Emph", "Text:乙", "Link", "Code:丙", "FootnoteRef", "LineBreak",
    "Strike", "Text:丁", "Image",
    "Figure", "Image", "Text:图题",
    "BlockQuote", "Paragraph", "Text:引",
    "ListBlock", "ListItem", "Paragraph", "Text:项一", "ListBlock", "ListItem", "Paragraph", "Text:子项",
    "ListItem", "Paragraph", "Text:项二",
    "Table", "TableCell", "Text:表头", "TableCell", "Text:说明", "TableCell", "Text:格一", "TableCell", "Strong",
    "Text:格二",
    "CodeBlock:print()",
    "ThematicBreak",
    "Div", "Heading", "Text:通知", "Div", "Paragraph", "Text:署名",
    "Footnote", "Paragraph", "Text:注", "Emph", "Text:文", "ListBlock", "ListItem", "Paragraph", "Text:注项",
]  # fmt: skip


def test_visit_reaches_every_node_in_document_order_footnotes_last():
    doc = sample()
    assert [label(n) for n in m.nodes(doc)] == ORDER
    assert [label(v.node) for v in m.visit(doc)] == ORDER
    kinds = {type(n) for n in m.nodes(doc)}
    assert kinds == set(get_args(m.Block)) | set(get_args(m.Inline)) | {m.ListItem, m.TableCell, m.Footnote}


def test_visit_options_leave_out_footnotes_or_inlines():
    doc = sample()
    body = ORDER[: ORDER.index("Footnote")]
    assert [label(n) for n in m.nodes(doc, footnotes=False)] == body
    inline_kinds = tuple(get_args(m.Inline))
    blocks_only = [label(n) for n in m.nodes(doc, inlines=False)]
    assert blocks_only == [
        x for x, n in zip(ORDER, m.nodes(doc), strict=True) if not isinstance(n, inline_kinds)
    ]  # fmt: skip
    assert "TableCell" in blocks_only and "Footnote" in blocks_only
    # a list of blocks or a paragraph reaches the reference, never the note's body
    para = doc.blocks[1]
    assert [label(n) for n in m.nodes(para)][:3] == ["Paragraph", "Text:甲", "Strong"]
    assert "Text:注" not in [label(n) for n in m.nodes(doc.blocks)]


def test_visit_gives_each_node_its_ancestors_block_and_line():
    doc = sample()
    visits: dict[str, m.Visit] = {}
    for v in m.visit(doc):
        visits.setdefault(label(v.node), v)  # the first node of each label
    cell_text = visits["Text:格二"]
    assert [type(a).__name__ for a in cell_text.ancestors] == ["Table", "TableCell", "Strong"]
    assert isinstance(cell_text.parent, m.Strong)
    assert cell_text.block is doc.blocks[5]
    assert cell_text.enclosing(m.TableCell) is table_of(doc).rows[0][1]
    assert cell_text.line == 13  # neither the text, the strong nor the cell has one: the table's
    assert visits["Text:格一"].line == 15
    note = visits["Text:文"]
    assert note.enclosing(m.Footnote) is doc.footnotes[0] and note.line == 30
    assert isinstance(note.block, m.Paragraph)
    nested = visits["Text:署名"]
    assert [type(a).__name__ for a in nested.ancestors] == ["Div", "Div", "Paragraph"]
    assert visits["Heading"].parent is None and visits["Heading"].block is None
    images = [v for v in m.visit(doc) if isinstance(v.node, m.Image)]
    assert [type(v.parent).__name__ for v in images] == ["Paragraph", "Figure"]
    assert images[1].line == 5 and images[1].block is doc.blocks[2]


def test_child_nodes_flatten_figures_and_tables():
    doc = sample()
    figure, table = doc.blocks[2], doc.blocks[5]
    assert isinstance(figure, m.Figure) and isinstance(table, m.Table)
    assert list(m.child_nodes(figure)) == [figure.image, *figure.caption]
    assert list(m.child_nodes(table)) == [*table.header, *table.rows[0]]
    assert m.child_nodes(m.Text("x")) == ()
    assert m.inline_run(figure) is figure.caption
    assert m.inline_run(table.header[0]) is table.header[0].children


def test_query_collects_in_document_order():
    doc = sample()
    texts = m.query(doc, m.Text, lambda t: t.text)
    assert texts == [x.split(":", 1)[1] for x in ORDER if x.startswith("Text:")]
    assert m.query(doc, m.Text, lambda t: t.text, footnotes=False)[-1] == "署名"
    assert m.query(doc.blocks[5], m.TableCell, lambda c: m.plain_text(c.children)) == [
        "表头",
        "说明",
        "格一",
        "格二",
    ]


def test_walk_mutation_reaches_table_cells_footnotes_captions_and_nested_lists():
    doc = sample()

    def mark(t: m.Text) -> m.Text:
        return m.Text(f"[{t.text}]", t.line)

    assert m.walk(doc, m.Text, mark) is doc
    table, figure, lst = doc.blocks[5], doc.blocks[2], doc.blocks[4]
    assert isinstance(table, m.Table) and isinstance(figure, m.Figure) and isinstance(lst, m.ListBlock)
    assert m.plain_text(table.rows[0][1].children) == "[格二]"
    assert m.plain_text(table.header[0].children) == "[表头]"
    assert m.query(doc.footnotes, m.Text, lambda t: t.text) == ["[注]", "[文]", "[注项]"]
    assert m.plain_text(figure.caption) == "[图题]"
    assert m.query(lst, m.Text, lambda t: t.text) == ["[项一]", "[子项]", "[项二]"]
    assert m.query(doc, m.Code, lambda c: c.text) == ["丙"]  # other kinds untouched


def test_walk_mutation_in_place_and_footnotes_left_alone_when_asked():
    doc = sample()

    def upper(t: m.Text) -> None:
        t.text = t.text + "!"

    m.walk(doc, m.Text, upper, footnotes=False)
    assert m.query(doc, m.Text, lambda t: t.text)[-4:] == ["署名!", "注", "文", "注项"]


def test_walk_is_bottom_up_and_splices_lists():
    doc = sample()
    seen: list[str] = []

    def unwrap(node: m.Strong) -> list[m.Inline]:
        seen.append(m.plain_text(node.children))
        return node.children

    m.walk(doc, m.Strong, unwrap)
    para = doc.blocks[1]
    assert isinstance(para, m.Paragraph)
    assert [label(n) for n in para.children][:3] == ["Text:甲", "Emph", "Link"]
    assert seen == ["乙丙", "格二"]
    cell = table_of(doc).rows[0][1]
    assert [label(n) for n in cell.children] == ["Text:格二"]

    order: list[str] = []

    def record(node: m.Block) -> None:
        order.append(type(node).__name__)

    m.walk(sample().blocks[4:5], m.ListBlock, record)
    m.walk(sample().blocks[8:9], m.Div, record)
    assert order == ["ListBlock", "ListBlock", "Div", "Div"]  # the inner list, then the outer

    empty = sample()
    m.walk(empty, m.Paragraph, lambda p: [])
    assert not any(isinstance(n, m.Paragraph) for n in m.nodes(empty))
    assert m.query(empty, m.Text, lambda t: t.text) == ["一", "图题", "表头", "说明", "格一", "格二", "通知"]


def test_walk_refuses_replacements_that_do_not_fit():
    with pytest.raises(TypeError):
        m.walk(sample(), m.Text, lambda t: m.Paragraph([t]))
    with pytest.raises(TypeError):
        m.walk(sample(), m.Image, lambda i: m.Text(i.alt))  # the figure's image must stay an image
    with pytest.raises(ValueError):
        m.walk(m.Paragraph([m.Text("a")]), m.Paragraph, lambda p: m.Paragraph([]))
    para = m.Paragraph([m.Text("a")])
    assert m.walk(para, m.Paragraph, lambda p: p) is para


def test_walk_replaces_a_figure_image():
    doc = sample()
    m.walk(doc, m.Image, lambda i: m.Image(i.src, i.alt + "！"))
    assert m.query(doc, m.Image, lambda i: i.alt) == ["戊！", "图！"]


def test_visit_has_no_recursion_limit():
    node: m.Inline = m.Text("深")
    for _ in range(5000):
        node = m.Emph([node])
    assert [label(n) for n in m.nodes([node])][-1] == "Text:深"
    assert list(m.visit([node]))[-1].line == 0


def test_a_read_document_has_every_kind_reached(tmp_path: Path):
    shutil.copy(DATA / "figure.png", tmp_path / "figure.png")
    src = tmp_path / "all.md"
    src.write_text(
        CONSTRUCTS.read_text(encoding="utf-8")
        + "\n\n有~~删除~~和![内联](figure.png)。\n\n::: notice\n- 表外\n  - 嵌套\n:::\n",
        encoding="utf-8",
    )
    doc = read_file(src)
    kinds = {type(n) for n in m.nodes(doc)}
    assert kinds == set(get_args(m.Block)) | set(get_args(m.Inline)) | {m.ListItem, m.TableCell, m.Footnote}
    cells = m.query(doc, m.TableCell, lambda c: m.plain_text(c.children))
    assert cells[:3] == ["项目", "数量", "说明"] and "明确分工、压实责任" in cells
    note = [v for v in m.visit(doc) if isinstance(v.node, m.Text) and v.enclosing(m.Footnote)]
    assert "".join(v.node.text for v in note if isinstance(v.node, m.Text)) == "脚注内容，含强调。"
    # iter_blocks and plain_text are built on the same walk
    assert [b for b in m.iter_blocks(doc.blocks)] == [n for n in m.nodes(doc.blocks) if isinstance(n, m.Block)]
    assert m.headings(doc)[0] is doc.blocks[0]

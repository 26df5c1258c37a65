"""Word (.docx) into a ``FlowDocument``: body paragraphs with their bold runs and font sizes, tables.

Our own reader over ``word/document.xml`` and ``word/styles.xml`` (defusedxml, through the capped
``archive``): python-docx and docx2python both inflate every part of the zip into memory first,
which a zip bomb turns into gigabytes; see docs/formats.md for the measurements.

Read: paragraphs in body order (content controls and tracked insertions included, deletions
not), a run's bold and size from its own properties, its paragraph style's, or the document
defaults; heading styles (标题 1, Heading 1, Title, an outline level); tables row by row, a
merged cell's continuation as an empty string. Text boxes are read as paragraphs of their own,
before the paragraph that anchors them; a one-row table (a masthead's issuer | date) is read as paragraphs.
"""

from __future__ import annotations

from extractor.errors import CorruptDocument
from extractor.readers.archive import Archive
from extractor.readers.flow import FlowDocument, FlowParagraph, FlowTable
from extractor.readers.xml import child, local, parse

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DEFAULT_SIZE = 10.5  # Word's default 五号
MAX_ITEMS = 200_000


def page_count(data: bytes) -> int:
    """The number of items (paragraphs and tables) the document will have: its ``page_count``."""
    return max(1, len(read(data).items))


def read(data: bytes) -> FlowDocument:
    archive = Archive(data, "Word (.docx)")
    root = parse(archive.read("word/document.xml"), "Word document (word/document.xml)")
    styles = _Styles(parse(archive.read("word/styles.xml"), "Word styles") if "word/styles.xml" in archive else None)
    body = child(root, "body")
    if body is None:
        raise CorruptDocument("the Word document has no body")
    items: list[FlowParagraph | FlowTable] = []
    for el in _blocks(body):
        if len(items) >= MAX_ITEMS:
            raise CorruptDocument(f"the Word document has more than {MAX_ITEMS} paragraphs")
        if local(el.tag) == "p":
            # A masthead is often set in text boxes anchored to a paragraph: their paragraphs come first.
            for box in _text_boxes(el):
                items.extend(p for p in (_paragraph(q, styles) for q in box.iter(W + "p")) if p.text.strip())
            para = _paragraph(el, styles)
            if para.text.strip():
                items.append(para)
        else:
            rows = _table_rows(el)
            if len(rows) == 1:
                # One row is a layout (the masthead's issuer | date), not a table of figures.
                items.extend(FlowParagraph(text=c) for c in rows[0] if c.strip())
            elif rows and any(any(c.strip() for c in r) for r in rows):
                items.append(FlowTable(rows))
    return FlowDocument(items)


def _blocks(el):
    """Body paragraphs and tables in order, through content controls (w:sdt) and custom XML."""
    for c in el:
        name = local(c.tag)
        if name in ("p", "tbl"):
            yield c
        elif name in ("sdt", "sdtContent", "customXml", "smartTag", "ins"):
            yield from _blocks(c)


class _Styles:
    def __init__(self, root):
        self.by_id: dict = {}
        self.default_size = DEFAULT_SIZE
        self.default_bold = False
        if root is None:
            return
        for st in root.iter(W + "style"):
            if st.get(W + "styleId"):
                self.by_id[st.get(W + "styleId")] = st
        defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        if defaults is not None:
            self.default_size = _size(defaults) or DEFAULT_SIZE
        default_para = next((s for s in root.iter(W + "style") if s.get(W + "type") == "paragraph"
                             and s.get(W + "default") in ("1", "true")), None)
        if default_para is not None:
            self.default_size = self.prop(default_para.get(W + "styleId"), _size) or self.default_size

    def prop(self, style_id: str | None, getter, depth: int = 0):
        """A run property from a style or the styles it is based on."""
        st = self.by_id.get(style_id) if style_id else None
        if st is None or depth > 10:
            return None
        rpr = st.find(W + "rPr")
        value = getter(rpr) if rpr is not None else None
        if value is not None:
            return value
        based = st.find(W + "basedOn")
        return self.prop(based.get(W + "val"), getter, depth + 1) if based is not None else None

    def is_heading(self, style_id: str | None, depth: int = 0) -> bool:
        st = self.by_id.get(style_id) if style_id else None
        if st is None or depth > 10:
            return bool(style_id) and style_id.lower().startswith(("heading", "title"))
        name = (st.find(W + "name").get(W + "val") if st.find(W + "name") is not None else "").lower()
        if name.startswith(("heading", "title", "标题")) or st.find(f"{W}pPr/{W}outlineLvl") is not None:
            return True
        based = st.find(W + "basedOn")
        return self.is_heading(based.get(W + "val"), depth + 1) if based is not None else False


def _on(el) -> bool | None:
    if el is None:
        return None
    return el.get(W + "val", "true").lower() not in ("0", "false", "off", "none")


def _bold(rpr) -> bool | None:
    return _on(rpr.find(W + "b")) if rpr is not None else None


def _size(rpr) -> float | None:
    sz = rpr.find(W + "sz") if rpr is not None else None
    try:
        return int(sz.get(W + "val")) / 2 if sz is not None else None
    except (TypeError, ValueError):
        return None


def _paragraph(p, styles: _Styles) -> FlowParagraph:
    ppr = p.find(W + "pPr")
    style = None
    if ppr is not None and ppr.find(W + "pStyle") is not None:
        style = ppr.find(W + "pStyle").get(W + "val")
    style_bold = styles.prop(style, _bold) or False
    style_size = styles.prop(style, _size) or styles.default_size
    heading = styles.is_heading(style) or (ppr is not None and ppr.find(W + "outlineLvl") is not None)
    runs: list[tuple[str, bool, float]] = []
    for r in _runs(p):
        rpr = r.find(W + "rPr")
        bold = _bold(rpr)
        rstyle = rpr.find(W + "rStyle").get(W + "val") if rpr is not None and rpr.find(W + "rStyle") is not None else None
        if bold is None:
            bold = styles.prop(rstyle, _bold)
        bold = style_bold if bold is None else bold
        size = _size(rpr) or styles.prop(rstyle, _size) or style_size
        text = []
        for c in r:
            name = local(c.tag)
            if name == "t":
                text.append(c.text or "")
            elif name == "tab":
                text.append("    ")
            elif name in ("br", "cr"):
                text.append("")  # a soft line break: Chinese lines join without a space
        if text:
            runs.append(("".join(text), bool(bold), size))
    full = "".join(t for t, _, _ in runs)
    lead = 0
    for t, bold, _ in runs:
        if not bold:
            break
        lead += len(t)
    ink = [(len(t.strip()), s) for t, _, s in runs if t.strip()]
    size = max(ink, key=lambda x: x[0])[1] if ink else style_size
    return FlowParagraph(text=full, size=size, lead=lead if lead < len(full.rstrip()) else 0,
                         bold=bool(full.strip()) and lead >= len(full.rstrip()), heading=heading)


def _text_boxes(el):
    """The text boxes (w:txbxContent) under a paragraph, once: a drawing's VML fallback copy is passed over."""
    for c in el:
        name = local(c.tag)
        if name == "txbxContent":
            yield c
        elif name != "Fallback":
            yield from _text_boxes(c)


def _runs(el):
    """The runs under a paragraph in order, deleted text (tracked w:del) left out."""
    for c in el:
        name = local(c.tag)
        if name == "r":
            yield c
        elif name not in ("del", "moveFrom", "pPr", "rPr"):
            yield from _runs(c)


def _table_rows(tbl) -> list[list[str]]:
    rows = []
    for tr in tbl.iter(W + "tr"):
        row: list[str] = []
        for tc in tr.findall(W + "tc"):
            tcpr = tc.find(W + "tcPr")
            merged = tcpr.find(W + "vMerge") if tcpr is not None else None
            continues = merged is not None and merged.get(W + "val", "continue") == "continue"
            text = "" if continues else "".join(t.text or "" for t in tc.iter(W + "t"))
            span = tcpr.find(W + "gridSpan") if tcpr is not None else None
            try:
                n = max(1, int(span.get(W + "val"))) if span is not None else 1
            except (TypeError, ValueError):
                n = 1
            row.append(text.strip())
            row.extend([""] * (n - 1))
        rows.append(row)
    return rows

"""The whole path on the development set: typeset each real text into a PDF, extract it, score it.

    python bench/devset_pdf.py [--show] [--keep DIR]

Each text of ../shared/devset (the Shaoyang bulletin and the sixteen in more/) is typeset in a
plain bulletin layout (one source line a paragraph, 16 pt Song on a 28-character grid,
first-line indents, page footers), then `extractor.extract` reads the PDF and
../shared/devset/score.py scores figures, dates and entities against the answer key.
The PDFs go to a temporary folder (the texts are not ours to redistribute) unless --keep.
Needs the samples extra and its fonts (see samples/make_samples.py).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT.parent / "shared" / "devset"
SONG = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
SIZE, PITCH, LEFT, TOP, BOTTOM = 16.0, 28.9, 73.64, 770.0, 90.0
MEASURE = 28 * SIZE
NO_LINE_START = set("。，、；：？！”’）》%…,.;:?!)")
FOOTER = re.compile(r"^\s*—\s*\d+\s*—\s*$")


def texts() -> list[tuple[Path, Path, str | None]]:
    """(text, gold, issue date) for every development text."""
    out = [(DEVSET / "shaoyang-2023-05-24.txt", DEVSET / "shaoyang-2023-05-24.gold.json", "2023-05-24")]
    for text in sorted((DEVSET / "more").glob("*.txt")):
        meta = json.loads(text.with_suffix(".meta.json").read_text(encoding="utf-8"))
        out.append((text, text.with_suffix(".gold.json"), meta.get("publication_date")))
    return out


def paragraphs(raw: str, hard_wrapped: bool) -> list[str]:
    """Source lines as paragraphs; the Shaoyang text is hard-wrapped, so rejoin it first."""
    lines = [line for line in raw.splitlines() if line.strip() and not FOOTER.match(line)]
    if not hard_wrapped:
        return [line.strip() for line in lines]
    paras, current = [], ""
    for line in lines:
        stripped = line.strip()
        if current and (stripped.startswith(("【", "报：", "发：", "电话")) or re.search(r"\s{3,}", stripped)):
            paras.append(current)
            current = ""
        current += stripped
        if (line.endswith(" ") and line.rstrip()[-1:] in "。：】”！？") or re.search(r"\s{3,}", stripped):
            paras.append(current)
            current = ""
    return paras + ([current] if current else [])


def wrap(text: str, first_indent: float) -> list[str]:
    lines, line, width = [], "", first_indent
    for ch in text:
        w = pdfmetrics.stringWidth(ch, "Song", SIZE)
        if width + w > MEASURE - (0 if lines else 0) and line:
            if ch in NO_LINE_START:  # 避头: carry the last character over with the punctuation
                lines.append(line[:-1])
                line = line[-1]
            else:
                lines.append(line)
                line = ""
            width = sum(pdfmetrics.stringWidth(c, "Song", SIZE) for c in line)
        line += ch
        width += w
    return lines + ([line] if line else [])


def typeset(paras: list[str], path: Path) -> None:
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    page, y = 1, TOP

    def new_page() -> None:
        nonlocal page, y
        footer = f"— {page} —"
        canvas.setFont("Song", 14)
        x = LEFT + MEASURE - pdfmetrics.stringWidth(footer, "Song", 14) if page % 2 else LEFT
        canvas.drawString(x, 56.7, footer)
        canvas.showPage()
        page, y = page + 1, TOP

    for i, para in enumerate(paras):
        title = i < 3 and len(para) <= 24 and not para.endswith(("。", "，"))
        left_right = re.split(r"\s{3,}", para.strip())
        if len(left_right) == 2:  # a masthead line: issuer at the left, date at the right
            canvas.setFont("Song", SIZE)
            canvas.drawString(LEFT, y, left_right[0])
            canvas.drawRightString(LEFT + MEASURE, y, left_right[1])
            y -= PITCH
            continue
        lines = [para] if title else wrap(para, 2 * SIZE)
        for j, line in enumerate(lines):
            if y < BOTTOM:
                new_page()
            canvas.setFont("Song", SIZE)
            if title:
                x = LEFT + (MEASURE - pdfmetrics.stringWidth(line, "Song", SIZE)) / 2
            else:
                x = LEFT + (2 * SIZE if j == 0 else 0)
            canvas.drawString(x, y, line)
            y -= PITCH
    new_page()
    canvas.save()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list misses and wrong items")
    parser.add_argument("--keep", type=Path, help="write the PDFs and results here")
    args = parser.parse_args()
    pdfmetrics.registerFont(TTFont("Song", SONG))
    from extractor import extract

    out_dir = args.keep or Path(tempfile.mkdtemp(prefix="devset-pdf-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = []
    for text, gold, issue_date in texts():
        raw = text.read_text(encoding="utf-8")
        pdf = out_dir / (text.stem + ".pdf")
        typeset(paragraphs(raw, hard_wrapped=text.parent == DEVSET), pdf)
        result = extract(pdf.read_bytes(), file_name=pdf.name).model_dump(mode="json")
        result_path = out_dir / (text.stem + ".json")
        result_path.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        score = subprocess.run([sys.executable, str(DEVSET / "score.py"), str(result_path), str(gold)]
                               + (["--show"] if args.show else []), capture_output=True, text=True).stdout
        print(f"== {text.stem} ({result['document']['page_count']} pages, issue date in text: "
              f"{result['document']['metadata']['issue_date']}, meta: {issue_date})")
        print(score.rstrip())
        f1 = dict(re.findall(r"^(figures|dates)\s+P=\S+ R=\S+ F1=(\S+)", score, re.M))
        summary.append((text.stem, f1.get("figures"), f1.get("dates"), result["document"]["metadata"]["issuer"]))
    print("\n== summary: F1 of figures and dates, and the issuer read from the PDF")
    for name, figures, dates, issuer in summary:
        print(f"{name[:40]:40s} figures {figures}  dates {dates}  issuer {issuer}")


if __name__ == "__main__":
    main()

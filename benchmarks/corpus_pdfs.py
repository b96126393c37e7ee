"""Larger corpora made from the real text: each copy of the corpus is rendered to PDF with
its own layout (font size, margins, line height), so pages and chunk boundaries differ."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from ingest.clean import clean

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def render(text: str, target: Path, variant: int) -> Path:
    pdf = FPDF(format="A4" if variant % 2 == 0 else "Letter")
    margin = 12 + (variant * 7) % 20
    pdf.set_margins(margin, 15, margin)
    pdf.set_auto_page_break(True, 15)
    size = 9 + variant % 5
    if Path(FONT).exists():
        pdf.add_font("DejaVu", "", FONT)
        pdf.set_font("DejaVu", size=size)
    else:
        pdf.set_font("Helvetica", size=size)
        text = text.encode("latin-1", "replace").decode("latin-1")
    pdf.add_page()
    pdf.multi_cell(0, size * 0.5 + 1, text)
    pdf.output(str(target))
    return target


def make_corpus(corpus_dir: Path, out_dir: Path, copies: int) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = sorted(p for p in corpus_dir.iterdir() if p.suffix in {".md", ".txt"})
    texts = {p.stem: clean(p.read_text(encoding="utf-8")).text.replace("#", "") for p in sources}
    made = []
    for copy in range(copies):
        for stem, text in texts.items():
            target = out_dir / f"{stem}-v{copy:02d}.pdf"
            made.append(target if target.exists() else render(text, target, copy))
    return made

"""PDF files the tests make: real text PDFs (fpdf2), encrypted, scanned-like, corrupt."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def text_pdf(path: Path, pages: list[str], blank_pages: tuple[int, ...] = ()) -> Path:
    pdf = FPDF()
    if Path(FONT).exists():
        pdf.add_font("DejaVu", "", FONT)
        pdf.set_font("DejaVu", size=11)
    else:
        pdf.set_font("Helvetica", size=11)
    number = 0
    for text in pages:
        number += 1
        while number in blank_pages:
            pdf.add_page()
            number += 1
        pdf.add_page()
        pdf.multi_cell(0, 6, text if Path(FONT).exists() else text.encode("latin-1", "replace").decode("latin-1"))
    pdf.output(str(path))
    return path


def scanned_pdf(path: Path, pages: int = 2) -> Path:
    """Pages with only a drawn rectangle (an image-only scan has no text layer either)."""
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.rect(20, 20, 150, 200, style="F")
    pdf.output(str(path))
    return path


def encrypted_pdf(path: Path, text: str) -> Path:
    plain = text_pdf(path.with_suffix(".plain.pdf"), [text])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    plain.unlink()
    return path


def zip_bomb_pdf(path: Path, copies: int = 10) -> Path:
    """A real text PDF whose page content is a ~200 KB Flate stream inflating to ~230 MB."""
    import zlib

    from pypdf.generic import EncodedStreamObject, NameObject, NumberObject

    base = text_pdf(path.with_suffix(".base.pdf"), ["Bonjour la pair-aidance."])
    writer = PdfWriter(clone_from=PdfReader(base))
    block = b"BT /F1 11 Tf (a) Tj ET\n" * 1_000_000  # 23 MB
    compressor = zlib.compressobj(9)
    payload = b"".join(compressor.compress(block) for _ in range(copies)) + compressor.flush()
    stream = EncodedStreamObject()
    stream._data = payload
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream[NameObject("/Length")] = NumberObject(len(payload))
    writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    base.unlink()
    return path


# ---------------------------------------------------------------- imitations of real producers


def _courier_page_stream(lines: list[tuple[float, float, str]]) -> bytes:
    """A content stream that places each line word by word in one TJ array, with no space
    glyph between words, the way pdfTeX does: the gap is a kerning number only. Courier's
    wide space makes pypdf miss gaps under ~285/1000 em (it glues those words) while pdfium
    measures them. Spacing accents (´ ` ˆ) are drawn as their own glyph before the letter,
    pulled back over it, like LaTeX's OT1 fonts."""
    ops = []
    for x, y, text in lines:
        items = []
        for n, word in enumerate(text.split(" ")):
            encoded = word.encode("cp1252").decode("latin-1")
            escaped = encoded.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            for accent in "\xb4`\x88":
                escaped = escaped.replace(accent, f"{accent}) 600 (")
            items.append(f"({escaped})")
            items.append(str(-(200 + 25 * (n % 3))))
        ops.append(f"BT /F1 10 Tf {x} {y} Td [{' '.join(items[:-1])}] TJ ET")
    return "\n".join(ops).encode("latin-1")


def latex_like_pdf(path: Path, pages: list[list[str]], outline: list[tuple[str, int, int]] = (), header: str = "") -> Path:
    """LaTeX-like pages: words spaced by kerning only, a running header "TITRE n" at the top,
    the page number alone at the foot, and outline bookmarks (title, level 1-based, page 0-based)."""
    from pypdf.generic import DecodedStreamObject, NameObject

    base = FPDF()
    base.set_font("Courier", size=10)
    for _ in pages:
        base.add_page()
        base.text(10, 10, ".")
    plain = path.with_suffix(".base.pdf")
    base.output(str(plain))
    writer = PdfWriter(clone_from=PdfReader(plain))
    for number, (page, lines) in enumerate(zip(writer.pages, pages), start=1):
        placed = [(72, 780, f"{header} {number + 10}")] if header else []
        placed += [(72, 740 - 14 * i, line) for i, line in enumerate(lines)]
        placed.append((300, 60, str(number + 10)))
        stream = DecodedStreamObject()
        stream.set_data(_courier_page_stream(placed))
        page[NameObject("/Contents")] = writer._add_object(stream)
    parents: dict[int, object] = {}
    for title, level, page in outline:
        parents[level] = writer.add_outline_item(title=title, page_number=page, parent=parents.get(level - 1))
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    plain.unlink()
    return path


class _OfficePdf(FPDF):
    running_header = "Guide de l’utilisateur — édition 2024"

    def header(self) -> None:
        self.set_font("DejaVu", size=8)
        self.cell(0, 6, self.running_header, align="C")
        self.ln(10)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", size=8)
        self.cell(0, 8, f"Page {self.page_no()} / {{nb}}", align="C")


def office_like_pdf(path: Path, sections: list[tuple[int, str, str]], table: list[list[str]] | None = None, outline: bool = True) -> Path:
    """Word/LibreOffice-like: text flowing in a proportional font, a running header and a
    "Page n / N" footer, headings in a larger bold font (bookmarked when `outline`), soft
    hyphens wherever the text has them, and optionally a table after the first section."""
    pdf = _OfficePdf()
    pdf.add_font("DejaVu", "", FONT)
    pdf.add_font("DejaVu", "B", FONT.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, 20)
    pdf.add_page()
    for n, (level, title, body) in enumerate(sections):
        if outline:
            pdf.start_section(title, level=level - 1)
        pdf.set_font("DejaVu", "B", size=18 - 3 * level)
        pdf.multi_cell(0, 9, title)
        pdf.ln(2)
        pdf.set_font("DejaVu", size=11)
        pdf.multi_cell(0, 6, body)
        pdf.ln(4)
        if n == 0 and table:
            with pdf.table(col_widths=(30, 70, 40), text_align="LEFT") as grid:
                for row in table:
                    cells = grid.row()
                    for cell in row:
                        cells.cell(cell)
            pdf.ln(4)
    pdf.output(str(path))
    return path


def image_only_page_pdf(path: Path, text_pages: list[str], image_page: int) -> Path:
    """Text pages with one page that only holds a picture (a scan without text layer)."""
    from PIL import Image

    picture = path.with_suffix(".png")
    Image.new("RGB", (200, 260), (240, 240, 235)).save(picture)
    pdf = FPDF()
    pdf.add_font("DejaVu", "", FONT)
    pdf.set_font("DejaVu", size=11)
    for number, text in enumerate(text_pages, start=1):
        if number == image_page:
            pdf.add_page()
            pdf.image(str(picture), x=20, y=20, w=150)
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    picture.unlink()
    return path

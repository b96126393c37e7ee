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

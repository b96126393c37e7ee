"""Structure-aware chunking: sections first (markdown headings, or heading-like lines in
text and PDF), then a size bound with overlap. Every chunk points back at its source span."""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, replace

from langchain_text_splitters import RecursiveCharacterTextSplitter

from .catalog import CatalogEntry
from .clean import Mapped, clean, strip_heading_marks
from .loaders import SourceDocument
from .types import SECTION_SEPARATOR, Chunk, Heading

CHUNKER_VERSION = 7  # bump when chunking or cleaning changes: every file is then re-chunked
MIN_CHUNK_CHARS = 200  # a smaller section is merged into the next one
MIN_CONTENT_CHARS = 25  # fewer letters than this is page furniture, not a passage

_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.M)
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\s*[-–.)]\s")
_TOC_ENTRY = re.compile(r"…\s*\d{1,3}\b")


@dataclass(frozen=True)
class Section:
    path: tuple[str, ...]
    start: int  # source offsets
    end: int


def _heading_title(raw: str) -> str:
    title = re.sub(r"[*_`]+|<[^>]+>", "", raw)
    title = re.sub(r"(?:\s*…\s*\d*|\.{3,}\s*\d*)$", "", title).strip(" :-–")
    return re.sub(r"\s+", " ", title)


def _is_text_heading(line: str, before: str, after: str) -> bool:
    """Heading-like line of a text/PDF extraction: short, capitalised, no final punctuation,
    standing alone between blank lines."""
    stripped = line.strip()
    if not (3 <= len(stripped) <= 80) or before.strip() or after.strip():
        return False
    if stripped.endswith((".", ",", ";", ":", "!", "?")) or len(stripped.split()) > 12:
        return False
    return stripped[0].isupper() and sum(ch.isalpha() for ch in stripped) >= 3


def _headings(mapped: Mapped, markdown: bool, located: list[Heading] | None = None) -> list[tuple[int, str, int]]:
    """(level, title, clean offset of the heading line) in document order. A PDF's headings
    were located by its reader (outline, fonts); text and markdown are read here."""
    if located:
        return [(h.level, h.title, mapped.clean_index(h.offset)) for h in sorted(located, key=lambda h: h.offset)]
    if markdown:
        return _effective_levels([(len(m.group(1)), _heading_title(m.group(2)), m.start()) for m in _MD_HEADING.finditer(mapped.text)])
    lines = mapped.text.split("\n")
    found, offset = [], 0
    for i, line in enumerate(lines):
        before = lines[i - 1] if i > 0 else ""
        after = lines[i + 1] if i + 1 < len(lines) else ""
        if _is_text_heading(line, before, after):
            found.append((1, _heading_title(line), offset))
        offset += len(line) + 1
    return found


def _effective_levels(headings: list[tuple[int, str, int]]) -> list[tuple[int, str, int]]:
    """Extractions get markdown levels wrong ("## 2 - ..." beside "# 1 - ..."); numbering,
    when present, is the better guide: "2 -" is a chapter, "3.1 -" a section of it, and an
    unnumbered heading sits below the numbered one it follows."""
    fixed, numbered_level = [], 0
    for level, title, offset in headings:
        number = _NUMBERED.match(title)
        if number:
            level = numbered_level = number.group(1).count(".") + 1
        elif numbered_level:
            level = max(level, numbered_level + 1)
        fixed.append((level, title, offset))
    return fixed


def find_sections(mapped: Mapped, markdown: bool, located: list[Heading] | None = None) -> list[Section]:
    """Sections in source offsets, each carrying its heading path."""
    stack: list[tuple[int, str]] = []
    cuts: list[tuple[int, tuple[str, ...]]] = [(0, ())]
    for level, title, offset in _headings(mapped, markdown, located):
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, title))
        cuts.append((offset, tuple(t for _, t in stack if t)))
    ends = [offset for offset, _ in cuts[1:]] + [len(mapped.text)]
    sections = []
    for (start, path), end in zip(cuts, ends):
        if end > start:
            src_start, src_end = mapped.source_span(start, end)
            sections.append(Section(path, src_start, src_end))
    return sections


def _is_table_of_contents(text: str) -> bool:
    return len(_TOC_ENTRY.findall(text)) >= 5 and len(_TOC_ENTRY.findall(text)) * 60 > len(text)


_TOC_PAGE_ENTRY = re.compile(r"…\s*(?:\|\s*)?\d{1,3}\b")  # "Objectif … 12", "Introduction … | 7" (page number in a column)
TOC_ENTRY_CHARS = 250  # a contents entry is a title: a longer run before a page number is prose


def _contents_share(text: str) -> tuple[int, float]:
    """(entries, share of the page's characters that are contents entries)."""
    entries = covered = last = 0
    for match in _TOC_PAGE_ENTRY.finditer(text):
        if match.end() - last <= TOC_ENTRY_CHARS:
            entries += 1
            covered += match.end() - last
        last = match.end()
    return entries, covered / max(len(text.strip()), 1)


def _without_contents_pages(text: str, start: int, end: int, page_bounds: list[int]) -> list[tuple[int, int]]:
    """The runs of a section that are not a table of contents. A PDF section is judged page
    by page (a preface that shares its section with the contents and list-of-figures pages
    is kept, those pages go): a contents page is mostly entries (five or more); a page of a
    few entries next to one is its end. Other files: the section as a whole."""
    if not page_bounds:
        return [] if _is_table_of_contents(text[start:end]) else [(start, end)]
    cuts = [start, *(b for b in page_bounds if start < b < end), end]
    pieces = list(zip(cuts, cuts[1:]))
    shares = [_contents_share(text[s:e]) for s, e in pieces]
    contents = [n >= 5 and share >= 0.6 for n, share in shares]
    contents = [c or (n > 0 and share >= 0.5 and (i > 0 and contents[i - 1] or i + 1 < len(contents) and contents[i + 1]))
                for i, (c, (n, share)) in enumerate(zip(contents, shares))]
    runs: list[tuple[int, int]] = []
    for (s, e), drop in zip(pieces, contents):
        if drop:
            continue
        if runs and runs[-1][1] == s:
            runs[-1] = (runs[-1][0], e)
        else:
            runs.append((s, e))
    return runs


def _content_chars(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _merge_small(spans: list[tuple[tuple[str, ...], int, int]]) -> list[tuple[tuple[str, ...], int, int]]:
    """Fold a too-small section (a lone heading, a one-line intro) into the section that
    directly follows it."""
    merged: list[tuple[tuple[str, ...], int, int]] = []
    pending: tuple[tuple[str, ...], int, int] | None = None
    for path, start, end in spans:
        if pending is not None:
            if pending[2] >= start - 2:
                start = pending[1]
            else:
                merged.append(pending)
            pending = None
        if end - start < MIN_CHUNK_CHARS:
            pending = (path, start, end)
        else:
            merged.append((path, start, end))
    if pending is not None:
        if merged and merged[-1][2] >= pending[1] - 2:
            path, start, _ = merged[-1]
            merged[-1] = (path, start, pending[2])
        else:
            merged.append(pending)
    return merged


def _absorb_short(parts: list[tuple[int, int]], chunk_size: int) -> list[tuple[int, int]]:
    """A heading or a one-liner the splitter left alone joins the piece that follows it:
    a title-only chunk would match every query about its topic and answer none."""
    kept: list[tuple[int, int]] = []
    carry: int | None = None
    for start, end in parts:
        if carry is not None and end - carry <= int(chunk_size * 1.5):
            start = carry
        carry = None
        if end - start < MIN_CHUNK_CHARS:
            carry = start
            continue
        kept.append((start, end))
    if carry is not None:
        if kept and parts[-1][1] - kept[-1][0] <= int(chunk_size * 1.5):
            kept[-1] = (kept[-1][0], parts[-1][1])
        else:
            kept.append((carry, parts[-1][1]))
    return kept


def chunk_document(source: SourceDocument, doc: str, entry: CatalogEntry, chunk_size: int, chunk_overlap: int) -> list[Chunk]:
    cleaned = clean(source.text, source.page_starts)
    sections = find_sections(cleaned, source.markdown, source.headings)
    final = strip_heading_marks(cleaned) if source.markdown else cleaned
    page_bounds = [final.clean_index(s) for s in source.page_starts or []]
    spans = []
    for section in sections:
        for start, end in _without_contents_pages(final.text, final.clean_index(section.start), final.clean_index(section.end), page_bounds):
            if _content_chars(final.text[start:end]) < MIN_CONTENT_CHARS and not section.path:
                continue
            spans.append((section.path, start, end))
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
        keep_separator="end",
        add_start_index=True,
    )
    pieces: list[tuple[tuple[str, ...], int, int]] = []
    for path, start, end in _merge_small(spans):
        parts = [
            (start + part.metadata["start_index"], start + part.metadata["start_index"] + len(part.page_content))
            for part in splitter.create_documents([final.text[start:end]])
        ]
        pieces += [(path, s, e) for s, e in _absorb_short(parts, chunk_size)]
    chunks = []
    for path, start, end in pieces:
        piece = final.text[start:end]
        start += len(piece) - len(piece.lstrip())
        end -= len(piece) - len(piece.rstrip())
        text = final.text[start:end]
        if _content_chars(text) < MIN_CONTENT_CHARS:
            continue
        src_start, src_end = final.source_span(start, end)
        chunks.append(_make_chunk(source, doc, entry, path, src_start, src_end, text))
    return [_with_count(chunk, len(chunks)) for chunk in chunks]


def _make_chunk(source: SourceDocument, doc: str, entry: CatalogEntry, path: tuple[str, ...], start: int, end: int, text: str) -> Chunk:
    page = bisect.bisect_right(source.page_starts, start) if source.page_starts else None
    page_end = bisect.bisect_right(source.page_starts, max(start, end - 1)) if source.page_starts else None
    digest = hashlib.sha256(f"{doc}\0{start}\0{end}\0{text}".encode()).hexdigest()[:32]
    return Chunk(
        chunk_id=digest,
        doc=doc,
        title=entry.title,
        organisation=entry.organisation,
        year=entry.year,
        section=SECTION_SEPARATOR.join(path),
        page=page,
        page_end=page_end,
        start=start,
        end=end,
        text=text,
        source_text=source.text[start:end],
        file_sha=source.sha256,
        title_from=entry.origin,
    )


def chunker_key(chunk_size: int, chunk_overlap: int) -> str:
    return f"v{CHUNKER_VERSION}-{chunk_size}-{chunk_overlap}"


def _with_count(chunk: Chunk, count: int) -> Chunk:
    return replace(chunk, n_chunks=count)


def first_heading(source: SourceDocument) -> str | None:
    if source.headings:
        return source.headings[0].title
    cleaned = clean(source.text, source.page_starts)
    headings = _headings(cleaned, source.markdown)
    return headings[0][1] if headings else None

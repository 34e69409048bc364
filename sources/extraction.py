"""Turning an uploaded or fetched document into the text that claims anchor to."""

from dataclasses import dataclass
from pathlib import PurePath

import trafilatura
from django.core.exceptions import ValidationError

from sources.models import SourceFormat

# A first line longer than this is the article's opening paragraph, not its title (the file's name is then
# the title); Source.title holds 500 characters.
TITLE_LINE_MAX_CHARS = 300
SUFFIX_FORMATS = {
    ".txt": SourceFormat.TEXT,
    ".text": SourceFormat.TEXT,
    ".md": SourceFormat.MARKDOWN,
    ".markdown": SourceFormat.MARKDOWN,
    ".html": SourceFormat.HTML,
    ".htm": SourceFormat.HTML,
}


@dataclass(frozen=True)
class ExtractedDocument:
    text: str
    format: str
    original: str
    title: str


def format_for_filename(name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUFFIX_FORMATS:
        allowed = ", ".join(sorted(SUFFIX_FORMATS))
        raise ValidationError({"file": f"{name}: unsupported file type {suffix or '(none)'}; use one of {allowed}."})
    return SUFFIX_FORMATS[suffix]


def decode_text_file(name: str, content: bytes) -> str:
    """Decode an upload as UTF-8 text, refusing binaries with a message that names the file."""
    if b"\x00" in content[:65536]:
        raise ValidationError({"file": f"{name}: this is a binary file, not text."})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError({"file": f"{name}: not UTF-8 text (invalid byte at position {exc.start})."}) from exc
    return text


def html_to_text(html: str) -> tuple[str, str]:
    """Main text and title of an HTML page. Scripts, styles and navigation never reach the text."""
    text = trafilatura.extract(html, include_comments=False, include_tables=True) or ""
    if not text.strip():
        # Short pages fall below the main-content heuristics; take all visible text instead.
        text = trafilatura.html2txt(html) or ""
    metadata = trafilatura.extract_metadata(html)
    title = (metadata.title or "").strip() if metadata else ""
    return text, title


def markdown_title(text: str) -> str:
    """The first line, when it is short enough to be a title; a text that opens with a paragraph has none."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped:
            title = stripped.lstrip("#").strip()
            return title if len(title) <= TITLE_LINE_MAX_CHARS else ""
    return ""


def extract_document(name: str, content: bytes) -> ExtractedDocument:
    """Text, format and a title guess for an uploaded file."""
    fmt = format_for_filename(name)
    raw = decode_text_file(name, content)
    if fmt == SourceFormat.HTML:
        text, title = html_to_text(raw)
        if not text.strip():
            raise ValidationError({"file": f"{name}: no article text could be extracted from this HTML."})
        return ExtractedDocument(text=text, format=fmt, original=raw, title=title or PurePath(name).stem)
    return ExtractedDocument(text=raw, format=fmt, original="", title=markdown_title(raw) or PurePath(name).stem)

"""Plain data that proposers produce and the pipeline stores: no spaCy objects leave a memory zone."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class ProposedSpan:
    start: int
    end: int
    text: str
    score: float
    kind: str = "fact"
    speaker: str = ""
    cue: str = ""
    entities: list[dict] = field(default_factory=list)


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, paragraph) for each non-blank line: spaCy parses them independently and in batches."""
    for match in _PARAGRAPH.finditer(text):
        if match.group().strip():
            yield match.start(), match.group()


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of text[start:end] without surrounding white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def span_entities(ents, offset: int, start: int, end: int) -> list[dict]:
    """Entities inside [start, end) of the source, with source offsets."""
    return [
        {"text": ent.text, "label": ent.label_, "start": offset + ent.start_char, "end": offset + ent.end_char}
        for ent in ents
        if offset + ent.start_char >= start and offset + ent.end_char <= end
    ]

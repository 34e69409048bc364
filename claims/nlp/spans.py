"""Plain data that proposers produce and the pipeline stores: no spaCy objects leave a memory zone."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

_PARAGRAPH = re.compile(r"[^\n]+")
# Inline HTML tags left in a plain text (an article copied with its links and emphasis: "Putin <u>said</u>").
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|cite|code|del|em|font|i|ins|mark|q|s|small|span|strong|sub|sup|u)(?:\s[^<>\n]{0,300})?>",
    re.IGNORECASE,
)
# A wire dateline opening a paragraph: "MOSCOW —", "KABUL, Afghanistan (AP) —", "LONDON, June 27 (Reuters) -".
_DATELINE = re.compile(
    # A byline run into the dateline, as wire copy pasted from a page has it ("By Lena Voss and Tom Hale
    # KESSEL/ORLA, Oct 9 (Reuters) - ...").
    r"^(?:By [A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}(?:(?:,| and) [A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}){0,3} +)?"
    r"[A-Z]{2}[A-Z.'/-]+(?: [A-Z][A-Z.'/-]+){0,3}"
    r"(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+){0,2})?"
    r"(?:,? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}(?:, \d{4})?)?"
    r"(?: \([A-Za-z][A-Za-z. ]{0,30}\))?"
    r" ?(?:\u2014|\u2013|--?) +"
)

# A label opening news added to a story: "UPDATE:", "[Update, 4:30 p.m.:", "BREAKING:", "JUST IN:".
UPDATE_LABEL = re.compile(
    r"[\[(]?(?:update[sd]?|latest|breaking(?: news)?|developing(?: story)?|just in)(?:[ ,]+\(?[\w.:/]+\)?){0,3}\s*:\s+",
    re.IGNORECASE,
)
# The label of an answer in an interview printed as questions and answers ("Q: ..." / "A: ...").
_ANSWER_LABEL = re.compile(r"(?:A|Answer|ANSWER)\s?:\s+")
# What follows such a label when it is a note on the article rather than news: "UPDATE: Adds comment from ...".
UPDATE_NOTE = re.compile(
    r"(?:adds?|updates?|recasts?|corrects?|changes?|removes?|rewrites?|includes?|new throughout)\b", re.IGNORECASE
)


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
    """(offset, paragraph) for each non-blank line, as spaCy is to read it: the lines are parsed
    independently and in batches, with inline tags blanked out (see for_parser)."""
    for match in _PARAGRAPH.finditer(text):
        if match.group().strip():
            yield match.start(), for_parser(match.group())


# A speaker's label opening a paragraph of a transcript: "Van Susteren: Hold on.", "Hunter: Yes."
_SPEAKER_LABEL = re.compile(r"([A-Z][\w'-]*(?: [A-Z][\w'-]*){0,2}): \S")


def transcript_labels(paragraphs: Iterable[str]) -> frozenset[str]:
    """The names that label two paragraphs or more of a text ("Van Susteren: ...", "Hunter: ..."): a
    transcript's speakers. A label used once is more likely a caption's or a dateline's ("Jaipur: ...")."""
    counts: dict[str, int] = {}
    for paragraph in paragraphs:
        if match := _SPEAKER_LABEL.match(paragraph):
            counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    return frozenset(name for name, count in counts.items() if count >= 2)


def for_parser(paragraph: str) -> str:
    """The paragraph with each inline HTML tag, and a dateline, an update label before news or an
    interview's answer label ("A:") opening it, turned into as many spaces, so that `<u>said</u>` parses as
    the verb it is, "MOSCOW —" and "UPDATE:" are neither the subject nor part of a claim, and every offset
    still points into the source's text. A
    span's text must then be read from the source, not from the parse. A label before a note on the
    article ("UPDATE: Adds comment from ...") stays, for the proposer to drop the line by it."""
    label = UPDATE_LABEL.match(paragraph) or _ANSWER_LABEL.match(paragraph)
    if label and not UPDATE_NOTE.match(paragraph, label.end()):
        paragraph = " " * label.end() + paragraph[label.end() :]
    dateline = _DATELINE.match(paragraph)
    if dateline:
        paragraph = " " * dateline.end() + paragraph[dateline.end() :]
    if "<" not in paragraph:
        return paragraph
    return _INLINE_TAG.sub(lambda match: " " * len(match.group()), paragraph)


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

"""Running spaCy over a source's text and turning the parse into proposed spans."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from importlib import import_module
from types import ModuleType

from django.conf import settings
from spacy.tokens import Doc

from claims.nlp.model import get_nlp
from claims.nlp.spans import ProposedSpan, paragraphs, transcript_labels


class UnprocessableText(ValueError):
    """The text cannot be parsed as it is (not a transient failure: retrying will not help)."""


def active_proposer() -> ModuleType:
    """The proposer module named by CLAIM_PROPOSER: it has NAME, VERSION and propose(doc, offset)."""
    return import_module(settings.CLAIM_PROPOSER)


def check_parseable(text: str) -> None:
    """Raise UnprocessableText when a paragraph of `text` is longer than the parser takes."""
    limit = settings.SPACY_MAX_PARAGRAPH_CHARS
    for offset, paragraph in paragraphs(text):
        if len(paragraph) > limit:
            raise UnprocessableText(
                f"The paragraph at character {offset:,} is {len(paragraph):,} characters long with no line "
                f"break; the parser takes at most {limit:,} characters per paragraph."
            )


def propose_spans(
    texts: Iterable[str],
    proposer: ModuleType | None = None,
    titles: Iterable[str] | None = None,
    on_doc: Callable[[int, Doc, int, list[ProposedSpan]], None] | None = None,
) -> list[list[ProposedSpan]]:
    """Proposed spans for each text, in order (see propose_spans_each)."""
    return [spans for _, spans in propose_spans_each(texts, proposer, titles, on_doc)]


def propose_spans_each(
    texts: Iterable[str],
    proposer: ModuleType | None = None,
    titles: Iterable[str] | None = None,
    on_doc: Callable[[int, Doc, int, list[ProposedSpan]], None] | None = None,
) -> Iterator[tuple[int, list[ProposedSpan]]]:
    """(text index, proposed spans) for each text, in order, as soon as its last paragraph is parsed, so a
    caller can store one text while the next is parsed. spaCy parses every paragraph of every text in one
    batched `nlp.pipe`, inside a memory zone so a long-running worker does not grow. A proposer finds the
    source's title, when given, in `doc.user_data["source_title"]`, the last speaker its proposals named
    in the paragraphs before in `doc.user_data["previous_speaker"]`, the text's transcript labels (see
    transcript_labels) in `doc.user_data["speaker_labels"]`, and the paragraphs before and after it in
    `doc.user_data["previous_paragraph"]` and `doc.user_data["next_paragraph"]` ("" when there is none: a
    headline is told from a first sentence by what follows it, a list of bullet points by its neighbours).
    Every text is checked (check_parseable) before any is parsed.

    `on_doc(text_index, doc, offset, spans)` sees each parsed paragraph with the spans proposed in it,
    inside the memory zone: others that need the parse (the evidence index) use it instead of parsing
    again. It must keep no spaCy object."""
    proposer = proposer or active_proposer()
    nlp = get_nlp()
    texts = list(texts)
    title_list = list(titles) if titles is not None else None
    jobs: list[tuple[str, tuple[int, int, bool, str, str]]] = []
    labels: dict[int, frozenset[str]] = {}
    for index, text in enumerate(texts):
        check_parseable(text)
        lines = list(paragraphs(text))
        labels[index] = transcript_labels(paragraph for _, paragraph in lines)
        jobs.extend(
            (
                paragraph,
                (
                    index,
                    offset,
                    paragraph != text[offset : offset + len(paragraph)],
                    lines[n - 1][1] if n else "",
                    lines[n + 1][1] if n + 1 < len(lines) else "",
                ),
            )
            for n, (offset, paragraph) in enumerate(lines)
        )
    done = 0  # texts before this index have been handed out
    current: list[ProposedSpan] = []
    introduced = None  # who the paragraph before said speaks next ("Lena Voss said:"), for this one
    with nlp.memory_zone():
        for doc, (index, offset, blanked, before, after) in nlp.pipe(
            jobs, as_tuples=True, batch_size=settings.SPACY_BATCH_SIZE
        ):
            while done < index:
                yield done, current
                done, current, introduced = done + 1, [], None
            if title_list is not None:
                doc.user_data["source_title"] = title_list[index]
            # Who spoke last in the text so far, for a paragraph that goes on with "he said".
            doc.user_data["previous_speaker"] = next((span.speaker for span in reversed(current) if span.speaker), "")
            if introduced is not None:
                doc.user_data["introduced_speaker"] = introduced
            doc.user_data["previous_paragraph"], doc.user_data["next_paragraph"] = before, after
            if labels[index]:
                doc.user_data["speaker_labels"] = labels[index]
            spans = proposer.propose(doc, offset)
            introduced = doc.user_data.get("introduces_speaker")
            if blanked:
                # Inline tags were blanked for the parser: a proposal's text is the source's own.
                spans = [replace(span, text=texts[index][span.start : span.end]) for span in spans]
            current.extend(spans)
            if on_doc is not None:
                on_doc(index, doc, offset, spans)
    while done < len(texts):
        yield done, current
        done, current = done + 1, []

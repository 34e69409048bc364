"""The baseline proposer: one proposal per spaCy sentence.

It is the yardstick the clause-level proposer is measured against (`evaluate_proposals`).
"""

from spacy.tokens import Doc

from claims.nlp.spans import ProposedSpan, span_entities, trim

NAME = "sentences"
VERSION = "1"


def propose(doc: Doc, offset: int) -> list[ProposedSpan]:
    proposals = []
    text = doc.text
    for sent in doc.sents:
        start, end = trim(text, sent.start_char, sent.end_char)
        if start >= end or not any(ch.isalpha() for ch in text[start:end]):
            continue
        entities = span_entities(sent.ents, offset, offset + start, offset + end)
        score = min(1.0, 0.4 + 0.1 * len(entities))
        proposals.append(
            ProposedSpan(
                start=offset + start, end=offset + end, text=text[start:end], score=round(score, 3), entities=entities
            )
        )
    return proposals

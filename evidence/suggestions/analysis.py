"""What the index keeps of a statement: its terms, lemmas, entities and numbers, read off a spaCy parse.

Index terms are content lemmas, lower-cased and cut to their first few letters (a crude stemmer that
joins "Russia"/"Russian", "assassinate"/"assassination"), a few near-synonyms mapped to one term so
that a paraphrase still shares words ("rewards" and "bounties"), and numbers kept whole.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

PREFIX = 6

# Words that name the same thing in news prose; each maps to one canonical term.
SYNONYMS = {
    "reward": "bounty",
    "bounties": "bounty",
    "payment": "bounty",
    "us": "americ",
    "usa": "americ",
    "u.s": "americ",
    "u.s.": "americ",
    "washington": "americ",
    "moscow": "russia",
    "kremlin": "russia",
    "soldier": "troop",
    "serviceman": "troop",
    "personnel": "troop",
    "slay": "kill",
    "weapon": "arm",
    "arms": "arm",
    "gun": "arm",
    "kalashnikov": "arm",
    "talk": "negoti",
    "negotiation": "negoti",
    "discussion": "negoti",
    "envoy": "diplom",
    "diplomat": "diplom",
    "fund": "financ",
    "funding": "financ",
    "money": "financ",
    "financial": "financ",
}

# Acronyms news prose uses interchangeably with the name they stand for: both index as the name's terms.
ACRONYMS = {"isis": ["islami", "state"], "isil": ["islami", "state"], "daesh": ["islami", "state"]}

_NUMBER = re.compile(r"^\$?\d[\d,]*(\.\d+)?$")
_YEAR_SPAN = re.compile(r"\b(1[89]\d\d|20\d\d)s?\b")
NUMERIC_LABELS = {"DATE", "CARDINAL", "MONEY", "QUANTITY", "PERCENT", "TIME"}
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}


@dataclass(frozen=True)
class Analysed:
    terms: list[str] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)


def normalise_number(text: str) -> str | None:
    """'1,000' -> '1000', '$500,000' -> '500000', '2019' -> '2019'; None for what is not a plain number."""
    text = text.strip()
    if not _NUMBER.match(text):
        return None
    text = text.lstrip("$").replace(",", "")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def term_of(lemma: str) -> str:
    lemma = lemma.lower().strip(".'\u2019")
    lemma = SYNONYMS.get(lemma, lemma)
    if lemma.isdigit():
        return lemma
    return SYNONYMS.get(lemma[:PREFIX], lemma[:PREFIX])


def analyse_tokens(tokens: Iterable[Token], ents: Iterable[Span]) -> Analysed:
    """Index terms, lemmas, entities and numbers of a run of tokens (a sentence or a clause)."""
    terms: list[str] = []
    lemmas: list[str] = []
    numbers: list[str] = []
    for token in tokens:
        if token.is_space or token.is_punct:
            continue
        lemma = token.lemma_.lower()
        lemmas.append(lemma)
        number = normalise_number(token.text) if token.like_num or token.text[:1] == "$" else None
        alias = SYNONYMS.get(token.text.lower()) if token.text.isupper() else None
        if alias is not None:
            terms.append(alias)
        elif lemma in ACRONYMS:
            terms += ACRONYMS[lemma]
        elif number is not None:
            numbers.append(number)
            terms.append(number)
        elif not token.is_stop and any(ch.isalpha() for ch in lemma) and len(lemma) > 1:
            terms.append(term_of(lemma))
    text = " ".join(token.text.lower() for token in tokens)
    terms += ["americ"] * text.count("united states")
    entities = []
    for ent in ents:
        if ent.label_ in ENTITY_LABELS:
            entities.append({"text": entity_key(ent.text), "label": ent.label_})
        elif ent.label_ == "DATE":
            numbers.extend(year for year in _YEAR_SPAN.findall(ent.text) if year not in numbers)
    return Analysed(terms=terms, lemmas=lemmas, entities=entities, numbers=sorted(set(numbers)))


ENTITY_ALIASES = {"us": "united states", "u.s.": "united states", "america": "united states", "usa": "united states"}


def entity_key(text: str) -> str:
    """An entity mention reduced to what two sources would both write: 'the Taliban's' -> 'taliban'."""
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"'s$", "", text)
    text = " ".join(text.split())
    return ENTITY_ALIASES.get(text, text)

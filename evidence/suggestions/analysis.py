"""What the index keeps of a statement: its terms, lemmas, entities and numbers, read off a spaCy parse.

Index terms are content lemmas, lower-cased and cut to their first few letters (a crude stemmer that
joins "Russia"/"Russian", "assassinate"/"assassination"), families of near-synonyms mapped to one term
so that a paraphrase still shares words ("rewards" and "bounties", "weapons" and "small arms"), and
numbers kept whole. Markup left in a text ("<u>said</u>") is not part of a word, and a hyphenated
compound ("U.S.-backed") indexes as its words.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

PREFIX = 6

# Words news prose uses for one thing, each family indexed as one term (its first entry). Kept to words
# whose senses in reporting are close enough that a match is more often right than wrong; a family
# also catches forms the prefix cut misses ("invade"/"invasion", "die"/"death", "northern"/"north").
FAMILIES: tuple[tuple[str, ...], ...] = (
    ("bounty", "bounties", "reward", "payment"),
    ("americ", "us", "usa", "u.s", "u.s.", "washington"),
    ("russia", "moscow", "kremlin"),
    ("soviet", "ussr"),
    ("troop", "soldier", "serviceman", "servicemen", "personnel"),
    ("kill", "killed", "killing", "slay", "dead", "death", "die", "fatality"),
    ("arm", "arms", "weapon", "weaponry", "gun", "rifle", "kalashnikov", "munition", "ammunition"),
    ("supply", "provide", "funnel", "deliver", "delivery", "sell", "sale", "shipment", "smuggle"),
    ("financ", "fund", "funding", "money", "financial", "finance", "cash"),
    ("negoti", "talk", "negotiation", "negotiate", "discussion", "dialogue"),
    ("diplom", "envoy", "diplomat", "ambassador"),
    ("tie", "contact", "relation", "relationship", "connection"),
    ("ally", "allied", "alliance", "allies", "partner", "partnership"),
    ("enemy", "adversary", "foe", "rival"),
    ("cooper", "cooperation", "cooperate", "collaboration", "collaborate"),
    ("deny", "denial", "reject", "rejection", "dismiss", "refute", "rebut"),
    ("fake", "fabrication", "fabricate", "hoax", "concoct", "bogus"),
    ("allege", "allegation", "accuse", "accusation"),
    ("invade", "invasion", "invader"),
    ("expand", "expansion"),
    ("seize", "capture", "overrun"),
    ("meet", "meeting"),
    ("secret", "covert", "clandestine", "discreet"),
    ("underm", "undermine", "undercut", "sabotage", "torpedo", "subvert", "destabilize", "destabilise"),
    ("withdr", "withdraw", "withdrawal", "pullout", "exit"),
    ("reveng", "revenge", "retaliation", "retribution", "vengeance"),
    ("assist", "assistance", "help", "aid"),
    ("extrem", "extremist", "extremism", "radical", "jihadist"),
    ("drug", "narcotic", "opium", "opiate", "heroin"),
    ("stable", "stability", "stabilize", "stabilise"),
    ("secure", "security"),
    ("north", "northern"),
    ("south", "southern"),
    ("east", "eastern"),
    ("west", "western"),
    # "militant" and "military" share their first six letters but not their sense.
    ("milita", "militant", "militia", "insurgent", "guerrilla"),
    ("army", "military", "militarily"),
    ("say", "said", "says"),
)
SYNONYMS = {word: family[0] for family in FAMILIES for word in family[1:]}
# Two words that together name one of the terms above, and index as that term alone.
PHRASES = {("united", "states"): "americ", ("service", "member"): "troop", ("service", "members"): "troop"}

# Acronyms news prose uses interchangeably with the name they stand for: both index as the name's terms.
ACRONYMS = {"isis": ["islami", "state"], "isil": ["islami", "state"], "daesh": ["islami", "state"]}

_MARKUP = re.compile(r"</?[a-z]+>?|[<>]")
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
    lemma = SYNONYMS.get(lemma) or (SYNONYMS.get(lemma[:-1]) if lemma.endswith("s") else None) or lemma
    if lemma.isdigit():
        return lemma
    return SYNONYMS.get(lemma[:PREFIX], lemma[:PREFIX])


def _parts(lemma: str) -> list[str]:
    """A hyphenated compound indexes as its words ("u.s.-backed" -> "u.s.", "backed")."""
    if "-" not in lemma.strip("-"):
        return [lemma]
    return [part for part in lemma.split("-") if len(part) > 1 and any(ch.isalpha() for ch in part)] or [lemma]


def analyse_tokens(tokens: Iterable[Token], ents: Iterable[Span]) -> Analysed:
    """Index terms, lemmas, entities and numbers of a run of tokens (a sentence or a clause)."""
    terms: list[str] = []
    lemmas: list[str] = []
    numbers: list[str] = []
    words = [
        (token, lemma)
        for token in tokens
        if not token.is_space and not token.is_punct
        for lemma in [_MARKUP.sub("", token.lemma_.lower())]
        if lemma
    ]
    phrase_term = None
    for i, (token, lemma) in enumerate(words):
        lemmas.append(lemma)
        if phrase_term is not None:
            terms.append(phrase_term)
            phrase_term = None
            continue
        phrase_term = PHRASES.get((lemma, words[i + 1][1])) if i + 1 < len(words) else None
        if phrase_term is not None:
            continue
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
            terms += [term_of(part) for part in _parts(lemma)]
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

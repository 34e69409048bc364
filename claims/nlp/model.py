"""The spaCy pipeline, loaded once per process (a worker keeps it for every task it runs)."""

from functools import cache

import spacy
from django.conf import settings
from spacy.language import Language

from claims.nlp import attribute_rules


@cache
def load_pipeline(name: str, *, indexed_attribute_rules: bool = True) -> Language:
    """spaCy's pipeline `name`; its attribute ruler finds its rules by index (see attribute_rules) unless
    told not to, or unless its rules are of a kind only spaCy's Matcher handles."""
    nlp = spacy.load(name)
    if indexed_attribute_rules:
        attribute_rules.speed_up(nlp)
    return nlp


def get_nlp() -> Language:
    return load_pipeline(settings.SPACY_MODEL, indexed_attribute_rules=settings.SPACY_INDEXED_ATTRIBUTE_RULES)

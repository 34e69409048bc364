"""The spaCy pipeline, loaded once per process (a worker keeps it for every task it runs)."""

from functools import cache

import spacy
from django.conf import settings
from spacy.language import Language


@cache
def load_pipeline(name: str) -> Language:
    return spacy.load(name)


def get_nlp() -> Language:
    return load_pipeline(settings.SPACY_MODEL)

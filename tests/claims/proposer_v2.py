"""A stand-in 'newer pipeline version' for tests: the baseline's spans under version 2."""

from claims.nlp.sentences import propose  # noqa: F401

NAME = "sentences"
VERSION = "2"

"""The real proposer, except that it fails on a paragraph that mentions a volcano: one bad source in a batch."""

from claims.nlp import clauses

NAME = clauses.NAME
VERSION = clauses.VERSION


def propose(doc, offset):
    if "volcano" in doc.text:
        raise RuntimeError("the parser choked on a volcano")
    return clauses.propose(doc, offset)

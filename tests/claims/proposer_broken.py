"""A proposer that fails on every document, to show a failing source does not take the worker down."""

NAME = "broken"
VERSION = "1"


def propose(doc, offset):
    raise RuntimeError("parser exploded")

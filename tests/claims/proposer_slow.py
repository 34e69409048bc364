"""The baseline proposer, slowed down so a test can kill the worker while a source is in flight."""

import time

from claims.nlp import sentences

NAME = "sentences"
VERSION = sentences.VERSION


def propose(doc, offset):
    time.sleep(1.5)
    return sentences.propose(doc, offset)

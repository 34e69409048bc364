"""A faster way to find where an attribute ruler's rules apply, with the same result as spaCy's Matcher.

The English pipelines' `attribute_ruler` (tag map and morphology rules: 179 rules in en_core_web_sm)
finds its rules with spaCy's general Matcher, which tries every rule at every token and evaluates
every set-membership and regex predicate in Python for every token. That took about 5 ms of an
article's 45 ms parse, more than the tagger and the lemmatizer together. The rules are of a simple
kind (one or two tokens, each tested for equal or listed values of its tag, lower-cased text or
dependency), so an index from those values to the rules that need them finds the same matches in
about 0.7 ms.

`speed_up(nlp)` gives the pipeline's attribute ruler this matching when every rule is of a kind
handled here, and leaves it alone otherwise (a pipeline named by SPACY_MODEL may use patterns we do
not handle: quantifiers, other attributes). The ruler then applies the matches as before
(AttributeRuler.set_annotations), so the tokens' POS, morphology and lemmas are the same; the tests
compare them with the stock ruler's on every seed article.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from operator import attrgetter, eq
from typing import Any

from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

# The token attributes a rule may test: the Token property the Matcher's test reads.
_ATTRIBUTE_NAMES = {
    "TAG": "tag_",
    "LOWER": "lower_",
    "DEP": "dep_",
    "ORTH": "orth_",
    "TEXT": "orth_",
    "NORM": "norm_",
    "POS": "pos_",
    "LEMMA": "lemma_",
    "IS_SPACE": "is_space",
    "IS_PUNCT": "is_punct",
}
_FLAGS = {"IS_SPACE", "IS_PUNCT"}
# Attributes whose equal or listed values index the rules (the first token's).
_INDEXED = ("LOWER", "TAG", "DEP")


class Unsupported(ValueError):
    """A rule this matching does not handle: the stock Matcher is kept."""


def _test(key: str, value) -> Callable[[Any], bool]:
    """The test of one attribute of one token of a rule, as the Matcher makes it."""
    if isinstance(value, bool) != (key in _FLAGS):
        raise Unsupported(f"{key}: {value!r}")
    if isinstance(value, bool | str):
        return partial(eq, value)
    if isinstance(value, dict) and len(value) == 1:
        [(operator, operand)] = value.items()
        if operator == "IN" and isinstance(operand, list):
            return frozenset(operand).__contains__
        if operator == "NOT_IN" and isinstance(operand, list):
            members = frozenset(operand)
            return lambda found: found not in members
        if operator == "REGEX" and isinstance(operand, str):
            regex = re.compile(operand)
            return lambda found: regex.search(found) is not None
    raise Unsupported(f"{key}: {value!r}")


class IndexedRules:
    """The ruler's rules, indexed by the values their first token must have."""

    def __init__(self, ruler: AttributeRuler):
        patterns = []
        for attr_id, index in enumerate(ruler.indices):
            key = str(attr_id)
            for pattern in ruler.matcher.get(key)[1]:
                if not pattern or not all(isinstance(spec, dict) and spec for spec in pattern):
                    raise Unsupported(f"pattern {pattern!r}")
                if not -len(pattern) <= index < len(pattern):
                    raise Unsupported(f"token index {index} of {pattern!r}")
                patterns.append((attr_id, ruler.vocab.strings[key], pattern))
        # The attributes the rules test, read from each token at once, in this order.
        self.attributes = sorted({key for *_, pattern in patterns for spec in pattern for key in spec})
        for key in self.attributes:
            if key not in _ATTRIBUTE_NAMES:
                raise Unsupported(f"attribute {key}")
        self._read = attrgetter(*(_ATTRIBUTE_NAMES[key] for key in self.attributes))
        position = {key: number for number, key in enumerate(self.attributes)}
        # A rule: (attribute set id, match id, tokens, [(token offset, attribute position, test), ...]).
        self.by_value: dict[tuple[int, object], list[tuple[int, int, int, list]]] = defaultdict(list)
        self.everywhere: list[tuple[int, int, int, list]] = []
        for attr_id, match_id, pattern in patterns:
            tests = [
                (offset, position[key], _test(key, value))
                for offset, spec in enumerate(pattern)
                for key, value in spec.items()
            ]
            rule = (attr_id, match_id, len(pattern), tests)
            values = self._index_values(pattern[0], position)
            if values is None:
                self.everywhere.append(rule)
            for value in values or ():
                self.by_value[value].append(rule)
        self.indexed = [position[key] for key in _INDEXED if key in position]

    @staticmethod
    def _index_values(first: dict, position: dict[str, int]) -> list[tuple[int, object]] | None:
        for key in _INDEXED:
            value = first.get(key)
            if isinstance(value, str):
                return [(position[key], value)]
            if isinstance(value, dict) and list(value) == ["IN"]:
                return [(position[key], member) for member in value["IN"]]
        return None

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """(attribute set id, match id, start, end) of every rule that applies, sorted as
        AttributeRuler.match sorts them (later rules win)."""
        read = self._read
        values = [read(token) for token in doc] if len(self.attributes) > 1 else [(read(t),) for t in doc]
        length = len(values)
        by_value = self.by_value
        found = set()
        for start, token in enumerate(values):
            candidates = [*self.everywhere]
            for number in self.indexed:
                candidates.extend(by_value.get((number, token[number]), ()))
            for attr_id, match_id, tokens, tests in candidates:
                end = start + tokens
                if end > length:
                    continue
                for offset, number, test in tests:
                    if not test(values[start + offset][number]):
                        break
                else:
                    found.add((attr_id, match_id, start, end))
        return sorted(found)


def speed_up(nlp: Language) -> bool:
    """Give each attribute ruler of `nlp` the indexed matching when all its rules allow it; True when it
    was given to at least one."""
    changed = False
    for _, component in nlp.pipeline:
        if not isinstance(component, AttributeRuler):
            continue
        try:
            rules = IndexedRules(component)
        except Unsupported:
            continue
        component.match = rules.match  # type: ignore[method-assign]
        changed = True
    return changed

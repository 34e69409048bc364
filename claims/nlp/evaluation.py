"""Scoring proposed spans against a gold list of claims.

A gold claim and a proposal match when the Jaccard index of their character ranges (characters in
both / characters in either) reaches the threshold. Matching is one-to-one and greedy: all pairs at or above the
threshold are taken best overlap first (ties: earlier gold, then earlier proposal), skipping any pair
whose gold claim or proposal is already matched. Greedy is enough here: spans inside one text barely
overlap each other, so a better assignment than the greedy one practically never exists.
"""

import csv
import re
import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

THRESHOLDS = (0.5, 0.8)

Range = tuple[int, int]


# Characters a gold made over another copy of a text may have in another form: typographic quotes and dashes.
_LOOSE = {
    "'": "['\u2018\u2019]",
    "\u2018": "['\u2018\u2019]",
    "\u2019": "['\u2018\u2019]",
    '"': '["\u201c\u201d]',
    "\u201c": '["\u201c\u201d]',
    "\u201d": '["\u201c\u201d]',
    "-": "[-\u2013\u2014]",
    "\u2013": "[-\u2013\u2014]",
    "\u2014": "[-\u2013\u2014]",
}


def _loose_pattern(quote: str) -> re.Pattern[str] | None:
    """`quote` with any run of white space matching any other, and quotes and dashes matching their
    typographic forms."""
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join("".join(_LOOSE.get(ch) or re.escape(ch) for ch in word) for word in words))


def locate(text: str, quote: str, *, after: int = 0, taken: Collection[Range] = ()) -> Range | None:
    """Where `quote` is in `text`: its first copy from `after` on, else its first copy not in `taken`.
    Exact copies first; then, for a gold made over a differently spaced or typeset copy of the text, a
    match that differs only in white space, quotes or dashes. None when there is neither."""
    quote = quote.strip() or quote  # a span of white space alone is taken as it is
    if not quote:
        return None
    exact = [(m.start(), m.start() + len(quote)) for m in re.finditer(re.escape(quote), text)]
    pattern = _loose_pattern(quote)
    loose = [m.span() for m in pattern.finditer(text)] if pattern else []
    for found in (exact, loose):
        later = [span for span in found if span[0] >= after]
        free = [span for span in found if span not in taken]
        if later or free:
            return (later or free)[0]
    return None


def gold_ranges(text: str, quotes: Iterable[str]) -> tuple[list[Range], list[str]]:
    """Locate gold quotes (see locate): each is searched from just after where the previous one started,
    so a sentence repeated in the text is matched to its copies in turn, and a gold listed out of text
    order still finds its quotes. Returns the ranges found and the quotes that are nowhere in the text."""
    ranges: list[Range] = []
    missing: list[str] = []
    after = 0
    for quote in quotes:
        found = locate(text, quote, after=after, taken=ranges)
        if found is None:
            missing.append(quote)
            continue
        ranges.append(found)
        after = found[0] + 1
    return ranges, missing


def jaccard(first: Range, second: Range) -> float:
    overlap = max(0, min(first[1], second[1]) - max(first[0], second[0]))
    union = (first[1] - first[0]) + (second[1] - second[0]) - overlap
    return overlap / union if union > 0 else 0.0


def match(gold: Sequence[Range], proposed: Sequence[Range], threshold: float) -> list[tuple[int, int]]:
    """(gold index, proposal index) pairs of a one-to-one greedy matching at `threshold`."""
    candidates = []
    for gold_index, gold_range in enumerate(gold):
        for proposal_index, proposal_range in enumerate(proposed):
            overlap = jaccard(gold_range, proposal_range)
            if overlap >= threshold:
                candidates.append((-overlap, gold_index, proposal_index))
    candidates.sort()
    used_gold: set[int] = set()
    used_proposals: set[int] = set()
    pairs = []
    for _, gold_index, proposal_index in candidates:
        if gold_index in used_gold or proposal_index in used_proposals:
            continue
        used_gold.add(gold_index)
        used_proposals.add(proposal_index)
        pairs.append((gold_index, proposal_index))
    return sorted(pairs)


@dataclass(frozen=True)
class Score:
    matched: int
    gold: int
    proposed: int

    @property
    def precision(self) -> float:
        return self.matched / self.proposed if self.proposed else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def __add__(self, other: "Score") -> "Score":
        return Score(self.matched + other.matched, self.gold + other.gold, self.proposed + other.proposed)


def score(gold: Sequence[Range], proposed: Sequence[Range], threshold: float) -> Score:
    return Score(matched=len(match(gold, proposed, threshold)), gold=len(gold), proposed=len(proposed))


def micro_average(scores: Iterable[Score]) -> Score:
    """Pooled counts over sources: a long source weighs more than a short one."""
    return sum(scores, Score(0, 0, 0))


def seed_spans_as_quotes(gold: dict, seeds_dir: Path) -> dict[str, list[dict]]:
    """A gold given as {"spans": {"<seed prefix>": [[start, end], ...]}}, offsets into the seed files
    (so the gold carries no text of the articles), in the quote form {"<source title>": [{"quote"}]}.
    The title is the seed's first line, as `import_sources` takes it."""
    quoted: dict[str, list[dict]] = {}
    for prefix, spans in gold["spans"].items():
        matches = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
        if not matches:
            raise FileNotFoundError(f"No seed file {prefix}_*.txt in {seeds_dir}")
        raw = matches[0].read_text(encoding="utf-8")
        title = raw.replace("\r\n", "\n").strip().split("\n", 1)[0].strip()
        quoted[title] = [{"quote": raw[start:end]} for start, end in spans]
    return quoted


FNC_CORPUS = "fnc-1 train_bodies"


@dataclass(frozen=True)
class GoldText:
    """A text a gold is over that is not a source in the database (an FNC-1 body)."""

    title: str
    text: str


def fnc_spans_as_quotes(
    gold: dict, bodies_csv: Path, readers: Iterable[str] = ()
) -> dict[str, tuple[GoldText, list[dict]]]:
    """A gold given as {"corpus": "fnc-1 train_bodies", "spans": {"<Body ID>": [[start, end], ...]}} over the
    FNC-1 training bodies, as {"FNC-1 body <ID>": (the body, [{"quote"}])}, optionally only the bodies of the
    given readers ({"readers": {"A": [ids]}}). A body's title is its first line when that is short enough to be
    one, as an import of the body as a text file takes it."""
    from sources.extraction import markdown_title

    wanted = set(gold["spans"])
    if readers:
        wanted = {body for reader in readers for body in gold.get("readers", {}).get(reader, [])}
        if not wanted:
            raise ValueError(f"No bodies for readers {', '.join(readers)}")
    if not bodies_csv.is_file():
        raise FileNotFoundError(f"No FNC-1 bodies file at {bodies_csv} (--fnc-bodies)")
    csv.field_size_limit(sys.maxsize)
    with bodies_csv.open(encoding="utf-8", newline="") as handle:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle) if row["Body ID"] in wanted}
    missing = wanted - set(bodies)
    if missing:
        raise FileNotFoundError(f"FNC-1 bodies {', '.join(sorted(missing))} are not in {bodies_csv}")
    quoted = {}
    for body_id in sorted(wanted, key=int):
        text = bodies[body_id]
        title = markdown_title(text) or f"fnc_{body_id}"
        quoted[f"FNC-1 body {body_id}"] = (
            GoldText(title, text),
            [{"quote": text[start:end]} for start, end in gold["spans"][body_id]],
        )
    return quoted

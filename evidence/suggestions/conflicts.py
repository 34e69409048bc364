"""Two statements of the same fact that disagree on a date or a number ("in 2014" against "in 2019").

A statement that names no year itself is dated by the years just before it in its paragraph
("... first became visible in 2014, when a diplomat approached ... . Kabulov wanted to know ...").
"""

import re

YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
SAME_FACT = 0.45


def years_in(text: str) -> list[str]:
    return sorted(set(YEAR.findall(text)))


def _split(numbers: list[str]) -> tuple[set[str], set[str]]:
    years = {n for n in numbers if YEAR.fullmatch(n)}
    return years, set(numbers) - years


def conflict_between(
    claim_numbers: list[str],
    claim_context: list[str],
    numbers: list[str],
    context: list[str],
    *,
    relevance: float,
) -> str:
    """'2019 vs 2014' when two statements that say the same thing (`relevance` high enough) disagree on
    a year or a number, else ''."""
    if relevance < SAME_FACT:
        return ""
    claim_years, claim_other = _split(claim_numbers)
    years, other = _split(numbers)
    claim_years = claim_years or set(claim_context)
    years = years or set(context)
    if claim_years and years and not claim_years & years:
        return f"{', '.join(sorted(claim_years))} vs {', '.join(sorted(years))}"
    claim_other = {n for n in claim_other if len(n) < 4 or "." in n}
    other = {n for n in other if len(n) < 4 or "." in n}
    if claim_other and other and not claim_other & other:
        return f"{', '.join(sorted(claim_other))} vs {', '.join(sorted(other))}"
    return ""

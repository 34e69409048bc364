"""Measure suggestions against a gold file over the seed articles: recall@k and stance accuracy on hits.

    manage.py evaluate_suggestions [--gold tests/fixtures/gold_evidence_dev.json] [--seeds ../shared/seeds] [-k 10]

Everything happens inside one transaction that is rolled back: the seeds are stored as sources, the
claim proposer runs on them, their statements are indexed, the gold claims are made, and each claim's
suggestions are computed exactly as the task computes them. Nothing is left in the database.

Gold: {"claims": [{"id", "source", "quote" or "span", "evidence": [{"source", "quote" or "span",
"stance"}]}]}, sources named by the seed file's prefix (000_....txt is "000"). A (claim, other source)
pair is a hit when one of the top-k suggestions overlaps one of the gold spans of that source; the
stance of the best such suggestion is compared with that span's gold stance. Because that best
suggestion is most often a corroborating span, the stance of every (gold span, overlapping top-k
suggestion) is also reported, denials included.

Next to it, the recall@k of plain TF-IDF sentence retrieval on the same pairs (spaCy's sentences of the
other seeds, lower-cased words, cosine): the yardstick that says how hard a gold is for word overlap."""

import json
import math
import re
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.models import Claim
from claims.nlp.evaluation import locate
from claims.nlp.model import get_nlp
from claims.nlp.spans import paragraphs
from claims.services import claim_create, proposals_generate_for_source
from evidence.suggestions.index import claim_statement, source_index
from evidence.suggestions.suggest import suggestions_compute
from sources.services import source_create


class _Rollback(Exception):
    pass


_WORD = re.compile(r"\w+")


class _TfidfSentences:
    """Plain TF-IDF sentence retrieval, the baseline: every spaCy sentence of the sources as its lower-cased
    words weighted by tf-idf, ranked by cosine with the claim's words. No lemmas, entities or synonyms."""

    def __init__(self, texts: dict[str, str]):
        jobs = [(paragraph, (key, offset)) for key, text in texts.items() for offset, paragraph in paragraphs(text)]
        self.sentences: list[tuple[str, int, int]] = []
        counts = []
        for doc, (key, offset) in get_nlp().pipe(jobs, as_tuples=True):
            for sentence in doc.sents:
                words = Counter(_WORD.findall(sentence.text.lower()))
                if words:
                    self.sentences.append((key, offset + sentence.start_char, offset + sentence.end_char))
                    counts.append(words)
        df = Counter(word for words in counts for word in words)
        self.idf = {word: math.log(len(counts) / n) + 1 for word, n in df.items()}
        self.vectors = [self._unit(words) for words in counts]

    def _unit(self, words: Counter[str]) -> dict[str, float]:
        weights = {word: tf * self.idf.get(word, 0.0) for word, tf in words.items()}
        norm = math.sqrt(sum(weight * weight for weight in weights.values())) or 1.0
        return {word: weight / norm for word, weight in weights.items()}

    def top(self, text: str, *, exclude: str, k: int) -> list[tuple[str, int, int]]:
        """The k best (source key, start, end) sentences outside source `exclude`."""
        query = self._unit(Counter(_WORD.findall(text.lower())))
        ranked = sorted(
            (-sum(query.get(word, 0.0) * weight for word, weight in vector.items()), index)
            for index, vector in enumerate(self.vectors)
            if self.sentences[index][0] != exclude
        )
        return [self.sentences[index] for _, index in ranked[:k]]


def _quote(item: dict, texts: dict[str, str]) -> str:
    """A gold item's text: its "quote", or its "span" [start, end) in the seed file (the project's own
    gold names spans by offsets, so it carries no text of the articles)."""
    if "quote" in item:
        return item["quote"]
    start, end = item["span"]
    return texts[item["source"]][start:end]


def _check_gold(claims: object, texts: dict[str, str], seeds: Path) -> None:
    """A CommandError naming the first claim of the gold that lacks what the evaluation reads."""
    if not isinstance(claims, list):
        raise CommandError('The gold file must hold {"claims": [...]}.')
    for position, item in enumerate(claims, 1):
        evidence = item.get("evidence") if isinstance(item, dict) else None
        items = [item, *evidence] if isinstance(evidence, list) else []
        if not items or not all(isinstance(part, dict) and ("quote" in part or "span" in part) for part in items):
            raise CommandError(
                f'Gold claim {position} must have "id", "source", "quote" or "span", and "evidence": '
                '[{"source", "quote" or "span", "stance"}].'
            )
        if "id" not in item or any("stance" not in part for part in items[1:]):
            raise CommandError(f'Gold claim {position} needs an "id", and a "stance" for each piece of evidence.')
        unknown = sorted({str(part.get("source")) for part in items} - set(texts))
        if unknown:
            raise CommandError(f"Gold claim {position} names sources that are not seed files in {seeds}: {unknown}")


class Command(BaseCommand):
    help = "Recall@k and stance accuracy of evidence suggestions on a gold file over the seed articles."

    def add_arguments(self, parser):
        parser.add_argument("gold_file", type=Path, nargs="?", help="Gold JSON file (the same as --gold).")
        parser.add_argument(
            "--gold", type=Path, default=Path(settings.BASE_DIR) / "tests/fixtures/gold_evidence_dev.json"
        )
        parser.add_argument("--seeds", type=Path, default=Path(settings.BASE_DIR).parent / "shared" / "seeds")
        parser.add_argument("-k", type=int, default=10)
        parser.add_argument(
            "--verbose",
            action="store_true",
            help="On stderr: each missed pair with its gold spans and the top-k suggested instead, and each "
            "hit whose stance is wrong.",
        )

    def handle(self, *args, gold_file: Path | None, gold: Path, seeds: Path, k: int, verbose: bool, **options):
        gold = gold_file or gold
        try:
            claims = json.loads(gold.read_text(encoding="utf-8"))["claims"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"Cannot read the gold file {gold}: {exc}") from exc
        texts = {path.stem.split("_")[0]: path.read_text(encoding="utf-8") for path in sorted(seeds.glob("*.txt"))}
        if not texts:
            raise CommandError(f"No seed articles (*.txt) in {seeds}")
        _check_gold(claims, texts, seeds)
        try:
            with transaction.atomic():
                report = self._evaluate(claims, texts, k, verbose)
                raise _Rollback
        except _Rollback:
            pass
        self.stdout.write(json.dumps(report, indent=2))

    def _evaluate(self, gold_claims: list[dict], texts: dict[str, str], k: int, verbose: bool) -> dict:
        started = time.perf_counter()
        sources = {}
        for key, text in texts.items():
            source, _ = source_create(title=f"seed {key}", text=text)
            proposals_generate_for_source(source_id=source.pk)
            sources[key] = source
        for source in sources.values():
            source_index(source_id=source.pk)
        baseline = _TfidfSentences({key: source.text for key, source in sources.items()})
        prepared = time.perf_counter()

        pairs = hits = baseline_hits = stance_right = span_hits = span_right = 0
        span_confusion: Counter[str] = Counter()
        by_stance: Counter[str] = Counter()
        by_stance_right: Counter[str] = Counter()
        misses = []
        for item in gold_claims:
            spans_by_source: dict[str, list[tuple[int, int, str]]] = {}
            for evidence in item["evidence"]:
                spans_by_source.setdefault(evidence["source"], [])
                quote = _quote(evidence, texts)
                found = locate(sources[evidence["source"]].text, quote)
                if found is None:
                    self._not_found(item["id"], evidence["source"], quote)
                else:
                    spans_by_source[evidence["source"]].append((*found, evidence["stance"]))
            source = sources[item["source"]]
            quote = _quote(item, texts)
            found = locate(source.text, quote)
            if found is None:
                self._not_found(item["id"], item["source"], quote)
                pairs += len(spans_by_source)
                misses += [f"{item['id']} -> {key}" for key in spans_by_source]
                continue
            claim = self._claim(source, *found)
            suggested = suggestions_compute(claim=claim, statement=claim_statement(claim=claim), limit=k)
            baseline_top = baseline.top(claim.quote, exclude=item["source"], k=k)
            for key, spans in spans_by_source.items():
                pairs += 1
                baseline_hits += any(
                    found == key and sentence_start < end and start < sentence_end
                    for found, sentence_start, sentence_end in baseline_top
                    for start, end, _ in spans
                )
                other_id = sources[key].pk
                hit = next(
                    (
                        (suggestion, stance)
                        for suggestion in suggested
                        if suggestion.source_id == other_id
                        for start, end, stance in spans
                        if suggestion.start < end and start < suggestion.end
                    ),
                    None,
                )
                if hit is None:
                    misses.append(f"{item['id']} -> {key}")
                    if verbose:
                        self._explain_miss(item["id"], key, sources, spans, suggested)
                    continue
                hits += 1
                for suggestion in suggested:
                    for start, end, stance in spans:
                        if suggestion.source_id == other_id and suggestion.start < end and start < suggestion.end:
                            span_hits += 1
                            span_right += suggestion.stance == stance
                            span_confusion[f"{stance}->{suggestion.stance}"] += 1
                suggestion, gold_stance = hit
                by_stance[gold_stance] += 1
                if suggestion.stance == gold_stance:
                    stance_right += 1
                    by_stance_right[gold_stance] += 1
                elif verbose:
                    self.stderr.write(
                        f"stance {item['id']} -> {key}: {suggestion.stance} (gold {gold_stance}): "
                        f"{suggestion.text[:90]}"
                    )
        return {
            "claims": len(gold_claims),
            "pairs": pairs,
            f"recall@{k}": round(hits / pairs, 4) if pairs else None,
            f"baseline_tfidf_sentences_recall@{k}": round(baseline_hits / pairs, 4) if pairs else None,
            "stance_accuracy_on_hits": round(stance_right / hits, 4) if hits else None,
            "stance_on_hits_by_gold": {s: f"{by_stance_right[s]}/{n}" for s, n in sorted(by_stance.items())},
            "stance_accuracy_every_gold_span_hit": round(span_right / span_hits, 4) if span_hits else None,
            "every_gold_span_hit_gold->suggested": dict(sorted(span_confusion.items())),
            "misses": misses,
            "seconds_processing_seeds": round(prepared - started, 1),
            "seconds_suggesting": round(time.perf_counter() - prepared, 2),
        }

    def _explain_miss(self, claim_id: str, key: str, sources: dict, spans: list, suggested: list) -> None:
        """On stderr: the gold spans of the source that was missed and what was suggested instead."""
        names = {source.pk: name for name, source in sources.items()}
        text = sources[key].text
        self.stderr.write(f"miss {claim_id} -> {key}")
        for start, end, stance in spans:
            self.stderr.write(f"  gold {stance}: {' '.join(text[start:end].split())[:100]}")
        for rank, suggestion in enumerate(suggested, 1):
            self.stderr.write(
                f"  {rank:2d}. {names[suggestion.source_id]} {suggestion.score:.3f} {suggestion.stance}: "
                f"{' '.join(suggestion.text.split())[:90]}"
            )

    def _not_found(self, claim_id: str, key: str, quote: str) -> None:
        self.stderr.write(f"Gold quote of {claim_id} not found in {key}, counted as missed: {quote[:100]!r}")

    def _claim(self, source, start: int, end: int) -> Claim:
        existing = Claim.objects.filter(source=source, start=start, end=end).first()
        return existing or claim_create(source=source, start=start, end=end)

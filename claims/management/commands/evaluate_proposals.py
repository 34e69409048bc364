import json
from dataclasses import replace
from pathlib import Path, PurePath
from types import ModuleType

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.models import ClaimProposal
from claims.nlp import sentences
from claims.nlp.evaluation import (
    FNC_CORPUS,
    THRESHOLDS,
    GoldText,
    Range,
    Score,
    fnc_spans_as_quotes,
    gold_ranges,
    micro_average,
    score,
    seed_spans_as_quotes,
)
from claims.nlp.pipeline import active_proposer, propose_spans
from sources.models import Source


class Command(BaseCommand):
    help = (
        "Score the stored proposals of the active pipeline against a gold file "
        '{"<source title>": [{"quote": "<exact substring>"}, ...]} (or {"spans": {"<seed prefix>": [[start, end]]}}, '
        'offsets into the seed files; or {"corpus": "fnc-1 train_bodies", "spans": {"<Body ID>": ...}}, '
        "offsets into the FNC-1 training bodies, scored live without importing them), next to the "
        "one-proposal-per-sentence baseline: precision, recall and F1 at Jaccard 0.5 and 0.8, per source and "
        "micro-averaged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("gold", type=Path, help="Gold JSON file.")
        parser.add_argument(
            "--seeds",
            type=Path,
            default=Path(settings.BASE_DIR).parent / "shared" / "seeds",
            help="Where the seed files are, for a gold given as seed offsets.",
        )
        parser.add_argument(
            "--live",
            action="store_true",
            help="Run the active proposer now instead of reading its stored proposals.",
        )
        parser.add_argument(
            "--fnc-bodies",
            type=Path,
            default=Path(settings.BASE_DIR).parent / "shared" / "stance-train" / "fnc-1" / "train_bodies.csv",
            help="The FNC-1 bodies file, for a gold over them.",
        )
        parser.add_argument(
            "--reader", action="append", default=[], help="Of a gold over FNC-1 bodies, only this reader's."
        )

    def handle(self, *args, gold: Path, seeds: Path, live: bool, fnc_bodies: Path, reader: list, **options) -> None:
        texts: dict[str, GoldText] = {}
        try:
            entries = json.loads(gold.read_text(encoding="utf-8"))
            if isinstance(entries, dict) and entries.get("corpus") == FNC_CORPUS:
                bodies = fnc_spans_as_quotes(entries, fnc_bodies, reader)
                texts = {title: body for title, (body, _) in bodies.items()}
                entries = {title: quotes for title, (_, quotes) in bodies.items()}
                live = True  # the bodies are not sources: nothing is stored for them
            elif isinstance(entries, dict) and isinstance(entries.get("spans"), dict):
                entries = seed_spans_as_quotes(entries, seeds)
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise CommandError(f"Cannot read the gold file {gold}: {exc}") from exc
        if not isinstance(entries, dict) or not entries:
            raise CommandError('The gold file must be an object: {"<source title>": [{"quote": "..."}, ...]}.')

        proposer = active_proposer()
        pipelines: list[tuple[str, ModuleType]] = [(f"{proposer.NAME} v{proposer.VERSION}", proposer)]
        if proposer is not sentences:
            pipelines.append((f"{sentences.NAME} v{sentences.VERSION} (baseline)", sentences))

        totals: dict[tuple[str, float], list[Score]] = {}
        rows = []
        for title, items in entries.items():
            source = texts.get(title) or self._source(title)
            try:
                gold_spans, missing = gold_ranges(source.text, [item["quote"] for item in items])
            except (TypeError, KeyError, AttributeError) as exc:
                raise CommandError(f'Gold items of {title!r} must be objects with a "quote".') from exc
            for quote in missing:
                self.stderr.write(
                    f"Gold quote not found in {title!r}, counted as a claim nothing matched: {quote[:120]!r}"
                )
            for label, module in pipelines:
                proposed = self._proposed(source, module, stored=module is proposer and not live)
                scores = [
                    replace(result, gold=result.gold + len(missing))
                    for result in (score(gold_spans, proposed, threshold) for threshold in THRESHOLDS)
                ]
                for threshold, result in zip(THRESHOLDS, scores, strict=True):
                    totals.setdefault((label, threshold), []).append(result)
                rows.append((title, label, scores))
        for label, _ in pipelines:
            rows.append(("OVERALL (micro)", label, [micro_average(totals[(label, t)]) for t in THRESHOLDS]))
        self._print(rows)

    def _source(self, name: str) -> Source:
        """The source a gold names: by its title, exactly, else ignoring case; failing that, by the file it
        was imported from ("002_d1c6.txt", "002_d1c6", or a seed's prefix "002")."""
        sources = Source.objects.only("id", "title", "original_name", "text")
        found = list(sources.filter(title=name)[:2]) or list(sources.filter(title__iexact=name.strip())[:2])
        if not found and name.strip():
            found = [
                source
                for source in sources.filter(original_name__startswith=name)[:100]
                if name in (source.original_name, PurePath(source.original_name).stem)
                or source.original_name.startswith(f"{name}_")
            ][:2]
        if not found:
            raise CommandError(f"No source is titled {name!r} or was imported from a file of that name.")
        if len(found) > 1:
            raise CommandError(f"More than one source answers to {name!r}; give them distinct titles.")
        return found[0]

    def _proposed(self, source: Source | GoldText, module: ModuleType, *, stored: bool) -> list[Range]:
        if not stored or isinstance(source, GoldText):
            [spans] = propose_spans([source.text], module, titles=[source.title])
            return [(span.start, span.end) for span in spans]
        proposals = ClaimProposal.objects.filter(
            source=source, pipeline=module.NAME, pipeline_version=module.VERSION
        ).values_list("start", "end")
        if not proposals:
            raise CommandError(
                f"Source {source.pk} ({source.title!r}) has no proposals from {module.NAME} v{module.VERSION}; "
                "reprocess it, or pass --live."
            )
        return list(proposals)

    def _print(self, rows: list[tuple[str, str, list[Score]]]) -> None:
        thresholds = "".join(f"  P@{t:<4} R@{t:<4} F1@{t:<4}" for t in THRESHOLDS)
        self.stdout.write(f"{'source':<42} {'pipeline':<28} {'gold':>5} {'prop':>5}{thresholds}")
        for title, label, scores in rows:
            cells = "".join(f"  {s.precision:6.3f} {s.recall:6.3f} {s.f1:7.3f}" for s in scores)
            shown = title if len(title) <= 42 else title[:41] + "…"
            self.stdout.write(f"{shown:<42} {label:<28} {scores[0].gold:>5} {scores[0].proposed:>5}{cells}")

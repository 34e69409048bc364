"""A synthetic corpus for demos and load tests: N sources, their claims, and evidence links."""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from claims.models import Claim, ClaimKind
from evidence.models import EvidenceLink, Stance
from sources.models import Reliability, Source, SourceStatus
from sources.services import source_content_hash

SUBJECTS = ["The convoy", "A ministry spokesman", "The envoy", "Local officials", "The brigade", "Two witnesses"]
VERBS = ["crossed", "denied", "confirmed", "reported", "disputed", "described"]
OBJECTS = ["the border", "the offer", "the payments", "the meeting", "the talks", "the shipment"]
SPEAKERS = ["", "", "Peskov", "Kabulov", "a Taliban spokesman", "officials"]


class Command(BaseCommand):
    help = "Bulk-create a synthetic corpus (sources, claims, evidence links) in a few seconds."

    def add_arguments(self, parser):
        parser.add_argument("--sources", type=int, default=400)
        parser.add_argument("--claims", type=int, default=20_000)
        parser.add_argument("--links", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, sources: int, claims: int, links: int, seed: int, **options):
        if sources < 2 or claims < sources:
            raise CommandError("Need at least two sources and one claim per source.")
        if links > claims * (claims - claims // sources) // 2:
            raise CommandError("Too many links for that many claims.")
        rng = random.Random(seed)
        started = time.perf_counter()
        run = f"{seed}-{time.time_ns()}"
        with transaction.atomic():
            made_sources = self._sources(rng, sources, claims, run)
            claim_rows = self._claims(rng, made_sources, claims)
            link_count = self._links(rng, claim_rows, links)
        if connection.vendor == "postgresql":
            # Fresh planner statistics, as after any bulk load; without them the planner guesses badly.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"Created {len(made_sources)} sources, {len(claim_rows)} claims, {link_count} links "
            f"in {time.perf_counter() - started:.1f}s."
        )

    def _sources(self, rng, count, claims, run):
        per_source = -(-claims // count)
        objects = []
        for n in range(count):
            sentences = [
                f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} in {2010 + (n + k) % 15} "
                f"(report {n}, statement {k})."
                for k in range(per_source)
            ]
            text = f"Generated report {n} of run {run}.\n" + " ".join(sentences)
            objects.append(
                Source(
                    title=f"Generated report {n}",
                    outlet=f"Outlet {n % 25}",
                    reliability=rng.choice(Reliability.values),
                    text=text,
                    content_hash=source_content_hash(text),
                    status=SourceStatus.PROPOSED,
                )
            )
        return Source.objects.bulk_create(objects, batch_size=500)

    def _claims(self, rng, sources, count):
        objects = []
        per_source = -(-count // len(sources))
        for source in sources:
            offset = source.text.index("\n") + 1
            for _ in range(per_source):
                if len(objects) == count:
                    break
                end = source.text.index(").", offset) + 2
                quote = source.text[offset:end]
                objects.append(
                    Claim(
                        source=source,
                        start=offset,
                        end=end,
                        quote=quote,
                        text=quote,
                        speaker=rng.choice(SPEAKERS),
                        kind=rng.choice(ClaimKind.values),
                    )
                )
                offset = end + 1
        made = Claim.objects.bulk_create(objects, batch_size=2000)
        return [(claim.pk, claim.source_id) for claim in made]

    def _links(self, rng, claim_rows, count):
        seen = set()
        objects = []
        stances = [Stance.CORROBORATES] * 6 + [Stance.DENIES] * 3 + [Stance.QUALIFIES]
        while len(objects) < count:
            (a, a_source), (b, b_source) = rng.sample(claim_rows, 2)
            pair = (min(a, b), max(a, b))
            if a_source == b_source or pair in seen:
                continue
            seen.add(pair)
            objects.append(
                EvidenceLink(
                    claim_id=a,
                    evidence_claim_id=b,
                    claim_source_id=a_source,
                    evidence_source_id=b_source,
                    stance=rng.choice(stances),
                )
            )
        EvidenceLink.objects.bulk_create(objects, batch_size=2000)
        return len(objects)

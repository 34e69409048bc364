"""Stance of texts toward claims, in bulk: JSON lines in, JSON lines out.

    manage.py score_stance < pairs.jsonl > stances.jsonl

Each input line is {"claim": "...", "text": "..."}; each output line, in the same order, is
{"stance": "corroborates|denies|qualifies|neutral|unrelated", "score": 0.0-1.0}. Nothing else is
written to stdout; a line that cannot be read is answered {"error": "..."} so the order holds.
"""

import json
import sys

from django.core.management.base import BaseCommand

from evidence.suggestions.scoring import stance_score


class Command(BaseCommand):
    help = 'Read {"claim", "text"} JSON lines on stdin; write {"stance", "score"} JSON lines on stdout.'

    def handle(self, *args, **options):
        out = sys.stdout
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                pair = json.loads(line)
                claim, text = pair["claim"], pair["text"]
                if not isinstance(claim, str) or not isinstance(text, str):
                    raise TypeError("claim and text must be strings")
            except (ValueError, KeyError, TypeError) as exc:
                out.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
                continue
            stance, score = stance_score(claim, text)
            out.write(json.dumps({"stance": stance, "score": score}) + "\n")
        out.flush()

"""`manage.py evaluate_suggestions` on gold files of our own making over the seed articles."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sources.models import Source
from tests.conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DEV_GOLD = json.loads((FIXTURES / "gold_evidence_dev.json").read_text())


def evaluate(tmp_path, claims: list[dict], **options) -> dict:
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"claims": claims}))
    out = StringIO()
    call_command("evaluate_suggestions", gold=gold, stdout=out, **options)
    return json.loads(out.getvalue())


def test_a_claim_is_scored_on_each_other_source_and_nothing_is_left_behind(tmp_path):
    [claim] = [item for item in DEV_GOLD["claims"] if item["id"] == "bounties-offered"]
    first_article = {**claim, "evidence": [e for e in claim["evidence"] if e["source"] == "001"]}
    # The line break after the title: no statement can overlap it, so this pair is always a miss.
    gap = next(SEEDS_DIR.glob("001_*.txt")).read_text().index("\n")
    impossible = {**claim, "id": "nowhere", "evidence": [{"source": "001", "stance": "denies", "span": [gap, gap + 1]}]}

    report = evaluate(tmp_path, [first_article, impossible], verbose=True, stderr=(explained := StringIO()))

    lines = explained.getvalue().splitlines()
    assert lines[0] == "miss nowhere -> 001"
    assert lines[1].startswith("  gold denies: ")
    assert [line.split(".")[0].strip() for line in lines[2:]] == [str(rank) for rank in range(1, len(lines) - 1)]
    assert 2 <= len(lines) <= 12  # the top 10 at most, best first
    assert report["claims"] == 2 and report["pairs"] == 2
    assert report["recall@10"] == 0.5 and report["misses"] == ["nowhere -> 001"]
    assert report["stance_accuracy_on_hits"] is not None
    assert not Source.objects.exists()  # the seeds were loaded in a transaction rolled back


@pytest.mark.parametrize(
    ("gold", "message"),
    [
        ("not json", "Cannot read the gold file"),
        (json.dumps({"claims": {"id": "x"}}), "must hold"),
        (json.dumps({"claims": [{"id": "x", "source": "000", "quote": "Not in 000."}]}), "Gold claim 1 must have"),
        (
            json.dumps(
                {"claims": [{"id": "x", "source": "000", "quote": "a", "evidence": [{"source": "001", "quote": "b"}]}]}
            ),
            'a "stance" for each',
        ),
        (
            json.dumps({"claims": [{"id": "x", "source": "009", "quote": "a", "evidence": []}]}),
            r"not seed files in .*\['009'\]",
        ),
    ],
)
def test_a_gold_it_cannot_use_is_an_error(tmp_path, gold, message):
    path = tmp_path / "gold.json"
    path.write_text(gold)

    with pytest.raises(CommandError, match=message):
        call_command("evaluate_suggestions", gold=path, stdout=StringIO())
    assert not Source.objects.exists()


def test_a_quote_not_in_its_seed_is_reported_and_counted_as_missed(tmp_path):
    [claim] = [item for item in DEV_GOLD["claims"] if item["id"] == "bounties-offered"]
    lost_evidence = {
        **claim,
        "id": "lost-evidence",
        "evidence": [{"source": "003", "quote": "Not in 003.", "stance": "denies"}],
    }
    lost_claim = {**{k: v for k, v in claim.items() if k != "span"}, "id": "lost-claim", "quote": "Not in its source."}
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"claims": [lost_evidence, lost_claim]}))
    out, err = StringIO(), StringIO()

    call_command("evaluate_suggestions", str(path), stdout=out, stderr=err)  # the gold as an argument

    report = json.loads(out.getvalue())
    others = list(dict.fromkeys(evidence["source"] for evidence in claim["evidence"]))
    assert report["pairs"] == 1 + len(others) and report["recall@10"] == 0.0
    assert report["misses"] == ["lost-evidence -> 003", *(f"lost-claim -> {key}" for key in others)]
    assert "Gold quote of lost-evidence not found in 003, counted as missed: 'Not in 003.'" in err.getvalue()
    assert "Gold quote of lost-claim not found in " + claim["source"] in err.getvalue()


def test_the_dev_gold_stays_at_the_goals():
    out = StringIO()
    call_command("evaluate_suggestions", stdout=out)  # tests/fixtures/gold_evidence_dev.json

    report = json.loads(out.getvalue())
    assert report["pairs"] == 33
    assert report["recall@10"] >= 0.85
    assert report["stance_accuracy_on_hits"] >= 0.9


def test_the_tfidf_baseline_ranks_rare_shared_words_first_and_skips_the_claims_source():
    from evidence.management.commands.evaluate_suggestions import _TfidfSentences

    texts = {
        "a": "The convoy crossed the border at Torkham in 2018.",
        "b": "The minister spoke about the border.\nTorkham saw a convoy cross in 2018.",
        "c": "The border is long. The border is closed.",
    }
    baseline = _TfidfSentences(texts)

    top = baseline.top(texts["a"], exclude="a", k=2)

    start = texts["b"].index("Torkham")
    assert top[0] == ("b", start, len(texts["b"]))
    assert all(key != "a" for key, _, _ in top)
    assert len(top) == 2


def test_the_report_gives_the_baseline_next_to_the_recall(tmp_path):
    [claim] = [item for item in DEV_GOLD["claims"] if item["id"] == "bounties-offered"]

    report = evaluate(tmp_path, [claim])

    assert report["pairs"] == len({evidence["source"] for evidence in claim["evidence"]})
    assert 0.0 <= report["baseline_tfidf_sentences_recall@10"] <= report["recall@10"]


@pytest.mark.parametrize("name", ["gold_evidence_second.json", "gold_evidence_third.json"])
def test_the_second_and_third_golds_are_read_whole_and_beat_the_baseline(name):
    out, err = StringIO(), StringIO()
    call_command("evaluate_suggestions", gold=FIXTURES / name, stdout=out, stderr=err)

    report = json.loads(out.getvalue())
    assert "not found" not in err.getvalue()
    assert report["recall@10"] > report["baseline_tfidf_sentences_recall@10"]
    assert report["stance_accuracy_on_hits"] >= 0.9

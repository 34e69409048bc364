"""bulk_insert writes the rows bulk_create would, defaults and JSON included, and returns their ids in order."""

import datetime

import pytest
from django.db import connection, models
from django.forms.models import model_to_dict

from claims.models import ClaimProposal
from config.bulk_insert import array_literal, bulk_insert
from evidence.models import Statement
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def _rows(source_id: int) -> list[dict]:
    return [
        {
            "source_id": source_id,
            "start": start,
            "end": start + 5,
            "text": f"claim {start}",
            "score": 0.25 + start / 100,
            "kind": "attributed" if start % 2 else "fact",
            "speaker": "Ministry of “Defence”" if start % 2 else "",
            "entities": [{"start": start, "end": start + 2, "label": "GPE", "text": "Valdia ☃"}] if start else [],
            "pipeline": "clauses",
            "pipeline_version": "4",
        }
        for start in (40, 0, 20, 10)
    ]


def _compared(objects) -> list[dict]:
    return [model_to_dict(obj, exclude=["id", "source"]) for obj in objects]


def test_rows_are_those_bulk_create_writes_with_ids_in_the_order_given():
    ours, theirs = SourceFactory(), SourceFactory()
    ids = bulk_insert(ClaimProposal, _rows(ours.pk))
    ClaimProposal.objects.bulk_create([ClaimProposal(**row) for row in _rows(theirs.pk)])

    inserted = ClaimProposal.objects.in_bulk(ids)
    assert [inserted[pk].start for pk in ids] == [40, 0, 20, 10]
    by_bulk_create = ClaimProposal.objects.filter(source=theirs).order_by("pk")
    assert _compared(inserted[pk] for pk in ids) == _compared(by_bulk_create)
    assert {p.status for p in inserted.values()} == {"pending"}  # the field's default
    assert all(p.created_at is not None and p.decided_at is None for p in inserted.values())


def test_a_field_some_rows_leave_out_takes_its_default():
    source = SourceFactory()
    [first, second] = bulk_insert(
        Statement,
        [
            {"source_id": source.pk, "start": 0, "end": 4, "text": "one", "terms": "one", "lemmas": "one"},
            {
                "source_id": source.pk,
                "start": 5,
                "end": 9,
                "text": "two",
                "terms": "two",
                "lemmas": "two",
                "numbers": ["2019"],
            },
        ],
    )
    assert Statement.objects.get(pk=first).numbers == []
    assert Statement.objects.get(pk=second).numbers == ["2019"]
    assert Statement.objects.get(pk=second).kind == "sentence"


def test_a_name_that_is_no_field_is_refused_and_nothing_is_written():
    source = SourceFactory()
    with pytest.raises(TypeError, match="no field sorce_id"):
        bulk_insert(ClaimProposal, [{"sorce_id": source.pk, "start": 0, "end": 4, "text": "one"}])
    assert not ClaimProposal.objects.exists()


def test_nothing_to_insert_sends_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk_insert(ClaimProposal, []) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="elsewhere it is bulk_create, in its batches")
def test_one_statement_whatever_the_number_of_rows(django_assert_num_queries):
    source = SourceFactory()
    rows = [{**row, "start": i, "end": i + 1} for i, row in enumerate(_rows(source.pk) * 100)]
    with django_assert_num_queries(1):
        ids = bulk_insert(ClaimProposal, rows)
    assert list(ClaimProposal.objects.filter(pk__in=ids).order_by("pk").values_list("start", flat=True)) == [
        row["start"] for row in rows
    ]


class _Level(models.IntegerChoices):
    LOW = 1
    HIGH = 2


AWKWARD_STRINGS = ['say "no"', "back\\slash\\", "{braces}, commas", "NULL", "", "  spaced  ", "ünï ☃", "it's"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the literal is PostgreSQL's array syntax")
@pytest.mark.parametrize(
    ("values", "array_type"),
    [
        (AWKWARD_STRINGS, "text"),
        ([*AWKWARD_STRINGS, None], "varchar"),
        ([0, -7, 2**40, None, _Level.HIGH], "bigint"),
        ([0.1, 1e-05, -2.5, 3.0, None, 12345678.9], "float8"),
        ([True, False, None], "boolean"),
    ],
)
def test_an_array_literal_reads_back_as_the_values_it_was_made_of(values, array_type):
    literal = array_literal(values)
    assert isinstance(literal, str)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT %s::{array_type}[]", [literal])
        assert cursor.fetchone()[0] == [int(v) if isinstance(v, _Level) else v for v in values]


def test_values_of_other_types_are_left_for_the_driver_to_adapt():
    when = datetime.datetime(2020, 6, 26, tzinfo=datetime.UTC)
    assert array_literal([1, when]) == [1, when]
    assert array_literal((1, 2)) == "{1,2}"

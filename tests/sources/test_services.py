import pytest
from django.core.exceptions import ValidationError

from sources.models import Source, SourceFormat, SourceStatus
from sources.services import source_create, source_create_from_upload, source_delete, source_update

pytestmark = pytest.mark.django_db

ARTICLE = "Officials said the convoy crossed the border in 2018.\n\nMoscow denied it on Monday."


def test_create_stores_pending_source_and_queues_processing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        source, created = source_create(title="Convoy", text=ARTICLE, outlet="Wire")
    assert created
    assert source.status == SourceStatus.PENDING
    assert source.text == ARTICLE
    assert len(source.content_hash) == 64
    assert len(callbacks) == 1, "processing is queued once the row is committed"


def test_create_costs_a_look_up_and_two_inserts(django_assert_num_queries):
    # The look-up by content hash, then the source and its history row, in two savepoints (the test's
    # transaction is open). The model's check constraints are left to the database: asking it about each
    # one first took three more queries in savepoints of their own.
    with django_assert_num_queries(7):
        source_create(title="Convoy", text=ARTICLE)


def test_same_text_twice_returns_the_existing_source():
    first, created = source_create(title="One", text=ARTICLE)
    second, created_again = source_create(title="Another title", text=ARTICLE + "\n")
    assert created and not created_again
    assert second.pk == first.pk
    assert Source.objects.count() == 1


def test_newlines_are_unified_before_hashing():
    first, _ = source_create(title="One", text=ARTICLE)
    second, created = source_create(title="One", text=ARTICLE.replace("\n", "\r\n"))
    assert not created and second.pk == first.pk


@pytest.mark.parametrize("text", ["", "   ", "\n\t\n"])
def test_empty_or_blank_text_is_refused(text):
    with pytest.raises(ValidationError) as exc:
        source_create(title="Empty", text=text)
    assert exc.value.message_dict == {"text": ["The text is empty."]}
    assert not Source.objects.exists()


def test_text_over_the_limit_is_refused(settings):
    settings.SOURCE_MAX_CHARS = 100
    with pytest.raises(ValidationError) as exc:
        source_create(title="Long", text="word " * 50)
    assert "limit is 100" in exc.value.message_dict["text"][0]
    assert not Source.objects.exists()


def test_invalid_metadata_leaves_nothing_behind():
    with pytest.raises(ValidationError) as exc:
        source_create(title="Bad", text=ARTICLE, reliability="Z")
    assert "reliability" in exc.value.message_dict
    assert not Source.objects.exists()


def test_binary_upload_is_refused_naming_the_file():
    with pytest.raises(ValidationError) as exc:
        source_create_from_upload(name="photo.txt", content=b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert exc.value.message_dict["file"] == ["photo.txt: this is a binary file, not text."]
    assert not Source.objects.exists()


def test_non_utf8_upload_is_refused_naming_the_file():
    with pytest.raises(ValidationError) as exc:
        source_create_from_upload(name="notes.md", content="Café crème".encode("latin-1"))
    assert exc.value.message_dict["file"][0].startswith("notes.md: not UTF-8 text")


def test_unsupported_file_type_is_refused():
    with pytest.raises(ValidationError) as exc:
        source_create_from_upload(name="report.pdf", content=b"%PDF-1.4")
    assert "unsupported file type .pdf" in exc.value.message_dict["file"][0]


def test_html_upload_keeps_original_and_stores_extracted_text_without_scripts():
    html = (
        "<html><head><title>Border report</title><script>alert('x')</script></head><body>"
        "<nav>Home | World</nav><article><h1>Border report</h1>"
        "<p>Officials said the convoy crossed the border in 2018, according to two people briefed on it.</p>"
        "<p>Moscow denied the report on Monday <img src=x onerror=alert(1)> and called it invented.</p>"
        "</article></body></html>"
    )
    source, created = source_create_from_upload(name="report.html", content=html.encode())
    assert created
    assert source.format == SourceFormat.HTML
    assert source.original == html
    assert source.original_name == "report.html"
    assert source.title == "Border report"
    assert "Officials said the convoy crossed the border in 2018" in source.text
    assert "alert" not in source.text and "<" not in source.text


def test_markdown_upload_takes_title_from_first_line():
    source, _ = source_create_from_upload(name="n.md", content=b"# Convoy seen\n\nOfficials said so in 2018.")
    assert source.title == "Convoy seen"
    assert source.format == SourceFormat.MARKDOWN


def test_a_text_that_opens_with_a_paragraph_takes_its_title_from_the_file_name():
    paragraph = "Officials in Orla said the convoy crossed the border at dawn. " * 10
    source, created = source_create_from_upload(name="orla-convoy.txt", content=f"{paragraph}\n\nMore.".encode())
    assert created
    assert source.title == "orla-convoy"
    assert source.text.startswith("Officials in Orla said")


def test_metadata_can_change_but_text_cannot():
    source, _ = source_create(title="One", text=ARTICLE)
    source_update(source=source, outlet="Harbour Ledger", reliability="B")
    source.refresh_from_db()
    assert (source.outlet, source.reliability) == ("Harbour Ledger", "B")
    with pytest.raises(ValidationError) as exc:
        source_update(source=source, text="rewritten")
    assert exc.value.message_dict == {"text": ["This field cannot be changed after ingest."]}
    source.refresh_from_db()
    assert source.text == ARTICLE


def test_delete_removes_source():
    source, _ = source_create(title="One", text=ARTICLE)
    source_delete(source=source)
    assert not Source.objects.exists()


def test_history_records_who_changed_what(analyst):
    source, _ = source_create(title="One", text=ARTICLE, created_by=analyst)
    source_update(source=source, outlet="Wire")
    records = list(source.history.order_by("history_id"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert records[1].outlet == "Wire" and records[0].outlet == ""

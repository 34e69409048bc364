import pytest
from django.core.management import CommandError, call_command

from sources.models import Source

pytestmark = pytest.mark.django_db


def test_import_reports_each_file_and_imports_the_good_ones(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Officials said the convoy crossed the border in 2018.")
    (tmp_path / "b.md").write_text("# Denial\n\nMoscow denied the report on Monday.")
    (tmp_path / "c.txt").write_text("Officials said the convoy crossed the border in 2018.")
    (tmp_path / "d.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "e.html").write_text("<html><body><p>The envoy proposed secret talks in 2014.</p></body></html>")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")

    with pytest.raises(CommandError, match=r"2 created|3 created"):
        call_command("import_sources", str(tmp_path), "--outlet", "Wire")
    out = capsys.readouterr().out
    lines = dict(line.split(": ", 1) for line in out.strip().splitlines())
    assert lines[str(tmp_path / "a.txt")].startswith("created")
    assert lines[str(tmp_path / "c.txt")].startswith("duplicate of source")
    assert lines[str(tmp_path / "d.txt")] == "error: d.txt: this is a binary file, not text."
    assert lines[str(tmp_path / "e.html")].startswith("created")
    assert str(tmp_path / "ignored.pdf") not in lines
    assert Source.objects.count() == 3
    assert set(Source.objects.values_list("outlet", flat=True)) == {"Wire"}


def test_import_of_good_files_succeeds(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Officials said the convoy crossed the border in 2018.")
    call_command("import_sources", str(tmp_path / "a.txt"))
    assert "Done: 1 created, 0 duplicate, 0 error." in capsys.readouterr().out


def test_missing_file_is_an_error_line(tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("import_sources", str(tmp_path / "nope.txt"))
    assert "error: cannot read the file" in capsys.readouterr().out
    assert not Source.objects.exists()


def test_load_demo_loads_once(capsys):
    call_command("load_demo")
    count = Source.objects.count()
    assert 5 <= count <= 8
    call_command("load_demo")
    assert Source.objects.count() == count
    assert "Demo login: demo / " in capsys.readouterr().out

"""The REST examples in README.md (curl and Python) run against a live server and do what they say."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import networkx
import pytest
from rest_framework.authtoken.models import Token

from claims.models import Claim
from sources.models import Source

README = Path(__file__).resolve().parents[2] / "README.md"


def _example(language: str) -> str:
    section = README.read_text().split("## REST API", 1)[1].split("\n## ", 1)[0]
    return re.search(rf"```{language}\n(.*?)```", section, re.S).group(1)


@pytest.fixture
def client_env(live_server, analyst):
    token = Token.objects.create(user=analyst).key
    return {"CORROBORATE_API": f"{live_server.url}/api", "CORROBORATE_TOKEN": token, "PATH": "/usr/bin:/bin"}


def test_python_example_runs(client_env):
    result = subprocess.run(
        [sys.executable, "-c", _example("python")], env=client_env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["corroborated", "4 nodes, 3 edges", "200 412"]


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_example_runs(client_env, tmp_path):
    client_env["PATH"] = f"{Path(sys.executable).parent}:{client_env['PATH']}"
    script = "set -euo pipefail\n" + _example("sh")
    result = subprocess.run(
        ["bash", "-c", script], env=client_env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    claim = Claim.objects.get()
    assert (claim.quote, claim.text) == (
        "Officials said the convoy crossed the border in 2018.",
        "The convoy crossed the border in 2018.",
    )
    assert Source.objects.filter(url="https://example.org/report.html").exists()
    briefs = Source.objects.filter(title__startswith="Brief").values_list("title", flat=True)
    assert set(briefs) == {"Brief 1", "Brief 2"}
    networkx.read_graphml(tmp_path / "corroborate.graphml")

"""The Python example of api/README-api.md runs against a live server and does what it says."""

import re
import subprocess
import sys
from pathlib import Path

from rest_framework.authtoken.models import Token

README = Path(__file__).resolve().parents[2] / "api" / "README-api.md"


def test_python_example_runs(live_server, analyst):
    example = re.search(r"```python\n(.*?)```", README.read_text(), re.S).group(1)
    token = Token.objects.create(user=analyst).key
    result = subprocess.run(
        [sys.executable, "-c", example],
        env={"CORROBORATE_API": f"{live_server.url}/api", "CORROBORATE_TOKEN": token, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["corroborated", "4 nodes, 3 edges", "200 412"]

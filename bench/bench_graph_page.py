"""The /graph/ page with 2,000 claims in Debian's Chromium: time until the graph is drawn, and the
frames painted per second while the mouse drags and wheel-zooms it, and a node selection.

    .venv/bin/python bench/bench_graph_page.py [--claims 2000] [--links 3000]

Works in a scratch SQLite database with a generated corpus, served by gunicorn.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PROJECT_DIR, free_port

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def gesture_fps(page) -> float:
    """Frames painted per second while the mouse drags the graph and zooms it with the wheel."""
    box = page.locator("#graph").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.evaluate(
        """() => { window.benchFrames = 0; const tick = () => { window.benchFrames++;
        if (window.benchCounting) requestAnimationFrame(tick); };
        window.benchCounting = true; requestAnimationFrame(tick); }"""
    )
    started = time.perf_counter()
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(30):
        page.mouse.move(x + 8 * step, y + 4 * step)
    page.mouse.up()
    for _ in range(10):
        page.mouse.wheel(0, -120)
    frames = page.evaluate("() => { window.benchCounting = false; return window.benchFrames; }")
    return frames / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--links", type=int, default=3000)
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-graph-page-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{scratch / 'db.sqlite3'}",
        "BROKER_DIR": str(scratch / "broker"),
        "REDIS_URL": "",
        "SECRET_KEY": "bench-graph-page",
    }

    def manage(*command: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=PROJECT_DIR, env=env, check=True, capture_output=True
        )

    manage("migrate", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    manage("generate_corpus", "--sources", str(args.sources), "--claims", str(args.claims), "--links", str(args.links))
    env.update(DJANGO_SUPERUSER_USERNAME="bench", DJANGO_SUPERUSER_PASSWORD="bench-graph-page-pw")
    manage("ensure_superuser")

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    from playwright.sync_api import sync_playwright

    try:
        time.sleep(3)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800}, base_url=f"http://127.0.0.1:{port}")
            page.set_default_timeout(60_000)
            page.goto("/accounts/login/")
            page.fill("#id_username", "bench")
            page.fill("#id_password", "bench-graph-page-pw")
            page.click("button[type=submit]")
            drawn, interactions, lookups = [], [], []
            for _ in range(args.runs):
                started = time.perf_counter()
                page.goto("/graph/?scope=all")
                page.wait_for_selector('#graph[data-ready="1"]')
                drawn.append(time.perf_counter() - started)
                interactions.append(gesture_fps(page))
                lookups.append(
                    page.evaluate(
                        """() => { const cy = window.corroborateGraph; const t = performance.now();
                    const n = cy.nodes("[kind = 'claim']"); n.first().select(); n.first().unselect();
                    return [performance.now() - t, n.length, cy.edges().length]; }"""
                    )
                )
            page.screenshot(path=str(scratch / "graph-2000.png"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        json.dumps(
            {
                "claims_drawn": lookups[-1][1],
                "edges_drawn": lookups[-1][2],
                "page_to_drawn_graph_s": {"median": round(statistics.median(drawn), 2), "max": round(max(drawn), 2)},
                "frames_per_s_while_dragging_and_zooming": round(statistics.median(interactions), 1),
                "select_claim_ms": round(statistics.median(x[0] for x in lookups), 1),
                "screenshot": str(scratch / "graph-2000.png"),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

"""The demo corpus: short articles written for Corroborate, shipped in sources/demo/.

Each file is a block of `key: value` metadata lines, a `---` line, then the article text.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent / "demo"


@dataclass(frozen=True)
class DemoArticle:
    title: str
    outlet: str
    author: str
    published_at: date
    reliability: str
    text: str


def demo_articles() -> list[DemoArticle]:
    articles = []
    for path in sorted(DEMO_DIR.glob("*.md")):
        header, text = path.read_text().split("\n---\n", 1)
        meta = dict(line.split(": ", 1) for line in header.strip().splitlines())
        articles.append(
            DemoArticle(
                title=meta["title"],
                outlet=meta["outlet"],
                author=meta["author"],
                published_at=date.fromisoformat(meta["published_at"]),
                reliability=meta["reliability"],
                text=text,
            )
        )
    return articles

"""Shared fixtures: temp index folders, the real sample corpus, ../shared/data."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SHARED_DATA = REPO.parent / "shared" / "data"
ZEITGEIST = SHARED_DATA / "zeitgeist-news.jsonl"
GNAD = SHARED_DATA / "10kgnad-test.csv"
ZEITGEIST_FIELDS = ["body=content", "date=gathered_date", "section=category"]


def needs_shared_data():
    return pytest.mark.skipif(not SHARED_DATA.is_dir(),
                              reason=f"{SHARED_DATA} is absent (CI always has it)")


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def index_dir(tmp_path):
    return tmp_path / "index"


def write_native(folder: Path, name: str, date: str, section: str, title: str, body: str,
                 repeat_title: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    blocks = [date, section, title] + ([title] if repeat_title else []) + [body]
    path = folder / name
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory):
    """An index of the sample corpus, built once per test session."""
    from indexer.build import build_index

    path = tmp_path_factory.mktemp("corpus-index")
    build_index([str(CORPUS)], path)
    return path


@pytest.fixture(scope="session")
def engine(corpus_index):
    from search import open_engine

    return open_engine(corpus_index)

"""``pressearchiv stats``: what an index holds."""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from indexer.store import IndexStore, open_index


def _size_on_disk(path: Path) -> int:
    return sum(f.stat().st_size for f in path.iterdir() if f.is_file())


def index_stats(index_dir: str | os.PathLike) -> dict:
    store = IndexStore(index_dir)
    meta = store.read_meta()
    store.check_schema(meta)
    generation = store.current()
    ix = open_index(generation)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        live = list(reader.all_doc_ids())
        dates: list[str] = []
        sections: Counter = Counter()
        langs: Counter = Counter()
        if live:  # an empty whoosh reader has no columns at all
            columns = {name: reader.column_reader(name) for name in ("date", "section", "lang")}
            dates = sorted(d for d in (columns["date"][n] for n in live) if d)
            sections.update(columns["section"][n] or None for n in live)
            langs.update(columns["lang"][n] or "und" for n in live)
    return {
        "index": str(store.root),
        "generation": generation.name,
        "articles": len(live),
        "undated": len(live) - len(dates),
        "date_range": [dates[0], dates[-1]] if dates else None,
        "sections": {k or "(none)": v for k, v in sections.most_common()},
        "languages": dict(langs.most_common()),
        "size_bytes": _size_on_disk(generation),
        "created": meta.get("created"),
        "updated": meta.get("updated"),
        "last_build": meta.get("last_build"),
        "schema_version": meta.get("schema_version"),
    }

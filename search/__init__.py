"""Answering queries: the library behind the CLI's ``search`` and the web layer.

``open_engine(index_dir)`` gives an ``Engine``; requests and responses are the
dataclasses of ``search.models``. Only ``search.engine`` knows about whoosh.
"""
from __future__ import annotations

from search.base import Engine


def open_engine(index_dir) -> Engine:
    from search.engine import WhooshEngine

    return WhooshEngine(index_dir)


__all__ = ["Engine", "open_engine"]

"""Load test: the real server (waitress, ``python -m web.serve``) driven over loopback.

A fixed number of client threads (default 8) send a mix of typical requests (API
searches of one to three words, phrases, filters, sorting, the next page, a facet
toggled, browsing a section, the HTML search page, single articles) over keep-alive
HTTP/1.1 connections to 127.0.0.1, until the request budget or the time limit runs
out. Prints requests/s, p50/p95/p99 latency and errors as markdown; exit status 1
if any request failed (a status other than 200, or no answer).

    .venv/bin/python bench/load.py --articles 10000                 # builds what it needs
    .venv/bin/python bench/load.py --articles 100000 --requests 5000
    .venv/bin/python bench/load.py --index var/index --requests 500  # any existing index

The corpus is ``bench/scale_corpus.py``'s (cached in ``bench/out/``), the index is
built once into ``bench/out/load-index-n{N}-s{SEED}`` and reused while it holds N
articles. Only loopback is ever contacted; every loop is bounded in count and time.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Words and phrases of German political news (the scale corpus is made of real news
# sentences, so these occur with realistic frequencies).
WORDS = ["Bundesregierung", "Ukraine", "Klimaschutz", "Inflation", "Bundestag", "Wahl",
         "Migration", "Energie", "Polizei", "Gericht", "Russland", "Haushalt", "Corona",
         "Schule", "Steuern", "Rente", "Krankenhaus", "Wirtschaft", "China", "Streik",
         "Minister", "Sanktionen", "Flüchtlinge", "Gesetz", "Europa", "Kanzler", "Bahn",
         "Verteidigung", "Umfrage", "Preise"]
PHRASES = ['"Europäische Union"', '"Bundesregierung plant"', '"künstliche Intelligenz"',
           '"im vergangenen Jahr"', '"nach Angaben"']
SECTIONS = ["Inland", "Ausland", "Wirtschaft", "Wissen", "Panorama", "Sport", "Kultur"]
SORTS = ["newest", "oldest"]


@dataclass
class Sample:
    kind: str
    seconds: float
    status: int  # 0: no answer


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample, failure: str | None = None) -> None:
        with self.lock:
            self.samples.append(sample)
            if failure and len(self.failures) < 20:
                self.failures.append(failure)


def request_mix(rng: random.Random, ids: list[str]) -> tuple[str, str]:
    """One typical request: (kind, path with query string)."""
    roll = rng.random()
    words = " ".join(rng.sample(WORDS, rng.choice([1, 1, 2, 2, 3])))
    if roll < 0.30:
        return "api: words", "/api/search?" + urlencode({"q": words})
    if roll < 0.38:
        return "api: phrase", "/api/search?" + urlencode({"q": rng.choice(PHRASES)})
    if roll < 0.48:
        return "api: filtered", "/api/search?" + urlencode(
            [("q", rng.choice(WORDS)), ("section", rng.choice(SECTIONS)),
             ("from", str(rng.choice([2023, 2024, 2025])))])
    if roll < 0.55:
        return "api: sorted", "/api/search?" + urlencode(
            {"q": words, "sort": rng.choice(SORTS), "page": rng.choice([1, 2, 3])})
    if roll < 0.60:
        return "api: or", "/api/search?" + urlencode(
            {"q": " ".join(rng.sample(WORDS, 4)), "op": "or"})
    if roll < 0.65:
        return "api: browse", "/api/search?" + urlencode(
            {"section": rng.choice(SECTIONS), "sort": "newest"})
    if roll < 0.85:
        return "page: search", "/?" + urlencode({"q": words})
    return "api: article", f"/api/articles/{quote(rng.choice(ids), safe='')}"


def client(host: str, port: int, rng: random.Random, ids: list[str], budget: list[int],
           deadline: float, results: Results, budget_lock: threading.Lock) -> None:
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        while time.monotonic() < deadline:
            with budget_lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            kind, path = request_mix(rng, ids)
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = http.client.HTTPConnection(host, port, timeout=60)
            except (OSError, http.client.HTTPException) as exc:
                results.add(Sample(kind, time.perf_counter() - started, 0), f"{path}: {exc!r}")
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=60)
                continue
            elapsed = time.perf_counter() - started
            failure = None if status == 200 else f"{path}: HTTP {status}"
            results.add(Sample(kind, elapsed, status), failure)
    finally:
        connection.close()


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted ``values``."""
    if not values:
        return float("nan")
    rank = max(1, min(len(values), round(p / 100 * len(values) + 0.5)))
    return values[rank - 1]


def prepare_index(articles: int, seed: int) -> Path:
    from indexer.build import build_index
    from indexer.store import IndexStore

    index = OUT_DIR / f"load-index-n{articles}-s{seed}"
    store = IndexStore(index)
    if store.current() is not None:
        try:
            if store.read_meta().get("articles") == articles:
                return index
        except Exception:  # noqa: BLE001 - an unreadable old index is rebuilt
            pass
    sys.path.insert(0, str(ROOT / "bench"))
    from scale_corpus import cached_corpus

    corpus = cached_corpus(articles, seed)
    print(f"building the index of {articles} articles from {corpus} ...", file=sys.stderr)
    started = time.monotonic()
    summary = build_index([str(corpus)], index, rebuild=True)
    print(f"built {summary.articles} articles in {time.monotonic() - started:.0f} s",
          file=sys.stderr)
    return index


class Server:
    def __init__(self, index: Path, threads: int, workers: int = 1):
        self.log = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "web.serve", "--index", str(index), "--port", "0",
             "--threads", str(threads), "--workers", str(workers)], cwd=ROOT, stdout=subprocess.PIPE,
            stderr=self.log, text=True)
        line = self.process.stdout.readline()
        if "http://" not in line:
            raise RuntimeError(f"the server did not start: {line!r}\n{self.stop()}")
        address = line.split("http://", 1)[1].split("/", 1)[0]
        self.host, port = address.rsplit(":", 1)
        self.port = int(port)

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.seek(0)
        return self.log.read()


def get_json(host: str, port: int, path: str) -> dict:
    connection = http.client.HTTPConnection(host, port, timeout=120)
    try:
        connection.request("GET", path)
        return json.loads(connection.getresponse().read())
    finally:
        connection.close()


def article_ids(host: str, port: int, rng: random.Random) -> list[str]:
    """Ids to fetch articles by: hits of a few searches, as a client would follow them."""
    ids: list[str] = []
    for word in rng.sample(WORDS, 10):
        data = get_json(host, port, "/api/search?" + urlencode({"q": word, "size": 50}))
        ids += [hit["id"] for hit in data.get("hits", [])]
    return ids or [get_json(host, port, "/api/search?size=1")["hits"][0]["id"]]


def report(results: Results, seconds: float, args, served: dict) -> str:
    ms = sorted(s.seconds * 1000 for s in results.samples)
    errors = sum(1 for s in results.samples if s.status != 200)
    lines = [
        f"### {served.get('articles', '?')} articles, {args.clients} clients, "
        f"{args.workers} server process(es) x {args.threads} threads",
        "",
        "| requests | seconds | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {len(ms)} | {seconds:.1f} | {len(ms) / seconds:.1f} | {percentile(ms, 50):.1f} | "
        f"{percentile(ms, 95):.1f} | {percentile(ms, 99):.1f} | {ms[-1] if ms else 0:.1f} | "
        f"{errors} |",
        "",
        "| request kind | share | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    kinds: dict[str, list[float]] = {}
    for sample in results.samples:
        kinds.setdefault(sample.kind, []).append(sample.seconds * 1000)
    for kind, values in sorted(kinds.items()):
        values.sort()
        lines.append(f"| {kind} | {len(values) / max(len(ms), 1):.0%} | "
                     f"{percentile(values, 50):.1f} | {percentile(values, 95):.1f} | "
                     f"{percentile(values, 99):.1f} |")
    lines += ["", f"Mean {statistics.fmean(ms) if ms else 0:.1f} ms; "
                  f"{os.cpu_count()} CPUs shared by server and clients; "
                  f"index generation {served.get('generation')}."]
    if results.failures:
        lines += ["", "Failures (first 20):", ""] + [f"- `{f}`" for f in results.failures]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000,
                        help="size of the synthetic corpus to index (default 100000)")
    parser.add_argument("--index", help="use this existing index instead of building one")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (8)")
    parser.add_argument("--threads", type=int, default=8, help="server threads (8)")
    parser.add_argument("--workers", type=int, default=1,
                        help="server processes (1: waitress; more: gunicorn)")
    parser.add_argument("--requests", type=int, default=3000, help="request budget (3000)")
    parser.add_argument("--warmup", type=int, default=40, help="requests before measuring")
    parser.add_argument("--time-limit", type=float, default=300.0,
                        help="stop sending after this many seconds (300)")
    parser.add_argument("--mix-seed", type=int, default=1, help="seed of the request mix")
    args = parser.parse_args(argv)

    index = Path(args.index) if args.index else prepare_index(args.articles, args.seed)
    server = Server(index, args.threads, args.workers)
    try:
        served = get_json(server.host, server.port, "/api/health")
        ids = article_ids(server.host, server.port, random.Random(args.mix_seed))
        warm = Results()
        client(server.host, server.port, random.Random(0), ids, [args.warmup],
               time.monotonic() + 120, warm, threading.Lock())
        results = Results()
        budget, budget_lock = [args.requests], threading.Lock()
        deadline = time.monotonic() + args.time_limit
        threads = [threading.Thread(
            target=client, args=(server.host, server.port, random.Random(args.mix_seed + n),
                                 ids, budget, deadline, results, budget_lock))
            for n in range(args.clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
    finally:
        log = server.stop()
    print(report(results, seconds, args, served))
    if "Traceback" in log:
        print("\nThe server logged errors:\n" + log[-3000:], file=sys.stderr)
    errors = sum(1 for s in results.samples if s.status != 200)
    return 1 if errors or not results.samples else 0


if __name__ == "__main__":
    sys.exit(main())

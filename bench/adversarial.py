"""One visitor must not stall everyone: ordinary clients' latency with and without an attack.

    .venv/bin/python bench/adversarial.py --index bench/out/scale-index-100000
    .venv/bin/python bench/adversarial.py --articles 10000 --attackers 2 --clients 6

Two phases against the same running server (``bench/load.py``'s, waitress or
gunicorn with ``--workers``): first only the ordinary clients send ``load.py``'s
request mix; then the same clients again while attackers send what once stalled
the server: many prefixes, many fuzzy words, huge OR queries of pasted text,
a thousand unknown words, deep paging, deep nesting, and 10,000 repeated filter
values. Prints the ordinary clients' p50/p95 in both phases and what the
attackers got (statuses and their own latency). Only loopback is contacted.
"""
from __future__ import annotations

import argparse
import http.client
import random
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from load import (Results, Sample, Server, article_ids, client, percentile,  # noqa: E402
                  prepare_index)

SYLLABLES = ["ka", "mi", "to", "re", "sa", "lo", "ne", "di", "ur", "be", "an", "st"]


def attacks(rng: random.Random) -> list[tuple[str, str]]:
    """(kind, path) of each hostile request."""
    words = ["".join(rng.choice(SYLLABLES) for _ in range(4)) for _ in range(2000)]
    prefixes = " ".join(a + b + "*" for a in "abdeghiklmnoprstuvwz" for b in "aeiou")
    fuzzy = " ".join(f"{w}~2" for w in words[:100])
    passage = " ".join(rng.choice(words) for _ in range(2500))[:19_000]
    return [
        ("prefixes", "/api/search?" + urlencode({"q": prefixes})),
        ("fuzzy words", "/api/search?" + urlencode({"q": fuzzy})),
        ("huge OR paste", "/api/search?" + urlencode({"q": passage, "op": "or",
                                                      "syntax": "plain"})),
        ("unknown words", "/api/search?" + urlencode({"q": " ".join(words[:125])})),
        ("letters a", "/api/search?" + urlencode({"q": "a" * 1000})),
        ("deep paging", "/api/search?" + urlencode({"q": "Regierung", "page": 1000,
                                                    "size": 100})),
        ("nesting", "/api/search?" + urlencode({"q": "(" * 300 + "Ukraine" + ")" * 300})),
        ("repeated filters", "/api/search?" + urlencode([("section", "Ausland")] * 10_000)),
        ("page: prefixes", "/?" + urlencode({"q": prefixes})),
    ]


def attacker(host: str, port: int, rng: random.Random, stop: threading.Event,
             results: Results) -> None:
    plan = attacks(rng)
    i = 0
    while not stop.is_set():
        kind, path = plan[i % len(plan)]
        i += 1
        connection = http.client.HTTPConnection(host, port, timeout=120)
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            results.add(Sample(kind, time.perf_counter() - started, response.status), None)
        except (OSError, http.client.HTTPException) as exc:
            results.add(Sample(kind, time.perf_counter() - started, 0), repr(exc))
        finally:
            connection.close()


def phase(server, ids, args, attackers: int) -> tuple[Results, Results, float]:
    ordinary, hostile = Results(), Results()
    budget, lock = [args.requests], threading.Lock()
    stop = threading.Event()
    deadline = time.monotonic() + args.time_limit
    clients = [threading.Thread(target=client, args=(server.host, server.port,
                                                     random.Random(args.mix_seed + n), ids,
                                                     budget, deadline, ordinary, lock))
               for n in range(args.clients)]
    bad = [threading.Thread(target=attacker, args=(server.host, server.port,
                                                   random.Random(100 + n), stop, hostile))
           for n in range(attackers)]
    started = time.perf_counter()
    for thread in bad + clients:
        thread.start()
    for thread in clients:
        thread.join()
    seconds = time.perf_counter() - started
    stop.set()
    for thread in bad:
        thread.join()
    return ordinary, hostile, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--index", help="an existing index instead of building one")
    parser.add_argument("--clients", type=int, default=6, help="ordinary clients (6)")
    parser.add_argument("--attackers", type=int, default=2, help="hostile clients (2)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--requests", type=int, default=1500,
                        help="ordinary requests per phase (1500)")
    parser.add_argument("--time-limit", type=float, default=300.0)
    parser.add_argument("--mix-seed", type=int, default=1)
    args = parser.parse_args(argv)

    index = Path(args.index) if args.index else prepare_index(args.articles, 7)
    server = Server(index, args.threads, args.workers)
    try:
        ids = article_ids(server.host, server.port, random.Random(args.mix_seed))
        calm = phase(server, ids, args, 0)
        attacked = phase(server, ids, args, args.attackers)
    finally:
        log = server.stop()
    print(f"### {index}: {args.clients} ordinary clients, {args.attackers} attackers, "
          f"{args.workers} process(es) x {args.threads} threads\n")
    print("| phase | ordinary requests | requests/s | p50 ms | p95 ms | p99 ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, (ordinary, _, seconds) in (("without attack", calm), ("under attack", attacked)):
        ms = sorted(s.seconds * 1000 for s in ordinary.samples)
        errors = sum(s.status != 200 for s in ordinary.samples)
        print(f"| {name} | {len(ms)} | {len(ms) / seconds:.1f} | {percentile(ms, 50):.0f} | "
              f"{percentile(ms, 95):.0f} | {percentile(ms, 99):.0f} | {errors} |")
    print("\n| attack | sent | statuses | p50 ms | max ms |")
    print("| --- | ---: | --- | ---: | ---: |")
    hostile = attacked[1]
    for kind in sorted({s.kind for s in hostile.samples}):
        mine = [s for s in hostile.samples if s.kind == kind]
        ms = sorted(s.seconds * 1000 for s in mine)
        statuses = ", ".join(f"{code}×{sum(s.status == code for s in mine)}"
                             for code in sorted({s.status for s in mine}))
        print(f"| {kind} | {len(mine)} | {statuses} | {percentile(ms, 50):.0f} | {ms[-1]:.0f} |")
    failed = [s for s in hostile.samples if s.status in (0, 500)]
    if "Traceback" in log or failed:
        print("\nThe server failed on hostile input:\n" + log[-3000:], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

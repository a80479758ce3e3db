"""The ``pressearchiv`` command: thin click wrappers over the library."""
from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager

import click

from indexer.build import BuildAborted, build_index
from indexer.readers import ReadOptions, parse_field_map
from indexer.stats import index_stats
from indexer.store import IndexStoreError, default_index_dir
from search.cursor import StaleCursor

EXIT_REJECTED = 3

index_option = click.option(
    "--index", "index_dir", type=click.Path(file_okay=False), default=default_index_dir,
    show_default="./var/index or $PRESSEARCHIV_INDEX", help="Index folder.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pressearchiv")
def cli():
    """Full-text search over German political news."""


def _one_char(ctx, param, value):
    if value is not None and len(value) != 1:
        raise click.BadParameter(f"must be one character, got {value!r}")
    return value


def _progress(enabled: bool):
    """A tqdm bar on a terminal, a log line every few seconds otherwise.

    Sources are read as a stream, so the total is known (not None) only at the end.
    """
    if enabled:
        from tqdm import tqdm

        bar = None

        def show(done, total):
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, unit="art", desc="indexing", file=sys.stderr)
            if total is not None and bar.total != total:
                bar.total = total
            bar.update(done - bar.n)  # workers report in steps, not one by one
            if done == total:
                bar.close()
        return show

    started = time.monotonic()
    last = {"time": started, "done": -1}

    def log(done, total):
        now = time.monotonic()
        if done != last["done"] and (now - last["time"] >= 5 or done == total):
            rate = done / max(now - started, 1e-9)
            click.echo(f"indexed {done}/{total if total is not None else '?'} articles "
                       f"({rate:.0f}/s)", err=True)
            last.update(time=now, done=done)
    return log


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@index_option
@click.option("--rebuild", is_flag=True, help="Build a complete new index and swap it in.")
@click.option("--prune", is_flag=True,
              help="Remove articles whose source file is gone or no longer holds them.")
@click.option("--force", is_flag=True,
              help="Prune even if a source is missing or holds no articles.")
@click.option("--dry-run", "dry_run", is_flag=True,
              help="Report what would be added, updated, pruned and rejected; write nothing.")
@click.option("--strict", is_flag=True, help="Abort before touching the index if any record "
              "is rejected or warned about.")
@click.option("--rejects", type=click.Path(dir_okay=False, writable=True),
              help="Write rejects and warnings to this file as JSON Lines.")
@click.option("--field", "fields", multiple=True, metavar="NATIVE=SOURCE",
              help="Read a native field from another name, e.g. body=content (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl", "csv"]),
              help="Read every file in this format instead of guessing from its suffix.")
@click.option("--csv-delimiter", default=",", callback=_one_char, show_default=True)
@click.option("--csv-quotechar", default='"', callback=_one_char, show_default=True)
@click.option("--csv-columns", metavar="A,B,...",
              help="Column names of a CSV without header row; '-' skips a column.")
@click.option("--jobs", type=click.IntRange(1, 64), help="Worker processes [default: CPUs].")
@click.option("--no-enrich", "no_enrich", is_flag=True,
              help="Skip language detection and entity extraction (no entity facets).")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar [default: on a terminal].")
def index(sources, index_dir, rebuild, prune, force, dry_run, strict, rejects, fields, fmt, csv_delimiter,
          csv_quotechar, csv_columns, jobs, no_enrich, progress):
    """Index SOURCES (files or folders of .txt, .jsonl, .csv) into the index.

    Incremental by default: new and changed articles are written, unchanged
    ones skipped. Exit status 3 means some records were rejected.
    """
    try:
        field_map = parse_field_map(fields)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--field") from None
    columns = None
    if csv_columns:
        columns = tuple(c.strip() for c in csv_columns.split(","))
        if any(not c for c in columns):
            raise click.BadParameter("empty column name", param_hint="--csv-columns")
    options = ReadOptions(field_map=field_map, csv_delimiter=csv_delimiter,
                          csv_quotechar=csv_quotechar, csv_columns=columns, format=fmt)
    show_progress = sys.stderr.isatty() if progress is None else progress
    try:
        summary = build_index(list(sources), index_dir, options=options, rebuild=rebuild,
                              prune=prune, strict=strict, jobs=jobs, enrich=not no_enrich,
                              force=force, dry_run=dry_run,
                              on_progress=_progress(show_progress))
    except BuildAborted as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        _write_rejects(rejects, exc.problems)
        raise click.ClickException(str(exc)) from None
    except IndexStoreError as exc:
        raise click.ClickException(str(exc)) from None
    for problem in summary.problems:
        click.echo(str(problem), err=True)
    _write_rejects(rejects, summary.problems)
    s = summary
    verb = ("would rebuild" if s.rebuilt else "would update") if dry_run else (
        "rebuilt" if s.rebuilt else "updated")
    click.echo(f"{verb} {index_dir}: added {s.added}, "
               f"updated {s.updated}, unchanged {s.unchanged}, rejected {s.rejected}, "
               f"warnings {s.warnings}, pruned {s.pruned}, superseded {s.superseded}; "
               f"{s.articles} articles in {s.seconds:.1f}s")
    if s.rejected:
        sys.exit(EXIT_REJECTED)


def _write_rejects(path, problems):
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            for problem in problems:
                fh.write(json.dumps(problem.to_dict(), ensure_ascii=False) + "\n")


@cli.command()
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def stats(index_dir, as_json):
    """Article count, date range, sections, languages, size of the index."""
    try:
        info = index_stats(index_dir)
    except IndexStoreError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    span = " – ".join(info["date_range"]) if info["date_range"] else "none"
    click.echo(f"index:      {info['index']} ({info['generation']})")
    click.echo(f"articles:   {info['articles']} ({info['undated']} undated)")
    click.echo(f"dates:      {span}")
    click.echo(f"size:       {info['size_bytes'] / 1e6:.1f} MB")
    click.echo(f"built:      {info['created']}, updated {info['updated']}")
    if info.get("last_build"):
        last = info["last_build"]
        kind = "rebuild" if last.get("rebuild") else "update"
        click.echo(f"last build: {kind} in {last['seconds']} s (added {last['added']}, "
                   f"updated {last['updated']}, pruned {last['pruned']})")
    click.echo(f"schema:     version {info['schema_version']}")
    click.echo("sections:   " + ", ".join(f"{k} {v}" for k, v in info["sections"].items()))
    click.echo("languages:  " + ", ".join(f"{k} {v}" for k, v in info["languages"].items()))


def filter_options(command):
    """The search's filters, for every command that takes a query."""
    options = [
        click.option("--section", "sections", multiple=True,
                     help="Only this section (repeatable)."),
        click.option("--outlet", "outlets", multiple=True,
                     help="Only this outlet: a named source or a site such as zeit.de "
                          "(repeatable)."),
        click.option("--from", "date_from", metavar="DATE",
                     help="From YYYY, YYYY-MM or YYYY-MM-DD."),
        click.option("--to", "date_to", metavar="DATE", help="Up to YYYY, YYYY-MM or YYYY-MM-DD."),
        click.option("--person", "persons", multiple=True,
                     help="Naming this person (repeatable)."),
        click.option("--org", "orgs", multiple=True,
                     help="Naming this organisation (repeatable)."),
        click.option("--place", "places", multiple=True, help="Naming this place (repeatable)."),
        click.option("--lang", "langs", multiple=True,
                     help="In this language, e.g. de (repeatable)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _terminal_html(html: str) -> str:
    """Snippet HTML for a terminal: <mark> as bold, entities unescaped."""
    import re
    from html import unescape

    parts = re.split(r"<mark>(.*?)</mark>", html)
    return "".join(click.style(unescape(p), bold=True) if i % 2 else unescape(p)
                   for i, p in enumerate(parts))


@cli.command()
@click.argument("query", required=False, default="")
@index_option
@filter_options
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]),
              default="relevance", show_default=True)
@click.option("--op", type=click.Choice(["and", "or"]), default="and", show_default=True,
              help="Require all words, or rank by any.")
@click.option("--syntax", type=click.Choice(["query", "plain"]), default="query",
              show_default=True, help="plain: no operators, every token is a word.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--cursor", metavar="TOKEN", help="Continue after the page whose next_cursor "
              "this is (deep paging; instead of --page).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "jsonl"]),
              default="text", show_default=True,
              help="csv and jsonl export every matching article, not one page.")
def search(query, index_dir, sections, outlets, date_from, date_to, persons, orgs, places,
           langs, sort, op, syntax, limit, page, cursor, fmt):
    """Search the index. QUERY uses the query language (see README); empty browses."""
    from search import open_engine
    from search.models import SearchRequest

    request = SearchRequest(q=query, op=op, syntax=syntax, sections=list(sections),
                            outlets=list(outlets), date_from=date_from, date_to=date_to,
                            persons=list(persons), orgs=list(orgs), places=list(places), langs=list(langs), sort=sort,
                            page=page, size=limit, facets=fmt in ("text", "json"),
                            cursor=cursor or None)
    with _library_errors():
        engine = open_engine(index_dir)
        if fmt in ("csv", "jsonl"):
            _export(engine.export(request), fmt)
            return
        response = engine.search(request)
    if fmt == "json":
        click.echo(json.dumps(response.to_dict(), ensure_ascii=False, indent=2))
        return
    for warning in response.warnings:
        click.echo(f"Hinweis: {warning}", err=True)
    first = (response.page - 1) * response.size
    click.echo(f"{response.total} Treffer ({response.took_ms:.0f} ms)")
    if response.suggestion:
        click.echo(f"Meinten Sie: {response.suggestion}")
    for rank, hit in enumerate(response.hits, first + 1):
        extra = f" (+{hit.duplicates} gleiche)" if hit.duplicates else ""
        click.echo(f"\n{rank:>3}. {hit.date or 'undatiert'}  {hit.section or '-'}  "
                   + click.style(hit.title, bold=True) + extra + f"  [{hit.id}]")
        for snippet in hit.snippets:
            if snippet.field == "body":
                click.echo("     " + _terminal_html(snippet.html))
    if response.next_cursor:
        click.echo(f"\nWeiter mit --cursor {response.next_cursor}")


@cli.command()
@click.argument("query")
@index_option
@filter_options
@click.option("--op", type=click.Choice(["and", "or"]), default="and", show_default=True)
@click.option("--syntax", type=click.Choice(["query", "plain"]), default="query",
              show_default=True)
@click.option("--sort", type=click.Choice(["newest", "oldest", "left", "right"]),
              default="newest", show_default=True,
              help="By date, or by the first word left or right of the match.")
@click.option("--width", type=click.IntRange(1, 30), default=8, show_default=True,
              help="Words of context on each side.")
@click.option("--limit", type=click.IntRange(1, 100_000), default=50, show_default=True,
              help="Rows: one page of at most 500 (text, json), or an export (csv, jsonl).")
@click.option("--cursor", metavar="TOKEN", help="Continue after the page whose next_cursor "
              "this is.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "jsonl"]),
              default="text", show_default=True)
def kwic(query, index_dir, sections, outlets, date_from, date_to, persons, orgs, places, langs,
         op, syntax, sort, width, limit, cursor, fmt):
    """Concordance: every occurrence of QUERY's words in context (keyword in context)."""
    from search import open_engine
    from search.kwic import EXPORT_FIELDS, MAX_SIZE, KwicRequest, concordance, \
        concordance_rows
    from search.models import SearchRequest

    search_request = SearchRequest(q=query, op=op, syntax=syntax, sections=list(sections),
                                   outlets=list(outlets), date_from=date_from, date_to=date_to,
                                   persons=list(persons), orgs=list(orgs), places=list(places),
                                   langs=list(langs), facets=False, snippets=False)
    exporting = fmt in ("csv", "jsonl")
    if not exporting and limit > MAX_SIZE:
        raise click.BadParameter(f"at most {MAX_SIZE} rows per page; use --format csv or "
                                 "jsonl for more", param_hint="--limit")
    request = KwicRequest(search=search_request, sort=sort, width=width,
                          size=min(limit, MAX_SIZE), cursor=cursor or None)
    with _library_errors():
        engine = open_engine(index_dir)
        if exporting:
            _export((row.to_dict() for row in concordance_rows(engine, request, limit)), fmt,
                    EXPORT_FIELDS)
            return
        response = concordance(engine, request)
    if fmt == "json":
        click.echo(json.dumps(response.to_dict(), ensure_ascii=False, indent=2))
        return
    for warning in response.warnings:
        click.echo(f"Hinweis: {warning}", err=True)
    counted = (f"{response.occurrences} Belegstellen" if response.occurrences is not None
               else f"{len(response.rows)} Belegstellen (erste Seite)")
    click.echo(f"{counted} in {response.articles} Artikeln ({response.took_ms:.0f} ms)")
    side = 45
    for row in response.rows:
        left = row.left[-side:].rjust(side)
        click.echo(f"{row.date or 'undatiert':<10}  {left} " + click.style(row.match, bold=True)
                   + f" {row.right[:side]}  [{row.id}]")
    if response.next_cursor:
        click.echo(f"\nWeiter mit --cursor {response.next_cursor}")


@contextmanager
def _library_errors():
    """The library's errors as click reports them: a bad parameter names its option."""
    from search.base import IndexUnavailable
    from search.models import InvalidRequest

    try:
        yield
    except StaleCursor as exc:
        raise click.BadParameter(exc.message, param_hint="--cursor") from None
    except InvalidRequest as exc:
        raise click.BadParameter(exc.message, param_hint=f"--{exc.parameter}"
                                 if exc.parameter not in ("q",) else "QUERY") from None
    except IndexUnavailable as exc:
        raise click.ClickException(str(exc)) from None


def _export(records, fmt: str, fields: tuple[str, ...] | None = None) -> None:
    """Every record to stdout; a failure part-way is an error (exit 1), never a short file
    that looks complete."""
    from search.base import IndexUnavailable
    from search.models import InvalidRequest
    from web.export import CLI_EXPORT_FIELDS, LINES

    try:
        for chunk in LINES[fmt](records, fields or CLI_EXPORT_FIELDS):
            click.echo(chunk, nl=False)
    except (InvalidRequest, IndexUnavailable):
        raise  # before the first record: reported as usual by the caller
    except Exception as exc:  # noqa: BLE001 - whatever broke, the output is cut off
        raise click.ClickException(f"the export failed part-way, its output is incomplete: "
                                   f"{type(exc).__name__}: {exc}") from exc


@cli.command()
@index_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Threads per process.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes (gunicorn); one per core lets every core answer.")
def serve(index_dir, host, port, threads, workers):
    """Serve the search page and the JSON API (waitress; gunicorn with --workers)."""
    from web.serve import serve as run_server

    run_server(index_dir, host=host, port=port, threads=threads, workers=workers)


def main():
    cli()


@cli.command()
@click.argument("queries", nargs=-1)
@index_option
@click.option("--label", "labels", multiple=True, help="A label per query, in order.")
@click.option("--interval", type=click.Choice(["auto", "day", "week", "month", "year"]),
              default="auto", show_default=True)
@click.option("--measure", type=click.Choice(["count", "share", "ipm"]), default="count",
              show_default=True, help="share: of all articles under the filters; ipm: "
              "occurrences per million words.")
@click.option("--smooth", type=int, help="Centred moving average over this many buckets (odd).")
@click.option("--split", type=click.Choice(["outlet"]), help="One series per outlet.")
@click.option("--section", "sections", multiple=True, help="Only this section (repeatable).")
@click.option("--outlet", "outlets", multiple=True, help="Only this outlet (repeatable).")
@click.option("--from", "date_from", metavar="DATE", help="From YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--to", "date_to", metavar="DATE", help="Up to YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--person", "persons", multiple=True, help="Naming this person (repeatable).")
@click.option("--org", "orgs", multiple=True, help="Naming this organisation (repeatable).")
@click.option("--place", "places", multiple=True, help="Naming this place (repeatable).")
@click.option("--lang", "langs", multiple=True, help="In this language (repeatable).")
@click.option("--op", type=click.Choice(["and", "or"]), default="and", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True, help="csv: one row per bucket, columns per query.")
def trend(queries, index_dir, labels, interval, measure, smooth, split, sections, outlets,
          date_from, date_to, persons, orgs, places, langs, op, fmt):
    """Attention over time: up to 8 QUERIES side by side (none: every article)."""
    from search import open_engine
    from search.base import IndexUnavailable
    from search.models import InvalidRequest, SearchRequest
    from search.trend import TrendRequest, trend as compute_trend
    from web.trend import format_value, wide_csv

    filters = SearchRequest(op=op, sections=list(sections), outlets=list(outlets),
                            date_from=date_from, date_to=date_to, persons=list(persons),
                            orgs=list(orgs), places=list(places), langs=list(langs))
    request = TrendRequest(queries=list(queries) or [""], labels=list(labels), filters=filters,
                           interval=interval, measure=measure, smooth=smooth, split=split)
    try:
        result = compute_trend(open_engine(index_dir), request)
    except InvalidRequest as exc:
        raise click.BadParameter(exc.message, param_hint="QUERIES" if exc.parameter == "q"
                                 else f"--{exc.parameter}") from None
    except IndexUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        click.echo(wide_csv(result), nl=False)
        return
    for series in result.series:
        for warning in series.warnings:
            click.echo(f"Hinweis ({series.label}): {warning}", err=True)
    width = max([12] + [len(s.label) for s in result.series])
    click.echo(f"{'':<10} {'Artikel':>9}  " + "  ".join(f"{s.label:>{width}}"
                                                       for s in result.series))
    for i, total in enumerate(result.totals):
        values = []
        for s in result.series:
            b = s.buckets[i]
            shown_value = b.smoothed if b.smoothed is not None else b.value
            values.append(f"{format_value(shown_value, result.measure):>{width}}")
        click.echo(f"{total.key:<10} {total.articles:>9}  " + "  ".join(values))
    if result.undated:
        click.echo(f"ohne Datum (nicht gezählt): {result.undated}")


# keywords and co-occurrence (search.keywords, search.cooccurrence) -----------------------

def _analysis_search(query, sections, date_from, date_to, persons, orgs, places, langs,
                     outlets=()):
    from search.models import SearchRequest

    return SearchRequest(q=query, sections=list(sections), date_from=date_from, date_to=date_to,
                         persons=list(persons), orgs=list(orgs), places=list(places),
                         langs=list(langs), outlets=list(outlets), facets=False, snippets=False)


def _filter_options(f):
    for option in reversed([
        click.option("--section", "sections", multiple=True, help="Only this section."),
        click.option("--from", "date_from", metavar="DATE", help="From YYYY[-MM[-DD]]."),
        click.option("--to", "date_to", metavar="DATE", help="Up to YYYY[-MM[-DD]]."),
        click.option("--person", "persons", multiple=True, help="Naming this person."),
        click.option("--org", "orgs", multiple=True, help="Naming this organisation."),
        click.option("--place", "places", multiple=True, help="Naming this place."),
        click.option("--lang", "langs", multiple=True, help="In this language."),
        click.option("--outlet", "outlets", multiple=True, help="From this outlet."),
        click.option("--interval", type=click.Choice(["year", "month"]),
                     help="Also one list per period."),
        click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]),
                     default="text", show_default=True),
    ]):
        f = option(f)
    return f


def _run_analysis(compute):
    from search.base import IndexUnavailable
    from search.models import InvalidRequest

    try:
        return compute()
    except InvalidRequest as exc:
        raise click.BadParameter(exc.message, param_hint=f"--{exc.parameter.replace('_', '-')}"
                                 if exc.parameter != "q" else "QUERY") from None
    except IndexUnavailable as exc:
        raise click.ClickException(str(exc)) from None


def _echo_data(result, fmt: str, fields) -> bool:
    """JSON or CSV of an analysis to stdout; False for text, which the command writes."""
    from web.export import csv_lines

    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo("".join(csv_lines(result.rows(), fields)), nl=False)
    return fmt in ("json", "csv")


@cli.command()
@click.argument("query", required=False, default="")
@index_option
@_filter_options
@click.option("--ref-q", default="", help="Reference: another query (default: the rest).")
@click.option("--ref-from", metavar="DATE", help="Reference: from this date.")
@click.option("--ref-to", metavar="DATE", help="Reference: up to this date.")
@click.option("--size", type=click.IntRange(1, 200), default=20, show_default=True)
@click.option("--min-count", type=click.IntRange(1), default=3, show_default=True)
@click.option("--sample", type=click.IntRange(100, 100_000), default=5000, show_default=True)
def keywords(query, index_dir, sections, date_from, date_to, persons, orgs, places, langs,
             outlets, interval, fmt, ref_q, ref_from, ref_to, size, min_count, sample):
    """Typical terms and names of what QUERY and the filters match (keyness, G²)."""
    from search import open_engine
    from search.keywords import CSV_FIELDS, KeywordsRequest, keywords as compute

    request = KeywordsRequest(
        search=_analysis_search(query, sections, date_from, date_to, persons, orgs, places,
                                langs, outlets),
        reference_q=ref_q, reference_from=ref_from, reference_to=ref_to, size=size,
        min_count=min_count, sample=sample, interval=interval)
    result = _run_analysis(lambda: compute(open_engine(index_dir), request))
    if _echo_data(result, fmt, CSV_FIELDS):
        return
    for warning in result.warnings:
        click.echo(f"Hinweis: {warning}", err=True)
    for kl in result.lists():
        sampled = f", Stichprobe {kl.focus_sample}" if kl.sampled else ""
        click.echo(f"{kl.period or 'Gesamt'}: {kl.focus_articles} Artikel{sampled} gegen "
                   f"{kl.reference_articles}")
        for k in kl.terms + kl.entities:
            click.echo(f"  {k.label:<32} {k.kind:<6} {k.focus_count:>6} {k.reference_count:>7}"
                       f"  G² {k.g2:>9.1f}  LR {k.log_ratio:>5.2f}")


@cli.command()
@click.argument("query", required=False, default="")
@index_option
@_filter_options
@click.option("--size", type=click.IntRange(1, 200), default=20, show_default=True)
@click.option("--min-count", type=click.IntRange(1), default=2, show_default=True)
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["person", "org", "place"]))
@click.option("--network", "network_fmt", type=click.Choice(["graphml", "csv", "svg", "json"]),
              help="Print the network of the result's top names instead, in this format.")
@click.option("--nodes", type=click.IntRange(2, 100), default=30, show_default=True)
@click.option("--sort", type=click.Choice(["log_dice", "g2", "count"]), default="log_dice",
              show_default=True)
def cooccurrence(query, index_dir, sections, date_from, date_to, persons, orgs, places, langs,
                 outlets, interval, fmt, size, min_count, kinds, network_fmt, nodes, sort):
    """Persons, organisations and places named with an entity (--person/--org/--place)
    or in what QUERY matches: count, expected count, logDice, G²."""
    from search import open_engine
    from search.cooccurrence import (CSV_FIELDS, EDGE_FIELDS, KINDS, CooccurrenceRequest,
                                     cooccurrence as compute, network)
    from web.export import csv_lines

    request = CooccurrenceRequest(
        search=_analysis_search(query, sections, date_from, date_to, persons, orgs, places,
                                langs, outlets),
        size=size, min_count=min_count, kinds=list(kinds) or list(KINDS), interval=interval,
        nodes=nodes, sort=sort)
    if network_fmt:
        net = _run_analysis(lambda: network(open_engine(index_dir), request))
        if network_fmt == "graphml":
            click.echo(net.graphml().decode("utf-8"), nl=False)
        elif network_fmt == "csv":
            click.echo("".join(csv_lines(net.edge_rows(), EDGE_FIELDS)), nl=False)
        elif network_fmt == "svg":
            click.echo(net.svg())
        else:
            click.echo(json.dumps(net.to_dict(), ensure_ascii=False, indent=2))
        return
    result = _run_analysis(lambda: compute(open_engine(index_dir), request))
    if _echo_data(result, fmt, CSV_FIELDS):
        return
    for cl in result.lists():
        click.echo(f"{cl.period or 'Gesamt'}: {cl.target_articles} Artikel von "
                   f"{cl.universe_articles}")
        for c in cl.items:
            click.echo(f"  {c.name:<32} {c.kind:<6} {c.count:>6} erwartet {c.expected:>8.1f}"
                       f"  logDice {c.log_dice:>5.2f}  G² {c.g2:>8.1f}")

"""The ``pressearchiv`` command: thin click wrappers over the library."""
from __future__ import annotations

import json
import sys
import time

import click

from indexer.build import BuildAborted, build_index
from indexer.readers import ReadOptions, parse_field_map
from indexer.stats import index_stats
from indexer.store import IndexStoreError, default_index_dir

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
    """A tqdm bar on a terminal, a log line every few seconds otherwise."""
    if enabled:
        from tqdm import tqdm

        bar = None

        def show(done, total):
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, unit="art", desc="indexing", file=sys.stderr)
            bar.update(1)
            if done == total:
                bar.close()
        return show

    last = [time.monotonic(), time.monotonic()]

    def log(done, total):
        now = time.monotonic()
        if now - last[1] >= 5 or done == total:
            rate = done / max(now - last[0], 1e-9)
            click.echo(f"indexed {done}/{total} articles ({rate:.0f}/s)", err=True)
            last[1] = now
    return log


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@index_option
@click.option("--rebuild", is_flag=True, help="Build a complete new index and swap it in.")
@click.option("--prune", is_flag=True,
              help="Remove articles whose source file is gone or no longer holds them.")
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
@click.option("--progress/--no-progress", default=None,
              help="Progress bar [default: on a terminal].")
def index(sources, index_dir, rebuild, prune, strict, rejects, fields, fmt, csv_delimiter,
          csv_quotechar, csv_columns, jobs, progress):
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
                              prune=prune, strict=strict, jobs=jobs,
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
    click.echo(f"{'rebuilt' if s.rebuilt else 'updated'} {index_dir}: added {s.added}, "
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
    click.echo(f"schema:     version {info['schema_version']}")
    click.echo("sections:   " + ", ".join(f"{k} {v}" for k, v in info["sections"].items()))
    click.echo("languages:  " + ", ".join(f"{k} {v}" for k, v in info["languages"].items()))


def main():
    cli()

"""The search library over a real index of the sample corpus."""
import json
import re

import pytest

from indexer.build import build_index
from search import open_engine
from search.models import InvalidRequest, SearchRequest
from tests.conftest import CORPUS


def search(engine, q="", **kw):
    return engine.search(SearchRequest(q=q, **kw))


def texts(engine, response):
    return [engine.article(h.id, similar=0) for h in response.hits]


def corpus_files_containing(pattern):
    return {p for p in CORPUS.glob("*.txt") if re.search(pattern, p.read_text(encoding="utf-8"))}


def test_inflected_forms_meet(engine):
    r = search(engine, "Sanktion", size=100)
    expected = len(corpus_files_containing(r"\bSanktion"))
    assert expected and r.total >= expected


def test_part_of_a_compound_reaches_the_compound_but_ranks_below_the_word(engine):
    r = search(engine, "Minister", size=100)
    bodies = [a.title + a.body for a in texts(engine, r)]
    assert any("Verteidigungsminister" in b and not re.search(r"\bMinister\b", b) for b in bodies)
    plain = [i for i, b in enumerate(bodies) if re.search(r"\bMinister(in|n)?\b", b)]
    only_compound = [i for i, b in enumerate(bodies) if not re.search(r"\bMinister(in|n)?\b", b)]
    assert plain and only_compound and min(plain) < min(only_compound)


def test_umlaut_spellings_meet(engine):
    assert search(engine, "Maerz").total == search(engine, "März").total > 0


def test_alias_finds_other_transliteration(engine):
    r = search(engine, "Selensky", size=50)
    assert r.total >= 5
    assert all("Selenskyj" in a.title + a.body for a in texts(engine, r))
    assert "<mark>Selenskyj</mark>" in json.dumps([h.snippets for h in r.hits], default=str)


def test_and_or_not(engine):
    both = search(engine, "Trump Selenskyj", size=100).total
    either = search(engine, "Trump ODER Selenskyj", size=100).total
    trump = search(engine, "Trump", size=100).total
    assert both < trump < either
    assert search(engine, "Trump -Selenskyj").total == trump - both
    assert search(engine, "Trump Selenskyj", op="or").total == either


def test_phrase_and_proximity(engine):
    phrase = search(engine, '"Olaf Scholz"', size=100)
    assert phrase.total > 0
    assert all("Olaf Scholz" in a.title + a.body for a in texts(engine, phrase))
    assert search(engine, '"Scholz Olaf"').total == 0
    assert search(engine, '"Rutte Macron"~10').total <= search(engine, "Rutte Macron").total


def test_prefix_and_fuzzy(engine):
    assert search(engine, "Sanktion*").total >= search(engine, "Sanktion").total
    assert search(engine, "Pistorious~").total == search(engine, "Pistorius").total > 0


def test_fields(engine):
    r = search(engine, "titel:Bundestag", size=100)
    assert r.total and all("Bundestag" in h.title for h in r.hits)
    inland = search(engine, "ressort:Inland", size=100)
    assert inland.total and {h.section for h in inland.hits} == {"Inland"}
    assert search(engine, "person:Selensky").total == search(engine, 'person:"Wolodymyr Selenskyj"').total > 0
    r = search(engine, "datum:[2024-01 TO 2024-06]", size=100)
    assert r.total and all("2024-01-01" <= h.date <= "2024-06-30" for h in r.hits)


def test_filters_and_facets_ignore_their_own_filter(engine):
    everything = search(engine)
    sections = {v.value: v.count for v in everything.facets["section"].values}
    r = search(engine, sections=["Inland"])
    assert r.total == sections["Inland"]
    facet = {v.value: (v.count, v.selected) for v in r.facets["section"].values}
    assert facet["Inland"] == (sections["Inland"], True)
    assert facet["Ausland"][0] == sections["Ausland"]  # a second section can still be picked
    two = search(engine, sections=["Inland", "Ausland"])
    assert two.total == sections["Inland"] + sections["Ausland"]


def test_entity_filter_takes_aliases_and_narrows(engine):
    r = search(engine, persons=["Selensky"], size=100)
    assert r.total and all("Wolodymyr Selenskyj" in h.entities["persons"] for h in r.hits)
    narrower = search(engine, persons=["Selensky"], places=["Kiew"])
    assert 0 < narrower.total <= r.total


def test_date_filter_and_continuous_histogram(engine):
    r = search(engine, date_from="2024", date_to="2024")
    assert r.total and all(h.date.startswith("2024") for h in r.hits)
    assert r.histogram.interval == "month"
    keys = [b.key for b in r.histogram.buckets]
    assert keys == [f"2024-{m:02d}" for m in range(1, 13)]  # empty months present
    assert sum(b.count for b in r.histogram.buckets) == r.total
    day = search(engine, date_from="2024-11", date_to="2024-11")
    assert day.histogram.interval == "day" and len(day.histogram.buckets) == 30


def test_sort_orders(engine):
    newest = [h.date for h in search(engine, "Bundestag", sort="newest", size=50).hits]
    oldest = [h.date for h in search(engine, "Bundestag", sort="oldest", size=50).hits]
    assert newest == sorted(newest, reverse=True) and oldest == sorted(oldest)


def test_pagination(engine):
    first = search(engine, size=10)
    second = search(engine, size=10, page=2)
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    beyond = search(engine, page=1000)
    assert beyond.hits == [] and beyond.total == first.total


def test_snippets_mark_words_as_written_and_escape(engine):
    r = search(engine, "Verteidigungsminister")
    html = " ".join(s.html for h in r.hits for s in h.snippets)
    assert "<mark>Verteidigungsminister</mark>" in html
    assert all(len([s for s in h.snippets if s.field == "body"]) <= 3 for h in r.hits)
    stripped = re.sub(r"</?mark>", "", html)
    assert "<" not in stripped


def test_bad_syntax_warns_instead_of_failing(engine):
    r = search(engine, '"Scholz Bundestag')
    assert r.warnings and r.total >= 0
    assert search(engine, "Scholz )").warnings


def test_suggestion_for_a_misspelling(engine):
    r = search(engine, "Pistorious")
    assert r.suggestion == "Pistorius"


def test_similar_articles(engine):
    hit = search(engine, "Wagner Prigoschin").hits[0]
    article = engine.article(hit.id)
    assert article.similar and hit.id not in [s.id for s in article.similar]
    assert any("Prigoschin" in s.title or "Wagner" in s.title for s in article.similar)
    assert engine.article("no-such-id") is None


def test_export_returns_all_matches(engine):
    rows = list(engine.export(SearchRequest(q="Bundestag", size=1)))
    assert len(rows) == search(engine, "Bundestag").total > 1
    assert {"id", "title", "body", "persons"} <= set(rows[0])


@pytest.mark.parametrize("field, value", [
    ("size", 0), ("size", 101), ("page", 0), ("sort", "wild"), ("op", "xor"),
    ("date_from", "2024-13-45"), ("q", "x" * 1001)])
def test_invalid_requests_name_the_parameter(engine, field, value):
    with pytest.raises(InvalidRequest) as info:
        engine.search(SearchRequest(**{field: value}))
    assert info.value.parameter == {"date_from": "from"}.get(field, field)


def test_exact_duplicates_come_back_as_one_hit(tmp_path):
    lines = [json.dumps({"id": f"copy{i}", "title": "Gleicher Text", "body": "Die Bundeswehr "
                         "erhält neue Panzer."}) for i in range(3)]
    lines.append(json.dumps({"id": "other", "title": "Anderer Text",
                             "body": "Die Bundeswehr erhält neue Schiffe."}))
    (tmp_path / "a.jsonl").write_text("\n".join(lines), encoding="utf-8")
    build_index([str(tmp_path / "a.jsonl")], tmp_path / "ix")
    r = open_engine(tmp_path / "ix").search(SearchRequest(q="Bundeswehr"))
    assert r.total == 2
    assert sorted(h.duplicates for h in r.hits) == [0, 2]


def test_engine_sees_a_rebuilt_index_without_restart(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "1", "body": "Der Haushalt wurde beschlossen."}), "utf-8")
    build_index([str(src)], tmp_path / "ix")
    engine = open_engine(tmp_path / "ix")
    assert engine.search(SearchRequest(q="Haushalt")).total == 1
    src.write_text(json.dumps({"id": "1", "body": "Der Haushalt wurde beschlossen."}) + "\n"
                   + json.dumps({"id": "2", "body": "Noch ein Haushalt."}), "utf-8")
    build_index([str(src)], tmp_path / "ix")  # incremental: a new revision
    engine.refresh()  # what the next request's check starts in the background, done now
    assert engine.search(SearchRequest(q="Haushalt")).total == 2
    build_index([str(src)], tmp_path / "ix", rebuild=True)  # a new index folder
    engine.refresh()
    assert engine.search(SearchRequest(q="Haushalt")).total == 2
    assert engine.health()["articles"] == 2


def test_new_generation_is_opened_in_the_background_and_old_one_closed(tmp_path):
    import time

    from search.engine import WhooshEngine

    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "1", "body": "Der Haushalt wurde beschlossen."}), "utf-8")
    build_index([str(src)], tmp_path / "ix")
    engine = WhooshEngine(tmp_path / "ix", check_interval=0)
    first = engine.health()["generation"]
    old = engine._served.snapshot
    assert engine.health()["generation"] == first  # unchanged index: no reopening
    assert engine._served.snapshot is old
    src.write_text(src.read_text("utf-8") + "\n"
                   + json.dumps({"id": "2", "body": "Noch ein Haushalt."}), "utf-8")
    build_index([str(src)], tmp_path / "ix")
    totals = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # requests are answered all along, old or new
        totals.append(engine.search(SearchRequest(q="Haushalt")).total)
        if totals[-1] == 2:
            break
        time.sleep(0.01)
    assert totals[-1] == 2 and set(totals) <= {1, 2}
    assert engine.health()["generation"] != first
    assert old.searcher.is_closed  # retired and idle: closed


def test_concurrent_searches_during_an_update(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    src = tmp_path / "src"
    src.mkdir()
    for i, path in enumerate(sorted(CORPUS.glob("*.txt"))[:30]):
        (src / path.name).write_bytes(path.read_bytes())
    build_index([str(src)], tmp_path / "ix")
    engine = open_engine(tmp_path / "ix")
    queries = ["Bundestag", "Ukraine", "Minister", "Selensky", '"Olaf Scholz"', "Wahl*"]

    def run(i):
        r = engine.search(SearchRequest(q=queries[i % len(queries)], page=1 + i % 2))
        return r.total

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(run, i) for i in range(120)]
        for path in sorted(CORPUS.glob("*.txt"))[30:60]:
            (src / path.name).write_bytes(path.read_bytes())
        build_index([str(src)], tmp_path / "ix")
        results = [f.result() for f in futures]
    assert all(r >= 0 for r in results)
    engine.refresh()
    assert engine.health()["articles"] == 60


def test_many_prefixes_share_one_expansion_budget(engine):
    """The parser searches at most ten prefixes per query; their expansions together
    are bounded by one budget per query, not one per prefix."""
    from search.evaluate import Evaluator
    from search.query import parse_query

    query = " ODER ".join(p + "*" for p in ["ab", "an", "au", "be", "de", "ei", "ge", "in",
                                             "ka", "mi", "na", "re", "sc", "st", "ve"])
    r = search(engine, query)
    assert r.total > 0 and r.warnings  # the prefixes past the tenth: searched as words
    with engine._lease() as snap:
        warnings = []
        unbounded = Evaluator(snap, [], expansions=10**6)
        unbounded.evaluate(parse_query(query).tree)
        evaluator = Evaluator(snap, warnings, expansions=40)
        evaluator.evaluate(parse_query(query).tree)
        assert len(unbounded.highlight_terms) > 40 >= len(evaluator.highlight_terms) - 5
        assert evaluator.budget.cut_expansions == len(unbounded.highlight_terms) - \
            len(evaluator.highlight_terms)
        assert any("nicht gesucht" in w for w in warnings)


def test_a_query_over_its_time_budget_is_cut_with_a_warning(engine):
    from search.evaluate import Evaluator
    from search.query import parse_query

    with engine._lease() as snap:
        warnings = []
        evaluator = Evaluator(snap, warnings, time_budget=-1)
        docs, _ = evaluator.evaluate(parse_query("Ukraine Bundestag").tree)
        assert len(docs) == 0 and any("unvollständig" in w for w in warnings)


def test_walking_the_word_list_does_not_hold_the_searches_lock(engine):
    """Near spellings (fuzzy words, 'Meinten Sie') walk the lexicon with a reader of
    their own: while that runs, ordinary searches are answered."""
    import threading

    with engine._lease() as snap:
        snap.postings.doc_frequency("text", "ukrain")  # the lexicon reader exists
        held = threading.Event()
        release = threading.Event()

        def walker():
            with snap.postings.lexicon_lock:
                held.set()
                release.wait(10)

        thread = threading.Thread(target=walker)
        thread.start()
        held.wait(5)
        try:
            done = []
            searcher = threading.Thread(target=lambda: done.append(search(engine, "Bundestag")))
            searcher.start()
            searcher.join(5)
            assert done and done[0].total > 0  # answered while the word list was busy
        finally:
            release.set()
            thread.join()


def test_near_spellings_from_word_lists_equal_whooshs_own(engine):
    """search.spelling answers from the segments' word lists what whoosh's automaton
    answers from its terms file (same terms, same document counts)."""
    with engine._lease() as snap:
        words = ["ukrain", "bundestag", "selensk", "regierung", "wahl", "sanktion", "merz",
                 "klimaschutz", "zoll", "polizei"]
        for word in words:
            for distance in (1, 2):
                ours = snap.spelling.near(word, distance)
                theirs = {}
                for leaf, _ in snap.reader.leaf_readers():
                    for t in leaf.terms_within("text", word, distance, prefix=1):
                        t = t.decode() if isinstance(t, bytes) else t
                        theirs[t] = theirs.get(t, 0) + leaf.doc_frequency("text", t)
                assert ours == theirs, (word, distance)
            assert snap.spelling.count(word) == snap.reader.doc_frequency("text", word)
        assert sum(len(snap.spelling.near(w, 2)) > 1 for w in words) >= 3  # not trivially equal


def test_a_pasted_passage_is_searched_by_its_most_informative_words(engine):
    """A passage of 10,000+ characters (op=or, plain): the 64 rarest distinct words are
    searched, the warning says how many were left out, and its article ranks first."""
    from search.query import MAX_TERMS

    source = max(CORPUS.glob("*.txt"), key=lambda p: len(p.read_text(encoding="utf-8")))
    text = source.read_text(encoding="utf-8").split("\n\n", 3)[3]
    filler = " ".join(f"Wort{i}" for i in range(800))  # words no article has
    passage = (text + " " + filler + " " + text + " " + text)[:12000]
    assert len(passage) > 10000
    r = search(engine, passage, op="or", syntax="plain")
    assert any(w.startswith("Lange Anfrage") for w in r.warnings), r.warnings
    from indexer.readers.native import article_id

    assert r.hits and r.hits[0].id == article_id(source)
    with engine._lease() as snap:
        from search.query import distinct_words, limit_terms, parse_query

        tree, _ = limit_terms(parse_query(passage, op="or", syntax="plain").tree, MAX_TERMS,
                              lambda w: 1.0)
        assert len(distinct_words(tree)) <= MAX_TERMS


def test_a_word_repeated_in_the_query_weighs_more(engine):
    once = {h.id: h.score for h in search(engine, "Ukraine Bundestag", op="or", size=100).hits}
    thrice = {h.id: h.score for h in search(engine, "Ukraine Ukraine Ukraine Bundestag",
                                            op="or", size=100).hits}
    assert once.keys() == thrice.keys()
    ukraine_only = [i for i in once if i in {h.id for h in search(engine, "Ukraine", size=100).hits}
                    and i not in {h.id for h in search(engine, "Bundestag", size=100).hits}]
    assert ukraine_only and all(thrice[i] > once[i] for i in ukraine_only)


def test_histogram_stays_within_the_archive_and_counts_every_dated_hit(engine):
    """``from=0001&to=9998`` once made 9,998 empty yearly buckets."""
    r = search(engine, "", date_from="0001", date_to="9998")
    whole = search(engine, "")
    assert r.histogram.buckets == whole.histogram.buckets
    assert 1 < len(r.histogram.buckets) <= 40
    assert sum(b.count for b in r.histogram.buckets) + r.histogram.undated == r.total


def test_histogram_counts_equal_a_count_by_hand():
    import random
    from datetime import date

    import numpy as np

    from search.facets import DateHistogramFacet

    rng = random.Random(5)
    days = [date(1950, 1, 1).toordinal() + rng.randrange(0, 80 * 365) for _ in range(3000)]
    ordinals = np.array(days + [-1] * 50, dtype=np.int64)
    facet = DateHistogramFacet(ordinals)
    for lo, hi in [(0, 3050), (100, 900), (2000, 2010)]:
        mask = np.zeros(len(ordinals), dtype=bool)
        mask[lo:hi] = True
        hist = facet.histogram(mask)
        chosen = [date.fromordinal(d) for d in ordinals[lo:hi] if d >= 0]
        for bucket in hist.buckets:
            start, end = date.fromisoformat(bucket.start), date.fromisoformat(bucket.end)
            assert bucket.count == sum(start <= d <= end for d in chosen), bucket
        assert sum(b.count for b in hist.buckets) == len(chosen)
        assert hist.undated == sum(1 for d in ordinals[lo:hi] if d < 0)


def test_scored_union_and_best_dense_and_sorted_paths_agree():
    import numpy as np

    from search.scored import best, union

    rng = np.random.default_rng(3)
    for size, share in [(1000, 0.5), (100000, 0.001)]:  # dense, then sorted
        parts = []
        for _ in range(3):
            docs = np.unique(rng.integers(0, size, int(size * share)))
            parts.append((docs, rng.random(len(docs))))
        for combine, fn in [(np.add, union), (np.maximum, best)]:
            docs, scores = fn(parts)
            expected: dict[int, float] = {}
            for d, s in zip(*map(np.concatenate, zip(*parts))):
                expected[int(d)] = float(combine(expected.get(int(d), 0.0), s))
            assert docs.tolist() == sorted(expected)
            assert np.allclose(scores, [expected[d] for d in sorted(expected)])


def test_two_spellings_of_one_entity_are_one_filter_value(engine):
    """``person=Selensky&person=Putin&person=Zelensky`` once dropped the Putin filter."""
    both = search(engine, "", persons=["Wolodymyr Selenskyj", "Wladimir Putin"], size=100)
    spelled = search(engine, "", persons=["Selensky", "Putin", "Zelensky"], size=100)
    putin = search(engine, "", persons=["Putin"], size=100)
    assert 0 < spelled.total == both.total < putin.total
    assert {h.id for h in spelled.hits} == {h.id for h in both.hits}
    for kind, one, other in [("orgs", "NATO", "Nato"), ("places", "Kiew", "Kyjiw")]:
        a = search(engine, "", **{kind: [one]})
        b = search(engine, "", **{kind: [one, other]})
        assert a.total and a.total == b.total, kind


def test_phrases_matched_on_positions_equal_whooshs_phrase_query(engine):
    """Adjacent-word phrases are matched on the candidates' decoded positions; the
    documents are exactly those whoosh's own phrase query finds."""
    from whoosh import query as wq

    from indexer.analysis import query_terms
    from search.scored import intersect

    with engine._lease() as snap:
        titles = [snap.stored(d)["title"] for d in range(0, snap.n, 3)]
        phrases = set()
        for title in titles:
            words = [w for w in title.split() if len(query_terms(w)) == 1]
            for size in (2, 3):
                for i in range(len(words) - size + 1):
                    phrases.add(tuple(query_terms(w)[0] for w in words[i:i + size]))
        phrases = sorted(phrases)[:150]
        assert len(phrases) > 50
        matched = 0
        for terms in phrases:
            acc = snap.bm25("text", terms[0])
            for t in terms[1:]:
                acc = intersect(acc, snap.bm25("text", t))
            ours = snap.phrase_docs("text", list(terms), 0, acc[0])
            with snap.lock:
                theirs = sorted(snap.searcher.docs_for_query(wq.Phrase("text", list(terms),
                                                                       slop=1)))
            assert ours.tolist() == theirs, terms
            matched += bool(len(theirs))
        assert matched > 50  # most title phrases occur: the comparison is not all-empty

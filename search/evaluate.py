"""A parsed query evaluated to scored documents (``search.scored``).

Words are BM25-scored posting lists of the ``text`` field, whose weights
already carry the title boost and the low weight of compound parts (see
indexer.fields); AND, OR and NOT are set operations; a word that names an
entity also finds the entity's other spellings and its tag.
"""
from __future__ import annotations

import time

import numpy as np

from indexer.analysis import compound_terms, fold_umlauts, query_terms, query_terms_in
from indexer.entity_fields import PARAM_OF_PLURAL, PLURAL_OF_PARAM
from indexer.gazetteer import load_gazetteer
from search.query import _EDGE_PUNCTUATION, And, DateRange, Exact, Not, Or, Phrase, Word
from search.scored import EMPTY, Scored, best, intersect, minus, union
from search.snapshot import GERMAN_LANGS, Snapshot

class PartlyNeutral(tuple):
    """A word's documents, for a word that says nothing in the articles ``neutral``
    marks: a stop word of their language (``die`` in German ones, searched in English
    ones). An AND lets those articles through as if the word were not there."""

    neutral: np.ndarray

    def __new__(cls, scored: Scored, neutral: np.ndarray):
        self = super().__new__(cls, scored)
        self.neutral = neutral
        return self


def _and_partly(acc: Scored, r: PartlyNeutral) -> Scored:
    """``acc`` AND a partly neutral word: ``acc``'s documents that have the word, or
    whose language makes it a stop word; the word's score added where it matched."""
    docs, scores = acc
    pos = np.searchsorted(r[0], docs)
    pos[pos == len(r[0])] = 0
    has = (r[0][pos] == docs) if len(r[0]) else np.zeros(len(docs), dtype=bool)
    keep = has | r.neutral[docs]
    added = np.where(has, r[1][pos] if len(r[0]) else 0.0, 0.0)
    return docs[keep], (scores + added)[keep]


def _restrict(scored: Scored, mask: np.ndarray | None) -> Scored:
    if mask is None or not len(scored[0]):
        return scored
    keep = mask[scored[0]]
    return scored[0][keep], scored[1][keep]


# With op=or, a compound among the query words also counts by its parts, at this
# weight (tuned on bench/relevance.py's passage set, tuning part).
QUERY_PART_WEIGHT = 0.5

# A pasted passage: an OR of at least PASSAGE_WORDS words. Finding the other reports
# of its story is a matter of many shared words, not of any one: its words are scored
# with full length normalisation, BM25's b = PASSAGE_B (a short report sharing ten
# words says more than a long one sharing twelve). Tuned on the tuning parts of
# bench/relevance.py's passage and same-story sets.
PASSAGE_WORDS = 12
PASSAGE_B = 1.0


MAX_EXPANSIONS = 300  # index terms one prefix may stand for
SHOWN_STOP_WORDS = 10  # listed in the warning; a pasted passage has hundreds
QUERY_TF_K3 = 8.0  # BM25's saturation of a word repeated in the query (Robertson's k3)
MAX_EXPANSIONS_PER_QUERY = 1000  # for all prefixes and fuzzy words of a query together
TIME_BUDGET = 3.0  # seconds of query evaluation; then the rest of the query is left out


class _Budget:
    """What one query may still spend: term expansions and time.

    Two hundred two-letter prefixes once read 18,700 posting lists in one
    request; the caps are per query, so no visitor can make one request cost
    more than a few ordinary ones.
    """

    def __init__(self, expansions: int, seconds: float):
        self.expansions = expansions
        self.deadline = time.monotonic() + seconds
        self.cut_expansions = 0
        self.out_of_time = False

    def take(self, wanted: int) -> int:
        granted = max(0, min(wanted, self.expansions))
        self.expansions -= granted
        self.cut_expansions += wanted - granted
        return granted

    def expired(self) -> bool:
        if not self.out_of_time and time.monotonic() > self.deadline:
            self.out_of_time = True
        return self.out_of_time


class Evaluator:
    """Turns a parsed query into scored documents; collects the terms to highlight."""

    def __init__(self, snap: Snapshot, warnings: list[str], time_budget: float = TIME_BUDGET,
                 expansions: int = MAX_EXPANSIONS_PER_QUERY):
        self.snap = snap
        self.warnings = warnings
        self.highlight_terms: set[str] = set()
        self.stop_words: list[str] = []
        self.gazetteer = load_gazetteer()
        self.budget = _Budget(expansions, time_budget)
        self.passage = False  # scoring the words of a pasted passage (see PASSAGE_WORDS)

    def evaluate(self, tree) -> Scored:
        result = self.run(tree)
        if self.budget.cut_expansions:
            self.warnings.append(f"Zu viele Wortformen in der Anfrage (Präfixe, unscharfe "
                                 f"Suche): {self.budget.cut_expansions} nicht gesucht")
        if self.budget.out_of_time:
            self.warnings.append("Die Anfrage war zu aufwendig: nur ein Teil wurde ausgewertet, "
                                 "das Ergebnis ist unvollständig")
        if self.stop_words:
            shown = ", ".join(self.stop_words[:SHOWN_STOP_WORDS])
            more = len(self.stop_words) - SHOWN_STOP_WORDS
            self.warnings.append("Ignoriert (Stoppwörter, Zeichen ohne Buchstaben): " + shown
                                 + (f" und {more} weitere" if more > 0 else ""))
        if result is None:
            self.warnings.append("Die Anfrage enthält kein suchbares Wort")
            return EMPTY
        return result

    def run(self, node) -> Scored | None:
        """Scored documents, or None for a node that says nothing (stop words only)."""
        if isinstance(node, And):
            positives = [c for c in node.children if not isinstance(c, Not)]
            negatives = [c.child for c in node.children if isinstance(c, Not)]
            results = [r for r in (self.run(c) for c in positives) if r is not None]
            if not results and not negatives:
                return None
            # the shortest first; a partly neutral word last, it can only narrow
            results.sort(key=lambda r: (isinstance(r, PartlyNeutral), len(r[0])))
            acc = tuple(results[0]) if results else self.snap.all_docs()
            for r in results[1:]:
                acc = _and_partly(acc, r) if isinstance(r, PartlyNeutral) else intersect(acc, r)
            for neg in negatives:
                acc = minus(acc, self.run_unscored(neg))
            return acc
        if isinstance(node, Or):
            outer = self.passage
            self.passage = sum(isinstance(c, Word) for c in node.children) >= PASSAGE_WORDS
            try:
                results = [r for r in (self.run(c) for c in node.children) if r is not None]
                if QUERY_PART_WEIGHT and results:
                    results += self.query_parts(node.children)
            finally:
                self.passage = outer
            return union(results) if results else None
        if isinstance(node, Not):
            return minus(self.snap.all_docs(), self.run_unscored(node.child))
        if isinstance(node, Word):
            return self.word(node)
        if isinstance(node, Phrase):
            return self.phrase(node)
        if isinstance(node, Exact):
            return self.exact(node)
        if isinstance(node, DateRange):
            mask = self.snap.histogram.mask_for(node.start, node.end)
            docs = np.nonzero(mask & self.snap.live)[0]
            return docs, np.zeros(len(docs))
        return EMPTY

    def query_parts(self, children) -> list[Scored]:
        """Any of several words: a compound among them also counts by its parts
        (``Flüchtlingsheim``: ``Flüchtling``, ``Heim``), at ``QUERY_PART_WEIGHT``."""
        out = []
        german = self.snap.lang_mask(frozenset(GERMAN_LANGS)) if self.snap.other_langs else None
        for child in children:
            if not isinstance(child, Word) or child.prefix or child.fuzzy:
                continue
            for part in compound_terms(child.text.lower().strip(_EDGE_PUNCTUATION)):
                docs, scores = _restrict(self.bm25(child.field, part), german)
                if len(docs):
                    self.highlight_terms.add(part)
                    out.append((docs, scores * QUERY_PART_WEIGHT))
        return out

    def bm25(self, field: str, term: str, df: int | None = None) -> Scored:
        """The term's BM25 scores, in a passage with its length normalisation; ``df``
        replaces the term's document frequency (a word found in several forms)."""
        return self.snap.bm25(field, term, idf=None if df is None else self.snap.idf(df),
                              b=PASSAGE_B if self.passage else None)

    def run_unscored(self, node) -> np.ndarray:
        collected = self.highlight_terms
        self.highlight_terms = set()  # excluded words are not marked
        try:
            result = self.run(node)
            return result[0] if result is not None else EMPTY[0]
        finally:
            self.highlight_terms = collected

    def word(self, node: Word) -> Scored | None:
        """A word's documents; a word the query repeats (a pasted passage) weighs
        more, saturating as BM25's query-term factor (k3 + 1) qtf / (k3 + qtf)."""
        scored = self._word(node)
        if scored is None or node.count <= 1:
            return scored
        weight = (QUERY_TF_K3 + 1) * node.count / (QUERY_TF_K3 + node.count)
        weighted = scored[0], scored[1] * weight
        return PartlyNeutral(weighted, scored.neutral) if isinstance(scored, PartlyNeutral) \
            else weighted

    def _word(self, node: Word) -> Scored | None:
        if self.budget.expired():
            return None  # said once, in evaluate's warnings
        field = node.field
        if node.prefix:
            prefix = fold_umlauts(node.text.lower())
            terms = self.snap.postings.expand(field, prefix, MAX_EXPANSIONS)
            if len(terms) >= MAX_EXPANSIONS:
                self.warnings.append(f"{node.text}* hat sehr viele Formen: nur die ersten "
                                     f"{MAX_EXPANSIONS} gesucht")
            terms = terms[:self.budget.take(len(terms))]
            self.highlight_terms.update(terms)
            return union([self.bm25(field, t) for t in terms])
        by_terms = self._analyses(node.text)
        if not any(by_terms):
            self.stop_words.append(node.text)
            return None  # neutral: neither narrows an AND nor widens an OR
        if node.fuzzy:
            terms = next(t for t in by_terms if t)
            found = sorted(self.snap.spelling.near(terms[0], node.fuzzy))
            found = found[:self.budget.take(len(found))]
            self.highlight_terms.update(found)
            return union([self.bm25(field, t) for t in found])
        if len(by_terms) == 1:
            terms = next(iter(by_terms))
            self.highlight_terms.update(terms)
            scored = self._terms(field, terms)
            return best([scored, self.aliases(node.text)]) if field == "text" else scored
        return self._word_in_languages(node.text, field, by_terms)

    def _analyses(self, text: str) -> dict[tuple[str, ...], np.ndarray | None]:
        """The word's terms under each analysis the index holds (German and the
        languages of its other articles), each with the mask of the articles it
        applies to, German first; one entry with mask None when all agree."""
        german = tuple(query_terms(text))
        other = self.snap.other_langs
        if not other:
            return {german: None}
        langs: dict[tuple[str, ...], set[str]] = {german: set(GERMAN_LANGS)}
        for lang in other:
            langs.setdefault(query_terms_in(text, lang), set()).add(lang)
        if len(langs) == 1:
            return {german: None}
        return {terms: self.snap.lang_mask(frozenset(group)) for terms, group in langs.items()}

    def _word_in_languages(self, text: str, field: str,
                           by_terms: dict[tuple[str, ...], np.ndarray]) -> Scored:
        """A word whose analyses differ by language: each analysis searched in the
        articles of its languages. German articles score as in a German-only index;
        the others with the idf of the word as a whole: the articles any analysis
        finds, counting every article of a language whose stop word it is (a German
        passage's ``die`` or ``war``, searched in English articles, informs nothing).
        """
        german = next(iter(by_terms))  # _analyses puts it first
        parts, neutral, found, df = [], [], [], 0
        for terms, mask in by_terms.items():
            if not terms:
                neutral.append(mask)
                df += self.snap.live_count(mask)
                continue
            self.highlight_terms.update(terms)
            if terms == german:
                scored = _restrict(self._terms(field, terms), mask)
                parts.append(scored)
                df += len(scored[0])
                continue
            docs = _restrict(self.snap.postings.read(field, terms[0]), mask)[0]
            for t in terms[1:]:  # "U.S.": all its pieces
                docs = np.intersect1d(docs, self.snap.postings.read(field, t)[0],
                                      assume_unique=True)
            found.append((terms, docs))
            df += len(docs)
        for terms, docs in found:
            for t in terms:
                docs_t, scores_t = self.bm25(field, t, df=df)
                keep = np.isin(docs_t, docs, assume_unique=True)
                parts.append((docs_t[keep], scores_t[keep]))
        scored = union(parts)  # a word's pieces in one language add up, as in an AND
        if field == "text":
            scored = best([scored, self.aliases(text)])
        return PartlyNeutral(scored, np.logical_or.reduce(neutral)) if neutral else scored

    def _terms(self, field: str, terms: tuple[str, ...]) -> Scored:
        if len(terms) == 1:
            return self.bm25(field, terms[0])
        # "NATO-Generalsekretär": the whole word, or all its parts
        whole, parts = terms[0], terms[1:]
        acc = self.bm25(field, parts[0])
        for t in parts[1:]:
            acc = intersect(acc, self.bm25(field, t))
        return best([self.bm25(field, whole), acc])  # an article writing it counts once

    def aliases(self, word: str) -> Scored:
        """``Selensky`` also finds ``Selenskyj``: the entity's other spellings and its tag."""
        entry = self.gazetteer.resolve(word)
        if entry is None:
            return EMPTY
        field = PLURAL_OF_PARAM[entry.type]
        parts = [self.snap.entity_score(field, entry.canonical)]
        own = set(query_terms(word))
        for name in entry.names:
            tokens = name.split()
            key = tokens[-1] if entry.type == "person" else name
            if entry.type != "person" and len(tokens) > 1:
                continue
            for term in query_terms(key)[:1]:
                if term not in own:
                    own.add(term)
                    self.highlight_terms.add(term)
                    parts.append(self.bm25("text", term))
        return best(parts)

    def phrase(self, node: Phrase) -> Scored | None:
        if self.budget.expired():
            return None
        langs = [GERMAN_LANGS, *((lang,) for lang in self.snap.other_langs)]
        groups: dict[tuple, set[str]] = {}
        for group in langs:
            key = self.phrase_terms(node.words, group[0])
            groups.setdefault(key, set()).update(group)
        if all(not terms for terms, _ in groups):
            self.stop_words.extend(node.words)
            return None
        single = len(groups) == 1
        parts = []
        for (terms, dropped), group in groups.items():
            if not terms:
                continue
            found = self._phrase(node.field, list(terms), node.slop + dropped)
            parts.append(found if single else _restrict(found, self.snap.lang_mask(
                frozenset(group))))
        return union(parts)

    @staticmethod
    def phrase_terms(words: tuple[str, ...], lang: str) -> tuple[tuple[str, ...], int]:
        """The phrase's terms in articles of ``lang`` and the number of its stop words."""
        terms, dropped = [], 0
        for word in words:
            analysed = query_terms_in(word, lang)
            if not analysed:
                dropped += 1
                continue
            terms.extend(analysed[1:] if len(analysed) > 1 else analysed)  # hyphen: the parts
        return tuple(terms), dropped

    def _phrase(self, field: str, terms: list[str], slop: int) -> Scored:
        self.highlight_terms.update(terms)
        acc = self.snap.bm25(field, terms[0])
        for t in terms[1:]:
            acc = intersect(acc, self.snap.bm25(field, t))
        if len(terms) == 1 or not len(acc[0]):
            return acc
        matching = self.snap.phrase_docs(field, terms, slop, acc[0])
        keep = np.isin(acc[0], matching)
        return acc[0][keep], acc[1][keep]

    def exact(self, node: Exact) -> Scored:
        snap = self.snap
        if node.field in ("section", "lang"):
            facet = snap.sections if node.field == "section" else snap.langs
            mask = facet.mask_for([node.value])
            docs = np.nonzero(mask & snap.live)[0]
            return docs, np.zeros(len(docs))
        canonical = self.gazetteer.canonical(node.value, PARAM_OF_PLURAL[node.field])
        facet = snap.entities[node.field]
        code = facet.index.get(canonical.casefold())
        if code is None:
            return EMPTY
        return snap.entity_score(node.field, facet.labels[code])

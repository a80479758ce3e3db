"""The language of an article: a cheap German test first, langdetect when in doubt.

langdetect costs about 10 ms an article; nearly all of the archive is
German, and German gives itself away by its function words, so the
detector only runs on what that test cannot settle, and then on a bounded
excerpt with a fixed seed (its sampling is random otherwise: the same text
could get another answer on the next run).
"""
from __future__ import annotations

import re
from functools import lru_cache

UNDETERMINED = "und"
EXCERPT_CHARS = 1200
MIN_PROBABILITY = 0.8

# Frequent German words that are rare in English, Dutch or Scandinavian
# text ("in", "an", "so", "was" are left out for that reason); "die" counts
# only beside another marker, as Dutch has it too.
GERMAN_MARKERS = frozenset(
    "der und ist nicht mit den von zu sich des auf für im dem ein eine einer wird "
    "auch nach bei dass werden sind wurde hat haben sie noch über zum zur das".split())
_UMLAUT = re.compile("[äöüß]")
_WORD = re.compile(r"[^\W\d_]+")
SAMPLE_WORDS = 120


def looks_german(text: str) -> bool:
    words = _WORD.findall(text[:EXCERPT_CHARS].lower())[:SAMPLE_WORDS]
    if len(words) < 8:
        return False
    markers = len([w for w in words if w in GERMAN_MARKERS])
    markers += min(1, words.count("die")) if markers else 0
    # Swedish has umlauts too; most words are ASCII, which settles it without a regex
    umlauts = len([w for w in words if not w.isascii() and _UMLAUT.search(w)])
    return markers >= 2 and (markers + umlauts) / len(words) >= 0.12


@lru_cache(maxsize=1)
def _detector_factory():
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory

    init_factory()
    DetectorFactory.seed = 0
    from langdetect import detector_factory

    return detector_factory._factory


def detect_language(title: str, body: str) -> str:
    """An ISO 639-1 code (``de``, ``en`` ...) or ``und`` when it cannot be decided."""
    text = f"{title}\n{body}"
    if looks_german(text):
        return "de"
    from langdetect.lang_detect_exception import LangDetectException

    detector = _detector_factory().create()
    detector.append(text[:EXCERPT_CHARS])
    try:
        best = detector.get_probabilities()
    except LangDetectException:
        return UNDETERMINED
    if not best or best[0].prob < MIN_PROBABILITY:
        return UNDETERMINED
    return best[0].lang.split("-")[0]

"""Association statistics over 2x2 tables of article counts, vectorised over many tables.

A table, for a term (or name) t and two sets of articles X and Y:

|            | with t | without t  |
|------------|--------|------------|
| X (n1)     | a      | n1 - a     |
| Y (n2)     | b      | n2 - b     |

- ``log_likelihood``: Dunning's G² = 2 Σ O ln(O / E) over the four cells, E from the
  margins (the same as ``scipy.stats.chi2_contingency(table, correction=False,
  lambda_="log-likelihood")``); 0·ln 0 counts 0. One degree of freedom: 3.84 is p < 0.05,
  6.63 p < 0.01, 10.83 p < 0.001.
- ``log_ratio``: Hardie's Log Ratio, log2((a / n1) / (b / n2)), a zero count replaced by
  0.5 so that a word absent from one side gets a finite effect size.
- ``log_dice``: Rychlý's logDice, 14 + log2(2 f(xy) / (f(x) + f(y))), at most 14.
"""
from __future__ import annotations

import numpy as np

SIGNIFICANT = 3.84  # G² at p < 0.05 with one degree of freedom


def _xlogx_over(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = observed * np.log(observed / expected)
    return np.where(observed > 0, out, 0.0)


def log_likelihood(a, b, n1, n2) -> np.ndarray:
    """G² of the tables (a, n1 - a; b, n2 - b), unsigned."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    n1, n2 = np.asarray(n1, dtype=np.float64), np.asarray(n2, dtype=np.float64)
    n = n1 + n2
    with_t, without_t = a + b, n - a - b
    with np.errstate(divide="ignore", invalid="ignore"):
        e11, e12 = n1 * with_t / n, n1 * without_t / n
        e21, e22 = n2 * with_t / n, n2 * without_t / n
    g2 = 2 * (_xlogx_over(a, e11) + _xlogx_over(n1 - a, e12)
              + _xlogx_over(b, e21) + _xlogx_over(n2 - b, e22))
    return np.where(n > 0, np.maximum(g2, 0.0), 0.0)


def signed_log_likelihood(a, b, n1, n2) -> np.ndarray:
    """G², positive where t is relatively more frequent in X than in Y, else negative."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    g2 = log_likelihood(a, b, n1, n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        over = a * np.asarray(n2, dtype=np.float64) >= b * np.asarray(n1, dtype=np.float64)
    return np.where(over, g2, -g2)


def log_ratio(a, b, n1, n2) -> np.ndarray:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    a = np.where(a == 0, 0.5, a)
    b = np.where(b == 0, 0.5, b)
    return np.log2((a / np.asarray(n1, dtype=np.float64)) / (b / np.asarray(n2, dtype=np.float64)))


def log_dice(f_xy, f_x, f_y) -> np.ndarray:
    f_xy = np.asarray(f_xy, dtype=np.float64)
    total = np.asarray(f_x, dtype=np.float64) + np.asarray(f_y, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 14 + np.log2(2 * f_xy / total)


def expected_joint(f_x, f_y, n) -> np.ndarray:
    """f(x)·f(y)/N: how many articles would name both if they were independent."""
    return np.asarray(f_x, dtype=np.float64) * np.asarray(f_y, dtype=np.float64) / max(n, 1)


def cooccurrence_log_likelihood(f_xy, f_x, f_y, n) -> np.ndarray:
    """G² of the table (f_xy, f_x - f_xy; f_y - f_xy, n - f_x - f_y + f_xy): the articles
    naming x against the others, with and without y."""
    f_xy = np.asarray(f_xy, dtype=np.float64)
    f_x = np.asarray(f_x, dtype=np.float64)
    return log_likelihood(f_xy, np.asarray(f_y, dtype=np.float64) - f_xy, f_x, n - f_x)

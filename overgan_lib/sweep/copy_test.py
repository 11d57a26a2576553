"""Fig. 10's copy test: Lowe's nearest-over-second-nearest ratio, the count of samples in
the held-out images' lower tail of it (:func:`tail_cut`) with its exact null law (Nelson's
precedence test) and power, the copy-like samples (ratio below the absolute
:data:`COPY_RATIO`), and the neighbour statistics the chapter "Generalization" quotes beside
them. "Copy-like" means only the absolute cut-off; the tail count is named as such.

The verdicts that use these are in :mod:`.generalization`; the rationale for the ratio and
the tail count is in its module docstring.
"""

from __future__ import annotations

from math import ceil, comb

import numpy as np

from ..errors import ParameterError
from .summary import ALPHA


def nearest_over_second(distances: np.ndarray) -> np.ndarray:
    """Each query's nearest over its second-nearest training-image distance (``distances``:
    queries x k, ascending, k >= 2); 0 for an exact copy, also of a duplicated image."""
    d = np.asarray(distances, float)
    if d.ndim != 2 or d.shape[1] < 2 or len(d) == 0:
        raise ParameterError(f"need the two nearest distances of at least one query, got an "
                             f"array of shape {d.shape}; keep k >= 2 neighbours")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(d[:, 0] == 0, 0.0, d[:, 0] / d[:, 1])


QUANTILE = 0.05  # the held-out images' lower tail that the copying test counts samples in
COPY_RATIO = 0.6  # below: copy-like (exact 0, blurred/noisy copies ~0.35-0.4, held-out >= ~0.7)


def tail_rank(n_test: int) -> int:
    """r: samples in the held-out tail lie below the r-th smallest of ``n_test`` held-out
    values, r = :data:`QUANTILE` x ``n_test`` rounded up (at least 1); r - 1 held-out values
    lie below that cut-off (:func:`tail_words` words it)."""
    return max(1, ceil(QUANTILE * n_test))


def tail_words(n_test: int) -> str:
    """Where the held-out tail ends, in the words every text of the book uses: "the 4th
    smallest of the 64 held-out ratios (5% of 64 is 3.2, rounded up)", from
    :func:`tail_rank` and :data:`QUANTILE`."""
    r, exact = tail_rank(n_test), QUANTILE * n_test
    how = (f"{100 * QUANTILE:g}% of {n_test:,} is {exact:,.0f}" if float(exact).is_integer()
           and exact >= 1 else f"{100 * QUANTILE:g}% of {n_test:,} is {exact:,.4g}, rounded up")
    rank = "smallest" if r == 1 else f"{ordinal(r)} smallest"
    return f"the {rank} of the {n_test:,} held-out ratios ({how})"


def tail_cut(test_ratios: np.ndarray) -> float:
    """The held-out tail's cut-off: the r-th smallest of ``test_ratios``, r =
    :func:`tail_rank` (samples below it are "in the held-out tail")."""
    b = np.sort(np.asarray(test_ratios, float).ravel())
    if b.size == 0:
        raise ParameterError("tail_cut needs at least one held-out value")
    return float(b[tail_rank(b.size) - 1])


def _tail_count(sample_ratios: np.ndarray, test_ratios: np.ndarray
                ) -> tuple[int, int, int, int]:
    """(samples, held-out values, r, count): how many samples lie below the r-th smallest
    held-out value, r = :func:`tail_rank` (the statistic of :func:`copy_like`)."""
    a, b = np.asarray(sample_ratios, float).ravel(), np.asarray(test_ratios, float).ravel()
    if a.size == 0 or b.size == 0:
        raise ParameterError("copy_like needs at least one sample and one test value")
    return a.size, b.size, tail_rank(b.size), int(np.sum(a < tail_cut(b)))


def copy_like(sample_ratios: np.ndarray, test_ratios: np.ndarray) -> tuple[int, float, float]:
    """Samples in the held-out tail: below the r-th smallest held-out value, r = ``QUANTILE``
    x held-out count rounded up (:func:`tail_words`; not "copy-like", which the book keeps
    for :data:`COPY_RATIO`).

    Counts the samples whose value lies below the r-th smallest held-out value,
    r = ceil(QUANTILE x held-out count), and returns (count, expected count, one-sided p).
    Under no copying (samples and held-out images exchangeable) the count follows the
    negative hypergeometric law of Nelson's precedence test, so p is exact. A lower-tail
    count rather than a rank-sum: a generator that copies part of the time moves only part
    of its samples, and held-out CIFAR-10 images themselves include a few near-duplicates of
    training images (Barz and Denzler 2020), which the quantile leaves out.
    """
    n1, n2, r, count = _tail_count(sample_ratios, test_ratios)
    total = comb(n1 + n2, n2)
    p = sum(comb(j + r - 1, r - 1) * comb(n1 + n2 - j - r, n2 - r)
            for j in range(count, n1 + 1)) / total
    return count, r * n1 / (n2 + 1), float(p)


def copy_like_lower_p(sample_ratios: np.ndarray, test_ratios: np.ndarray) -> float:
    """P(count <= observed) for :func:`copy_like`'s count under the same exact null: small
    when fewer samples lie in the held-out tail than chance gives, where the null the tail test
    and its power rest on does not hold (a baseline of samples above the tail absorbs copies)."""
    n1, n2, r, count = _tail_count(sample_ratios, test_ratios)
    sf = _precedence_sf(n1, n2, r)
    return float(1.0 - sf[count + 1]) if count + 1 <= n1 else 1.0


def near_copies(sample_ratios: np.ndarray, test_ratios: np.ndarray,
                cut: float = COPY_RATIO) -> tuple[int, int, float]:
    """Samples and held-out images below an absolute ratio ``cut`` (near-exact copies: the
    nearest training image much closer than the second; an exact copy gives 0), and the
    one-sided p of Fisher's exact test that samples fall below it more often than held-out
    images (exact under exchangeability, whatever the rest of the distribution does)."""
    from scipy import stats

    a, b = np.asarray(sample_ratios, float).ravel(), np.asarray(test_ratios, float).ravel()
    below_a, below_b = int(np.sum(a < cut)), int(np.sum(b < cut))
    table = [[below_a, a.size - below_a], [below_b, b.size - below_b]]
    return below_a, below_b, float(stats.fisher_exact(table, alternative="greater").pvalue)


def _precedence_sf(n1: int, n2: int, r: int) -> np.ndarray:
    """P(count >= c), c = 0..n1: of n1 samples exchangeable with n2 held-out values, the
    number below the r-th smallest held-out value (Nelson's negative hypergeometric law,
    the null of :func:`copy_like`), in log space so that large n stay cheap."""
    from scipy.special import gammaln

    def log_comb(a: np.ndarray, b: int | np.ndarray) -> np.ndarray:
        return gammaln(a + 1) - gammaln(b + 1) - gammaln(a - b + 1)

    j = np.arange(n1 + 1)
    log_pmf = (log_comb(j + r - 1, r - 1) + log_comb(n1 + n2 - j - r, n2 - r)
               - log_comb(np.asarray(n1 + n2), n2))
    return np.clip(np.cumsum(np.exp(log_pmf)[::-1])[::-1], 0.0, 1.0)


def copy_power(share: float, n_samples: int, n_test: int) -> float:
    """Power of :func:`copy_like` at level :data:`ALPHA` against a generator that copies a
    ``share`` of the time: its copies lie below any held-out tail (exact copies give 0,
    blurred and noisy ones about 0.4) and its other samples are exchangeable with the
    ``n_test`` held-out images. Exact: the number of copies is binomial and the rest follow
    the null law."""
    from scipy import stats

    if not 0.0 <= share <= 1.0 or n_samples < 1 or n_test < 1:
        raise ParameterError(f"need 0 <= share <= 1 and positive counts, got share={share}, "
                             f"{n_samples} samples, {n_test} held-out values")
    r = tail_rank(n_test)
    null = _precedence_sf(n_samples, n_test, r)
    reject = np.flatnonzero(null < ALPHA)
    if reject.size == 0:
        return 0.0
    crit = int(reject[0])
    copies = np.arange(n_samples + 1)
    weight = stats.binom.pmf(copies, n_samples, share)
    rest = [1.0 if m >= crit else float(_precedence_sf(n_samples - m, n_test, r)[crit - m])
            if weight[m] > 1e-12 else 0.0 for m in copies]
    return float(np.dot(weight, rest))


def detectable_copy_share(n_samples: int, n_test: int, power: float = 0.8) -> float:
    """The smallest share of copies (to 1%) that :func:`copy_like` finds with ``power``
    (:func:`copy_power`) from ``n_samples`` samples against ``n_test`` held-out values;
    1.0 when even a generator that always copies is not found that often."""
    for pct in range(1, 101):
        if copy_power(pct / 100, n_samples, n_test) >= power:
            return pct / 100
    return 1.0


def median_ratio_with_copies(test_nearest: np.ndarray, share: float) -> float:
    """The copy ratio (median nearest distance over the held-out median) of a generator
    whose non-copies are like the held-out images (``test_nearest``: their nearest
    training-image distances) and which copies a ``share`` < 0.5 of the time (distance 0):
    the mixture's median is the held-out (0.5 - share) / (1 - share) quantile."""
    d = np.asarray(test_nearest, float).ravel()
    if d.size == 0 or not 0.0 <= share < 0.5:
        raise ParameterError(f"need held-out distances and 0 <= share < 0.5, got {d.size} "
                             f"distances and share={share}")
    return float(np.quantile(d, (0.5 - share) / (1 - share)) / np.median(d))


def source_found(indices: np.ndarray, sources: np.ndarray, top: int = 1) -> int:
    """How many queries (perturbed copies, ``indices``: their nearest training images,
    queries x k, nearest first) have their source image ``sources[i]`` among their ``top``
    nearest."""
    idx, src = np.asarray(indices), np.asarray(sources).ravel()
    if idx.ndim != 2 or len(idx) != len(src) or not 1 <= top <= idx.shape[1]:
        raise ParameterError(f"need one source per query and 1 <= top <= {idx.shape[-1]}, got "
                             f"indices of shape {idx.shape}, {len(src)} sources, top={top}")
    return int(np.sum((idx[:, :top] == src[:, None]).any(axis=1)))


def distinct_fraction(nearest_index: np.ndarray) -> float:
    """Distinct nearest training images per query (number of different indices over the
    number of queries): 1 when every sample has its own nearest image, low when samples
    collapse onto a few. Not the fraction of samples whose nearest image is unshared."""
    idx = np.asarray(nearest_index).ravel()
    if idx.size == 0:
        raise ParameterError("distinct_fraction needs at least one index")
    return len(np.unique(idx)) / idx.size


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st."""
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"

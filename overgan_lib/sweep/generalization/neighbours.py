"""Fig. 10's claims judged on stored nearest-neighbour distances (Sec. 3).

**Fig. 10 (nearest neighbours).** The paper shows samples of DCGAN k = 8 and k = 128 beside
their nearest CIFAR-10 training images and concludes that "overparameterized models
generate samples with high diversity"; Sec. 3 adds that they "have not been memorizing
training samples". Pictures cannot be judged; the distances behind them can, against
held-out test images, which are new draws from the data distribution and so show what "not a
copy" looks like.

* **Copying.** A copy lies much nearer its nearest training image than its second nearest
  (ratio 0 for an exact copy, about 0.4 for the blurred and noisy copies of chapter
  "Generalization"), while a new real image lies about as near both (about 0.97 on CIFAR-10).
  The book calls a sample *copy-like* when its ratio lies below the absolute
  :data:`..copy_test.COPY_RATIO`, and counts separately the samples *in the held-out tail*
  (below the r-th smallest held-out ratio, r the held-out count times 5% rounded up,
  :func:`..copy_test.tail_words`).
  The nearest distance alone cannot tell a copy from a blurry sample: smooth, low-contrast
  images sit close to many smooth training images, and an undertrained generator's samples
  were measured closer to the training set than held-out images are, with no copying. The
  ratio of the nearest to the second-nearest distance (Lowe's ratio test) separates them. The
  verdict counts the samples in the held-out images' lower tail of that ratio and tests the
  count exactly (:mod:`..copy_test`); :func:`..copy_test.detectable_copy_share` says how often
  a generator must copy for the test to find it (about one sample in ten with 64 held-out
  images and 192 samples, a few percent with 1,000 and 3,000), so the evidence also counts
  the samples below an absolute :data:`..copy_test.COPY_RATIO`.
* **Diversity.** Distinct nearest training images per sample (the number of different
  nearest images over the number of samples): about 1 for held-out images, low when samples
  collapse onto a few modes. Samples that look like no image (noise, flat colour) also share
  nearest images, the few flat training images they all lie closest to, so the number means
  diversity only for image-like samples and is not judged on models far from the data.
"""

from __future__ import annotations

import numpy as np

from ...errors import ParameterError
from ..copy_test import (
    COPY_RATIO,
    copy_like,
    copy_like_lower_p,
    detectable_copy_share,
    distinct_fraction,
    near_copies,
    nearest_over_second,
    tail_cut,
    tail_words,
)
from ..matrices import check_per_run, runs_by_width
from ..significance import fmt_p
from ..summary import (
    ALPHA,
    CONFIRMED,
    CONTRADICTED,
    NOT_TESTABLE,
    Verdict,
    trend_with_width,
)

NOT_COPIES = "wide models do not copy training images"
COPY_SHARE_BOUND = 0.05  # "do not copy" is confirmed only if copying this often would be found
COPY_POWER = 0.8  # ... with this power (copy_test.detectable_copy_share)
MORE_DIVERSE = "wider models generate more diverse samples"
# Why each claim about good generators is not tested on models far from the data (the
# chapter's paragraph "Models far from the data"):
FAR_COPIES = ("samples unlike any image say nothing about whether good generators copy "
              "(copying would contradict the claim even here, and neither count above exceeds "
              "chance significantly).")
FAR_DIVERSE = ("distinct nearest training images per sample mean diversity only for image-like "
               "samples: samples that look like no image share the few flat training images "
               "they lie nearest to, so a rise with k here can be a rise in image-likeness "
               "rather than in diversity.")


def far_not_tested(far: str, why: str) -> str:
    """"Not tested: " with ``far`` (why the models are far from the data, or not shown to be
    near it: :func:`..generalization_claims.far_reason`), its first letter lower-cased unless
    it starts an acronym and its final full stop dropped, and ``why`` the claim is not tested
    there."""
    text = far.strip().rstrip(".")
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return f"Not tested: {text}; {why}"


def copy_share(count: int, expected: float, n_samples: int) -> float:
    """The share of copies that ``count`` samples in the held-out tail of ``n_samples`` imply,
    where ``expected`` of them lie there without copying (:func:`..copy_test.copy_like`):
    a generator that copies a share s of the time (copies always in the tail, other samples
    like held-out images) puts n (s + (1 - s) q) samples there, q = expected / n, so
    s = (count - expected) / (n - expected), at least 0."""
    if n_samples < 1 or not 0 <= expected < n_samples:
        raise ParameterError(f"need n_samples >= 1 and 0 <= expected < n_samples, got "
                             f"{n_samples} and {expected}")
    return max(0.0, (count - expected) / (n_samples - expected))


def not_copies(k: np.ndarray, sample_distances: list[np.ndarray], test_distances: np.ndarray,
               far: str = "") -> Verdict:
    """Sec. 3's "not memorizing", at the widest width (its runs' samples pooled over seeds).

    ``k[i]`` is run i's width and ``sample_distances[i]`` its samples' distances to their
    nearest training images (samples x k, ascending); ``test_distances`` the same for
    held-out test images. ``far`` is :func:`.summary.far_from_data`'s reason ('' when the
    models are close enough to the data to judge).

    Contradicted when more of the widest width's samples than held-out images lie below
    the absolute ratio :data:`COPY_RATIO` (near-exact copies; Fisher's exact test,
    :func:`..copy_test.near_copies`, p < ALPHA), whatever share of the samples they are;
    and contradicted when more than chance lie in the held-out images' lower tail of nearest
    over second-nearest distance (:func:`copy_like`, p < ALPHA) *and* the excess implies
    copying more than :data:`COPY_SHARE_BOUND` of the time (:func:`copy_share`): with
    thousands of samples the exact test finds any small shift of the ratio distribution,
    which smooth samples or a dense mode give without copying, so a significant excess
    implying less is not testable. Otherwise not testable when ``far`` says the models are
    too far from the data for the claim, about good GANs, to be tested (:data:`FAR_COPIES`
    says why); when the samples sit
    significantly fewer in the held-out tail than chance gives (the tail count's lower-tail p <
    ALPHA, :func:`..copy_test.copy_like_lower_p`: the null the tail test and its power rest on
    does not hold, and copies would hide in the tail's baseline); or when the test lacks the
    power to see copying: confirmed only when a generator that copies
    :data:`COPY_SHARE_BOUND` of the time would be found with power :data:`COPY_POWER`
    (:func:`..copy_test.detectable_copy_share`, in the evidence), and then read as "copying in
    that share of samples or more is excluded", not as "no sample is a copy". A count within
    chance from too few samples or held-out images is absence of evidence, not evidence of no
    copying.

    The test is the book's, added to Sec. 3's NND conclusion (the paper reads its Fig. 10
    pictures for diversity). Pixel distances are calibrated only on pixel-aligned copies
    (blurred and noisy training images): a shifted, flipped or recoloured copy lies far from
    its source in pixels and is not seen.
    """
    k = np.asarray(k)
    check_per_run(k, sample_distances)
    test = nearest_over_second(test_distances)
    hi = int(k.max())
    ratios = np.concatenate([nearest_over_second(d)
                             for d, w in zip(sample_distances, k, strict=True) if w == hi])
    count, expected, p = copy_like(ratios, test)
    near, near_test, p_near = near_copies(ratios, test)
    p_low = copy_like_lower_p(ratios, test)
    evidence = (f"Nearest over second-nearest training-image distance at k={hi}: median "
                f"{np.median(ratios):.3f} over {len(ratios)} samples, against "
                f"{np.median(test):.3f} for held-out images (an exact copy gives 0); "
                f"{count} samples lie in the held-out tail, below {tail_cut(test):.3f}, "
                f"{tail_words(len(test))}, {expected:.1f} expected without copying (exact "
                f"one-sided p = {fmt_p(p)} for more, {fmt_p(p_low)} for fewer); {near} samples "
                f"and {near_test} held-out images are copy-like, below {COPY_RATIO} (Fisher's "
                f"exact one-sided p = {fmt_p(p_near)} for more samples).")
    share = detectable_copy_share(len(ratios), len(test), COPY_POWER)
    evidence += (f" With {len(ratios)} samples and {len(test)} held-out values the test finds, "
                 f"with {100 * COPY_POWER:.0f}% power, a generator that copies "
                 f"{100 * share:.0f}% of the time or more.")
    implied = copy_share(count, expected, len(ratios))
    if p_near < ALPHA:
        return Verdict(NOT_COPIES, CONTRADICTED, (
            f"{evidence} More samples than held-out images lie below {COPY_RATIO}: near-exact "
            f"copies of training images ({100 * near / len(ratios):.1f}% of the samples), "
            f"whatever share of the samples they are."))
    if p < ALPHA:
        said = (f" The excess over chance implies a copy share of {100 * implied:.1f}% (a "
                f"generator that copies a share s of the time puts about s + (1 - s) x "
                f"{100 * expected / len(ratios):.1f}% of its samples in the tail).")
        if implied > COPY_SHARE_BOUND:
            return Verdict(NOT_COPIES, CONTRADICTED, evidence + said)
        return Verdict(NOT_COPIES, NOT_TESTABLE, (
            f"{evidence}{said} Not tested: the excess is significant but implies copying "
            f"less than {100 * COPY_SHARE_BOUND:.0f}% of the time, a small shift of the ratio "
            f"distribution that smooth samples or a dense mode give without copying."))
    if far:
        return Verdict(NOT_COPIES, NOT_TESTABLE, f"{evidence} {far_not_tested(far, FAR_COPIES)}")
    if p_low < ALPHA:
        return Verdict(NOT_COPIES, NOT_TESTABLE, (
            f"{evidence} Not tested: fewer samples lie in the held-out tail than chance "
            f"allows, so the samples are not like held-out images there, the null the tail "
            f"test and its power rest on does not hold, and copies could hide in the tail's "
            f"baseline."))
    if share > COPY_SHARE_BOUND:
        return Verdict(NOT_COPIES, NOT_TESTABLE,
                       f"{evidence} Not tested: \"no copying\" needs the power to find a "
                       f"generator that copies {100 * COPY_SHARE_BOUND:.0f}% of the time, and "
                       f"this test finds only {100 * share:.0f}% or more.")
    return Verdict(NOT_COPIES, CONFIRMED, (
        f"{evidence} Read as: copying in {100 * COPY_SHARE_BOUND:.0f}% of the samples or more "
        f"is excluded (at {100 * COPY_POWER:.0f}% power), and no excess of near-exact copies is "
        f"seen; rarer copying is not."))


def more_diverse(k: np.ndarray, sample_index: list[np.ndarray], test_index: np.ndarray,
                 far: str = "") -> Verdict:
    """App. E's claim: the fraction of distinct nearest training images rises with k.

    ``sample_index[i]``: run i's samples' nearest training-image indices (k[i] its width);
    ``test_index``: the same for held-out images, the reference (about 1). The rule is the
    sweep summary's for a trend, turned upwards: Welch (one-sided p < ALPHA) between the
    widest and the narrowest width and, with three or more widths, Spearman across runs.
    Not testable when ``far`` (:func:`.summary.far_from_data`'s reason) says the models are
    far from the data: non-image samples share the same few flat nearest images
    (:data:`FAR_DIVERSE`).
    """
    k = np.asarray(k)
    check_per_run(k, sample_index)
    widths, F = runs_by_width(k, [100 * distinct_fraction(i) for i in sample_index])
    trend = trend_with_width(widths, F, MORE_DIVERSE, rises=True, fmt=".0f", unit="%")
    n = len(np.asarray(sample_index[0]).ravel())
    evidence = (f"Distinct nearest training images per sample ({n} samples per run; "
                f"{100 * distinct_fraction(test_index):.0f}% for held-out images): "
                f"{trend.evidence}")
    if far and trend.outcome != NOT_TESTABLE:
        return Verdict(MORE_DIVERSE, NOT_TESTABLE,
                       f"{evidence} {far_not_tested(far, FAR_DIVERSE)}")
    return Verdict(MORE_DIVERSE, trend.outcome, evidence)

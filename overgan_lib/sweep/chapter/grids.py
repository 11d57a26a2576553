"""The sweep chapters' sample grids read as numbers: their diversity against real images
(:func:`grid_diversity`; a width is collapsed below :data:`COLLAPSE_CUT` in most seeds,
:func:`collapsed_widths`) and, for chapter 6, how close their samples are to the training
images' mean image (:func:`mean_image_likeness`, :func:`likeness_text`)."""

from __future__ import annotations

import numpy as np

from ..view import SweepView

# A sample grid counts as collapsed below this fraction of the real images' diversity
# (:func:`...summaries.sample_diversity` after 4x4 block averaging), in every sweep chapter
# (chapter 6 reads it from here): a choice made by eye, not a calibrated test.
COLLAPSE_CUT = 0.5
# The side of the pixel blocks averaged before the spread is taken, so that pixel-level noise
# does not count as variety.
DIVERSITY_BLOCK = 4


def _grids(view: SweepView) -> tuple[np.ndarray, dict[int, list[np.ndarray]]]:
    """64 real training images (n, H, W, C) and, per varied width, the 64 tiles of every
    stored run's sample grid in seed order (n, H, W, 3: grey grids are read as RGB), on the
    grids' grey-level scale."""
    from PIL import Image

    from ...data import CARDS
    from ...metrics.reference import reference_subset
    from ...summaries import grid_tiles
    from ...train import grid_path
    from ..matrices import varied_side

    side = varied_side(view.configs)
    dataset = view.configs[0].dataset
    size = CARDS[dataset].resolution
    real = np.asarray(reference_subset(dataset, "train", 64), float)
    real = np.moveaxis(real, 1, -1) if real.ndim == 4 else real
    out: dict[int, list[np.ndarray]] = {}
    for c, r in sorted(zip(view.configs, view.recs, strict=True), key=lambda cr: cr[0].seed):
        path = grid_path(c, view.profile)
        if r is None or not path.exists():
            continue
        img = np.asarray(Image.open(path).convert("RGB" if real.ndim == 4 else "L"), float)
        out.setdefault(int(getattr(c, side)), []).append(grid_tiles(img, 8, size))
    return real, dict(sorted(out.items()))


def grid_diversity(view: SweepView) -> dict[int, list[float]]:
    """Per varied width, the diversity of every stored run's sample grid (seed order) as a
    fraction of the same number for 64 real training images: the per-pixel standard deviation
    across the 64 samples after averaging 4x4 pixel blocks. Near 0: one repeated image."""
    from ...summaries import sample_diversity

    real, grids = _grids(view)
    base = sample_diversity(real, block=DIVERSITY_BLOCK)
    return {k: [sample_diversity(t, DIVERSITY_BLOCK) / base for t in ts]
            for k, ts in grids.items()}


def collapsed_widths(div: dict[int, list[float]]) -> tuple[list[int], list[int]]:
    """(collapsed, varied) widths of :func:`grid_diversity`'s ``div``: a width is collapsed
    when most of its seeds' grids are below :data:`COLLAPSE_CUT` (a tie is not most)."""
    collapsed = [k for k, ds in div.items() if 2 * sum(d < COLLAPSE_CUT for d in ds) > len(ds)]
    return collapsed, [k for k in div if k not in collapsed]


# A grid counts as near the training images' mean image when the median correlation of its
# samples with that image (:func:`mean_image_likeness`) is above this: chosen by eye, like
# :data:`COLLAPSE_CUT` (64 real MNIST digits score 0.70 on the same measure).
MEAN_LIKE_CUT = 0.9


def _mean_correlation(images: np.ndarray, mean: np.ndarray) -> float:
    """Median over ``images`` (n, H, W, C) of each one's correlation with ``mean`` (H, W, C
    or H, W, 1: a grey mean against RGB copies of grey images), both after averaging 4x4
    pixel blocks (as :func:`grid_diversity`)."""
    n, h, w = images.shape[:3]
    mean = np.broadcast_to(mean, images.shape[1:])
    blocks = lambda x: x.reshape(len(x), h // 4, 4, w // 4, 4, -1).mean((2, 4)).reshape(  # noqa: E731
        len(x), -1)
    a, m = blocks(images), blocks(mean[None])[0]
    a = (a - a.mean(1, keepdims=True)) / a.std(1, keepdims=True)
    return float(np.median(a @ ((m - m.mean()) / m.std()) / a.shape[1]))


def mean_image_likeness(view: SweepView) -> tuple[dict[int, list[float]], float]:
    """How close the samples are to the training split's mean image: per varied width, for
    every stored run's sample grid (seed order), the median over its 64 samples of a sample's
    correlation with the mean of all training images (4x4 block averages); and the same
    number for 64 real training images. Near 1: every sample is the blurred mean image, a
    generator not past the mean-image stage."""
    from ...data import load_uint8

    real, grids = _grids(view)
    mean = np.moveaxis(load_uint8(view.configs[0].dataset, "train").mean(0, dtype=float), 0, -1)
    return ({k: [_mean_correlation(t, mean) for t in ts] for k, ts in grids.items()},
            _mean_correlation(real, mean))


def likeness_text(like: dict[int, list[float]], real: float, low: list[int],
                  name: str = "k") -> str:
    """What the low-diversity widths ``low`` are, from :func:`mean_image_likeness`'s
    ``like`` and ``real``: near the mean image in every seed's grid
    (:data:`MEAN_LIKE_CUT`), i.e. not past the mean-image stage; or not, so low diversity
    there is collapse onto some other image or few images. Plain text for glue."""
    if not low:
        return "No width's grids are below the diversity cut at this profile."
    near = [k for k in low if k in like and min(like[k]) > MEAN_LIKE_CUT]
    other = [k for k in low if k in like and k not in near]
    vals = "; ".join(f"{name} = {k}: " + ", ".join(f"{v:.2f}" for v in like[k])
                     for k in low if k in like)
    ks = lambda ws: ", ".join(str(k) for k in ws)  # noqa: E731
    parts = [f"Median correlation of a sample with the mean of all training images, per seed's "
             f"grid: {vals} (64 real training images: {real:.2f}; we call a grid near the "
             f"mean image above {MEAN_LIKE_CUT:g}, a cut chosen by eye)."]
    if near:
        parts.append(f"At {name} = {ks(near)} every seed's samples are near that mean image: "
                     "these generators are not past the mean-image stage (one blurred average "
                     "image, varied by noise), rather than collapsed onto a few real-looking "
                     "images.")
    if other:
        parts.append(f"At {name} = {ks(other)} some seed's low-diversity samples are not near "
                     "the mean image: look at the grids for what they repeat.")
    return " ".join(parts)

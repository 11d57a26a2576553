"""Sample grids as numbers: tiles of a grid and the diversity of its samples (the sweep
chapters' collapse rule)."""

from __future__ import annotations

import numpy as np


def grid_tiles(grid: np.ndarray, nrow: int, tile: int) -> np.ndarray:
    """Cut a square sample grid (as written by ``torchvision.utils.make_grid``/``save_image``
    with equal padding around and between tiles) into its ``nrow**2`` tiles.

    ``grid``: (H, W) or (H, W, C) array. Returns (nrow**2, tile, tile[, C]) as float.
    """
    grid = np.asarray(grid, dtype=float)
    pad, rest = divmod(grid.shape[0] - nrow * tile, nrow + 1)
    if rest or pad < 0 or grid.shape[0] != grid.shape[1]:
        raise ValueError(f"a {grid.shape[:2]} grid is not {nrow}x{nrow} tiles of {tile} px")
    starts = [pad + i * (tile + pad) for i in range(nrow)]
    return np.stack([grid[r:r + tile, c:c + tile] for r in starts for c in starts])


def sample_diversity(images: np.ndarray, block: int = 1) -> float:
    """Spread of a set of images (n, H, W): the per-pixel standard deviation across images,
    averaged over pixels, in the images' own units, after averaging ``block`` x ``block``
    pixel blocks (so pixel noise does not count as variety). A collapsed generator (every
    sample the same image) scores near 0; compare against the same number for real data."""
    images = np.asarray(images, dtype=float)
    n, h, w = images.shape[:3]
    if h % block or w % block:
        raise ValueError(f"block={block} must divide the image size {h}x{w}")
    images = images.reshape(n, h // block, block, w // block, block, *images.shape[3:])
    return float(images.mean((2, 4)).std(axis=0).mean())

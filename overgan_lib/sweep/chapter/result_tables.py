"""The tables beside a sweep chapter's FID figures: final KID per width and the first and
last periodic FID evaluation per width."""

from __future__ import annotations

from IPython.display import Markdown, display

from .. import figures
from ..matrices import width_matrix
from ._types import Views


def _mean_sd_e3(x) -> str:
    """'mean ± sd' (sample SD) of the finite entries, x 10^3; the mean alone for one; '—'."""
    import numpy as np

    x = np.asarray(x, float)[np.isfinite(x)] * 1e3
    if len(x) > 1:
        return f"{x.mean():.1f} ± {x.std(ddof=1):.1f}"
    return f"{x[0]:.1f}" if len(x) else "—"


def kid_table(views: Views) -> None:
    """Final KID (x 10^3, unbiased, so comparable across N) against training and test
    images per width: mean ± standard deviation over seeds, next to the FID figures, with the
    generator iterations and the N images per side it was computed after and on (a small N
    and a short run make it no match for a published KID)."""
    import numpy as np

    rows = ["| sweep | profile | iterations | N | k | KID train ×10³ | KID test ×10³ | seeds |",
            "|---|---|---:|---:|---:|---:|---:|---:|"]
    for name, by_profile in views.items():
        for v in by_profile.values():
            if not v.done:
                continue
            k, tr = width_matrix(v.configs, v.recs, "kid_train")
            _, te = width_matrix(v.configs, v.recs, "kid_test")
            for i, w in enumerate(k):
                n = int(np.isfinite(tr[i]).sum())
                if n == 0:
                    continue
                rows.append(f"| `{name}` | {v.profile} | {v.cfg['iters']:,} | "
                            f"{v.cfg['eval_n']:,} | {int(w)} | {_mean_sd_e3(tr[i])} | "
                            f"{_mean_sd_e3(te[i])} | {n} |")
    if len(rows) > 2:
        display(Markdown("\n".join(rows)))


def curve_tables(views: Views) -> None:
    """Per sweep and profile, mean FID train at the first and last periodic evaluation
    (:func:`..figures.curve_table`): the numbers behind Fig. 5's lines."""
    for name, by_profile in views.items():
        for v in by_profile.values():
            table = figures.curve_table(v.configs, v.recs) if v.done else ""
            if table:
                display(Markdown(f"`{name}` [{v.profile}]:\n\n{table}"))

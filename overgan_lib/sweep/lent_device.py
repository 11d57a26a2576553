"""Which named sweeps the lent-device plan trains at `gpu`, and under which stage.

``tools/gpu_session.py`` builds its resumable sweep stages from :data:`SWEEP_STAGES`, and the
sweep chapters' pending lists name the stage from it (:func:`lent_stage`), so the command a
chapter prints is always one the plan has. A sweep with no stage is trained at `gpu` on a GPU
machine of one's own (``overgan sweep NAME --profile gpu``).
"""

from __future__ import annotations

# tools/gpu_session.py stage -> the named sweep it trains at `gpu` (one session each)
SWEEP_STAGES: dict[str, str] = {"dcgan": "cifar10_dcgan", "celeba": "celeba_dcgan"}


def lent_stage(sweep: str) -> str | None:
    """The ``tools/gpu_session.py`` stage that trains ``sweep`` at `gpu` on a lent device,
    or None when the plan has none for it."""
    return next((stage for stage, name in SWEEP_STAGES.items() if name == sweep), None)

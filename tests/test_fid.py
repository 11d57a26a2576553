"""FID through pytorch-fid: the offline weights, the tensor path vs files, and properties."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from overgan_lib import data, metrics
from overgan_lib.errors import ParameterError
from overgan_lib.images import write_folder
from overgan_lib.metrics import inception
from overgan_lib.metrics.reference import reference_subset
from tests.conftest import pytorch_fid_frechet

needs_data = pytest.mark.needs_data("cifar10")


@pytest.mark.slow
def test_built_weights_have_pinned_hash(tmp_path):
    """The weight file is pytorch-fid's official download (sha256 prefix in its name) or
    exactly the pinned state dict built offline; a tampered copy is refused."""
    path = inception.ensure_weights()
    file_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    sd = torch.load(path, map_location="cpu", weights_only=True)
    if not file_sha.startswith(inception.OFFICIAL_SHA256_PREFIX):
        assert inception.state_dict_sha256(sd) == inception.BUILT_STATE_SHA256
    key = next(iter(sd))
    sd[key] = sd[key] + 1e-3
    tampered = tmp_path / inception.WEIGHTS_NAME
    torch.save(sd, tampered)
    with pytest.raises(RuntimeError, match="neither pytorch-fid's official file"):
        inception._check_existing(tampered)


@pytest.mark.slow
@needs_data
def test_built_weights_match_torchscript_features():
    ts = inception.load_torchscript()
    model = metrics.fid_model()
    real = torch.as_tensor(reference_subset("cifar10", "test", 4)).float() / 255
    rand = torch.rand(4, 3, 32, 32, generator=torch.Generator().manual_seed(0))
    for x in (rand, real):
        with torch.inference_mode():
            ours = model(x)[0].flatten(1)
            theirs = ts(2 * F.interpolate(x, size=(299, 299), mode="bilinear",
                                          align_corners=False) - 1)
        # The two graphs round differently (TorchScript's own batch norm against pytorch-fid's
        # BatchNorm2d), so float32 features (up to ~5) differ by ~1e-5 (1.0014e-5 seen under torch
        # 2.11 in one process); scaling one layer's bn bias by 0.99 moves them by 6e-3 to 5e-2,
        # reversing the last conv's output channels by 2.2.
        assert float((ours - theirs).abs().max()) < 5e-5


def test_frechet_properties():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((400, 16))
    b = rng.standard_normal((400, 16)) * 1.3 + 0.5
    sa, sb = metrics.statistics(a), metrics.statistics(b)
    assert abs(metrics.frechet(*sa, *sa)) < 1e-6
    assert metrics.frechet(*sa, *sb) == pytest.approx(metrics.frechet(*sb, *sa), rel=1e-6)
    assert metrics.frechet(*sa, *sb) > 1.0
    k_same, _ = metrics.kid(a, rng.standard_normal((400, 16)), subsets=20, subset_size=200)
    k_diff, _ = metrics.kid(a, b, subsets=20, subset_size=200)
    assert abs(k_same) < 0.05 < k_diff


def test_quantize_like_save_image_and_range_errors():
    x = torch.tensor([-1.0, -0.999, 0.0, 0.5, 1.0]).reshape(1, 1, 1, 5)
    q = metrics.quantize(x)
    assert q.flatten().tolist() == [0, 0, 128, 191, 255]  # floor(255 * (x + 1) / 2 + 0.5)
    with pytest.raises(ParameterError, match=r"\[-1, 1\]"):
        metrics.quantize(torch.full((1, 3, 4, 4), 200.0))
    with pytest.raises(ParameterError, match="shape"):
        metrics.features(torch.zeros(2, 5, 8, 8, dtype=torch.uint8))


@pytest.mark.slow
@needs_data
def test_tensor_path_matches_pytorch_fid_on_pngs(tmp_path):
    """Our in-memory score equals pytorch-fid on the saved PNGs. On SciPy < 1.18 that is
    pytorch-fid's whole ``calculate_fid_given_paths``; on SciPy >= 1.18 its Fréchet step
    raises (``sqrtm(disp=False)``), so there pytorch-fid's own model and PNG statistics go
    through a line-for-line copy of its formula (tests/conftest.py), which
    tests/test_frechet.py holds to pytorch-fid's own code where both run."""
    import scipy
    from pytorch_fid import fid_score

    from overgan_lib.metrics.fid import get_model

    real = reference_subset("cifar10", "test", 100)
    gen = torch.Generator().manual_seed(1)
    noisy = data.to_model_range(reference_subset("cifar10", "train", 100))
    fake = (noisy + 0.2 * torch.randn(noisy.shape, generator=gen)).clamp(-1, 1)
    write_folder(real, tmp_path / "real")
    write_folder(metrics.quantize(fake).numpy(), tmp_path / "fake")
    paths = [str(tmp_path / "real"), str(tmp_path / "fake")]
    model = get_model("cpu")  # pytorch-fid's InceptionV3([3])
    stats = [fid_score.compute_statistics_of_path(p, model, 50, 2048, "cpu", 0) for p in paths]
    ref = metrics.frechet(*stats[0], *stats[1])
    if tuple(int(x) for x in scipy.__version__.split(".")[:2]) < (1, 18):
        whole = fid_score.calculate_fid_given_paths(paths, batch_size=50, device="cpu",
                                                    dims=2048, num_workers=0)
    else:  # its Fréchet step raises: its own model and statistics, its formula copied
        own = fid_score.InceptionV3([fid_score.InceptionV3.BLOCK_INDEX_BY_DIM[2048]]).eval()
        theirs = [fid_score.compute_statistics_of_path(p, own, 50, 2048, "cpu", 0)
                  for p in paths]
        whole = pytorch_fid_frechet(*theirs[0], *theirs[1])
    assert ref == pytest.approx(whole, rel=1e-6)
    ours = metrics.score_features(metrics.features(fake), metrics.features(real))
    assert abs(ours.fid - ref) < 1e-3
    assert ours.n_fake == 100 and ours.n_real == 100


@pytest.mark.slow
@needs_data
def test_score_generator_reports_counts():
    class G(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = torch.nn.Linear(4, 3 * 8 * 8)

        def forward(self, z):
            return torch.tanh(self.lin(z)).view(-1, 3, 8, 8)

    s = metrics.score_generator(G(), z_dim=4, n=6, dataset="cifar10", split="test", n_real=6,
                                batch_size=4)
    assert s.n_fake == 6 and s.n_real == 6 and np.isfinite(s.fid)


@needs_data
def test_bench_fid_device_path_checks_itself_on_the_cpu(capsys):
    """The cuda bench's logic, run with the CPU as the 'device': the two FIDs are the same
    computation (difference exactly 0), and with n_timed = n the timed FID is that FID too."""
    from overgan_lib.bench.fid import bench_fid_device

    res = bench_fid_device(n=12, n_timed=12, device="cpu", progress=False)
    assert res["fid_abs_diff"] == 0.0 and res["feature_max_rel_diff"] == 0.0
    assert res["fid_timed"] == res["fid_cpu"] > 0
    assert res["timed_s"] > 0 and res["timed_ips"] == pytest.approx(24 / res["timed_s"])


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-GPU error")
def test_bench_fid_on_cuda_without_a_gpu_is_one_line(capsys):
    from overgan_lib.cli import main

    assert main(["bench", "fid", "--device", "cuda", "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "device='cuda'" in err and "--device cpu" in err


def test_quantize_writes_what_save_image_writes(tmp_path):
    """The chapters' claim that a score here equals pytorch-fid's on PNG files rests on
    quantize matching ``save_image(x, normalize=True, value_range=(-1, 1))``, pixel for pixel,
    half-steps included (and plain ``save_image(x)``, which clamps [-1, 0) to black, not)."""
    from PIL import Image
    from torchvision.utils import save_image

    g = torch.Generator().manual_seed(3)
    x = torch.rand(4, 3, 8, 8, generator=g) * 2 - 1
    x[0, 0, 0, :6] = torch.tensor([-1.0, 1.0, 0.0, (2 * 0.5 / 255) - 1, (2 * 127.5 / 255) - 1,
                                   (2 * 254.5 / 255) - 1])  # the ends and exact half-steps
    q = metrics.quantize(x)
    for i in range(len(x)):
        save_image(x[i], tmp_path / f"{i}.png", normalize=True, value_range=(-1, 1))
        png = np.asarray(Image.open(tmp_path / f"{i}.png"))
        assert np.array_equal(png, q[i].permute(1, 2, 0).numpy())
    save_image(x[1], tmp_path / "plain.png")
    assert not np.array_equal(np.asarray(Image.open(tmp_path / "plain.png")),
                              q[1].permute(1, 2, 0).numpy())

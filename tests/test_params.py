"""Bad input: one-line errors naming the value and the fix, and no partial output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from overgan_lib import profiles
from overgan_lib.book import chapter_settings
from overgan_lib.errors import ParameterError
from overgan_lib.theory import experiments as ex

ROOT = Path(__file__).resolve().parent.parent


def test_unknown_profile_names_value_and_choices():
    with pytest.raises(ParameterError) as exc:
        chapter_settings("fig2", "laptop", 0)
    msg = str(exc.value)
    assert "'laptop'" in msg and "smoke" in msg and "paper" in msg and "\n" not in msg
    assert exc.value._render_traceback_() == [f"ParameterError: {msg}"]


@pytest.mark.parametrize(
    "override,needle",
    [
        ({"widths": [8, 0, 16]}, "contains 0"),
        ({"widths": [-4]}, "contains -4"),
        ({"eta_bar": -0.1}, "eta_bar=-0.1"),
        ({"mu": 0}, "mu=0"),
        ({"mu": 1.5}, "mu=1.5"),
        ({"T": 0}, "T=0"),
    ],
)
def test_bad_settings_are_rejected(override, needle):
    with pytest.raises(ParameterError, match=needle) as exc:
        profiles.settings("fig2", "smoke", **override)
    assert "\n" not in str(exc.value)
    cfg = profiles.settings("fig2", "smoke")
    cfg.update(override)  # the experiment validates too, for direct library callers
    with pytest.raises(ParameterError, match=needle):
        ex.fig2_sweep(cfg, 0, progress=False)


def test_unknown_setting_and_seed():
    with pytest.raises(ParameterError, match="widht"):
        profiles.settings("fig2", "cpu", widht=[1])
    with pytest.raises(ParameterError, match="seed=-1"):
        chapter_settings("fig2", "cpu", -1)


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "overgan_lib.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.slow
@pytest.mark.parametrize("args,needle", [
    (["--widths", "4", "0"], "argument --widths: '0' must be a positive integer"),
    (["--eta-bar", "-0.5"], "eta_bar=-0.5"),
    (["--mu", "0"], "mu=0.0"),
])
def test_cli_bench_rejects_bad_values(args, needle):
    res = _cli("bench", "theory", "--profile", "smoke", *args)
    assert res.returncode == 2 and needle in res.stderr
    assert res.stderr.strip().count("\n") == 0


def test_cli_bad_profile_is_one_line_exit_2():
    res = _cli("check", "--profile", "huge")
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and "profile='huge'" in res.stderr
    res = _cli("bench", "theory", "--profile", "huge")
    assert res.returncode == 2 and "profile='huge'" in res.stderr


def test_cli_check_validates_overrides():
    res = _cli("check", "--profile", "smoke", "--experiment", "fig2", "--param", "widths=[4,0]")
    assert res.returncode == 2 and "contains 0" in res.stderr
    res = _cli("check", "--profile", "smoke", "--experiment", "fig2", "--param", "mu=-1")
    assert res.returncode == 2 and "mu=-1" in res.stderr
    assert _cli("check", "--profile", "smoke").returncode == 0


@pytest.mark.parametrize("args,needle", [
    (["check", "--param", "nokey", "--experiment", "fig2"], "--param 'nokey' must be KEY=VALUE"),
    (["check", "--param", "=3", "--experiment", "fig2"], "--param '=3' must be KEY=VALUE"),
    (["check", "--param", "T=5"], "--param needs --experiment NAME"),
    (["sweep", "mnist_mlp", "--profile", "smoke", "--set", "iters"],
     "--set 'iters' must be KEY=VALUE"),
])
def test_cli_malformed_overrides_are_one_line_errors(args, needle, capsys):
    """KEY=VALUE options fail before any work, in one line (in process: no training starts)."""
    from overgan_lib.cli import main

    assert main(args) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1


@pytest.mark.parametrize("args,needle", [
    # a number where a list is meant used to end in a TypeError traceback
    (["sweep", "cifar10_dcgan", "--profile", "smoke", "--set", "widths=8"],
     "widths=8 must be a list of positive integers, e.g. widths=[8, 16]"),
    (["sweep", "cifar10_dcgan", "--profile", "smoke", "--set", "widths=8,16"],
     "widths='8,16' must be a list of positive integers"),
    # a list with a typo used to be read as a string and blamed for its characters ('[')
    (["sweep", "cifar10_dcgan", "--profile", "smoke", "--set", "widths=[8,24"],
     "'[8,24' is not valid JSON, so not a list; write a list as JSON, e.g. --set "
     "'widths=[8,16]'"),
    (["check", "--experiment", "fig2", "--param", "widths=[4,"], "'[4,' is not valid JSON"),
    # a DATASET:SPLIT:N whose N is not a count used to be a ValueError traceback, and N=0
    # silently meant the default 1000 images
    (["fid", "--fake", "cifar10:test:abc", "--real", "cifar10:train"],
     "'cifar10:test:abc': N='abc' must be a positive integer (images to use), "
     "e.g. cifar10:test:1000"),
    (["fid", "--fake", "cifar10:test:0", "--real", "cifar10:train"], "N='0' must be a positive"),
    (["fid", "--fake", "mnist:train:-5", "--real", "cifar10:train"], "N='-5' must be a positive"),
    (["fid", "--real", "cifar10:test:0", "--fake", "cifar10:train:10"], "N='0' must be"),
    (["fid", "--real", "cifar10:val:10", "--fake", "cifar10:train:10"],
     "'cifar10:val:10': split='val' must be one of train, test"),
    (["data", "verify", "--root", "/nonexistent"],
     "no offline archives found in /nonexistent; give --root the folder that holds them"),
])
def test_cli_bad_values_are_one_line_errors_before_any_work(args, needle, capsys):
    from overgan_lib.cli import main

    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("overgan: error: ") and needle in err and err.count("\n") == 1, err


@pytest.mark.parametrize("args,needle", [
    # a count of 0 used to fall back to the option's default without a word (`x or default`)
    (["train", "--k-g", "0"], "argument --k-g: '0' must be a positive integer"),
    (["fid", "--n", "0", "--real", "cifar10:test", "--fake", "cifar10:train"],
     "argument --n: '0' must be a positive integer"),
    (["bench", "fid", "--n", "0"], "argument --n: '0' must be a positive integer"),
    (["train", "--eval-every", "-1"], "argument --eval-every: '-1' must be an integer >= 0"),
    (["sweep", "nosuchsweep"], "argument sweep: invalid choice: 'nosuchsweep'"),
    (["fid", "/nonexistent", "/nonexistent"],
     "FID of two image sets: overgan fid --real A --fake B"),
    (["train", "--k-d", "abc"], "argument --k-d: 'abc' must be a positive integer"),
])
def test_cli_usage_errors_are_one_line_before_any_work(args, needle, capsys, tmp_path,
                                                       monkeypatch):
    """argparse's usage errors are one line (no usage block), status 2, and name the option
    as typed; nothing is computed or written first."""
    from overgan_lib.cli import main

    monkeypatch.setenv("OVERGAN_RESULTS", str(tmp_path / "results"))
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err and "usage:" not in err, err
    assert err.startswith(f"overgan {args[0]}: error: ")
    assert not (tmp_path / "results").exists()


def test_cli_bad_ray_address_is_one_line(capsys, tmp_path, monkeypatch):
    """ray.init's own error for an address it cannot use (here an unknown scheme) is one line
    naming --address and the forms it takes, not Ray's traceback."""
    pytest.importorskip("ray")
    from overgan_lib.cli import main

    monkeypatch.setenv("OVERGAN_RESULTS", str(tmp_path / "results"))
    assert main(["sweep", "mnist_mlp", "--profile", "smoke", "--executor", "ray",
                 "--address", "bogus://x"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("overgan: error: --address 'bogus://x': Ray "
                                                    "could not start or connect"), err
    assert not (tmp_path / "results").exists()


def test_library_callers_get_the_same_one_line_error_for_a_number_as_widths():
    with pytest.raises(ParameterError, match=r"widths=8 must be a list") as exc:
        profiles.settings("cifar10_dcgan", "smoke", widths=8)
    assert "\n" not in str(exc.value)
    with pytest.raises(ParameterError, match=r"widths='\[8,24' must be a list"):
        profiles.settings("cifar10_dcgan", "smoke", widths="[8,24")
    assert profiles.settings("cifar10_dcgan", "smoke", widths=(8, 16))["widths"] == (8, 16)


def test_cli_train_help_shows_its_defaults(capsys):
    from overgan_lib.cli import build_parser
    from overgan_lib.profiles import DEFAULT_PROFILE

    with pytest.raises(SystemExit):
        build_parser().parse_args(["train", "--help"])
    text = " ".join(capsys.readouterr().out.split()).split(" options: ", 1)[1]
    for option, default in (("--dataset DATASET", "mnist"), ("--arch ARCH", "mlp"),
                            ("--k K", "256"), ("--iters ITERS", "1000"), ("--seed SEED", "0"),
                            ("--profile PROFILE", DEFAULT_PROFILE)):
        after = text.split(option, 1)[1].split(" --", 1)[0]
        assert f"(default: {default})" in after, (option, after)
    assert DEFAULT_PROFILE == "cpu"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_chapter_with_bad_profile_leaves_no_output(tmp_path):
    venv = ROOT / ".venv" / "bin" / "overgan"
    if not venv.exists():
        pytest.skip("project venv not built")
    res = subprocess.run(
        ["make", "--no-print-directory", "chapter", "CH=01_problem_formulation", "PROFILE=bogus"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode != 0
    assert "profile='bogus'" in res.stderr
    assert not (ROOT / "_build" / "executed" / "bogus").exists()


@pytest.mark.slow
def test_kernel_side_error_is_one_line(tmp_path):
    """A bad value that reaches the notebook still shows as a single line (papermill)."""
    pm = pytest.importorskip("papermill")
    jupytext = pytest.importorskip("jupytext")
    nb = jupytext.read(ROOT / "book" / "01_problem_formulation.md")
    src = tmp_path / "in.ipynb"
    jupytext.write(nb, src)
    out = tmp_path / "out.ipynb"
    with pytest.raises(pm.PapermillExecutionError) as exc:
        pm.execute_notebook(
            str(src),
            str(out),
            parameters={"profile": "smoke", "seed": -3},
            kernel_name="python3",
            cwd=str(ROOT / "book"),
            progress_bar=False,
        )
    assert exc.value.ename == "ParameterError" and "seed=-3" in exc.value.evalue
    assert len(exc.value.traceback) == 1


def test_make_s_papermill_step_prints_a_chapter_error_as_one_line(tmp_path, capfd):
    """The Makefile runs papermill through ``bookbuild papermill``: an error raised in the
    chapter is one line naming the notebook, the cell and the error (papermill itself
    prints its whole traceback), exit status 2."""
    pytest.importorskip("papermill")
    jupytext = pytest.importorskip("jupytext")
    from overgan_lib import bookbuild

    src = tmp_path / "01_problem_formulation.ipynb"
    jupytext.write(jupytext.read(ROOT / "book" / "01_problem_formulation.md"), src)
    rc = bookbuild.main(["papermill", "-k", "python3", "--cwd", str(ROOT / "book"),
                         "-p", "profile", "smoke", "-p", "seed", "-3", "--no-progress-bar",
                         "--log-level", "WARNING", str(src), str(tmp_path / "out.ipynb")])
    err = capfd.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1, err
    assert err[0].startswith("error: 01_problem_formulation, cell ")
    assert ": ParameterError: seed=-3" in err[0]


def _one_cell_notebook(path: Path, code: str) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def test_the_kernels_stderr_goes_to_its_log_not_to_the_error_line(tmp_path, capfd):
    """What the kernel process writes to its file descriptor 2 (ipykernel's TCP warning,
    libzmq's assertion at shutdown: CI once failed on the latter) lands in
    ``<chapter>.kernel.log`` beside the output; the terminal gets the one error line; this
    process's stderr is its own again afterwards."""
    pytest.importorskip("papermill")
    from overgan_lib import bookbuild

    src = _one_cell_notebook(tmp_path / "ch.ipynb", "import os\n"
                             "os.write(2, b'marker-from-the-kernel\\n')\n"
                             "raise ValueError('boom')")
    out = tmp_path / "out" / "ch.ipynb"
    out.parent.mkdir()
    rc = bookbuild.main(["papermill", "-k", "python3", "--no-progress-bar",
                         "--log-level", "WARNING", str(src), str(out)])
    print("after", file=sys.stderr)
    err = capfd.readouterr().err.strip().splitlines()
    assert rc == 2 and err == ["error: ch, cell 1: ValueError: boom", "after"], err
    assert "marker-from-the-kernel" in (out.parent / "ch.kernel.log").read_text()


def test_a_dead_kernel_ends_with_a_line_naming_its_log(tmp_path, capfd):
    pytest.importorskip("papermill")
    from overgan_lib import bookbuild

    src = _one_cell_notebook(tmp_path / "ch.ipynb", "import os\nos._exit(3)")
    rc = bookbuild.main(["papermill", "-k", "python3", "--no-progress-bar",
                         "--log-level", "WARNING", str(src), str(tmp_path / "out.ipynb")])
    last = capfd.readouterr().err.strip().splitlines()[-1]
    assert rc == 2 and last.startswith("error: ch: the kernel died"), last
    assert last.endswith(str(tmp_path / "ch.kernel.log")), last


@pytest.mark.slow
@pytest.mark.parametrize("args,needle", [
    (["data", "grid", "--dataset", "imagenet", "--out", "x.png"], "dataset='imagenet'"),
    (["data", "grid", "--dataset", "mnist"], "--out"),
    (["data", "grid", "--dataset", "mnist", "--out", "/no/such/dir/g.png"], "does not exist"),
    (["data", "grid", "--dataset", "mnist", "--out", "g.png", "--root", "/no/such/root"],
     "not found"),
    (["fid"], "--real and --fake"),
    (["fid", "--real", "nowhere/", "--fake", "cifar10:test"], "not a folder"),
])
def test_cli_data_and_fid_errors_are_one_line(args, needle):
    res = _cli(*args)
    assert res.returncode == 2, res.stderr
    assert needle in res.stderr and res.stderr.strip().count("\n") == 0


def test_generalization_scores_every_seed_its_sweeps_train():
    """Fig. 6's error bars need all seeds; a profile edit on either side must not drift."""
    from overgan_lib.profiles import PROFILES, settings

    for profile in PROFILES:
        gen = settings("generalization", profile)
        for sweep in gen["sweeps"]:
            assert gen["seeds"] == settings(sweep, profile)["seeds"], (profile, sweep)


def test_every_profile_table_has_every_profile_and_valid_rows():
    """The tables are spread over profiles/{theory,metrics,sweeps,related}.py; each
    experiment still answers every profile, and every row passes validation as it stands."""
    for name in profiles.experiments():
        for profile in profiles.PROFILES:
            cfg = profiles.settings(name, profile)
            assert cfg, (name, profile)
    # The paper row of a table that states no paper sizes is the gpu row, not a stale copy.
    assert profiles.settings("fig2", "paper") == profiles.settings("fig2", "gpu")
    assert profiles.settings("generalization_baselines", "paper")["steps"] == 100_000


def test_floor_sizes_beyond_a_training_split_are_one_line_errors():
    """Chapter 5 draws n training images of every dataset; CelebA's offline subset has 8,000,
    so a larger n is refused up front (it used to fail inside feature extraction)."""
    for profile in profiles.PROFILES:  # every shipped row fits
        profiles.settings("data_metrics", profile)
    with pytest.raises(ParameterError, match=r"n=9000 exceeds the 8,000 training images of "
                                             r"celeba; use n <= 8000") as exc:
        profiles.settings("data_metrics", "cpu", n=9000)
    assert "\n" not in str(exc.value)
    assert profiles.settings("data_metrics", "cpu", n=9000, datasets=["cifar10"])["n"] == 9000


def test_curve_sizes_beyond_the_curves_pool_are_one_line_errors():
    """The FID-against-N curve draws from n images per side, capped at the curve dataset's
    test split: a larger N would be computed at the pool's size and plotted at N."""
    with pytest.raises(ParameterError, match=r"curve_ns contains 5000 > 1,000, .*cifar10: "
                                             r"n=1000.*use curve_ns <= 1000$"):
        profiles.settings("data_metrics", "cpu", curve_ns=[50, 5000])
    with pytest.raises(ParameterError, match=r"5000 > 2,000, .*\(celeba: n=8000, 2,000 test"):
        profiles.settings("data_metrics", "gpu", datasets=["celeba"], curve_ns=[100, 5000])
    assert profiles.settings("data_metrics", "gpu", datasets=["celeba"],
                             curve_ns=[100, 2000])["curve_ns"] == [100, 2000]


def test_mnist_optimisers_are_the_engines_not_the_2d_ones():
    """The reverse graft exists for the 2D benchmarks only; asking the MNIST engine for it is
    a one-line error up front, not a failure inside training."""
    with pytest.raises(ParameterError, match="optimizers entry name='rgraft' is not valid"):
        profiles.settings("jelassi_mnist", "cpu", optimizers=[["rgraft", 1e-3]])
    assert profiles.settings("jelassi_2d", "cpu", optimizers=[["rgraft", 0.03, 0.03]])


def test_device_check_passes_cpu_and_none_and_names_a_missing_gpu():
    import torch

    from overgan_lib.errors import check_device_visible

    assert check_device_visible(None) is None and check_device_visible("cpu") == "cpu"
    if torch.cuda.is_available():
        assert check_device_visible("cuda:0") == "cuda:0"
        return
    with pytest.raises(ParameterError, match=r"device='cuda:0' but torch sees no CUDA GPU; "
                                             r"use device='cpu'") as exc:
        check_device_visible("cuda:0")
    assert "\n" not in str(exc.value)


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ["bench", "nnd", "--device", "cuda", "--iters", "1"],  # was torch's driver traceback
    ["train", "--device", "cuda", "--dataset", "mnist", "--arch", "mlp", "--k", "4",
     "--iters", "1", "--profile", "smoke"],
])
def test_cli_cuda_without_a_gpu_is_one_line_exit_2(args, tmp_path):
    import torch

    if torch.cuda.is_available():
        pytest.skip("a GPU is visible")
    res = subprocess.run([sys.executable, "-m", "overgan_lib.cli", *args], capture_output=True,
                         text=True, cwd=ROOT, timeout=120,
                         env={**os.environ, "OVERGAN_RESULTS": str(tmp_path)})
    assert res.returncode == 2, res.stderr
    assert res.stderr.strip().count("\n") == 0 and "no CUDA GPU" in res.stderr
    assert not any(tmp_path.rglob("*.json"))  # nothing stored


def _foreign_venv(tmp_path: Path) -> tuple[Path, Path]:
    """A venv whose Python imports overgan_lib from another checkout (``other``): wrappers
    around this checkout's venv that append ``other`` to PYTHONPATH, so PYTHONPATH=ROOT
    still wins, as it does for a real venv of another checkout."""
    real = ROOT / ".venv" / "bin"
    other = tmp_path / "other"
    (other / "overgan_lib").mkdir(parents=True)
    (other / "overgan_lib" / "__init__.py").write_text("")
    bin_ = tmp_path / "venv" / "bin"
    bin_.mkdir(parents=True)
    for name in ("python", "overgan"):
        path = f'PYTHONPATH="${{PYTHONPATH:+$PYTHONPATH:}}{other}"'
        (bin_ / name).write_text(f'#!/bin/sh\n{path} exec {real / name} "$@"\n')
        (bin_ / name).chmod(0o755)
    return tmp_path / "venv", other


@pytest.mark.parametrize("stamp_fresh", [True, False])
def test_make_refuses_a_venv_of_another_checkout(tmp_path, stamp_fresh):
    """A venv installed from another checkout neither runs this checkout's chapters (they
    would import the other's library: ``check`` stops) nor is re-pointed here (the install
    step stops before pip); both are one line naming the other checkout, exit 2. With
    PYTHONPATH at this checkout the chapters import its library, the venv is used as it is
    (not reinstalled) and ``check`` passes."""
    if not (ROOT / ".venv" / "bin" / "overgan").exists():
        pytest.skip("project venv not built")
    venv, other = _foreign_venv(tmp_path)
    stamp = venv / ".overgan-installed"
    stamp.touch()
    if not stamp_fresh:  # older than pyproject.toml: make wants to reinstall
        os.utime(stamp, (0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MAKEFLAGS")}

    def check(extra: dict[str, str]) -> subprocess.CompletedProcess:
        return subprocess.run(["make", "-s", "--no-print-directory", "check", f"VENV={venv}"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120,
                              env={**env, **extra})

    res = check({})
    assert res.returncode == 2, res.stderr
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(other) in errors[0]
    assert ("another checkout" in errors[0]) == (not stamp_fresh)
    res = check({"PYTHONPATH": str(ROOT)})
    assert res.returncode == 0 and "ok: profile=cpu" in res.stdout, res.stderr
    assert ("not reinstalled" in res.stdout) == (not stamp_fresh)
    assert (stamp.stat().st_mtime == 0) == (not stamp_fresh)  # pip never ran


_SIGTERM_SCRIPT = """
import sys, tempfile, time
from overgan_lib import cli

def hold_a_temporary_folder(args):
    with tempfile.TemporaryDirectory() as tmp:
        print(tmp, flush=True)
        time.sleep(60)
    return 0

cli.cmd_check = hold_a_temporary_folder  # the command `overgan check` runs
sys.exit(cli.main(["check"]))
"""


def test_sigterm_unwinds_the_command_and_is_one_line(tmp_path):
    """``kill`` (a CI timeout, the device tool's timeout_s) during a command that holds a
    temporary folder: the folder is removed, one line says what happened, status 143."""
    import signal

    proc = subprocess.Popen([sys.executable, "-c", _SIGTERM_SCRIPT], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    folder = Path(proc.stdout.readline().strip())
    assert folder.is_dir()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signal.SIGTERM
    assert not folder.exists()
    assert err.strip().splitlines() == [
        "overgan: stopped by SIGTERM; temporary files were removed (a training run resumes "
        "from its last checkpoint when run again)"]


def test_sigterm_handler_is_the_callers_again_after_the_block():
    import signal

    from overgan_lib.cli.terminate import sigterm_unwinds

    before = signal.getsignal(signal.SIGTERM)
    with sigterm_unwinds():
        assert signal.getsignal(signal.SIGTERM) is not before
    assert signal.getsignal(signal.SIGTERM) is before

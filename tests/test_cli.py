import subprocess
import sys

import numpy as np
import pytest


def sincos(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "sincos", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
    )


def cost_lines(stdout):
    """The lines ``iteration   i  cost: x``, as the chapters print them."""
    return [line for line in stdout.splitlines() if "  cost: " in line]


@pytest.fixture(scope="module")
def default_run():
    return sincos("train")


def test_train_prints_the_tutorials_table(default_run):
    assert default_run.returncode == 0, default_run.stderr
    lines = [line.split() for line in cost_lines(default_run.stdout)]
    assert [int(words[1]) for words in lines] == list(range(0, 200, 20))
    costs = [float(words[-1]) for words in lines]
    assert len(costs) == 10
    assert 5 < costs[0] < 200
    assert costs[-1] < 1.5
    summary = default_run.stdout.splitlines()[-1]
    assert summary.startswith("200 iterations in ") and "stateful" in summary


def test_train_is_quiet_on_stderr(default_run):
    assert default_run.stderr == ""


def test_train_is_identical_run_to_run(default_run):
    assert cost_lines(sincos("train").stdout) == cost_lines(default_run.stdout)


def test_flags_change_the_run(default_run):
    run = sincos(
        "train",
        "--iterations",
        "30",
        "--print-every",
        "10",
        "--seed",
        "2",
        "--stateless",
    )
    assert run.returncode == 0, run.stderr
    assert len(cost_lines(run.stdout)) == 3
    assert "stateless" in run.stdout.splitlines()[-1]
    assert cost_lines(run.stdout)[0] != cost_lines(default_run.stdout)[0]


@pytest.mark.parametrize(
    "args, reason",
    [
        (
            ["train", "--iterations", "0"],
            "--iterations: expected a positive integer, got '0'",
        ),
        (
            ["train", "--iterations", "ten"],
            "expected a positive integer, got 'ten'",
        ),
        (
            ["train", "--seed", "-1"],
            "expected a non-negative integer, got '-1'",
        ),
        (
            ["train", "--learning-rate", "-0.1"],
            "learning_rate must be a finite positive number",
        ),
        (
            ["train", "--cell-size", "0"],
            "expected a positive integer, got '0'",
        ),
        (["train", "--plot", "out.jpg"], "--plot needs a .png file name"),
        (["train", "--load", "/nonexistent/file.npz"], "--load: no such file"),
        (["train", "--bogus"], "unrecognized arguments: --bogus"),
        ([], "the following arguments are required: command"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args, reason):
    run = sincos(*args)
    assert run.returncode == 2
    assert run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1 and reason in run.stderr


def test_unwritable_path_is_reported_without_traceback(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    for args in (
        ["--plot", "/nonexistent/dir/fit.png"],
        ["--save", "/nonexistent/t.npz"],
    ):
        run = sincos("train", "--iterations", "1", *args)
        assert run.returncode == 2 and "cannot write" in run.stderr
        assert "Traceback" not in run.stderr
    run = sincos(
        "train", "--iterations", "1", "--tensorboard", "/proc/forbidden"
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith("sincos: error:")


def test_plot_save_and_load(tmp_path):
    run = sincos(
        "train",
        "--iterations",
        "40",
        "--plot",
        "fit.png",
        "--save",
        "t.npz",
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "fit.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    resumed = sincos(
        "train", "--iterations", "40", "--load", "t.npz", cwd=tmp_path
    )
    whole = sincos("train", "--iterations", "80", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert cost_lines(resumed.stdout) == cost_lines(whole.stdout)[2:]


def test_tensorboard_logs_cost_and_graph(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import (
        EventAccumulator,
    )
    from tensorboard.util.tensor_util import make_ndarray

    run = sincos(
        "train", "--iterations", "40", "--tensorboard", str(tmp_path / "tb")
    )
    assert run.returncode == 0, run.stderr
    events = EventAccumulator(
        str(tmp_path / "tb"), size_guidance={"tensors": 0}
    )
    events.Reload()
    steps = [e.step for e in events.Tensors("cost")]
    assert steps == [0, 20]
    logged = [
        float(make_ndarray(e.tensor_proto)) for e in events.Tensors("cost")
    ]
    printed = [float(line.split()[-1]) for line in cost_lines(run.stdout)]
    np.testing.assert_allclose(logged, printed, rtol=5e-4)  # 4 digits
    names = {node.name.split("/")[0] for node in events.Graph().node}
    for scope in (
        "inputs",
        "in_hidden",
        "LSTM_cell",
        "out_hidden",
        "cost",
        "train",
    ):
        assert any(scope in name for name in names), (
            scope,
            sorted(names)[:20],
        )


def test_load_refuses_hyperparameter_flags(tmp_path):
    assert (
        sincos(
            "train", "--iterations", "1", "--save", "t.npz", cwd=tmp_path
        ).returncode
        == 0
    )
    run = sincos("train", "--load", "t.npz", "--cell-size", "4", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip().endswith(
        "--load continues with the saved hyperparameters; drop --cell-size"
    )


def test_load_with_stateless_continues_from_zeros(tmp_path, capsys):
    # In-process and tiny: a stateful run saved, then continued with
    # --stateless, must train as a trainer that starts every batch from
    # zeros, not as the saved (stateful) one.
    from sincos import Hyperparams, Trainer
    from sincos.cli import main

    saved = Trainer(Hyperparams(time_steps=5, batch_size=4, cell_size=3))
    saved.run(3)
    saved.save(tmp_path / "run.npz")
    assert saved.stateful

    def continued(stateful):
        trainer = Trainer.load(tmp_path / "run.npz")
        trainer.stateful = stateful
        return trainer.run(4)

    stateless, stateful = continued(False), continued(True)
    assert stateless != stateful  # the test can tell them apart
    args = ["train", "--load", str(tmp_path / "run.npz"), "--stateless"]
    args += ["--iterations", "4", "--print-every", "1"]
    assert main([*args, "--save", str(tmp_path / "more.npz")]) == 0
    resumed = Trainer.load(tmp_path / "more.npz")
    assert resumed.history[3:] == stateless, (
        f"--load with --stateless trained {resumed.history[3:]}; from zeros "
        f"is {stateless}, carrying the state {stateful}"
    )
    assert not resumed.stateful
    assert "stateless" in capsys.readouterr().out.splitlines()[-1]

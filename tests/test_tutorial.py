"""The whole program, sincos/tutorial.py: standalone, and the same training
as the package's readable path."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import (
    EventAccumulator,
)

from sincos import LSTMRNN, Hyperparams, SinCosBatches, make_optimizer, train
from sincos import tutorial as program

PROGRAM = Path(program.__file__)


def test_imports_nothing_but_tensorflow_numpy_and_matplotlib() -> None:
    imported = set()
    for node in ast.walk(ast.parse(PROGRAM.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "a relative import ties it to sincos"
            imported.add(node.module.split(".")[0])
    # keras comes with tensorflow; IPython only inside Jupyter, tensorboard
    # only where it is installed.
    allowed = {"argparse", "sys", "keras", "matplotlib", "numpy"}
    optional = {"IPython", "tensorboard"}
    assert imported <= allowed | {"tensorflow"} | optional, imported


def test_hyperparameters_are_the_tutorials() -> None:
    hp = Hyperparams()
    constants = {
        "BATCH_START": hp.batch_start,
        "TIME_STEPS": hp.time_steps,
        "BATCH_SIZE": hp.batch_size,
        "INPUT_SIZE": hp.input_size,
        "OUTPUT_SIZE": hp.output_size,
        "CELL_SIZE": hp.cell_size,
        "LR": hp.learning_rate,
    }
    assert {name: getattr(program, name) for name in constants} == constants


def test_batches_are_the_packages() -> None:
    ours, theirs = program.get_batches(), SinCosBatches(Hyperparams())
    for _ in range(3):
        for a, b in zip(next(ours), next(theirs), strict=True):
            assert a.dtype == b.dtype
            np.testing.assert_array_equal(a, b)


def test_initial_weights_are_the_packages_for_seed_1() -> None:
    for a, b in zip(
        program.LSTMRNN().get_weights(),
        LSTMRNN(Hyperparams()).get_weights(),
        strict=True,
    ):
        np.testing.assert_array_equal(a, b)


def test_200_costs_equal_the_readable_path_from_the_same_weights(
    tmp_path,
) -> None:
    hp = Hyperparams(seed=7)  # weights the program's own seeds do not draw
    reference = LSTMRNN(hp)
    start = reference.get_weights()
    expected, _ = train(
        reference,
        make_optimizer(reference),
        SinCosBatches(hp),
        200,
        print_every=0,
    )
    model = program.LSTMRNN()
    model.set_weights(start)
    costs = program.train(model, 200, plot=False, logdir=str(tmp_path))
    np.testing.assert_allclose(costs, expected, rtol=1e-5)


def test_logs_the_cost_every_20_iterations_and_the_graph(
    tmp_path, capsys
) -> None:
    costs = program.train(
        program.LSTMRNN(), 41, plot=False, logdir=str(tmp_path)
    )
    printed = capsys.readouterr().out.splitlines()
    assert printed == [f"cost: {round(costs[i], 4)}" for i in (0, 20, 40)]
    events = EventAccumulator(str(tmp_path))
    events.Reload()
    logged = [e.step for e in events.Tensors("cost")]
    assert logged == [0, 20, 40]
    assert "train_step" in events.Tags()["tensors"]  # the graph


def test_runs_without_tensorboard_and_says_so(
    tmp_path, capsys, monkeypatch
) -> None:
    monkeypatch.setitem(sys.modules, "tensorboard", None)  # import fails
    costs = program.train(
        program.LSTMRNN(), 21, plot=False, logdir=str(tmp_path / "logs")
    )
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("No TensorBoard logs: pip install")
    assert printed[1:] == [f"cost: {round(costs[i], 4)}" for i in (0, 20)]
    assert not (tmp_path / "logs").exists()


@pytest.mark.parametrize("how", ["file", "module"])
def test_runs_from_the_command_line(tmp_path, how) -> None:
    target = [str(PROGRAM)] if how == "file" else ["-m", "sincos.tutorial"]
    args = ["--iterations", "21", "--no-plot", "--logdir", str(tmp_path)]
    done = subprocess.run(
        [sys.executable, *target, *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["cost:", "cost:"]
    assert float(lines[0].split()[1]) == pytest.approx(25.19, rel=1e-3)

"""Command line: ``python -m sincos train`` runs the tutorial's training
loop."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .config import Hyperparams


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer, got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer, got {text!r}"
        )
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(
            f"expected a non-negative integer, got {text!r}"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sincos",
        description="A stateful LSTM that predicts cos x from sin x.",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser
    )
    train = commands.add_parser(
        "train",
        help="train like the tutorial: print the cost every 20 of 200 "
        "iterations",
    )
    train.add_argument(
        "--iterations",
        type=_positive_int,
        default=200,
        metavar="N",
        help="training iterations (default 200)",
    )
    train.add_argument(
        "--print-every",
        type=_positive_int,
        default=20,
        metavar="K",
        help="print the cost every K iterations (default 20)",
    )
    train.add_argument(
        "--seed",
        type=_non_negative_int,
        help="seed of the initial weights (default 1)",
    )
    train.add_argument(
        "--learning-rate",
        type=float,
        metavar="LR",
        help="Adam's learning rate (default 0.006)",
    )
    train.add_argument(
        "--cell-size",
        type=_positive_int,
        metavar="H",
        help="LSTM units (default 10)",
    )
    train.add_argument(
        "--stateless",
        action="store_true",
        help="start every batch from a zero state instead of carrying it",
    )
    train.add_argument(
        "--plot",
        metavar="FILE.png",
        help="save row 0's prediction and the cost curve as a PNG",
    )
    train.add_argument(
        "--save",
        metavar="PATH",
        help="save the trainer (weights, optimizer, "
        "data position, state) to PATH when done",
    )
    train.add_argument(
        "--load",
        metavar="PATH",
        help="continue from a file written by --save, "
        "with its hyperparameters",
    )
    train.add_argument(
        "--tensorboard",
        metavar="DIR",
        help="write the cost and the graph for TensorBoard to DIR",
    )
    export = commands.add_parser(
        "export-weights",
        help="write the initial weights of the book's in-browser explorer "
        "as a JavaScript file",
    )
    export.add_argument(
        "path",
        metavar="PATH",
        help="the .js file to write "
        "(the book's is book/assets/js/sincos-weights.js)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "export-weights":
        return _export_weights(parser, Path(args.path))
    changes = {
        name: value
        for name, value in (
            ("seed", args.seed),
            ("cell_size", args.cell_size),
            ("learning_rate", args.learning_rate),
        )
        if value is not None
    }
    if args.load and changes:
        parser.error(
            f"--load continues with the saved hyperparameters; drop "
            f"--{next(iter(changes)).replace('_', '-')}"
        )
    try:
        hp = Hyperparams().replace(**changes)
    except ValueError as err:
        parser.error(str(err))
    if args.plot and not args.plot.lower().endswith(".png"):
        parser.error(f"--plot needs a .png file name, got {args.plot!r}")
    for flag, path in (("--plot", args.plot), ("--save", args.save)):
        if path and not _writable_parent(Path(path)):
            parser.error(
                f"{flag}: cannot write {path}: {Path(path).parent} is not a "
                f"writable directory"
            )
    if args.load and not Path(args.load).is_file():
        parser.error(f"--load: no such file: {args.load}")
    try:
        return _train(args, hp)
    except (OSError, ValueError, FloatingPointError) as err:
        print(f"sincos: error: {err}", file=sys.stderr)
        return 1


def _train(args: argparse.Namespace, hp: Hyperparams) -> int:
    # TensorFlow loads here, after the arguments are checked
    from .fast import Trainer
    from .model import tf

    trainer = Trainer.load(args.load) if args.load else Trainer(hp)
    # One place for both: a loaded run carries the state unless --stateless,
    # whatever it did before it was saved.
    trainer.stateful = not args.stateless
    writer = (
        _tensorboard(trainer, args.tensorboard) if args.tensorboard else None
    )
    started = time.perf_counter()
    remaining = args.iterations
    while remaining:  # one compiled call per print interval
        first = trainer.iteration
        costs = trainer.run(min(remaining, args.print_every))
        remaining -= len(costs)
        for i, cost in enumerate(costs, start=first):
            if i % args.print_every == 0:
                print(f"iteration {i:3d}  cost: {cost:.4g}", flush=True)
                if writer is not None:
                    with writer.as_default():
                        tf.summary.scalar("cost", cost, step=i)
    seconds = time.perf_counter() - started
    last = trainer.history[-20:]
    print(
        f"{args.iterations} iterations in {seconds:.2f} s "
        f"({1000 * seconds / args.iterations:.2f} ms each), "
        f"{'stateful' if trainer.stateful else 'stateless'}; "
        f"final cost {trainer.history[-1]:.4f}, mean of the last {len(last)} "
        f"{sum(last) / len(last):.4f}"
    )
    if writer is not None:
        writer.flush()
    if args.plot:
        _save_plot(trainer, args.plot)
    if args.save:
        trainer.save(args.save)
    return 0


def _export_weights(parser: argparse.ArgumentParser, path: Path) -> int:
    if path.suffix != ".js":
        parser.error(f"export-weights needs a .js file name, got '{path}'")
    if not _writable_parent(path):
        parser.error(
            f"cannot write {path}: {path.parent} is not a writable directory"
        )
    from .export import EXPLORER_CELL_SIZES, write_weights_script

    write_weights_script(path)
    sizes = ", ".join(map(str, EXPLORER_CELL_SIZES))
    print(f"wrote the initial weights for cell sizes {sizes} to {path}")
    return 0


def _tensorboard(trainer, directory: str):
    from .model import tf

    os.makedirs(directory, exist_ok=True)
    writer = tf.summary.create_file_writer(directory)
    with writer.as_default():
        tf.summary.graph(trainer.iteration_graph())
    return writer


def _save_plot(trainer, path: str) -> None:
    from .plotting import TrainingFigure

    figure = TrainingFigure(trainer.hp.time_steps)
    figure.show_result(trainer.last, trainer.history)
    figure.fig.savefig(path, dpi=100)


def _writable_parent(path: Path) -> bool:
    return path.parent.is_dir() and os.access(path.parent, os.W_OK)


if __name__ == "__main__":
    raise SystemExit(main())

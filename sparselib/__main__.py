"""Command line: ``python -m sparselib train <recipe> [--data ...] [--epochs N] [--device cuda]``."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Optional, Sequence

from .recipes import RECIPES, run


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sparselib",
                                     description="Train a sparselib recipe and save its checkpoint.")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train a recipe, write checkpoints/<recipe>-<data>.pt")
    train.add_argument("recipe", choices=sorted(RECIPES))
    train.add_argument("--data", choices=["mnist", "digits", "patches"],
                       help="data set (default: the recipe's first; mnist falls back to digits "
                            "when it cannot be had)")
    train.add_argument("--data-root", metavar="DIR",
                       help="with --data mnist: a local folder holding MNIST's raw idx files "
                            "(torchvision's layout, DIR/MNIST/raw/*-idx?-ubyte); read, never "
                            "downloaded")
    train.add_argument("--epochs", type=int, help="override the recipe's epochs")
    train.add_argument("--device", help="cpu, cuda, cuda:1, ... (default: CUDA when available)")
    train.add_argument("--out", help="checkpoint path (default: checkpoints/<recipe>-<data>.pt)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--fast", action="store_true", help="the small setting the tests use")
    args = parser.parse_args(argv)
    try:
        record = run(args.recipe, data=args.data, epochs=args.epochs, device=args.device,
                     out=args.out, fast=args.fast, seed=args.seed, data_root=args.data_root,
                     command="python -m sparselib " + " ".join(sys.argv[1:] if argv is None else argv))
    except ValueError as err:
        parser.error(str(err))
    summary = {"data": record["data"], "train_seconds": record["train_seconds"],
               **record["metrics"]}
    for key in ("split", "validation_accuracy", "logistic_regression", "units"):
        if key in record:
            summary[key] = record[key]
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

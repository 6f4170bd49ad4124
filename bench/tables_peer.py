"""The PyTorch peer of examples/tables: the same two payment-fraud detectors as payments.ae, trained
on the same rows by PyTorch (Debian's python3-torch), their test scores written in the format of
`ae score` so that examples/tables/evaluate.ts computes every figure with the same metric code.

    cd examples/tables && /usr/bin/python3 ../../bench/tables_peer.py [--threads 1] [--seed 1]

- `payments`: the table read by column name and encoded as aelang encodes a table (runtime/data/
  table.ts): amount and hour standardised with the training mean and population deviation, merchant,
  country and channel one-hot over their sorted levels; 57-32 relu, a linear 6-wide code, 32 relu,
  57 logits; the loss per row is the squared error of each numeric column plus the cross-entropy of
  each categorical column's softmax, summed over the columns (`reconstruction(x_hat, x)`, reduce sum).
- `payments_onehot_mse`: the same network on train-onehot.csv (the encoding written by hand by
  generate.mjs), linear output, mse averaged over the 57 values.
Both: He-normal kernels before a relu, Glorot-uniform otherwise, zero biases (aelang's initialisers;
PyTorch draws its own values), Adam (lr 1e-3, eps 1e-7), batch 128, 30 epochs, reshuffled every
epoch; a row's score is its loss. Writes torch-table-scores.csv and torch-onehot-scores.csv.
"""
import argparse
import csv
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from families_peer import describe  # noqa: E402  (names torch's BLAS and threads)

NUMERIC = ["amount", "hour"]
CATEGORICAL = ["merchant", "country", "channel"]


def read_table(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return {name: [row[name].strip() for row in rows] for name in NUMERIC + CATEGORICAL}


def fit(table):
    encoding = {}
    for name in NUMERIC:
        values = np.array(table[name], dtype=np.float64)
        encoding[name] = (values.mean(), values.std() or 1.0)
    for name in CATEGORICAL:
        encoding[name] = sorted(set(table[name]))
    return encoding


def encode(table, encoding):
    parts = []
    for name in NUMERIC:
        mean, std = encoding[name]
        parts.append(((np.array(table[name], dtype=np.float64) - mean) / std)[:, None])
    for name in CATEGORICAL:
        levels = {level: i for i, level in enumerate(encoding[name])}
        parts.append(np.eye(len(levels))[[levels[v] for v in table[name]]])
    return torch.tensor(np.concatenate(parts, axis=1), dtype=torch.float32)


def read_numbers(path):
    return torch.tensor(np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float32))


def network(width):
    layers = [nn.Linear(width, 32), nn.ReLU(), nn.Linear(32, 6), nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, width)]
    for i, layer in enumerate(layers):
        if isinstance(layer, nn.Linear):
            before_relu = i + 1 < len(layers) and isinstance(layers[i + 1], nn.ReLU)
            if before_relu:
                nn.init.normal_(layer.weight, 0.0, math.sqrt(2 / layer.in_features))
            else:
                nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    return nn.Sequential(*layers)


def table_loss(logits, x, widths):
    """Each row's column losses summed: squared error for a number, cross-entropy for a level."""
    total = torch.zeros(x.shape[0])
    at = 0
    for width in widths:
        out, target = logits[:, at : at + width], x[:, at : at + width]
        if width == 1:
            total = total + (out[:, 0] - target[:, 0]) ** 2
        else:
            total = total - (target * torch.log_softmax(out, dim=1)).sum(dim=1)
        at += width
    return total


def mse_loss(out, x):
    return ((out - x) ** 2).mean(dim=1)


def train_and_score(name, x_train, x_test, row_loss, epochs, seed):
    torch.manual_seed(seed)
    model = network(x_train.shape[1])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    started = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(x_train.shape[0])
        total = 0.0
        for i in range(0, x_train.shape[0], 128):
            xb = x_train[order[i : i + 128]]
            optimizer.zero_grad(set_to_none=True)
            loss = row_loss(model(xb), xb).mean()
            loss.backward()
            optimizer.step()
            total += loss.item() * xb.shape[0]
    with torch.no_grad():
        scores = row_loss(model(x_test), x_test)
    print(f"{name}: {epochs} epochs on {x_train.shape[0]} rows in {time.perf_counter() - started:.0f} s, "
          f"last epoch loss {total / x_train.shape[0]:.4f}")
    return scores


def write_scores(path, scores):
    with open(path, "w") as f:
        f.write("index,score\n")
        for i, s in enumerate(scores.tolist()):
            f.write(f"{i},{s:.9g}\n")
    print(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(describe())
    train_table = read_table("train.csv")
    encoding = fit(train_table)
    widths = [1] * len(NUMERIC) + [len(encoding[name]) for name in CATEGORICAL]
    x_train, x_test = encode(train_table, encoding), encode(read_table("test.csv"), encoding)
    scores = train_and_score("payments", x_train, x_test, lambda out, x: table_loss(out, x, widths), args.epochs, args.seed)
    write_scores("torch-table-scores.csv", scores)
    scores = train_and_score("payments_onehot_mse", read_numbers("train-onehot.csv"), read_numbers("test-onehot.csv"), mse_loss, args.epochs, args.seed)
    write_scores("torch-onehot-scores.csv", scores)


if __name__ == "__main__":
    main()

"""The PyTorch peer of examples/conditional: the same conditional VAE as cvae.ae, trained on the same
MNIST images by PyTorch (Debian's python3-torch); examples/conditional/run.ts runs it with `--peer`,
hands it the images, and classifies its samples with the same classifier as aelang's, so the
agreement figures are computed by the same code.

    /usr/bin/python3 bench/conditional_peer.py WORKDIR --epochs 10 --per-digit 100 [--threads 1] [--seed 1]

WORKDIR holds train_x.npy ([n, 784] in [0, 1]), train_y.npy and test_x.npy, test_y.npy (labels as
float32). The model: the image and its one-hot label concatenated, 794-512-256 relu, a 16-wide
(`--latent`) Gaussian code (mean and log-variance from two linear layers), the code and the one-hot label
concatenated, (16 + 10)-256-512 relu, 784 logits, sigmoid. Loss: binary cross-entropy summed over the
pixels plus w · KL(q(z|x,y) ‖ N(0, I)) summed over the code, both averaged over the batch, with
w = min((epoch - 1) / 3, 1) (`ramp(0, 1, epochs = 3)`, epochs from 1); Adam (lr 1e-3, eps 1e-7),
batch 128, reshuffled every epoch; He-normal kernels before a relu, Glorot-uniform otherwise, zero
biases. Then `--per-digit` samples of each digit (z ~ N(0, I), the sigmoid's mean image), written to
WORKDIR/samples.npy in digit order, and one JSON line per epoch and a last one with the test figures.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from families_peer import describe  # noqa: E402  (names torch's BLAS and threads)


def dense(fan_in, units, before_relu):
    layer = nn.Linear(fan_in, units)
    if before_relu:
        nn.init.normal_(layer.weight, 0.0, math.sqrt(2 / fan_in))
    else:
        nn.init.xavier_uniform_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


class CVAE(nn.Module):
    def __init__(self, latent):
        super().__init__()
        self.encoder = nn.Sequential(dense(794, 512, True), nn.ReLU(), dense(512, 256, True), nn.ReLU())
        self.mean = dense(256, latent, False)
        self.logvar = dense(256, latent, False)
        self.decoder = nn.Sequential(dense(latent + 10, 256, True), nn.ReLU(), dense(256, 512, True), nn.ReLU(), dense(512, 784, False))

    def decode(self, z, y):
        return self.decoder(torch.cat([z, F.one_hot(y, 10).float()], dim=1))

    def losses(self, x, y, sampled=True):
        h = self.encoder(torch.cat([x, F.one_hot(y, 10).float()], dim=1))
        mean, logvar = self.mean(h), self.logvar(h)
        z = mean + torch.exp(0.5 * logvar) * torch.randn_like(mean) if sampled else mean
        logits = self.decode(z, y)
        bce = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(dim=1)
        kl = 0.5 * (mean**2 + torch.exp(logvar) - 1 - logvar).sum(dim=1)
        return bce, kl


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--per-digit", type=int, default=100)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latent", type=int, default=16, help="the code's width (cvae.ae: 16; cvae_2d: 2)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    print(json.dumps({"peer": describe()}), flush=True)
    load = lambda name: torch.from_numpy(np.load(os.path.join(args.workdir, name)))
    train_x, train_y = load("train_x.npy"), load("train_y.npy").long()
    test_x, test_y = load("test_x.npy"), load("test_y.npy").long()
    model = CVAE(args.latent)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    started = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        weight = min((epoch - 1) / 3, 1.0)
        order = torch.randperm(train_x.shape[0])
        totals = np.zeros(3)
        for i in range(0, train_x.shape[0], 128):
            rows = order[i : i + 128]
            bce, kl = model.losses(train_x[rows], train_y[rows])
            loss = (bce + weight * kl).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            totals += np.array([loss.item(), bce.mean().item(), kl.mean().item()]) * len(rows)
        with torch.no_grad():
            bce, kl = model.losses(test_x, test_y)
        loss, bce_mean, kl_mean = totals / train_x.shape[0]
        print(json.dumps({"epoch": epoch, "kl_weight": weight, "loss": loss, "bce": bce_mean, "kl": kl_mean,
                          "val_loss": (bce + weight * kl).mean().item(), "seconds": time.perf_counter() - started}), flush=True)
    with torch.no_grad():
        bce, kl = model.losses(test_x, test_y, sampled=False)
        samples = torch.cat([torch.sigmoid(model.decode(torch.randn(args.per_digit, args.latent), torch.full((args.per_digit,), d)))
                             for d in range(10)])
    np.save(os.path.join(args.workdir, "samples.npy"), samples.numpy().astype(np.float32))
    print(json.dumps({"test_nelbo": (bce + kl).mean().item(), "test_bce": bce.mean().item(), "test_kl": kl.mean().item(),
                      "train_seconds": time.perf_counter() - started}), flush=True)


if __name__ == "__main__":
    main()

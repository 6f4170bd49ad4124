"""The PyTorch peer of examples/beta-vae: the same two β-VAEs as beta-vae.ae (β = 4 warmed up over
3 epochs, and β = 4 from the first step), trained on the same MNIST images by PyTorch (Debian's
python3-torch); examples/beta-vae/run.ts runs it with `--peer`, hands it the images, and prints its
figures beside aelang's, computed as run.ts computes them.

    /usr/bin/python3 bench/beta_vae_peer.py WORKDIR --epochs 6 [--threads 1] [--seed 1]

WORKDIR holds train_x.npy and test_x.npy ([n, 784] in [0, 1]). The model: 784-256 relu, a 10-wide
Gaussian code (mean and log-variance from two linear layers), 10-256 relu, 784 logits, sigmoid.
Loss: binary cross-entropy summed over the pixels plus β · KL(q(z|x) ‖ N(0, I)) summed over the
code, averaged over the batch; β = 4 · min((epoch − 1) / 3, 1) with warm-up (`ramp(0, 4, epochs =
3)`, epochs from 1), 4 without. Adam (lr 1e-3, eps 1e-7), batch 128, reshuffled every epoch;
He-normal kernels before a relu, Glorot-uniform otherwise, zero biases. On the test images, the code
at its posterior mean: the reconstruction (bce summed over the pixels), the KL summed over the
code, the negative ELBO (their sum, β = 1), and the active units (code dimensions whose posterior
mean varies by more than 0.01 over the test images). One JSON line per model.
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


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(dense(784, 256, True), nn.ReLU())
        self.mean = dense(256, 10, False)
        self.logvar = dense(256, 10, False)
        self.decoder = nn.Sequential(dense(10, 256, True), nn.ReLU(), dense(256, 784, False))

    def losses(self, x, sampled=True):
        h = self.encoder(x)
        mean, logvar = self.mean(h), self.logvar(h)
        z = mean + torch.exp(0.5 * logvar) * torch.randn_like(mean) if sampled else mean
        bce = F.binary_cross_entropy_with_logits(self.decoder(z), x, reduction="none").sum(dim=1)
        kl = 0.5 * (mean**2 + torch.exp(logvar) - 1 - logvar).sum(dim=1)
        return bce, kl, mean


def train(name, beta, train_x, test_x, epochs):
    model = VAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    started = time.perf_counter()
    for epoch in range(1, epochs + 1):
        weight = beta(epoch)
        order = torch.randperm(train_x.shape[0])
        for i in range(0, train_x.shape[0], 128):
            bce, kl, _ = model.losses(train_x[order[i : i + 128]])
            loss = (bce + weight * kl).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        bce, kl, mean = model.losses(test_x, sampled=False)
    active = int((mean.var(dim=0, unbiased=False) > 0.01).sum().item())
    return {"model": name, "nelbo": (bce + kl).mean().item(), "bce": bce.mean().item(), "kl": kl.mean().item(),
            "active": active, "width": 10, "train_seconds": time.perf_counter() - started}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    print(json.dumps({"peer": describe()}), flush=True)
    load = lambda name: torch.from_numpy(np.load(os.path.join(args.workdir, name)))
    train_x, test_x = load("train_x.npy"), load("test_x.npy")
    warmed = lambda epoch: 4 * min((epoch - 1) / 3, 1.0)
    for name, beta in (("beta_vae", warmed), ("beta_vae_no_warmup", lambda epoch: 4.0)):
        print(json.dumps(train(name, beta, train_x, test_x, args.epochs)), flush=True)


if __name__ == "__main__":
    main()

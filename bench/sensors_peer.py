"""The PyTorch peer of examples/sensors: the same two autoencoders as sensors.ae, trained on the same
windows by PyTorch (Debian's python3-torch), their window scores written in the format of `ae score`
so that examples/sensors/evaluate.mjs computes every ROC AUC with the same metric code.

    cd examples/sensors && /usr/bin/python3 ../../bench/sensors_peer.py [--conv-epochs 60] [--lstm-epochs 15] [--threads 1] [--seed 1]

The windows are cut as aelang cuts them (runtime/data/windows.ts): each channel standardised with the
training series' mean and population deviation, windows of 64 rows, 8 apart, on train.csv and on
test.csv (with the training statistics). Batch 32, Adam (lr 1e-3, eps 1e-7), mse averaged over the
window; a window's score is its mse.

- `sensors_conv`: conv1d 16/16/8 (kernels 5/5/3, stride 2, 'same' padding as TensorFlow pads, relu),
  then the mirrored transposed convolutions 16/16/3 (the last linear), cropped as TensorFlow's
  'same' transposed convolution crops.
- `sensors`: conv1d(16, kernel 5, 'same', relu), LSTM(32) to its last state, a linear 8-wide code,
  repeated 64 times, LSTM(32) over the steps, a per-step dense to 3 channels.
Initialisers as aelang's (He-normal before a relu, Glorot-uniform otherwise, LSTM biases zero; the
values are PyTorch's own draws). Writes torch-conv-scores.csv and torch-lstm-scores.csv.
"""
import argparse
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

WINDOW, STRIDE = 64, 8


def windows(series, mean, std):
    z = (series - mean) / std
    count = (len(z) - WINDOW) // STRIDE + 1
    return torch.tensor(np.stack([z[i * STRIDE : i * STRIDE + WINDOW] for i in range(count)]), dtype=torch.float32)


def same_pad(length, kernel, stride):
    """TensorFlow's 'same': the output has ceil(length / stride) steps, the extra padding on the right."""
    out = -(-length // stride)
    total = max((out - 1) * stride + kernel - length, 0)
    return total // 2, total - total // 2


def he_normal(weight, fan_in):
    nn.init.normal_(weight, 0.0, math.sqrt(2 / fan_in))


class ConvAE(nn.Module):
    # (in, out, kernel) of each layer, NCW; every convolution has stride 2.
    ENCODER = [(3, 16, 5), (16, 16, 5), (16, 8, 3)]

    def __init__(self):
        super().__init__()
        self.encoder = nn.ModuleList(nn.Conv1d(i, o, k, stride=2) for i, o, k in self.ENCODER)
        self.decoder = nn.ModuleList(nn.ConvTranspose1d(o, i, k, stride=2) for i, o, k in reversed(self.ENCODER))
        for conv in self.encoder:
            he_normal(conv.weight, conv.in_channels * conv.kernel_size[0])
            nn.init.zeros_(conv.bias)
        for j, deconv in enumerate(self.decoder):
            if j < len(self.decoder) - 1:
                he_normal(deconv.weight, deconv.out_channels * deconv.kernel_size[0])  # aelang's fan of [k, out, in]
            else:
                nn.init.xavier_uniform_(deconv.weight)
            nn.init.zeros_(deconv.bias)

    def forward(self, s):  # s: [batch, steps, channels]
        h = s.transpose(1, 2)
        lengths = []
        for conv in self.encoder:
            lengths.append(h.shape[2])
            h = F.relu(conv(F.pad(h, same_pad(h.shape[2], conv.kernel_size[0], 2))))
        for j, deconv in enumerate(self.decoder):
            length = lengths[-1 - j]  # the transposed 'same' conv gives back the length its conv read
            left, _ = same_pad(length, deconv.kernel_size[0], 2)
            h = deconv(h)[:, :, left : left + length]
            if j < len(self.decoder) - 1:
                h = F.relu(h)
        return h.transpose(1, 2)


class LstmAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(3, 16, 5)
        self.encoder = nn.LSTM(16, 32, batch_first=True)
        self.code = nn.Linear(32, 8)
        self.decoder = nn.LSTM(8, 32, batch_first=True)
        self.out = nn.Linear(32, 3)
        he_normal(self.conv.weight, 3 * 5)
        nn.init.zeros_(self.conv.bias)
        for lstm in (self.encoder, self.decoder):
            # Keras's Glorot-uniform over the whole [in, 4u] kernel and [u, 4u] recurrent kernel (gate
            # order i, f, g, o in both frameworks), zero biases.
            for weight in (lstm.weight_ih_l0, lstm.weight_hh_l0):
                limit = math.sqrt(6 / (weight.shape[1] + weight.shape[0]))
                nn.init.uniform_(weight, -limit, limit)
            nn.init.zeros_(lstm.bias_ih_l0)
            nn.init.zeros_(lstm.bias_hh_l0)
        for dense in (self.code, self.out):
            nn.init.xavier_uniform_(dense.weight)
            nn.init.zeros_(dense.bias)

    def forward(self, s):
        h = F.relu(self.conv(F.pad(s.transpose(1, 2), same_pad(s.shape[1], 5, 1)))).transpose(1, 2)
        _, (last, _) = self.encoder(h)
        z = self.code(last[0])
        steps, _ = self.decoder(z[:, None, :].expand(-1, s.shape[1], -1))
        return self.out(steps)


def window_mse(model, x):
    return ((model(x) - x) ** 2).mean(dim=(1, 2))


def train_and_score(name, model, x_train, x_test, epochs, seed):
    torch.manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    started = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(x_train.shape[0])
        total = 0.0
        for i in range(0, x_train.shape[0], 32):
            xb = x_train[order[i : i + 32]]
            optimizer.zero_grad(set_to_none=True)
            loss = window_mse(model, xb).mean()
            loss.backward()
            optimizer.step()
            total += loss.item() * xb.shape[0]
    model.eval()
    with torch.no_grad():
        scores = window_mse(model, x_test)
    print(f"{name}: {epochs} epochs on {x_train.shape[0]} windows in {time.perf_counter() - started:.0f} s, "
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
    parser.add_argument("--conv-epochs", type=int, default=60)
    parser.add_argument("--lstm-epochs", type=int, default=15)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(describe())
    train = np.loadtxt("train.csv", delimiter=",", skiprows=1)
    test = np.loadtxt("test.csv", delimiter=",", skiprows=1)
    mean, std = train.mean(axis=0), train.std(axis=0)
    x_train, x_test = windows(train, mean, std), windows(test, mean, std)
    torch.manual_seed(args.seed)
    write_scores("torch-conv-scores.csv", train_and_score("sensors_conv", ConvAE(), x_train, x_test, args.conv_epochs, args.seed))
    torch.manual_seed(args.seed)
    write_scores("torch-lstm-scores.csv", train_and_score("sensors", LstmAE(), x_train, x_test, args.lstm_epochs, args.seed))


if __name__ == "__main__":
    main()

"""The PyTorch peer of bench/train-speed.ts: the same two architectures trained on CPU with
PyTorch (Debian's python3-torch), printed as one JSON line per architecture.

    python3 bench/torch_peer.py --samples 2048 --batch 128 [--threads N] [--archs hinton,keras-conv]

Random inputs in [0, 1], BCE on a sigmoid output (from logits), Adam lr 1e-3: the same work the
aelang and tfjs-layers runs do. The first epoch warms up; the second is timed.
"""
import argparse
import json
import time

import torch
from torch import nn


def hinton() -> nn.Module:
    sizes = [784, 1000, 500, 250, 30]
    layers: list[nn.Module] = [nn.Flatten()]
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers += [nn.Linear(a, b)] + ([nn.ReLU()] if i < len(sizes) - 2 else [])
    back = sizes[::-1]
    for i, (a, b) in enumerate(zip(back, back[1:])):
        layers += [nn.Linear(a, b)] + ([nn.ReLU()] if i < len(back) - 2 else [])
    layers.append(nn.Unflatten(1, (1, 28, 28)))
    return nn.Sequential(*layers)


def keras_conv() -> nn.Module:
    # The Keras blog's convolutional AE (NCHW here): 16/8/8 3x3 convs with 2x2 pooling, then back up;
    # the 16-filter conv before the last upsampling is 'valid', taking 16x16 to 14x14.
    same = dict(kernel_size=3, padding=1)
    return nn.Sequential(
        nn.Conv2d(1, 16, **same), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True),
        nn.Conv2d(16, 8, **same), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True),
        nn.Conv2d(8, 8, **same), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True),
        nn.Conv2d(8, 8, **same), nn.ReLU(), nn.Upsample(scale_factor=2),
        nn.Conv2d(8, 8, **same), nn.ReLU(), nn.Upsample(scale_factor=2),
        nn.Conv2d(8, 16, kernel_size=3), nn.ReLU(), nn.Upsample(scale_factor=2),
        nn.Conv2d(16, 1, **same),
    )


def samples_per_second(model: nn.Module, samples: int, batch: int) -> float:
    torch.manual_seed(0)
    x = torch.rand(samples, 1, 28, 28)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    elapsed = 0.0
    for epoch in range(2):
        start = time.perf_counter()
        for i in range(0, samples, batch):
            xb = x[i : i + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(xb), xb)
            loss.backward()
            optimizer.step()
        elapsed = time.perf_counter() - start
    return samples / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=2048)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", type=int, default=0, help="0: PyTorch's default")
    parser.add_argument("--archs", default="hinton,keras-conv")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    builders = {"hinton": hinton, "keras-conv": keras_conv}
    for arch in args.archs.split(","):
        rate = samples_per_second(builders[arch](), args.samples, args.batch)
        print(json.dumps({"arch": arch, "torch": torch.__version__, "threads": torch.get_num_threads(), "samplesPerSecond": rate}))


if __name__ == "__main__":
    main()

"""The PyTorch peer of bench/train-speed.ts: the same architectures (bench/train-models.ts) trained
on the CPU by PyTorch (Debian's python3-torch), one JSON line per architecture.

    /usr/bin/python3 bench/torch_peer.py --samples 2048 --batch 128 --threads N [--archs hinton,keras-conv,mnist-ae,tiny]
                                         [--device cpu|cuda]

Inputs uniform in [0, 1], seeded; binary cross-entropy on a sigmoid output computed from logits (the
tiny linear model: mean squared error), Adam; one warm-up epoch, then `--reps` timed epochs, each
reported. The first line says which BLAS library torch actually loaded and how many threads it uses:
with Debian's reference BLAS (libblas3 alone) torch's dense layers run ~10x slower than with
OpenBLAS, and a ratio against that would flatter aelang, so the caller refuses to report one.
"""
import argparse
import ctypes
import json
import os
import time

import torch
from torch import nn


def hinton() -> nn.Module:
    # 784-1000-500-250-30 with logistic hidden units and a linear code, mirrored; logits out.
    widths = [784, 1000, 500, 250, 30]
    layers: list[nn.Module] = []
    path = list(zip(widths, widths[1:])) + list(zip(widths[::-1], widths[::-1][1:]))
    for i, (a, b) in enumerate(path):
        layers.append(nn.Linear(a, b))
        if i not in (len(widths) - 2, len(path) - 1):
            layers.append(nn.Sigmoid())
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


def mnist_ae() -> nn.Module:
    # The README's main job: flatten, 784-256-64 relu, a linear 16-wide code, 64-256 relu, 784 logits.
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 64), nn.ReLU(), nn.Linear(64, 16),
        nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 784),
        nn.Unflatten(1, (1, 28, 28)),
    )


def tiny() -> nn.Module:
    # A 16-3-16 linear autoencoder: almost no arithmetic, so a step costs its framework overhead.
    return nn.Sequential(nn.Linear(16, 3), nn.Linear(3, 16))


ARCHS = {
    "hinton": (hinton, (784,), 1e-3, "bce"),
    "keras-conv": (keras_conv, (1, 28, 28), 1e-3, "bce"),
    "mnist-ae": (mnist_ae, (1, 28, 28), 2e-3, "bce"),
    "tiny": (tiny, (16,), 1e-3, "mse"),
}


def loaded_blas() -> dict:
    """Which BLAS shared object this process mapped (after a product has run), and its core type."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line})
    blas = {"libraries": paths}
    if any("openblas" in p for p in paths):
        blas["name"] = "OpenBLAS"
        try:
            lib = ctypes.CDLL(next(p for p in paths if "openblas" in p))
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            blas["core"] = lib.openblas_get_corename().decode()
            blas["config"] = lib.openblas_get_config().decode()
        except (OSError, AttributeError, StopIteration):
            pass
    elif any("mkl" in p for p in paths):
        blas["name"] = "MKL"
    else:
        blas["name"] = "reference" if paths else "none found"
    return blas


def epoch_seconds(model: nn.Module, x: torch.Tensor, batch: int, lr: float, loss_name: str) -> float:
    cuda = x.is_cuda
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7)
    loss_fn = nn.BCEWithLogitsLoss() if loss_name == "bce" else nn.MSELoss()
    order = torch.randperm(x.shape[0], device=x.device)
    if cuda:
        torch.cuda.synchronize()
    start = time.perf_counter()
    for i in range(0, x.shape[0], batch):
        xb = x[order[i : i + batch]]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), xb)
        loss.backward()
        optimizer.step()
    if cuda:
        torch.cuda.synchronize()  # kernels run asynchronously: time until the last one finished
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=2048)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--archs", default="hinton,keras-conv,mnist-ae")
    parser.add_argument("--device", default="cpu", help="cpu, or cuda for the GPU peer (bench/gpu/)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1234)
    device = torch.device(args.device)
    gpu = torch.cuda.get_device_name(device) if device.type == "cuda" else None
    print(json.dumps({"torch": torch.__version__, "device": args.device, "gpu": gpu, "threads": torch.get_num_threads(),
                      "interop_threads": torch.get_num_interop_threads(), "blas": loaded_blas(),
                      "env": {k: v for k, v in os.environ.items() if k.startswith(("OMP_", "OPENBLAS_", "MKL_"))}}))
    for arch in args.archs.split(","):
        build, shape, lr, loss_name = ARCHS[arch]
        x = torch.rand(args.samples, *shape).to(device)
        model = build().to(device)
        epoch_seconds(model, x[: args.batch * 4], args.batch, lr, loss_name)  # warm-up
        rates = [args.samples / epoch_seconds(model, x, args.batch, lr, loss_name) for _ in range(args.reps)]
        print(json.dumps({"arch": arch, "samplesPerSecond": rates}))


if __name__ == "__main__":
    main()

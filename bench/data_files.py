"""The files bench/data-scale.ts reads (docs/data.md, "Measured"); written under /tmp, never committed.

    /usr/bin/python3 bench/data_files.py csv PATH ROWS        # ROWS x (100 values + a label), 156000 rows = 141 MB
    /usr/bin/python3 bench/data_files.py npy PATH ROWS WIDTH  # float32 [ROWS, WIDTH] in [0, 1], written in pieces

The NPY samples repeat 256 smooth patterns (a sine of the sample's phase), so the file is cheap to write
and a model has something to learn; its size, not its entropy, is what the measurement is about.
"""
import sys

import numpy as np


def write_csv(path: str, rows: int) -> None:
    rng = np.random.default_rng(0)
    with open(path, 'w') as f:
        f.write(','.join(f'f{i}' for i in range(100)) + ',label\n')
        for start in range(0, rows, 10000):
            n = min(10000, rows - start)
            x = rng.random((n, 100))
            y = rng.integers(0, 10, n)
            f.write(''.join(','.join(f'{v:.6f}' for v in r) + f',{l}\n' for r, l in zip(x, y)))


def write_npy(path: str, rows: int, width: int) -> None:
    t = np.linspace(0, 2 * np.pi, width, dtype=np.float64)
    patterns = np.stack([0.5 + 0.45 * np.sin(t * (1 + k % 7) + k) for k in range(256)]).astype(np.float32)
    header = {'descr': '<f4', 'fortran_order': False, 'shape': (rows, width)}
    with open(path, 'wb') as f:
        np.lib.format.write_array_header_1_0(f, header)
        for start in range(0, rows, 256):
            n = min(256, rows - start)
            f.write(np.roll(patterns, -(start % 256), axis=0)[:n].tobytes())


if __name__ == '__main__':
    kind, path, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if kind == 'csv':
        write_csv(path, rows)
    else:
        write_npy(path, rows, int(sys.argv[4]))

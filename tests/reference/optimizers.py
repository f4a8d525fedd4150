#!/usr/bin/python3
"""Reference values for tests/MnistMl.Torch.Tests/OptimizerTests.cs and GradientClippingTests.cs.

Run with Debian's interpreter, which has python3-torch 1.13 (the pyenv `python3` on PATH has no torch):

    /usr/bin/python3 tests/reference/optimizers.py

Fixed problem (the C# tests build the same tensors with the same formulas):
    W [3,4]: W.flat[i] = 0.5*sin(0.37*i + 0.5)     b [3]: b[i] = 0.1*cos(0.7*i)
    X [5,4]: X.flat[i] = sin(0.23*i + 1.1)          Y [5,3]: Y.flat[i] = cos(0.31*i)
    loss = ((tanh(X @ W.T + b) - Y)**2).mean()
computed in float64 with math.sin/cos, then cast to float32. Every case runs 3 steps of
zero_grad / backward / (clipping) / step with the single-tensor (foreach=False) algorithms
and prints W and b as C#-ready arrays (repr of the float32 results widened to float64).
"""
import math

import torch
from torch.nn.utils import clip_grad_norm_, clip_grad_value_


def filled(shape, f):
    n = 1
    for s in shape:
        n *= s
    return torch.tensor([f(i) for i in range(n)], dtype=torch.float64).to(torch.float32).reshape(shape)


X = filled([5, 4], lambda i: math.sin(0.23 * i + 1.1))
Y = filled([5, 3], lambda i: math.cos(0.31 * i))


def fresh_parameters():
    w = filled([3, 4], lambda i: 0.5 * math.sin(0.37 * i + 0.5)).requires_grad_(True)
    b = filled([3], lambda i: 0.1 * math.cos(0.7 * i)).requires_grad_(True)
    return w, b


def backward(w, b):
    loss = ((torch.tanh(X @ w.T + b) - Y) ** 2).mean()
    loss.backward()


def clip_per_tensor_keras(params, max_norm):
    """Keras clipnorm (tf.clip_by_norm on each gradient): g * max_norm / max(norm(g), max_norm)."""
    for p in params:
        if p.grad is not None:
            norm = torch.norm(p.grad.detach(), 2.0)
            p.grad.detach().mul_(max_norm / torch.clamp(norm, min=max_norm))


def run(make, before_step=None, lrs=None, steps=3):
    w, b = fresh_parameters()
    opt = make([w, b])
    for t in range(steps):
        if lrs is not None:
            for g in opt.param_groups:
                g['lr'] = lrs(t)
        opt.zero_grad(set_to_none=True)
        backward(w, b)
        if before_step is not None:
            before_step([w, b])
        opt.step()
    return w.detach(), b.detach()


F = dict(foreach=False)
optim = torch.optim

CASES = [
    ("SgdPlain", lambda p: optim.SGD(p, lr=0.1, **F), {}),
    ("SgdMomentum", lambda p: optim.SGD(p, lr=0.1, momentum=0.9, **F), {}),
    ("SgdNesterovWeightDecay", lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01, **F), {}),
    ("SgdMomentumDampening", lambda p: optim.SGD(p, lr=0.1, momentum=0.5, dampening=0.1, **F), {}),
    # Keras' legacy time-based decay: lr_t = lr / (1 + decay * t), t = number of earlier steps.
    ("SgdKerasDecay", lambda p: optim.SGD(p, lr=0.1, **F), dict(lrs=lambda t: 0.1 / (1 + 0.5 * t))),
    ("AdamPlain", lambda p: optim.Adam(p, lr=0.01, **F), {}),
    ("AdamAmsgradWeightDecay", lambda p: optim.Adam(p, lr=0.01, amsgrad=True, weight_decay=0.1, **F), {}),
    ("AdamWWeightDecay", lambda p: optim.AdamW(p, lr=0.01, weight_decay=0.1, **F), {}),
    ("AdamWAmsgrad", lambda p: optim.AdamW(p, lr=0.01, amsgrad=True, **F), {}),
    ("NAdamPlain", lambda p: optim.NAdam(p, lr=0.01, **F), {}),
    ("NAdamWeightDecay", lambda p: optim.NAdam(p, lr=0.01, weight_decay=0.1, **F), {}),
    ("RMSpropPlain", lambda p: optim.RMSprop(p, lr=0.01, **F), {}),
    ("RMSpropCenteredMomentum", lambda p: optim.RMSprop(p, lr=0.01, centered=True, momentum=0.9, **F), {}),
    ("RMSpropWeightDecayMomentum", lambda p: optim.RMSprop(p, lr=0.01, alpha=0.9, weight_decay=0.1, momentum=0.5, **F), {}),
    ("AdagradDecay", lambda p: optim.Adagrad(p, lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1, **F), {}),
    ("AdagradWeightDecay", lambda p: optim.Adagrad(p, lr=0.1, weight_decay=0.1, **F), {}),
    ("AdadeltaPlain", lambda p: optim.Adadelta(p, lr=1.0, rho=0.9, **F), {}),
    ("AdadeltaWeightDecay", lambda p: optim.Adadelta(p, lr=1.0, rho=0.9, weight_decay=0.1, **F), {}),
    ("ClipValueSgd", lambda p: optim.SGD(p, lr=0.1, **F), dict(before_step=lambda ps: clip_grad_value_(ps, 0.05))),
    ("GlobalClipNormSgd", lambda p: optim.SGD(p, lr=0.1, **F), dict(before_step=lambda ps: clip_grad_norm_(ps, 0.1))),
    ("ClipNormSgd", lambda p: optim.SGD(p, lr=0.1, **F), dict(before_step=lambda ps: clip_per_tensor_keras(ps, 0.1))),
    ("AdamLearningRateChanges", lambda p: optim.Adam(p, lr=0.01, **F), dict(lrs=lambda t: [0.01, 0.005, 0.001][t])),
]


def cs(values):
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


def main():
    print(f"// Computed by tests/reference/optimizers.py with Debian's python3-torch {torch.__version__}.")
    print("// W [3,4] and b [3] after 3 steps.")
    for name, make, options in CASES:
        w, b = run(make, **options)
        print(f"private static readonly double[] {name}W = {cs(w.flatten().tolist())};")
        print(f"private static readonly double[] {name}B = {cs(b.tolist())};")

    print()
    print("// Gradient clipping functions on the gradients of the first step.")
    for name, norm_type in [("Norm2", 2.0), ("Norm1", 1.0), ("NormInf", math.inf)]:
        w, b = fresh_parameters()
        backward(w, b)
        total = clip_grad_norm_([w, b], 0.1, norm_type=norm_type)
        print(f"private const double ClipGrad{name}Total = {float(total)!r};")
        print(f"private static readonly double[] ClipGrad{name}W = {cs(w.grad.flatten().tolist())};")
        print(f"private static readonly double[] ClipGrad{name}B = {cs(b.grad.tolist())};")
    # The raw gradients (a max_norm above the total norm leaves them as they are) and clip_grad_value_.
    w, b = fresh_parameters()
    backward(w, b)
    print(f"private static readonly double[] UnclippedW = {cs(w.grad.flatten().tolist())};")
    print(f"private static readonly double[] UnclippedB = {cs(b.grad.tolist())};")
    clip_grad_value_([w, b], 0.05)
    print(f"private static readonly double[] ClipGradValueW = {cs(w.grad.flatten().tolist())};")
    print(f"private static readonly double[] ClipGradValueB = {cs(b.grad.tolist())};")
    w, b = fresh_parameters()
    backward(w, b)
    clip_per_tensor_keras([w, b], 0.1)
    print(f"private static readonly double[] ClipPerTensorW = {cs(w.grad.flatten().tolist())};")
    print(f"private static readonly double[] ClipPerTensorB = {cs(b.grad.tolist())};")


if __name__ == "__main__":
    main()

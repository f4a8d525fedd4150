#!/usr/bin/python3
"""Optimizer trajectories for tests/MnistMl.Tests/OptimizerParityTests.cs (written into TorchReference.g.cs).

Run with Debian's interpreter, which has python3-torch 1.13 (the pyenv `python3` on PATH has no torch):

    /usr/bin/python3 tests/reference/torch_parity.py    # regenerates TorchReference.g.cs, these cases included
    /usr/bin/python3 tests/reference/optimizers.py      # the same

Fixed problem (the C# tests build the same tensors with the same formulas):
    W [3,4]: W.flat[i] = 0.5*sin(0.37*i + 0.5)     b [3]: b[i] = 0.1*cos(0.7*i)
    X [5,4]: X.flat[i] = sin(0.23*i + 1.1)          Y [5,3]: Y.flat[i] = cos(0.31*i)
    loss = ((tanh(X @ W.T + b) - Y)**2).mean()
computed in float64 with math.sin/cos, then cast to float32. Every case runs its steps (3 unless said) of
zero_grad / backward / (clipping) / (learning rate) / step with the single-tensor (foreach=False) algorithms (NAdam:
the multi-tensor one, see its cases) and records W and b afterwards as Optim_<Case>_W and Optim_<Case>_B.

The hyper-parameters are those MnistMl.Trainers.OptimizerSpec passes to torch.optim for a Keras name: Keras'
defaults (learning rate 0.001, SGD 0.01; epsilon 1e-7; RMSprop rho 0.9; Adadelta rho 0.95; Adagrad initial
accumulator 0.1; AdamW weight decay 0.004) unless a case overrides them. Keras' legacy time-based decay is the
learning rate lr / (1 + decay * t) at step t = 0, 1, 2, ... Keras' clipnorm scales each gradient tensor to an
L2 norm of at most clipnorm, global_clipnorm is clip_grad_norm_, clipvalue is clip_grad_value_, in that order.
"""
import math
import os
import sys

import torch
from torch.nn.utils import clip_grad_norm_, clip_grad_value_


def filled(shape, f):
    n = math.prod(shape)
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


def keras_clipping(clip_norm=None, global_clip_norm=None, clip_value=None):
    def apply(params):
        if clip_norm is not None:
            clip_per_tensor_keras(params, clip_norm)
        if global_clip_norm is not None:
            clip_grad_norm_(params, global_clip_norm)
        if clip_value is not None:
            clip_grad_value_(params, clip_value)
    return apply


def run(make, before_step=None, lrs=None, steps=3):
    w, b = fresh_parameters()
    opt = make([w, b])
    for t in range(steps):
        opt.zero_grad(set_to_none=True)
        backward(w, b)
        if before_step is not None:
            before_step([w, b])
        if lrs is not None:
            for g in opt.param_groups:
                g['lr'] = lrs(t)
        opt.step()
    return w.detach(), b.detach()


F = dict(foreach=False)
optim = torch.optim
EPS = 1e-7  # Keras' epsilon


def time_based_decay(lr, decay):
    return lambda t: lr / (1 + decay * t)


CASES = [
    # adam / adamw / nadam: beta_1 0.9, beta_2 0.999, epsilon 1e-7 (AdamW weight decay 0.004).
    ("AdamDefaults", lambda p: optim.Adam(p, lr=0.001, eps=EPS, **F), {}),
    ("AdamAmsgrad", lambda p: optim.Adam(p, lr=0.01, eps=EPS, amsgrad=True, **F), {}),
    ("AdamWDefaults", lambda p: optim.AdamW(p, lr=0.001, eps=EPS, weight_decay=0.004, **F), {}),
    ("AdamWWeightDecayAmsgrad", lambda p: optim.AdamW(p, lr=0.01, eps=EPS, weight_decay=0.1, amsgrad=True, **F), {}),
    # NAdam: PyTorch 1.13's multi-tensor (foreach=True) algorithm. Its single-tensor one has the bug fixed in PyTorch 2.0
    # (pytorch/pytorch#92699): mu_product_next = mu_product * mu * mu_next counts mu twice. The multi-tensor one uses
    # mu_product * mu_next, as Keras' Nadam (u_product_t * u_t_1), PyTorch >= 2.0 and TorchSharp (dotnet/TorchSharp#1155) do.
    ("NAdamDefaults", lambda p: optim.NAdam(p, lr=0.001, eps=EPS, foreach=True), {}),
    ("NAdamBetas", lambda p: optim.NAdam(p, lr=0.01, betas=(0.8, 0.99), eps=EPS, foreach=True), {}),
    # sgd: learning rate 0.01, no momentum.
    ("SgdDefaults", lambda p: optim.SGD(p, lr=0.01, **F), {}),
    ("SgdMomentum", lambda p: optim.SGD(p, lr=0.1, momentum=0.9, **F), {}),
    ("SgdNesterov", lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, **F), {}),
    ("SgdDecay", lambda p: optim.SGD(p, lr=0.1, **F), dict(lrs=time_based_decay(0.1, 0.5))),
    # PyTorch's momentum buffer (buf = m*buf + g; p -= lr_t*buf) with the decayed rate, as torch.optim.SGD does it.
    ("SgdMomentumDecay", lambda p: optim.SGD(p, lr=0.1, momentum=0.9, **F), dict(lrs=time_based_decay(0.1, 0.5))),
    # rmsprop: rho (PyTorch's alpha) 0.9, epsilon 1e-7.
    ("RMSpropDefaults", lambda p: optim.RMSprop(p, lr=0.001, alpha=0.9, eps=EPS, **F), {}),
    ("RMSpropMomentum", lambda p: optim.RMSprop(p, lr=0.01, alpha=0.9, eps=EPS, momentum=0.5, **F), {}),
    ("RMSpropCenteredMomentum", lambda p: optim.RMSprop(p, lr=0.01, alpha=0.9, eps=EPS, centered=True, momentum=0.9, **F), {}),
    # adagrad: initial accumulator 0.1, epsilon 1e-7.
    ("AdagradDefaults", lambda p: optim.Adagrad(p, lr=0.001, initial_accumulator_value=0.1, eps=EPS, **F), {}),
    ("AdagradFast", lambda p: optim.Adagrad(p, lr=0.1, initial_accumulator_value=0.1, eps=EPS, **F), {}),
    # adadelta: rho 0.95, epsilon 1e-7 (the Keras learning rate 0.001, and the original algorithm's 1.0).
    ("AdadeltaDefaults", lambda p: optim.Adadelta(p, lr=0.001, rho=0.95, eps=EPS, **F), {}),
    ("AdadeltaRate1", lambda p: optim.Adadelta(p, lr=1.0, rho=0.95, eps=EPS, **F), {}),
    # Keras clipping, before every step.
    ("SgdClipNorm", lambda p: optim.SGD(p, lr=0.1, **F), dict(before_step=keras_clipping(clip_norm=0.1))),
    ("SgdGlobalClipNorm", lambda p: optim.SGD(p, lr=0.1, **F), dict(before_step=keras_clipping(global_clip_norm=0.1))),
    ("SgdClipValue", lambda p: optim.SGD(p, lr=0.1, **F), dict(before_step=keras_clipping(clip_value=0.05))),
    ("SgdClipNormThenValue", lambda p: optim.SGD(p, lr=0.1, **F), dict(before_step=keras_clipping(clip_norm=0.1, clip_value=0.03))),
    ("AdamClipValue", lambda p: optim.Adam(p, lr=0.01, eps=EPS, **F), dict(before_step=keras_clipping(clip_value=0.05))),
    # Two steps, the learning rate set to another value before the second (KerasOptimizer.LearningRate).
    ("AdamLearningRateChanged", lambda p: optim.Adam(p, lr=0.01, eps=EPS, **F), dict(lrs=lambda t: [0.01, 0.002][t], steps=2)),
    ("SgdMomentumLearningRateChanged", lambda p: optim.SGD(p, lr=0.1, momentum=0.9, **F), dict(lrs=lambda t: [0.1, 0.02][t], steps=2)),
    # decay 0.5 with the base rate set from 0.1 to 0.05 before the second step: 0.1 / (1 + 0), then 0.05 / (1 + 0.5).
    ("SgdDecayLearningRateChanged", lambda p: optim.SGD(p, lr=0.1, **F), dict(lrs=lambda t: [0.1, 0.05 / 1.5][t], steps=2)),
]


def entries():
    """[(name, values)]: W [3,4] (row-major) and b [3] at the end of every case."""
    result = []
    for name, make, options in CASES:
        w, b = run(make, **options)
        result.append((f"Optim_{name}_W", [float(v) for v in w.flatten().tolist()]))
        result.append((f"Optim_{name}_B", [float(v) for v in b.tolist()]))
    return result


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import torch_parity  # noqa: E402

    torch_parity.main()

#!/usr/bin/python3
"""Reference values for the PyTorch-parity tests of tests/MnistMl.Tests (ActivationParityTests,
InitializerParityTests, OptimizerParityTests), written to tests/MnistMl.Tests/TorchReference.g.cs.

Run with Debian's interpreter, which has python3-torch 1.13 (the `python3` on PATH may not have torch):

    /usr/bin/python3 tests/reference/torch_parity.py            # rewrites tests/MnistMl.Tests/TorchReference.g.cs
    /usr/bin/python3 tests/reference/torch_parity.py --stdout   # prints it instead

Activations: the input is a fixed formula mirrored by the C# tests: element i (row-major) of an input with salt s is
float32(offset + scale * sin(0.37 i + 0.11 s + 0.5)), computed in float64 then rounded to float32. Gradients are taken
of (output * G).sum() with G the same formula with salt 97, a non-uniform upstream gradient. Each case `Name` produces
`Name_Output`, `Name_Shape` and `Name_Grad0`. Where Keras and PyTorch differ, the Keras definition is written out here
from its formula, independently of how MnistMl.Trainers.Keras implements it.

Initializers: the Keras definitions written out on torch.nn.init's primitives, drawn after torch.manual_seed(seed)
on a dense [4, 6] weight (seed 11) and a convolution [8, 3, 3, 3] weight (seed 12), in PyTorch's layout
[out, in, kH, kW]; `Fans_<shape>` is torch's (fan_in, fan_out) of that layout.

Optimizers: the trajectories of tests/reference/optimizers.py (see its docstring), named Optim_<Case>_W / _B.
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from csharp_reference import render_reference_class  # noqa: E402

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("torch is not importable here: run this script with Debian's /usr/bin/python3 (python3-torch 1.13)")

import optimizers  # noqa: E402

torch.set_default_dtype(torch.float32)

UPSTREAM_SALT = 97
ENTRIES = []  # (name, list of floats)


# ---------------------------------------------------------------- inputs (mirrored by the C# tests)

def make(shape, salt, scale=1.0, offset=0.0):
    n = math.prod(shape)
    values = [offset + scale * math.sin(0.37 * i + 0.11 * salt + 0.5) for i in range(n)]
    return torch.tensor(values, dtype=torch.float64).to(torch.float32).reshape(shape)


def upstream(shape):
    return make(list(shape), UPSTREAM_SALT)


# ---------------------------------------------------------------- recording

def emit(name, values):
    if name in (n for n, _ in ENTRIES):
        raise ValueError(f"duplicate reference name {name}")
    if isinstance(values, torch.Tensor):
        values = values.detach().to(torch.float64).reshape(-1).tolist()
    ENTRIES.append((name, [float(v) for v in values]))


def case(name, fn, *inputs):
    """Records fn(*inputs), its shape, and d/d input_i of (fn(*inputs) * G).sum() for every input."""
    inputs = [t.clone().requires_grad_(True) for t in inputs]
    out = fn(*inputs)
    emit(f"{name}_Output", out)
    emit(f"{name}_Shape", list(out.shape))
    (out * upstream(out.shape)).sum().backward()
    for i, t in enumerate(inputs):
        emit(f"{name}_Grad{i}", t.grad if t.grad is not None else torch.zeros_like(t))
    return out


# ---------------------------------------------------------------- activations (Keras definitions)

def hard_sigmoid_keras(x):
    return torch.clamp(0.2 * x + 0.5, 0.0, 1.0)


ACTIVATIONS = {
    "linear": lambda x: x * 1.0,
    "relu": F.relu,
    "relu6": F.relu6,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.2),  # tf.nn.leaky_relu's slope, KerasActivations.DefaultAlpha
    "leaky_relu_alpha_0_3": lambda x: F.leaky_relu(x, 0.3),  # keras.layers.LeakyReLU's default
    "elu": lambda x: F.elu(x, 1.0),
    "elu_alpha_0_5": lambda x: F.elu(x, 0.5),
    "selu": F.selu,
    "gelu": lambda x: F.gelu(x),  # exact (erf), Keras' default
    "sigmoid": torch.sigmoid,
    "hard_sigmoid": hard_sigmoid_keras,  # Keras 2: clip(0.2 x + 0.5, 0, 1), not PyTorch's relu6(x + 3) / 6
    "tanh": torch.tanh,
    "softplus": F.softplus,  # log(1 + e^x); PyTorch's linear branch only starts at x > 20
    "softsign": lambda x: x / (1 + x.abs()),
    "swish": F.silu,  # x * sigmoid(x)
    "exponential": torch.exp,
    "softmax": lambda x: F.softmax(x, dim=-1),
    "log_softmax": lambda x: F.log_softmax(x, dim=-1),
}


def activations():
    # scale 7 reaches relu6's and hard_sigmoid's saturation and softsign's/tanh's tails.
    x = make([4, 6], 1, scale=7.0)
    for name, fn in ACTIVATIONS.items():
        case(f"Activation_{name}", fn, x)
    # Softmax and log-softmax act on the last dimension of a rank-3 input too.
    x3 = make([2, 3, 4], 2, scale=3.0)
    case("Activation_softmax_rank3", ACTIVATIONS["softmax"], x3)
    case("Activation_log_softmax_rank3", ACTIVATIONS["log_softmax"], x3)


# ---------------------------------------------------------------- initializers (Keras definitions)

TRUNCATED_STD_CORRECTION = 0.87962566103423978


def fans(shape):
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def variance_scaling(w, scale, mode, distribution):
    fan_in, fan_out = fans(list(w.shape))
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[mode]
    scale = scale / max(1.0, n)
    if distribution == "truncated_normal":
        std = math.sqrt(scale) / TRUNCATED_STD_CORRECTION
        torch.nn.init.trunc_normal_(w, 0.0, std, -2 * std, 2 * std)
    else:
        limit = math.sqrt(3.0 * scale)
        w.uniform_(-limit, limit)


INITIALIZERS = {
    "he_normal": lambda w: variance_scaling(w, 2.0, "fan_in", "truncated_normal"),
    "he_uniform": lambda w: variance_scaling(w, 2.0, "fan_in", "uniform"),
    "glorot_normal": lambda w: variance_scaling(w, 1.0, "fan_avg", "truncated_normal"),
    "glorot_uniform": lambda w: variance_scaling(w, 1.0, "fan_avg", "uniform"),
    "lecun_normal": lambda w: variance_scaling(w, 1.0, "fan_in", "truncated_normal"),
    "lecun_uniform": lambda w: variance_scaling(w, 1.0, "fan_in", "uniform"),
    "random_normal": lambda w: w.normal_(0.0, 0.05),  # Keras RandomNormal defaults
    "random_uniform": lambda w: w.uniform_(-0.05, 0.05),  # Keras RandomUniform defaults
    "truncated_normal": lambda w: torch.nn.init.trunc_normal_(w, 0.0, 0.05, -0.1, 0.1),  # Keras TruncatedNormal defaults
}

INIT_SHAPES = {"Dense": ([4, 6], 11), "Conv": ([8, 3, 3, 3], 12)}  # shape, seed


def initializers():
    for shape_name, (shape, _) in INIT_SHAPES.items():
        emit(f"Fans_{shape_name}", torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape)))
    for name, init in INITIALIZERS.items():
        for shape_name, (shape, seed) in INIT_SHAPES.items():
            torch.manual_seed(seed)
            w = torch.empty(shape)
            with torch.no_grad():
                init(w)
            emit(f"Init_{name}_{shape_name}", w)


# ---------------------------------------------------------------- output

def csharp_double(v):
    if math.isnan(v):
        return "double.NaN"
    if math.isinf(v):
        return "double.PositiveInfinity" if v > 0 else "double.NegativeInfinity"
    return repr(v)


def render():
    return render_reference_class(
        f"Generated by tests/reference/torch_parity.py and tests/reference/optimizers.py with Debian's python3-torch "
        f"{torch.__version__} (run /usr/bin/python3 tests/reference/torch_parity.py).",
        "MnistMl.Tests", "TorchReference",
        "Expected values computed by PyTorch 1.13 for the activation, initializer and optimizer parity tests.",
        ENTRIES, csharp_double)


def main():
    if not torch.__version__.startswith("1.13"):
        sys.exit(f"torch {torch.__version__} found; the references are for Debian's python3-torch 1.13 (run /usr/bin/python3)")
    activations()
    initializers()
    for name, values in optimizers.entries():
        emit(name, values)
    text = render()
    if "--stdout" in sys.argv:
        sys.stdout.write(text)
        return
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "MnistMl.Tests", "TorchReference.g.cs")
    with open(os.path.normpath(target), "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {len(ENTRIES)} arrays to {os.path.normpath(target)}")


if __name__ == "__main__":
    main()

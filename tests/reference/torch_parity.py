#!/usr/bin/python3
"""Reference values for the PyTorch-parity tests of MnistMl.Torch.

Run with Debian's interpreter, which has python3-torch 1.13 (the `python3` on PATH may not have torch):

    /usr/bin/python3 tests/reference/torch_parity.py            # rewrites tests/MnistMl.Torch.Tests/TorchReference.g.cs
    /usr/bin/python3 tests/reference/torch_parity.py --stdout   # prints it instead

Every input is a fixed formula mirrored by tests/MnistMl.Torch.Tests/Inputs.cs: element i (row-major) of an input
with salt s is float32(offset + scale * sin(0.37 i + 0.11 s + 0.5)), computed in float64 then rounded to float32.
Gradients are taken of (output * G).sum() with G = Inputs.Upstream(output shape), a non-uniform upstream gradient.

Each case `Name` produces `Name_Output`, `Name_Shape` and `Name_Grad0`, `Name_Grad1`, ... (one per input, in order),
read by Parity.Check in the C# tests. Where Keras and PyTorch differ, the Keras definition is written out here
from its formula, independently of how the C# binding implements it.
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

torch.set_default_dtype(torch.float32)

UPSTREAM_SALT = 97
ENTRIES = []  # (name, list of floats)


# ---------------------------------------------------------------- inputs (mirrored by Inputs.cs)

def make(shape, salt, scale=1.0, offset=0.0):
    n = math.prod(shape)
    values = [offset + scale * math.sin(0.37 * i + 0.11 * salt + 0.5) for i in range(n)]
    return torch.tensor(values, dtype=torch.float64).to(torch.float32).reshape(shape)


def upstream(shape):
    return make(list(shape), UPSTREAM_SALT)


def classes(n, num_classes, salt):
    """Class indices (3 i + salt) mod C, int64."""
    return torch.tensor([(3 * i + salt) % num_classes for i in range(n)], dtype=torch.int64)


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


def values(name, tensor):
    """Records a result that is only compared by value (indices, booleans, shapes of views)."""
    emit(f"{name}_Output", tensor)
    emit(f"{name}_Shape", list(tensor.shape))


# ---------------------------------------------------------------- activations

def hard_sigmoid_keras(x):
    return torch.clamp(0.2 * x + 0.5, 0.0, 1.0)


ACTIVATIONS = {
    "linear": lambda x: x * 1.0,
    "relu": F.relu,
    "relu6": F.relu6,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.3),  # Keras' default slope
    "elu": lambda x: F.elu(x, 1.0),
    "selu": F.selu,
    "gelu": lambda x: F.gelu(x),  # exact (erf), Keras' default
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "sigmoid": torch.sigmoid,
    "hard_sigmoid": hard_sigmoid_keras,
    "tanh": torch.tanh,
    "softplus": F.softplus,
    "softsign": lambda x: x / (1 + x.abs()),
    "swish": F.silu,
    "exponential": torch.exp,
    "softmax": lambda x: F.softmax(x, dim=-1),
    "log_softmax": lambda x: F.log_softmax(x, dim=-1),
}


def activations():
    # scale 7 reaches relu6's and hard_sigmoid's saturation and softsign's/tanh's tails.
    x = make([4, 6], 1, scale=7.0)
    for name, fn in ACTIVATIONS.items():
        case(f"Activation_{name}", fn, x)


# ---------------------------------------------------------------- tensor operations

def tensor_ops():
    a = make([2, 3], 3)
    b = make([3], 4)
    pos_a = make([2, 3], 5, scale=0.8, offset=1.5)
    pos_b = make([3], 6, scale=0.5, offset=2.0)
    s = 1.7

    case("Add", lambda a, b: a + b, a, b)
    case("Sub", lambda a, b: a - b, a, b)
    case("Mul", lambda a, b: a * b, a, b)
    case("Div", lambda a, b: a / b, a, pos_b)
    case("AddAlpha", lambda a, b: torch.add(a, b, alpha=-2.5), a, b)
    case("AddScalar", lambda a: a + s, a)
    case("SubScalar", lambda a: a - s, a)
    case("ScalarSub", lambda a: s - a, a)
    case("MulScalar", lambda a: a * s, a)
    case("DivScalar", lambda a: a / s, a)
    case("ScalarDiv", lambda a: s / a, pos_a)
    case("Neg", lambda a: -a, a)
    case("PowScalar", lambda a: a.pow(2.5), pos_a)
    case("PowInteger", lambda a: a.pow(3), a)
    case("PowTensor", lambda a, b: a.pow(b), pos_a, b)
    case("Sqrt", torch.sqrt, pos_a)
    case("Abs", torch.abs, a)
    case("Exp", torch.exp, a)
    case("Log", torch.log, pos_a)
    case("Square", torch.square, a)
    case("Maximum", torch.maximum, a, b)
    case("ClampBoth", lambda a: torch.clamp(a, -0.5, 0.6), a)
    case("ClampMin", lambda a: torch.clamp(a, min=-0.2), a)
    case("ClampMax", lambda a: torch.clamp(a, max=0.3), a)
    case("MatMul", torch.matmul, a, make([3, 4], 7))

    x = make([3, 4], 8)
    case("SumAll", torch.sum, x)
    case("SumDim1", lambda x: x.sum(1), x)
    case("SumDim0KeepDim", lambda x: x.sum(0, keepdim=True), x)
    case("MeanAll", torch.mean, x)
    case("MeanDim0", lambda x: x.mean(0), x)
    case("MeanDimsKeepDim", lambda x: x.mean([0, 1], keepdim=True), x)
    case("MaxAll", torch.max, x)
    case("MaxDim1Values", lambda x: x.max(1).values, x)
    values("MaxDim1Indices", x.max(1).indices)
    values("ArgmaxAll", x.argmax())
    values("ArgmaxDim0", x.argmax(0))
    values("ArgmaxDim1KeepDim", x.argmax(1, keepdim=True))

    y = make([2, 3, 4], 9)
    z = make([2, 3, 4], 10)
    values("Reshape", y.reshape(4, 6))
    values("Permute", y.permute(2, 0, 1))
    values("Transpose", y.transpose(0, 2))
    values("Cat0", torch.cat([y, z], 0))
    values("Cat2", torch.cat([y, z], 2))
    values("Stack0", torch.stack([y, z], 0))
    values("Stack1", torch.stack([y, z], 1))
    case("PermuteGrad", lambda y: y.permute(2, 0, 1) * make([4, 2, 3], 11), y)
    case("CatGrad", lambda y, z: torch.cat([y, z], 1), y, z)
    case("StackGrad", lambda y, z: torch.stack([y, z], 2), y, z)

    # Rounded so that ties occur and Eq/Le/Ge are not trivially false.
    ra = (a * 3).round()
    rb = (b * 3).round()
    values("CompareEq", ra.eq(rb))
    values("CompareNe", ra.ne(rb))
    values("CompareLt", ra.lt(rb))
    values("CompareLe", ra.le(rb))
    values("CompareGt", ra.gt(rb))
    values("CompareGe", ra.ge(rb))
    values("CompareGtScalar", a.gt(0.1))
    values("CompareLeScalar", ra.le(1.0))
    values("CompareEqScalar", ra.eq(1.0))


# ---------------------------------------------------------------- layers

def tf_same_pads(size_hw, kernel, stride, dilation=(1, 1)):
    """TensorFlow's "same" padding (left, right, top, bottom): output ceil(in / stride), extra cell bottom/right."""
    pads = []
    for size, k, s, d in zip(size_hw, kernel, stride, dilation):
        effective = (k - 1) * d + 1
        out = -(-size // s)
        total = max((out - 1) * s + effective - size, 0)
        pads.append((total // 2, total - total // 2))
    (top, bottom), (left, right) = pads
    return (left, right, top, bottom)


def linear_and_conv():
    case("Linear", F.linear, make([3, 5], 10), make([4, 5], 11, scale=0.5), make([4], 12))
    case("LinearNoBias", F.linear, make([2, 3, 5], 13), make([4, 5], 14, scale=0.5))

    x = make([2, 3, 7, 7], 20)
    w = make([4, 3, 3, 3], 21, scale=0.3)
    bias = make([4], 22)
    case("Conv2dStride2Padding1", lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1), x, w, bias)
    case("Conv2dPerAxisStrideAndPadding", lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=(1, 2)), x, w, bias)
    case("Conv2dDilation2", lambda x, w, b: F.conv2d(x, w, b, dilation=2), x, w, bias)
    case("Conv2dDepthwise", lambda x, w, b: F.conv2d(x, w, b, padding=1, groups=3),
         x, make([6, 1, 3, 3], 23, scale=0.3), make([6], 24))
    case("Conv2dNoBias", lambda x, w: F.conv2d(x, w), x, w)

    # Conv2d module with Padding2d.Same on an even-sized input, reference by explicit TF-style padding.
    x8 = make([2, 3, 8, 8], 25)
    for name, kernel, stride in [("Conv2dSameStride1", (3, 3), (1, 1)),
                                 ("Conv2dSameStride1EvenKernel", (2, 4), (1, 1)),
                                 ("Conv2dSameStride2", (3, 3), (2, 2))]:
        pads = tf_same_pads((8, 8), kernel, stride)
        case(name, lambda x, w, b: F.conv2d(F.pad(x, pads), w, b, stride=stride),
             x8, make([4, 3, *kernel], 26, scale=0.3), make([4], 27))
    # "same" with dilation: effective kernel (k - 1) d + 1 = 4 rows (pads 1 top, 2 bottom) by 5 columns (2 and 2).
    pads = tf_same_pads((8, 8), (2, 3), (1, 1), (3, 2))
    case("Conv2dSameDilation", lambda x, w, b: F.conv2d(F.pad(x, pads), w, b, dilation=(3, 2)),
         x8, make([4, 3, 2, 3], 28, scale=0.3), make([4], 29))
    # Module with explicit (symmetric, per-axis) padding.
    case("Conv2dModuleExplicitPadding", lambda x, w, b: F.conv2d(x, w, b, stride=(1, 2), padding=(2, 1)),
         x, w, bias)


def pooling():
    x = make([2, 3, 7, 7], 30)
    case("MaxPool2dKernel3Stride2Padding1", lambda x: F.max_pool2d(x, 3, 2, 1), x)
    case("MaxPool2dKernel2", lambda x: F.max_pool2d(x, 2), x)
    case("AvgPool2dKernel3Stride2Padding1", lambda x: F.avg_pool2d(x, 3, 2, 1), x)
    case("AvgPool2dExcludePad", lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False), x)
    case("AvgPool2dKernel2", lambda x: F.avg_pool2d(x, 2), x)
    case("AdaptiveAvgPool2dTo1x1", lambda x: F.adaptive_avg_pool2d(x, (1, 1)), x)
    case("AdaptiveAvgPool2dTo2x3", lambda x: F.adaptive_avg_pool2d(x, (2, 3)), x)

    # Keras "same" pooling: max pads with -inf; average divides by the number of real cells in the window.
    x8 = make([2, 3, 8, 8], 31)
    for name, size, kernel, stride in [("Stride2", 8, (3, 3), (2, 2)),
                                       ("Stride1", 8, (3, 3), (1, 1)),
                                       ("OddInput", 7, (2, 2), (2, 2))]:
        xin = x8 if size == 8 else x
        pads = tf_same_pads((size, size), kernel, stride)

        def max_same(x, pads=pads, kernel=kernel, stride=stride):
            return F.max_pool2d(F.pad(x, pads, value=float("-inf")), kernel, stride)

        def avg_same(x, pads=pads, kernel=kernel, stride=stride):
            sums = F.avg_pool2d(F.pad(x, pads), kernel, stride, divisor_override=1)
            ones = torch.ones(1, 1, x.shape[2], x.shape[3])
            counts = F.avg_pool2d(F.pad(ones, pads), kernel, stride, divisor_override=1)
            return sums / counts

        case(f"MaxPool2dSame{name}", max_same, xin)
        case(f"AvgPool2dSame{name}", avg_same, xin)
    case("MaxPool2dModuleValid", lambda x: F.max_pool2d(x, (2, 3), (1, 2)), x)
    case("AvgPool2dModuleValid", lambda x: F.avg_pool2d(x, (2, 3), (1, 2)), x)


def batch_norm():
    # Functional, with non-trivial running statistics, weight and bias.
    x1 = make([4, 3, 2, 2], 40, scale=2.0, offset=0.5)
    x2 = make([4, 3, 2, 2], 41, scale=1.5, offset=-0.3)
    weight = make([3], 42, scale=0.5, offset=1.0)
    bias = make([3], 43)
    rm = make([3], 44)
    rv = make([3], 45, scale=0.5, offset=1.5)

    running_mean, running_var = rm.clone(), rv.clone()
    case("BatchNormTraining",
         lambda x, w, b: F.batch_norm(x, running_mean, running_var, w, b, training=True, momentum=0.1, eps=1e-5),
         x1, weight, bias)
    F.batch_norm(x2, running_mean, running_var, weight, bias, training=True, momentum=0.1, eps=1e-5)
    emit("BatchNormTraining_RunningMean", running_mean)
    emit("BatchNormTraining_RunningVar", running_var)
    case("BatchNormEval",
         lambda x, w, b: F.batch_norm(x, rm, rv, w, b, training=False, momentum=0.1, eps=1e-5),
         x1, weight, bias)

    # Modules: BatchNorm1d on [N, C], BatchNorm2d on [N, C, H, W]; two training calls, then eval.
    for name, module, shape in [("BatchNorm1dModule", torch.nn.BatchNorm1d(4), [6, 4]),
                                ("BatchNorm2dModule", torch.nn.BatchNorm2d(3), [4, 3, 3, 2])]:
        channels = shape[1]
        with torch.no_grad():
            module.weight.copy_(make([channels], 46, scale=0.5, offset=1.0))
            module.bias.copy_(make([channels], 47))
        first = make(shape, 48, scale=2.0, offset=0.5)
        second = make(shape, 49, scale=1.5, offset=-0.3)
        xi = first.clone().requires_grad_(True)
        out = module.train()(xi)
        emit(f"{name}_TrainOutput", out)
        (out * upstream(out.shape)).sum().backward()
        emit(f"{name}_TrainGradInput", xi.grad)
        emit(f"{name}_TrainGradWeight", module.weight.grad)
        emit(f"{name}_TrainGradBias", module.bias.grad)
        module(second)
        emit(f"{name}_RunningMean", module.running_mean)
        emit(f"{name}_RunningVar", module.running_var)
        module.eval()
        module.zero_grad()
        xi = first.clone().requires_grad_(True)
        out = module(xi)
        emit(f"{name}_EvalOutput", out)
        (out * upstream(out.shape)).sum().backward()
        emit(f"{name}_EvalGradInput", xi.grad)
        emit(f"{name}_EvalGradWeight", module.weight.grad)
        emit(f"{name}_EvalGradBias", module.bias.grad)


def dropout():
    x = make([5, 8], 50)
    for seed in (1234, 7):
        torch.manual_seed(seed)
        case(f"DropoutSeed{seed}", lambda x: F.dropout(x, 0.4, training=True), x)
    torch.manual_seed(99)
    values("DropoutModuleSeed99", torch.nn.Dropout(0.25).train()(x))


def padding_and_resize():
    x = make([1, 2, 4, 5], 60)
    case("PadConstant", lambda x: F.pad(x, (1, 2, 0, 3), mode="constant", value=0.5), x)
    case("PadReflect", lambda x: F.pad(x, (2, 1, 1, 2), mode="reflect"), x)
    case("PadReplicate", lambda x: F.pad(x, (1, 3, 2, 0), mode="replicate"), x)
    # 1-D padding of [N, C, W] (F.pad picks the 1-D kernels from the number of pads).
    x1d = make([2, 3, 5], 62)
    case("PadReflect1d", lambda x: F.pad(x, (2, 3), mode="reflect"), x1d)
    case("PadReplicate1d", lambda x: F.pad(x, (3, 1), mode="replicate"), x1d)
    case("PadConstant1d", lambda x: F.pad(x, (1, 2), value=-1.5), x1d)
    case("InterpolateBilinear", lambda x: F.interpolate(x, size=(7, 3), mode="bilinear", align_corners=False), x)
    case("InterpolateBilinearAlignCorners", lambda x: F.interpolate(x, size=(7, 3), mode="bilinear", align_corners=True), x)
    case("InterpolateNearest", lambda x: F.interpolate(x, size=(6, 8), mode="nearest"), x)
    case("Flatten", lambda x: torch.nn.Flatten()(x), make([2, 3, 2, 2], 61))


def sequential():
    """Conv2d(2->3, 3x3) -> ReLU -> MaxPool2d(2) -> Flatten -> Linear(27->4), weights from formulas."""
    model = torch.nn.Sequential(
        torch.nn.Conv2d(2, 3, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(27, 4))
    with torch.no_grad():
        model[0].weight.copy_(make([3, 2, 3, 3], 70, scale=0.4))
        model[0].bias.copy_(make([3], 71, scale=0.1))
        model[4].weight.copy_(make([4, 27], 72, scale=0.3))
        model[4].bias.copy_(make([4], 73))
    case("Sequential", model, make([2, 2, 8, 8], 74))  # Sequential_Grad0: the input gradient
    for name, p in model.named_parameters():
        emit(f"Sequential_Grad_{name.replace('.', '_')}", p.grad)


# ---------------------------------------------------------------- losses

def losses():
    logits = make([5, 4], 80, scale=2.0)
    target = classes(5, 4, 1)
    one_hot = F.one_hot(target, 4).to(torch.float32)
    soft = F.softmax(make([5, 4], 81, scale=1.5), dim=1)
    emit("LossTargets", target)

    for reduction in ("mean", "sum", "none"):
        suffix = reduction.capitalize()
        case(f"CrossEntropyIndices{suffix}", lambda z: F.cross_entropy(z, target, reduction=reduction), logits)
        case(f"NllLoss{suffix}", lambda z: F.nll_loss(z, target, reduction=reduction), make([5, 4], 82))
        case(f"MseLoss{suffix}", lambda a, b: F.mse_loss(a, b, reduction=reduction), make([3, 4], 83), make([3, 4], 84))
        case(f"L1Loss{suffix}", lambda a, b: F.l1_loss(a, b, reduction=reduction), make([3, 4], 83), make([3, 4], 84))
    case("CrossEntropyOneHot", lambda z: F.cross_entropy(z, one_hot), logits)
    case("CrossEntropySoftTargets", lambda z: F.cross_entropy(z, soft), logits)
    case("CrossEntropySoftTargetsNone", lambda z: F.cross_entropy(z, soft, reduction="none"), logits)
    case("CrossEntropyLabelSmoothing", lambda z: F.cross_entropy(z, target, label_smoothing=0.1), logits)
    case("CrossEntropyLabelSmoothingSoftTargets", lambda z: F.cross_entropy(z, soft, label_smoothing=0.1), logits)
    case("CrossEntropyClassWeights", lambda z: F.cross_entropy(z, target, weight=make([4], 85, scale=0.5, offset=1.0)), logits)
    ignoring = torch.tensor([1, -100, 3, 2, -100], dtype=torch.int64)  # IgnoredTargets in LossParityTests.cs
    case("CrossEntropyIgnoreIndex", lambda z: F.cross_entropy(z, ignoring), logits)
    case("CrossEntropyIgnoreIndexNone", lambda z: F.cross_entropy(z, ignoring, reduction="none"), logits)
    # Soft targets also get a gradient.
    case("CrossEntropySoftTargetsBoth", lambda z, t: F.cross_entropy(z, t), logits, soft)

    w = make([4, 3], 86)
    case("L1Penalty", lambda w: 0.01 * w.abs().sum(), w)  # Keras l1: factor * sum |w|
    case("L2Penalty", lambda w: 0.02 * (w * w).sum(), w)  # Keras l2: factor * sum w^2 (no 1/2)


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
    elif distribution == "untruncated_normal":
        w.normal_(0.0, math.sqrt(scale))
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
    "zeros": lambda w: w.zero_(),
    "ones": lambda w: w.fill_(1.0),
    "constant": lambda w: w.fill_(0.1),  # Initializer.Constant(0.1)
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
    # The variance-scaling modes and distributions no named initializer uses.
    for name, mode, distribution in [("VarianceScaling_fan_out_untruncated_normal", "fan_out", "untruncated_normal"),
                                     ("VarianceScaling_fan_out_uniform", "fan_out", "uniform"),
                                     ("VarianceScaling_fan_avg_truncated_normal", "fan_avg", "truncated_normal")]:
        for shape_name, (shape, seed) in INIT_SHAPES.items():
            torch.manual_seed(seed)
            w = torch.empty(shape)
            variance_scaling(w, 1.5, mode, distribution)
            emit(f"Init_{name}_{shape_name}", w)
    # Linear(6, 4) draws its weight with glorot_uniform at construction (bias zeros).
    torch.manual_seed(5)
    w = torch.empty(4, 6)
    INITIALIZERS["glorot_uniform"](w)
    emit("LinearDefaultInit_Weight", w)
    # Conv2d(3, 8, 3x3) likewise; a second seed checks a different draw.
    torch.manual_seed(6)
    w = torch.empty(8, 3, 3, 3)
    INITIALIZERS["glorot_uniform"](w)
    emit("Conv2dDefaultInit_Weight", w)


# ---------------------------------------------------------------- output

def csharp_double(v):
    if math.isnan(v):
        return "double.NaN"
    if math.isinf(v):
        return "double.PositiveInfinity" if v > 0 else "double.NegativeInfinity"
    return repr(v)


def render():
    return render_reference_class(
        f"Generated by tests/reference/torch_parity.py with Debian's python3-torch {torch.__version__} (run it with /usr/bin/python3).",
        "MnistMl.Torch.Tests", "TorchReference",
        "Expected values computed by PyTorch for the inputs of <see cref=\"Inputs\"/>.",
        ENTRIES, csharp_double)


def main():
    if not torch.__version__.startswith("1.13"):
        sys.exit(f"torch {torch.__version__} found; the references are for Debian's python3-torch 1.13 (run /usr/bin/python3)")
    activations()
    tensor_ops()
    linear_and_conv()
    pooling()
    batch_norm()
    dropout()
    padding_and_resize()
    sequential()
    losses()
    initializers()
    text = render()
    if "--stdout" in sys.argv:
        sys.stdout.write(text)
        return
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "MnistMl.Torch.Tests", "TorchReference.g.cs")
    with open(os.path.normpath(target), "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {len(ENTRIES)} arrays to {os.path.normpath(target)}")


if __name__ == "__main__":
    main()

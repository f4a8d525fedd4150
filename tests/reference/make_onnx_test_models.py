#!/usr/bin/python3
"""Small ONNX models (opset 13) and their expected outputs, written for the deleted tests/MnistMl.OnnxRuntime.Tests.

Of these, only mlp.onnx is committed now, as tests/MnistMl.Tests/Fixtures/Onnx/mlp.onnx (OnnxParityTests runs it with
ML.NET's ApplyOnnxModel and checks its SHA-256); compare with `--out DIR` rather than rewriting the fixtures.

Run with Debian's interpreter, which has onnx 1.12 and numpy (the `python3` on PATH may not have them):

    /usr/bin/python3 tests/reference/make_onnx_test_models.py              # rewrites the models and OnnxReference.g.cs
    /usr/bin/python3 tests/reference/make_onnx_test_models.py --out DIR    # writes only the models, into DIR

The models are written byte for byte the same on every run (fixed weights, no producer timestamp), so the tests can
check that the committed files are what this script writes. Expected outputs come from numpy in
float32, with the same operation order as the graphs; there is no ONNX Runtime for Python on this machine.

Models (N is a dynamic batch dimension):
  add_mul.onnx     a, b: float[N,3] -> sum = a + b, product = a * b
  mlp.onnx         x: float[N,4] -> hidden = Relu(x W1 + b1): float[N,5], probabilities = Softmax(hidden W2 + b2): float[N,3]
                   W1[i][j] = 0.5 sin(1.3 i + 0.7 j + 0.1), b1[j] = 0.1 cos(j + 0.5),
                   W2[j][k] = 0.6 cos(0.9 j - 1.1 k + 0.3), b2[k] = 0.05 (k - 1)   (float32)
  cast_uint8.onnx  pixels: uint8[N,2,2] -> scaled = float(pixels) / 255: float[N,2,2],
                   brightest = ArgMax(Flatten(scaled), axis 1, keepdims 0): int64[N] (first index on ties)
  types.onnx       counts: int32[N] -> counts_plus_one = counts + 1; values: double[N] -> doubled = values * 2;
                   flags: bool[N] -> negated = Not(flags)
Inputs: x[n][k] = 2 sin(0.7 n + 1.1 k) for the MLP (batch 1 is row 0 of batch 5); a[n][j] = n + 0.5 j,
b[n][j] = 1 - 0.25 j for add_mul; pixels[n] = (37 n + 11 p + 3) mod 256 at flat position p = 2 r + c, with a tie
in the last sample.
"""
import argparse
import hashlib
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.normpath(os.path.join(HERE, "..", "MnistMl.Tests", "Fixtures"))


def model(graph):
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="mnistml-tests")
    m.ir_version = 7  # the IR version of opset 13
    onnx.checker.check_model(m)
    return m


def add_mul():
    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, ["N", 3])
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, ["N", 3])
    s = helper.make_tensor_value_info("sum", TensorProto.FLOAT, ["N", 3])
    p = helper.make_tensor_value_info("product", TensorProto.FLOAT, ["N", 3])
    nodes = [helper.make_node("Add", ["a", "b"], ["sum"]), helper.make_node("Mul", ["a", "b"], ["product"])]
    return model(helper.make_graph(nodes, "add_mul", [a, b], [s, p]))


def mlp_weights():
    w1 = np.array([[0.5 * np.sin(1.3 * i + 0.7 * j + 0.1) for j in range(5)] for i in range(4)], dtype=np.float32)
    b1 = np.array([0.1 * np.cos(j + 0.5) for j in range(5)], dtype=np.float32)
    w2 = np.array([[0.6 * np.cos(0.9 * j - 1.1 * k + 0.3) for k in range(3)] for j in range(5)], dtype=np.float32)
    b2 = np.array([0.05 * (k - 1) for k in range(3)], dtype=np.float32)
    return w1, b1, w2, b2


def mlp():
    w1, b1, w2, b2 = mlp_weights()
    inits = [numpy_helper.from_array(w1, "W1"), numpy_helper.from_array(b1, "b1"),
             numpy_helper.from_array(w2, "W2"), numpy_helper.from_array(b2, "b2")]
    nodes = [
        helper.make_node("MatMul", ["x", "W1"], ["xw1"]),
        helper.make_node("Add", ["xw1", "b1"], ["pre"]),
        helper.make_node("Relu", ["pre"], ["hidden"]),
        helper.make_node("MatMul", ["hidden", "W2"], ["hw2"]),
        helper.make_node("Add", ["hw2", "b2"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=-1),
    ]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])
    probabilities = helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 3])
    hidden = helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["N", 5])
    return model(helper.make_graph(nodes, "mlp", [x], [probabilities, hidden], initializer=inits))


def cast_uint8():
    inits = [numpy_helper.from_array(np.array(255, dtype=np.float32), "two_fifty_five")]
    nodes = [
        helper.make_node("Cast", ["pixels"], ["as_float"], to=TensorProto.FLOAT),
        helper.make_node("Div", ["as_float", "two_fifty_five"], ["scaled"]),
        helper.make_node("Flatten", ["scaled"], ["flat"], axis=1),
        helper.make_node("ArgMax", ["flat"], ["brightest"], axis=1, keepdims=0),
    ]
    pixels = helper.make_tensor_value_info("pixels", TensorProto.UINT8, ["N", 2, 2])
    scaled = helper.make_tensor_value_info("scaled", TensorProto.FLOAT, ["N", 2, 2])
    brightest = helper.make_tensor_value_info("brightest", TensorProto.INT64, ["N"])
    return model(helper.make_graph(nodes, "cast_uint8", [pixels], [scaled, brightest], initializer=inits))


def types():
    inits = [numpy_helper.from_array(np.array(1, dtype=np.int32), "one"),
             numpy_helper.from_array(np.array(2, dtype=np.float64), "two")]
    nodes = [
        helper.make_node("Add", ["counts", "one"], ["counts_plus_one"]),
        helper.make_node("Mul", ["values", "two"], ["doubled"]),
        helper.make_node("Not", ["flags"], ["negated"]),
    ]
    inputs = [helper.make_tensor_value_info("counts", TensorProto.INT32, ["N"]),
              helper.make_tensor_value_info("values", TensorProto.DOUBLE, ["N"]),
              helper.make_tensor_value_info("flags", TensorProto.BOOL, ["N"])]
    outputs = [helper.make_tensor_value_info("counts_plus_one", TensorProto.INT32, ["N"]),
               helper.make_tensor_value_info("doubled", TensorProto.DOUBLE, ["N"]),
               helper.make_tensor_value_info("negated", TensorProto.BOOL, ["N"])]
    return model(helper.make_graph(nodes, "types", inputs, outputs, initializer=inits))


MODELS = {"add_mul.onnx": add_mul, "mlp.onnx": mlp, "cast_uint8.onnx": cast_uint8, "types.onnx": types}


# ---- expected outputs ----

def mlp_input(n):
    return np.array([[2 * np.sin(0.7 * i + 1.1 * k) for k in range(4)] for i in range(n)], dtype=np.float32)


def mlp_forward(x):
    w1, b1, w2, b2 = mlp_weights()
    hidden = np.maximum(x @ w1 + b1, np.float32(0))
    logits = hidden @ w2 + b2
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float32), hidden.astype(np.float32)


def pixels_input(n):
    p = np.array([[(37 * i + 11 * q + 3) % 256 for q in range(4)] for i in range(n)], dtype=np.uint8)
    p[n - 1] = [200, 250, 250, 7]  # a tie: ArgMax takes the first
    return p.reshape(n, 2, 2)


def cs_float(v):
    return np.format_float_positional(np.float32(v), unique=True, trim="0") + "f"


def cs_array(kind, values, fmt):
    return f"new {kind}[] {{ " + ", ".join(fmt(v) for v in np.asarray(values).ravel()) + " }"


def reference_cs(hashes):
    x5 = mlp_input(5)
    p5, h5 = mlp_forward(x5)
    a = np.array([[n + 0.5 * j for j in range(3)] for n in range(5)], dtype=np.float32)
    b = np.array([[1 - 0.25 * j for j in range(3)] for n in range(5)], dtype=np.float32)
    px = pixels_input(5)
    scaled = px.astype(np.float32) / np.float32(255)
    brightest = scaled.reshape(5, 4).argmax(axis=1).astype(np.int64)
    f = lambda vs: cs_array("float", vs, cs_float)
    lines = [
        "// <auto-generated> by tests/reference/make_onnx_test_models.py (run with /usr/bin/python3); do not edit. </auto-generated>",
        "// Expected outputs computed with numpy in float32 in the graphs' operation order (no ONNX Runtime for Python here);",
        "// the tests allow 1e-6 for the float results of the MLP (ORT's MatMul and Softmax may round differently).",
        "namespace MnistMl.OnnxRuntime.Tests;",
        "",
        "internal static class OnnxReference",
        "{",
        "    /// <summary>SHA-256 (lowercase hex) of each model file as the script writes it.</summary>",
        "    public static readonly IReadOnlyDictionary<string, string> ModelSha256 = new Dictionary<string, string>",
        "    {",
    ]
    lines += [f'        ["{name}"] = "{digest}",' for name, digest in sorted(hashes.items())]
    lines += [
        "    };",
        "",
        "    /// <summary>mlp.onnx input, 5 x 4: x[n][k] = 2 sin(0.7 n + 1.1 k); batch 1 is row 0.</summary>",
        f"    public static readonly float[] MlpInput = {f(x5)};",
        f"    public static readonly float[] MlpProbabilities = {f(p5)};",
        f"    public static readonly float[] MlpHidden = {f(h5)};",
        "",
        "    /// <summary>add_mul.onnx inputs, 5 x 3: a[n][j] = n + 0.5 j, b[n][j] = 1 - 0.25 j.</summary>",
        f"    public static readonly float[] AddMulA = {f(a)};",
        f"    public static readonly float[] AddMulB = {f(b)};",
        f"    public static readonly float[] AddMulSum = {f(a + b)};",
        f"    public static readonly float[] AddMulProduct = {f(a * b)};",
        "",
        "    /// <summary>cast_uint8.onnx input, 5 x 2 x 2: (37 n + 11 p + 3) mod 256; the last sample has a tie.</summary>",
        f"    public static readonly byte[] Pixels = {cs_array('byte', px, str)};",
        f"    public static readonly float[] PixelsScaled = {f(scaled)};",
        f"    public static readonly long[] PixelsBrightest = {cs_array('long', brightest, str)};",
        "}",
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="write only the models, into this folder")
    args = parser.parse_args()
    out = args.out or os.path.join(TESTS, "Onnx")
    os.makedirs(out, exist_ok=True)
    hashes = {}
    for name, build in MODELS.items():
        data = build().SerializeToString()
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        hashes[name] = hashlib.sha256(data).hexdigest()
        print(f"{name}: {len(data)} bytes, sha256 {hashes[name]}")
    if args.out:
        return
    reference = reference_cs(hashes)
    with open(os.path.join(TESTS, "OnnxReference.g.cs"), "w") as f:
        f.write(reference)
    print(reference)


if __name__ == "__main__":
    main()

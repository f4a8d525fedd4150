using MnistMl.Trainers.Keras;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Tests;

/// <summary>
/// Every Keras activation of <see cref="KerasActivations.Apply"/>, forward value and input gradient, against PyTorch 1.13
/// (tests/reference/torch_parity.py, the Keras definitions where Keras and PyTorch differ: hard_sigmoid is
/// clip(0.2·x + 0.5, 0, 1), gelu the exact erf form, exponential exp, leaky_relu's and elu's α as passed).
/// </summary>
[TestClass]
public sealed class ActivationParityTests
{
    private const double Rtol = 1e-5;
    private const double Atol = 1e-6;

    /// <summary>The formula of torch_parity.py's make(): float32(scale · sin(0.37 i + 0.11 salt + 0.5)), computed in float64.</summary>
    private static Tensor Make(long[] shape, int salt, double scale = 1)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var data = new float[count];
        for (long i = 0; i < count; i++) data[i] = (float)(scale * Math.Sin(0.37 * i + 0.11 * salt + 0.5));
        return torch.tensor(data, shape);
    }

    /// <summary>The input of the rank-2 cases: scale 7 reaches relu6's and hard_sigmoid's saturation.</summary>
    private static Tensor Input() => Make([4, 6], salt: 1, scale: 7);

    private static Tensor Rank3Input() => Make([2, 3, 4], salt: 2, scale: 3);

    private static double[] Expected(string name) =>
        TorchReference.ByName.TryGetValue(name, out var values)
            ? values
            : throw new InvalidOperationException($"TorchReference has no '{name}'; add it to tests/reference/torch_parity.py and regenerate.");

    private static void AssertClose(double[] expected, Tensor actual, string what)
    {
        using var asDouble = actual.detach().to_type(ScalarType.Float64).contiguous();
        var values = asDouble.data<double>().ToArray();
        Assert.HasCount(expected.Length, values, $"{what}: element count");
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = Rtol * Math.Abs(expected[i]) + Atol;
            if (!(Math.Abs(values[i] - expected[i]) <= tolerance))
                Assert.Fail($"{what}: element {i} is {values[i]:R}, PyTorch gives {expected[i]:R} (tolerance {tolerance:G3}).");
        }
    }

    /// <summary>Compares the activation's output with Case_Output/_Shape and the gradient of (output · G).sum() with Case_Grad0.</summary>
    private static void Check(string referenceCase, ActivationKind kind, double alpha, Func<Tensor>? input = null)
    {
        using var scope = torch.NewDisposeScope();
        var x = (input ?? Input)().requires_grad_(true);
        var y = KerasActivations.Apply(kind, x, alpha);
        var name = $"Activation_{referenceCase}";
        CollectionAssert.AreEqual(Expected($"{name}_Shape").Select(d => (long)d).ToArray(), y.shape, $"{name}: shape");
        AssertClose(Expected($"{name}_Output"), y, $"{name} output");
        using var upstream = Make(y.shape, salt: 97);
        (y * upstream).sum().backward();
        Assert.IsNotNull(x.grad, $"{name}: no gradient reached the input");
        AssertClose(Expected($"{name}_Grad0"), x.grad, $"{name} gradient");
    }

    [TestMethod]
    [DataRow(ActivationKind.Linear, "linear")]
    [DataRow(ActivationKind.Relu, "relu")]
    [DataRow(ActivationKind.Relu6, "relu6")]
    [DataRow(ActivationKind.Selu, "selu")]
    [DataRow(ActivationKind.Gelu, "gelu")]
    [DataRow(ActivationKind.Sigmoid, "sigmoid")]
    [DataRow(ActivationKind.HardSigmoid, "hard_sigmoid")]
    [DataRow(ActivationKind.Tanh, "tanh")]
    [DataRow(ActivationKind.Softplus, "softplus")]
    [DataRow(ActivationKind.Softsign, "softsign")]
    [DataRow(ActivationKind.Swish, "swish")]
    [DataRow(ActivationKind.Exponential, "exponential")]
    [DataRow(ActivationKind.Softmax, "softmax")]
    [DataRow(ActivationKind.LogSoftmax, "log_softmax")]
    public void ActivationMatchesPyTorch(ActivationKind kind, string referenceCase) => Check(referenceCase, kind, alpha: 1.0);

    [TestMethod]
    [DataRow(ActivationKind.LeakyRelu, 0.2, "leaky_relu")]
    [DataRow(ActivationKind.LeakyRelu, 0.3, "leaky_relu_alpha_0_3")]
    [DataRow(ActivationKind.Elu, 1.0, "elu")]
    [DataRow(ActivationKind.Elu, 0.5, "elu_alpha_0_5")]
    public void AlphaIsUsedAsPassed(ActivationKind kind, double alpha, string referenceCase) => Check(referenceCase, kind, alpha);

    [TestMethod]
    [DataRow(ActivationKind.Softmax, "softmax_rank3")]
    [DataRow(ActivationKind.LogSoftmax, "log_softmax_rank3")]
    public void SoftmaxActsOnTheLastDimension(ActivationKind kind, string referenceCase) => Check(referenceCase, kind, 1.0, Rank3Input);

    /// <summary>Every Keras name parses to its kind and, with <see cref="KerasActivations.DefaultAlpha"/>, gives the reference case of that name.</summary>
    [TestMethod]
    public void EveryKerasNameWithItsDefaultAlphaMatchesPyTorch()
    {
        foreach (var name in KerasActivations.Names)
        {
            var kind = KerasActivations.Parse(name);
            Check(name, kind, KerasActivations.DefaultAlpha(kind));
        }
        Assert.AreEqual(0.2, KerasActivations.DefaultAlpha(ActivationKind.LeakyRelu));
        Assert.AreEqual(ActivationKind.Swish, KerasActivations.Parse("silu"));
        Assert.AreEqual(ActivationKind.HardSigmoid, KerasActivations.Parse("HardSigmoid"));
    }

    /// <summary>Keras' hard_sigmoid differs from PyTorch's hardsigmoid (relu6(x + 3) / 6) inside (-3, 3): the reference is not PyTorch's.</summary>
    [TestMethod]
    public void HardSigmoidIsKerasNotPyTorch()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { -3f, -2.5f, -1f, 0f, 1f, 2.5f, 3f });
        var keras = KerasActivations.Apply(ActivationKind.HardSigmoid, x).data<float>().ToArray();
        CollectionAssert.AreEqual(new float[] { 0f, 0f, 0.3f, 0.5f, 0.7f, 1f, 1f }, keras.Select(v => MathF.Round(v, 6)).ToArray());
        var pytorch = torch.nn.functional.hardsigmoid(x).data<float>().ToArray();
        Assert.AreNotEqual(pytorch[2], keras[2], 1e-3f, "PyTorch's hardsigmoid(-1) is 1/3, Keras' is 0.3");
    }
}

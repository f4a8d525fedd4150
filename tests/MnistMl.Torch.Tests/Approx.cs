using MnistMl.Torch;

namespace MnistMl.Torch.Tests;

/// <summary>Element-wise comparison of tensors with reference values computed by PyTorch.</summary>
internal static class Approx
{
    /// <summary>Asserts |actual - expected| &lt;= rtol * |expected| + atol for every element, and equal shapes.</summary>
    public static void Equal(double[] expected, Tensor actual, double rtol = 1e-5, double atol = 1e-6, string what = "")
    {
        using var asDouble = actual.To(ScalarType.Float64);
        var values = asDouble.ToArray<double>();
        Equal(expected, values, rtol, atol, what);
    }

    public static void Equal(double[] expected, double[] actual, double rtol = 1e-5, double atol = 1e-6, string what = "")
    {
        Assert.AreEqual(expected.Length, actual.Length, $"{what}: element count");
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = rtol * Math.Abs(expected[i]) + atol;
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, PyTorch gives {expected[i]:R} (tolerance {tolerance:G3}).");
        }
    }

    public static void Shape(long[] expected, Tensor actual, string what = "") =>
        CollectionAssert.AreEqual(expected, actual.Shape, $"{what}: shape [{string.Join(", ", actual.Shape)}]");
}

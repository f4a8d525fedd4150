using MnistMl.Trainers.Keras;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Tests;

/// <summary>
/// Keras initializers (<see cref="KerasInitializer.FromName"/>) in PyTorch's weight layout [out, in, kH, kW]:
/// distribution statistics on large weights (mean, standard deviation, kurtosis, bounds) with tolerances of about 5
/// standard errors of the statistic, and, since libtorch 2.10's CPU generator gives PyTorch 1.13's uniform_ and normal_
/// draws bit for bit after the same torch.manual_seed, the seeded draws themselves against PyTorch 1.13
/// (tests/reference/torch_parity.py: a dense [4, 6] weight with seed 11, a convolution [8, 3, 3, 3] weight with seed 12).
/// </summary>
[TestClass]
public sealed class InitializerParityTests
{
    /// <summary>Keras' correction: a normal truncated at ±2σ has standard deviation 0.87962566103423978 σ.</summary>
    private const double TruncatedStdCorrection = 0.87962566103423978;

    /// <summary>Kurtosis E[z⁴]/E[z²]² of a standard normal truncated at ±2: (3 − 14·2φ(2)/Z) / (1 − 4φ(2)/Z)², Z = erf(√2).</summary>
    private static readonly double TruncatedNormalKurtosis = TruncatedKurtosis();

    private static double TruncatedKurtosis()
    {
        double phi2 = Math.Exp(-2) / Math.Sqrt(2 * Math.PI), z = 0.9544997361036416; // erf(√2) = P(|N(0,1)| < 2)
        double variance = 1 - 4 * phi2 / z, fourth = 3 - 14 * 2 * phi2 / z;
        return fourth / (variance * variance);
    }

    private enum Distribution { Uniform, Normal, TruncatedNormal }

    /// <summary>Large weights: a dense [out 256, in 512] (fan_in 512, fan_out 256) and a convolution [128, 64, 3, 3] (fan_in 576, fan_out 1152).</summary>
    private static readonly (string Name, long[] Shape, long FanIn, long FanOut)[] LargeShapes =
    [
        ("Dense", [256, 512], 512, 256),
        ("Conv", [128, 64, 3, 3], 576, 1152),
    ];

    /// <summary>The distribution of a Keras initializer and its standard deviation for the fans (variance-scaling: scale / n).</summary>
    private static (Distribution Distribution, double Std) Expected(string name, long fanIn, long fanOut)
    {
        double avg = (fanIn + fanOut) / 2.0;
        return name switch
        {
            "he_normal" => (Distribution.TruncatedNormal, Math.Sqrt(2.0 / fanIn)),
            "he_uniform" => (Distribution.Uniform, Math.Sqrt(2.0 / fanIn)),
            "glorot_normal" => (Distribution.TruncatedNormal, Math.Sqrt(1.0 / avg)),
            "glorot_uniform" => (Distribution.Uniform, Math.Sqrt(1.0 / avg)),
            "lecun_normal" => (Distribution.TruncatedNormal, Math.Sqrt(1.0 / fanIn)),
            "lecun_uniform" => (Distribution.Uniform, Math.Sqrt(1.0 / fanIn)),
            "random_normal" => (Distribution.Normal, 0.05),
            "random_uniform" => (Distribution.Uniform, 0.05 / Math.Sqrt(3)), // U(-0.05, 0.05)
            "truncated_normal" => (Distribution.TruncatedNormal, 0.05 * TruncatedStdCorrection), // N(0, 0.05) cut at ±0.1
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a random initializer"),
        };
    }

    private static double[] Values(Tensor t)
    {
        using var d = t.to_type(ScalarType.Float64).contiguous();
        return d.data<double>().ToArray();
    }

    private static double[] Draw(string name, long[] shape, long seed)
    {
        torch.manual_seed(seed);
        using var weight = torch.empty(shape);
        KerasInitializer.FromName(name).Apply(weight);
        return Values(weight);
    }

    [TestMethod]
    [DataRow("he_normal")]
    [DataRow("he_uniform")]
    [DataRow("glorot_normal")]
    [DataRow("glorot_uniform")]
    [DataRow("lecun_normal")]
    [DataRow("lecun_uniform")]
    [DataRow("random_normal")]
    [DataRow("random_uniform")]
    [DataRow("truncated_normal")]
    public void StatisticsFollowKerasWithPyTorchFans(string name)
    {
        foreach (var (shapeName, shape, fanIn, fanOut) in LargeShapes)
        {
            Assert.AreEqual((fanIn, fanOut), KerasInitializer.ComputeFans(shape), $"fans of {shapeName}");
            var (distribution, std) = Expected(name, fanIn, fanOut);
            var x = Draw(name, shape, seed: 1234);
            int n = x.Length;
            double mean = x.Average();
            double m2 = x.Sum(v => (v - mean) * (v - mean)) / n, m4 = x.Sum(v => Math.Pow(v - mean, 4)) / n;
            double sampleStd = Math.Sqrt(m2), kurtosis = m4 / (m2 * m2), maxAbs = x.Max(Math.Abs);
            string what = $"{name} on {shapeName} [{string.Join(", ", shape)}]";

            // Standard errors: mean σ/√n; relative std ≤ √(2/(4n)) (normal's, the largest of the three); kurtosis ≤ √(24/n).
            Assert.AreEqual(0.0, mean, 5 * std / Math.Sqrt(n), $"{what}: mean");
            Assert.AreEqual(std, sampleStd, 5 * Math.Sqrt(0.5 / n) * std, $"{what}: standard deviation");
            double expectedKurtosis = distribution switch { Distribution.Uniform => 1.8, Distribution.Normal => 3.0, _ => TruncatedNormalKurtosis };
            Assert.AreEqual(expectedKurtosis, kurtosis, 5 * Math.Sqrt(24.0 / n), $"{what}: kurtosis (1.8 uniform, 2.37 truncated normal, 3 normal)");
            switch (distribution)
            {
                case Distribution.Uniform:
                    double limit = Math.Sqrt(3) * std;
                    Assert.IsLessThanOrEqualTo(limit * (1 + 1e-6), maxAbs, $"{what}: within ±{limit:G6}");
                    Assert.IsGreaterThan(limit * (1 - 1e-3), maxAbs, $"{what}: reaches the limit ±{limit:G6}");
                    break;
                case Distribution.TruncatedNormal:
                    double bound = 2 * std / TruncatedStdCorrection;
                    Assert.IsLessThanOrEqualTo(bound * (1 + 1e-6), maxAbs, $"{what}: cut at ±2σ = ±{bound:G6}");
                    Assert.IsGreaterThan(bound * 0.99, maxAbs, $"{what}: reaches ±2σ = ±{bound:G6}");
                    break;
                default:
                    Assert.IsGreaterThan(3.5 * std, maxAbs, $"{what}: untruncated tails beyond 3.5σ");
                    break;
            }
        }
    }

    [TestMethod]
    [DataRow("zeros", 0.0)]
    [DataRow("ones", 1.0)]
    [DataRow("constant", 0.0)]
    public void ConstantInitializersFillEveryElement(string name, double value)
    {
        foreach (var (shapeName, shape, _, _) in LargeShapes)
        {
            using var weight = torch.full(shape, 0.5f);
            KerasInitializer.FromName(name).Apply(weight);
            Assert.IsTrue(Values(weight).All(v => v == value), $"{name} on {shapeName}: every element is {value}");
        }
    }

    [TestMethod]
    public void ConstantWithAValueFillsThatValue()
    {
        using var weight = torch.empty(256, 512);
        KerasInitializer.Constant(0.1).Apply(weight);
        Assert.IsTrue(Values(weight).All(v => v == (double)0.1f), "every element is float32(0.1)");
    }

    [TestMethod]
    public void FansFollowPyTorchWeightLayout()
    {
        foreach (var (shapeName, shape) in new (string, long[])[] { ("Dense", [4, 6]), ("Conv", [8, 3, 3, 3]) })
        {
            var (fanIn, fanOut) = KerasInitializer.ComputeFans(shape);
            CollectionAssert.AreEqual(TorchReference.ByName[$"Fans_{shapeName}"], new double[] { fanIn, fanOut }, $"fans of {shapeName}");
        }
    }

    /// <summary>
    /// Same seed, same draws: uniform_ and normal_ draws equal PyTorch 1.13's exactly; the truncated normals (PyTorch's
    /// trunc_normal_: uniform_, erfinv_, scale, shift, clamp) within 1e-6 of the largest |value| (about 10 float32 ulps of the
    /// ±2σ bound), because erfinv_'s float32 rounding differs by an ulp or two between libtorch 1.13 and 2.10.
    /// TorchSharp 0.107's own torch.nn.init.trunc_normal_ cannot pass: its native code multiplies by the mean and adds the
    /// standard deviation (instead of the reverse, and without √2), so with mean 0 every element equals std.
    /// </summary>
    [TestMethod]
    [DataRow("he_uniform", false)]
    [DataRow("glorot_uniform", false)]
    [DataRow("lecun_uniform", false)]
    [DataRow("random_uniform", false)]
    [DataRow("random_normal", false)]
    [DataRow("he_normal", true)]
    [DataRow("glorot_normal", true)]
    [DataRow("lecun_normal", true)]
    [DataRow("truncated_normal", true)]
    public void SeededDrawsEqualPyTorch(string name, bool truncated)
    {
        foreach (var (shapeName, shape, seed) in new (string, long[], long)[] { ("Dense", [4, 6], 11), ("Conv", [8, 3, 3, 3], 12) })
        {
            var expected = TorchReference.ByName[$"Init_{name}_{shapeName}"];
            var actual = Draw(name, shape, seed);
            Assert.AreEqual(expected.Length, actual.Length, $"{name} {shapeName}: element count");
            double tolerance = truncated ? 1e-6 * expected.Max(Math.Abs) : 0;
            for (int i = 0; i < expected.Length; i++)
                if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
                    Assert.Fail($"{name} on {shapeName} (seed {seed}): element {i} is {actual[i]:R}, PyTorch 1.13 draws {expected[i]:R} (tolerance {tolerance:G3}).");
        }
    }
}

using MnistMl.Torch.NN;

namespace MnistMl.Torch.Tests;

/// <summary>
/// Seeded initializers give exactly (bit for bit) PyTorch's draws for the Keras definition written out in torch_parity.py,
/// on a dense [4, 6] weight (seed 11) and a convolution [8, 3, 3, 3] weight (seed 12).
/// </summary>
[TestClass]
public sealed class InitializerParityTests
{
    private static readonly (string Name, long[] Shape, ulong Seed)[] Shapes =
    [
        ("Dense", [4, 6], 11),
        ("Conv", [8, 3, 3, 3], 12),
    ];

    private static void CheckInitializer(string kerasName, Initializer initializer)
    {
        foreach (var (shapeName, shape, seed) in Shapes)
        {
            torch.ManualSeed(seed);
            using var weight = torch.Empty(shape);
            initializer.Apply(weight);
            Parity.Values($"Init_{kerasName}_{shapeName}", weight, rtol: 0, atol: 0);
        }
    }

    [TestMethod]
    [DataRow("he_normal")]
    [DataRow("he_uniform")]
    [DataRow("glorot_normal")]
    [DataRow("glorot_uniform")]
    [DataRow("lecun_normal")]
    [DataRow("lecun_uniform")]
    [DataRow("zeros")]
    [DataRow("ones")]
    [DataRow("random_normal")]
    [DataRow("random_uniform")]
    [DataRow("truncated_normal")]
    public void InitializerFromKerasNameMatchesPyTorch(string kerasName) =>
        CheckInitializer(kerasName, Initializer.FromName(kerasName));

    [TestMethod]
    [DataRow("HeNormal", "he_normal")]
    [DataRow("HeUniform", "he_uniform")]
    [DataRow("GlorotNormal", "glorot_normal")]
    [DataRow("GlorotUniform", "glorot_uniform")]
    [DataRow("LecunNormal", "lecun_normal")]
    [DataRow("LecunUniform", "lecun_uniform")]
    [DataRow("RandomNormal", "random_normal")]
    [DataRow("RandomUniform", "random_uniform")]
    [DataRow("TruncatedNormal", "truncated_normal")]
    [DataRow("Zeros", "zeros")]
    [DataRow("Ones", "ones")]
    public void InitializerFromCamelCaseNameMatchesPyTorch(string camelCaseName, string kerasName) =>
        CheckInitializer(kerasName, Initializer.FromName(camelCaseName));

    [TestMethod]
    public void InitializerPropertiesMatchPyTorch()
    {
        CheckInitializer("he_normal", Initializer.HeNormal);
        CheckInitializer("he_uniform", Initializer.HeUniform);
        CheckInitializer("glorot_normal", Initializer.GlorotNormal);
        CheckInitializer("glorot_uniform", Initializer.GlorotUniform);
        CheckInitializer("lecun_normal", Initializer.LecunNormal);
        CheckInitializer("lecun_uniform", Initializer.LecunUniform);
        CheckInitializer("zeros", Initializer.Zeros);
        CheckInitializer("ones", Initializer.Ones);
        CheckInitializer("random_normal", Initializer.Normal());
        CheckInitializer("random_uniform", Initializer.Uniform());
        CheckInitializer("truncated_normal", Initializer.TruncatedNormal());
    }

    [TestMethod]
    [DataRow("VarianceScaling_fan_out_untruncated_normal", FanMode.FanOut, VarianceDistribution.UntruncatedNormal)]
    [DataRow("VarianceScaling_fan_out_uniform", FanMode.FanOut, VarianceDistribution.Uniform)]
    [DataRow("VarianceScaling_fan_avg_truncated_normal", FanMode.FanAvg, VarianceDistribution.TruncatedNormal)]
    public void VarianceScalingModesAndDistributions(string name, FanMode mode, VarianceDistribution distribution)
    {
        foreach (var (shapeName, shape, seed) in Shapes)
        {
            torch.ManualSeed(seed);
            using var weight = torch.Empty(shape);
            Init.VarianceScaling_(weight, 1.5, mode, distribution);
            Parity.Values($"Init_{name}_{shapeName}", weight, rtol: 0, atol: 0);
        }
    }

    [TestMethod]
    public void ConstantInitializer() => CheckInitializer("constant", Initializer.Constant(0.1));

    [TestMethod]
    public void EveryInitializerNameHasAReferenceCase()
    {
        foreach (var name in Initializer.Names)
            Assert.IsTrue(TorchReference.ByName.ContainsKey($"Init_{name}_Dense"), $"no PyTorch reference for initializer '{name}'");
    }

    [TestMethod]
    public void FansFollowPyTorchWeightLayout()
    {
        foreach (var (shapeName, shape, _) in Shapes)
        {
            var (fanIn, fanOut) = Init.ComputeFans(shape);
            Approx.Equal(Parity.Expected($"Fans_{shapeName}"), [fanIn, fanOut], 0, 0, $"fans of {shapeName}");
        }
    }
}

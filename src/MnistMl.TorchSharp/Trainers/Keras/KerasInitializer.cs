using TorchSharp;
using static TorchSharp.torch;
using Init = TorchSharp.torch.nn.init;

namespace MnistMl.Trainers.Keras;

/// <summary>
/// A weight initializer by its Keras name ("he_normal", "HeNormal", "glorot_uniform", …), with Keras' semantics and
/// defaults on top of TorchSharp's <c>torch.nn.init</c>: the variance-scaling family draws normals truncated at ±2σ
/// with σ corrected by 0.8796… (Keras' VarianceScaling; drawn as PyTorch's trunc_normal_), RandomNormal/TruncatedNormal σ = 0.05, RandomUniform ±0.05.
/// Fans follow PyTorch's weight layout [out, in, kH, kW]: fan_in = in·kH·kW, fan_out = out·kH·kW (equal to Keras'
/// for dense and ordinary convolution kernels). All draws come from libtorch's generator (torch.manual_seed).
/// </summary>
public sealed class KerasInitializer
{
    /// <summary>Keras' correction so that a normal truncated at ±2σ keeps the requested variance.</summary>
    private const double TruncatedStdCorrection = 0.87962566103423978;

    private readonly Action<Tensor> apply;

    private KerasInitializer(string name, Action<Tensor> apply)
    {
        Name = name;
        this.apply = apply;
    }

    /// <summary>The Keras name, with arguments where it has any (e.g. "constant(0.1)").</summary>
    public string Name { get; }

    /// <summary>Fills the tensor in place, without recording gradients.</summary>
    public void Apply(Tensor tensor)
    {
        using var noGrad = torch.no_grad();
        apply(tensor);
    }

    public override string ToString() => Name;

    public static KerasInitializer Zeros { get; } = new("zeros", t => Init.zeros_(t));
    public static KerasInitializer Ones { get; } = new("ones", t => Init.ones_(t));
    public static KerasInitializer GlorotUniform { get; } = new("glorot_uniform", t => VarianceScaling(t, 1, FanMode.Average, uniform: true));
    public static KerasInitializer GlorotNormal { get; } = new("glorot_normal", t => VarianceScaling(t, 1, FanMode.Average, uniform: false));
    public static KerasInitializer HeNormal { get; } = new("he_normal", t => VarianceScaling(t, 2, FanMode.In, uniform: false));
    public static KerasInitializer HeUniform { get; } = new("he_uniform", t => VarianceScaling(t, 2, FanMode.In, uniform: true));
    public static KerasInitializer LecunNormal { get; } = new("lecun_normal", t => VarianceScaling(t, 1, FanMode.In, uniform: false));
    public static KerasInitializer LecunUniform { get; } = new("lecun_uniform", t => VarianceScaling(t, 1, FanMode.In, uniform: true));

    public static KerasInitializer Constant(double value) => new($"constant({value:R})", t => Init.constant_(t, value));
    public static KerasInitializer Normal(double mean = 0, double std = 0.05) => new($"random_normal({mean:R}, {std:R})", t => Init.normal_(t, mean, std));
    public static KerasInitializer Uniform(double min = -0.05, double max = 0.05) => new($"random_uniform({min:R}, {max:R})", t => Init.uniform_(t, min, max));
    public static KerasInitializer TruncatedNormal(double mean = 0, double std = 0.05) =>
        new($"truncated_normal({mean:R}, {std:R})", t => TruncatedNormal_(t, mean, std, mean - 2 * std, mean + 2 * std));

    /// <summary>The names <see cref="FromName"/> accepts (Keras snake_case; CamelCase and missing underscores also work).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "zeros", "ones", "glorot_uniform", "glorot_normal", "he_normal", "he_uniform", "lecun_normal", "lecun_uniform",
        "random_normal", "random_uniform", "truncated_normal", "constant",
    ];

    /// <summary>Looks an initializer up by Keras name, with its Keras default arguments.</summary>
    public static KerasInitializer FromName(string name) => (name ?? "").Replace("_", "").ToLowerInvariant() switch
    {
        "zeros" or "zero" => Zeros,
        "ones" or "one" => Ones,
        "glorotuniform" or "xavieruniform" => GlorotUniform,
        "glorotnormal" or "xaviernormal" => GlorotNormal,
        "henormal" or "kaimingnormal" => HeNormal,
        "heuniform" or "kaiminguniform" => HeUniform,
        "lecunnormal" => LecunNormal,
        "lecununiform" => LecunUniform,
        "randomnormal" or "normal" => Normal(),
        "randomuniform" or "uniform" => Uniform(),
        "truncatednormal" => TruncatedNormal(),
        "constant" => Constant(0),
        _ => throw new ArgumentException($"Unknown initializer '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>(fan_in, fan_out) of a weight in PyTorch's layout [out, in, k…].</summary>
    public static (long FanIn, long FanOut) ComputeFans(long[] shape)
    {
        if (shape.Length == 0) return (1, 1);
        if (shape.Length == 1) return (shape[0], shape[0]);
        long receptiveField = 1;
        for (int i = 2; i < shape.Length; i++) receptiveField *= shape[i];
        return (shape[1] * receptiveField, shape[0] * receptiveField);
    }

    private enum FanMode { In, Average }

    /// <summary>
    /// Normal(mean, std²) restricted to [a, b] by inverse-CDF sampling, exactly as PyTorch's
    /// <c>torch.nn.init.trunc_normal_</c>. TorchSharp 0.107's own <c>trunc_normal_</c> swaps mean and std and drops
    /// the √2 (every element comes out equal to std), so it is not used.
    /// </summary>
    private static void TruncatedNormal_(Tensor tensor, double mean, double std, double a, double b)
    {
        double low = NormCdf((a - mean) / std), high = NormCdf((b - mean) / std);
        tensor.uniform_(2 * low - 1, 2 * high - 1);
        tensor.erfinv_();
        tensor.mul_(std * Math.Sqrt(2));
        tensor.add_(mean);
        tensor.clamp_(a, b);
    }

    // System.Math has no erf; libtorch's float64 erf matches Python's math.erf, which PyTorch's trunc_normal_ uses.
    private static double NormCdf(double x)
    {
        using var value = torch.tensor(x / Math.Sqrt(2), ScalarType.Float64);
        using var erf = value.erf();
        return (1 + erf.ToDouble()) / 2;
    }

    /// <summary>Keras VarianceScaling: variance scale / n, uniform (limit √(3·variance)) or truncated normal.</summary>
    private static void VarianceScaling(Tensor tensor, double scale, FanMode mode, bool uniform)
    {
        var (fanIn, fanOut) = ComputeFans(tensor.shape);
        double n = mode == FanMode.In ? fanIn : (fanIn + fanOut) / 2.0;
        double variance = scale / Math.Max(1.0, n);
        if (uniform)
        {
            double limit = Math.Sqrt(3 * variance);
            Init.uniform_(tensor, -limit, limit);
        }
        else
        {
            double std = Math.Sqrt(variance) / TruncatedStdCorrection;
            TruncatedNormal_(tensor, 0, std, -2 * std, 2 * std);
        }
    }
}

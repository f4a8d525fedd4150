namespace MnistMl.Torch.NN;

/// <summary>
/// In-place weight initialization (torch.nn.init) with Keras semantics for the variance-scaling family.
/// Fans follow PyTorch's weight layout: [out, in, kH, kW] gives fan_in = in·kH·kW, fan_out = out·kH·kW.
/// All draws come from libtorch's generator, so <see cref="torch.ManualSeed"/> makes them repeat.
/// </summary>
public static class Init
{
    /// <summary>Keras' correction so that a normal truncated at ±2σ keeps the requested variance.</summary>
    private const double TruncatedStdCorrection = 0.87962566103423978;

    public static (long FanIn, long FanOut) ComputeFans(long[] shape)
    {
        if (shape.Length == 0) return (1, 1);
        if (shape.Length == 1) return (shape[0], shape[0]);
        long receptiveField = 1;
        for (int i = 2; i < shape.Length; i++) receptiveField *= shape[i];
        return (shape[1] * receptiveField, shape[0] * receptiveField);
    }

    public static void Constant_(Tensor tensor, double value)
    {
        using var _ = torch.NoGrad();
        tensor.Fill_(value);
    }

    public static void Zeros_(Tensor tensor) => Constant_(tensor, 0);

    public static void Ones_(Tensor tensor) => Constant_(tensor, 1);

    public static void Uniform_(Tensor tensor, double from, double to)
    {
        using var _ = torch.NoGrad();
        tensor.Uniform_(from, to);
    }

    public static void Normal_(Tensor tensor, double mean, double std)
    {
        using var _ = torch.NoGrad();
        tensor.Normal_(mean, std);
    }

    /// <summary>
    /// Normal(mean, std²) restricted to [a, b] (default ±2·std, as Keras), drawn by inverse-CDF sampling
    /// exactly as torch.nn.init.trunc_normal_.
    /// </summary>
    public static void TruncatedNormal_(Tensor tensor, double mean, double std, double? a = null, double? b = null)
    {
        double low = a ?? mean - 2 * std, high = b ?? mean + 2 * std;
        static double NormCdf(double x) => (1 + Erf(x / Math.Sqrt(2))) / 2;
        double l = NormCdf((low - mean) / std), u = NormCdf((high - mean) / std);
        using var _ = torch.NoGrad();
        tensor.Uniform_(2 * l - 1, 2 * u - 1);
        tensor.Erfinv_();
        tensor.Mul_(std * Math.Sqrt(2));
        tensor.Add_(mean);
        tensor.Clamp_(low, high);
    }

    /// <summary>Keras VarianceScaling: variance scale / n with n = fan_in, fan_out or their mean.</summary>
    public static void VarianceScaling_(Tensor tensor, double scale, FanMode mode, VarianceDistribution distribution)
    {
        var (fanIn, fanOut) = ComputeFans(tensor.Shape);
        double n = mode switch
        {
            FanMode.FanIn => fanIn,
            FanMode.FanOut => fanOut,
            _ => (fanIn + fanOut) / 2.0,
        };
        double variance = scale / Math.Max(1.0, n);
        switch (distribution)
        {
            case VarianceDistribution.TruncatedNormal:
                TruncatedNormal_(tensor, 0, Math.Sqrt(variance) / TruncatedStdCorrection);
                break;
            case VarianceDistribution.UntruncatedNormal:
                Normal_(tensor, 0, Math.Sqrt(variance));
                break;
            default:
                double limit = Math.Sqrt(3 * variance);
                Uniform_(tensor, -limit, limit);
                break;
        }
    }

    public static void GlorotUniform_(Tensor t) => VarianceScaling_(t, 1, FanMode.FanAvg, VarianceDistribution.Uniform);
    public static void GlorotNormal_(Tensor t) => VarianceScaling_(t, 1, FanMode.FanAvg, VarianceDistribution.TruncatedNormal);
    public static void HeNormal_(Tensor t) => VarianceScaling_(t, 2, FanMode.FanIn, VarianceDistribution.TruncatedNormal);
    public static void HeUniform_(Tensor t) => VarianceScaling_(t, 2, FanMode.FanIn, VarianceDistribution.Uniform);
    public static void LecunNormal_(Tensor t) => VarianceScaling_(t, 1, FanMode.FanIn, VarianceDistribution.TruncatedNormal);
    public static void LecunUniform_(Tensor t) => VarianceScaling_(t, 1, FanMode.FanIn, VarianceDistribution.Uniform);

    // System.Math has no erf; libtorch's float64 erf matches Python's math.erf used by trunc_normal_.
    private static double Erf(double x)
    {
        using var t = torch.Scalar(x, ScalarType.Float64);
        using var e = t.Erf();
        return e.Item();
    }
}

public enum FanMode { FanIn, FanOut, FanAvg }

public enum VarianceDistribution { TruncatedNormal, UntruncatedNormal, Uniform }

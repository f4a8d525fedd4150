namespace MnistMl.Torch.Optim;

/// <summary>Range checks of optimizer hyper-parameters; each error names the C# parameter and its value.</summary>
internal static class HyperParameter
{
    /// <summary>A finite value above zero (learning rates, clipping thresholds).</summary>
    public static double Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number greater than 0, not {value}.");
        return value;
    }

    /// <summary>A finite value of at least zero (epsilon, weight decay, momentum, decays).</summary>
    public static double NonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number of at least 0, not {value}.");
        return value;
    }

    /// <summary>A value in [0, 1) (betas, rho: averaging coefficients).</summary>
    public static double Coefficient(double value, string name)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1), not {value}.");
        return value;
    }

    /// <summary>A value in [0, 1] (SGD dampening).</summary>
    public static double Fraction(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1], not {value}.");
        return value;
    }

    /// <summary>Null (option off) or a finite value above zero.</summary>
    public static double? PositiveOrNull(double? value, string name) => value is double v ? Positive(v, name) : null;
}

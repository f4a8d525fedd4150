namespace MnistMl.Features;

/// <summary>
/// How HOG normalizes the concatenated cell histograms of a block (v), with ε = 1e-5 as in skimage.
/// </summary>
public enum HogBlockNorm
{
    /// <summary>v / (‖v‖₁ + ε).</summary>
    L1,

    /// <summary>√(v / (‖v‖₁ + ε)).</summary>
    L1Sqrt,

    /// <summary>v / √(‖v‖₂² + ε²).</summary>
    L2,

    /// <summary>L2, then values clipped at 0.2, then L2 again (Lowe's hysteresis).</summary>
    L2Hys,
}

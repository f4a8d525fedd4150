namespace MnistMl.Transforms;

/// <summary>Whether normalization statistics are learned per element (pixel, feature) or over the whole column.</summary>
public enum NormalizationScope
{
    /// <summary>One statistic per element position (sklearn's scalers, per pixel).</summary>
    PerElement,

    /// <summary>One statistic for all elements of the column.</summary>
    Global,
}

/// <summary>The normalizations <see cref="NormalizingEstimator"/> learns.</summary>
public enum NormalizationKind
{
    /// <summary>(x − min) / (max − min), as sklearn's MinMaxScaler; a constant element maps to 0.</summary>
    MinMax,

    /// <summary>(x − mean) / std with the population std, as sklearn's StandardScaler; a constant element keeps scale 1.</summary>
    MeanVariance,
}

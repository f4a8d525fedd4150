namespace MnistMl.Transfer;

/// <summary>What an ONNX backbone file may not say about itself: where its features are, its input size, its normalization.</summary>
public sealed record BackboneOptions
{
    /// <summary>The node (or tensor) whose output is the feature map or vector; found by inspection when null.</summary>
    public string? FeatureNode { get; init; }

    /// <summary>The square input size, for a file whose input height and width are not fixed (or to check it).</summary>
    public int? InputSize { get; init; }

    /// <summary>Per-channel mean of [0, 1] inputs; the file's metadata, else ImageNet's, when null.</summary>
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Per-channel standard deviation of [0, 1] inputs; the file's metadata, else ImageNet's, when null.</summary>
    public IReadOnlyList<float>? Std { get; init; }

    public void Validate()
    {
        if (InputSize is < 1) throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, "InputSize must be at least 1.");
        if (FeatureNode is { Length: 0 }) throw new ArgumentException("FeatureNode may not be empty.", nameof(FeatureNode));
        if (Mean is { } mean && (mean.Count != 3 || mean.Any(v => !float.IsFinite(v))))
            throw new ArgumentException("Mean needs three finite numbers, one per channel.", nameof(Mean));
        if (Std is { } std && (std.Count != 3 || std.Any(v => !(v > 0) || !float.IsFinite(v))))
            throw new ArgumentException("Std needs three finite numbers greater than 0, one per channel.", nameof(Std));
    }
}

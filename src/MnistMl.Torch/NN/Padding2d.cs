namespace MnistMl.Torch.NN;

/// <summary>Padding of a convolution or pooling layer: Keras' "valid" and "same", or explicit symmetric amounts.</summary>
public readonly record struct Padding2d
{
    private Padding2d(string kind, long h, long w)
    {
        Kind = kind;
        H = h;
        W = w;
    }

    /// <summary>"valid", "same" or "explicit".</summary>
    public string Kind { get; }
    public long H { get; }
    public long W { get; }

    public static Padding2d Valid { get; } = new("valid", 0, 0);

    /// <summary>TensorFlow/Keras "same": output = ceil(input / stride), odd totals put the extra row/column bottom/right.</summary>
    public static Padding2d Same { get; } = new("same", 0, 0);

    public static Padding2d Explicit(long h, long w)
    {
        if (h < 0 || w < 0) throw new ArgumentOutOfRangeException(nameof(h), $"Padding ({h}, {w}) must not be negative.");
        return new("explicit", h, w);
    }

    /// <summary>Parses "valid" or "same" (Keras' padding argument).</summary>
    public static Padding2d Parse(string value) => value.ToLowerInvariant() switch
    {
        "valid" => Valid,
        "same" => Same,
        _ => throw new ArgumentException($"Unknown padding '{value}'; use 'valid' or 'same'.", nameof(value)),
    };

    public override string ToString() => Kind == "explicit" ? $"({H}, {W})" : Kind;

    /// <summary>
    /// Resolves to a symmetric padding the libtorch kernel takes, plus an extra (left, right, top, bottom) pad to apply
    /// first when "same" needs an asymmetric one.
    /// </summary>
    internal ((long H, long W) Symmetric, long[]? Extra) Resolve(long inputH, long inputW, (long H, long W) kernel, (long H, long W) stride, (long H, long W) dilation)
    {
        if (Kind == "valid") return ((0, 0), null);
        if (Kind == "explicit") return ((H, W), null);
        var (left, right, top, bottom) = Functional.SamePadding(inputH, inputW, kernel, stride, dilation);
        if (left == right && top == bottom) return ((top, left), null);
        return ((0, 0), [left, right, top, bottom]);
    }
}

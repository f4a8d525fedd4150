namespace MnistMl.Trainers.Keras;

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
    public static Padding2d Parse(string value) => (value ?? "").ToLowerInvariant() switch
    {
        "valid" => Valid,
        "same" => Same,
        _ => throw new ArgumentException($"Unknown padding '{value}'; use 'valid' or 'same'.", nameof(value)),
    };

    public override string ToString() => Kind == "explicit" ? $"({H}, {W})" : Kind;

    /// <summary>
    /// The padding for an input of <paramref name="inputH"/>×<paramref name="inputW"/> as (left, right, top, bottom):
    /// TensorFlow's "same" rule (PyTorch's padding="same" allows stride 1 only), or the explicit amounts.
    /// </summary>
    public (long Left, long Right, long Top, long Bottom) Resolve(long inputH, long inputW, (long H, long W) kernel, (long H, long W) stride, (long H, long W) dilation)
    {
        if (Kind == "valid") return (0, 0, 0, 0);
        if (Kind == "explicit") return (W, W, H, H);
        static (long, long) Along(long size, long k, long s, long d)
        {
            long effective = (k - 1) * d + 1;
            long output = (size + s - 1) / s;
            long total = Math.Max((output - 1) * s + effective - size, 0);
            return (total / 2, total - total / 2);
        }
        var (top, bottom) = Along(inputH, kernel.H, stride.H, dilation.H);
        var (left, right) = Along(inputW, kernel.W, stride.W, dilation.W);
        return (left, right, top, bottom);
    }
}

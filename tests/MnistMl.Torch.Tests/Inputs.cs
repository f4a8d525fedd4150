namespace MnistMl.Torch.Tests;

/// <summary>
/// The fixed input formulas shared with tests/reference/torch_parity.py (its make/upstream/classes functions):
/// element i (row-major) of an input with salt s is float32(offset + scale · sin(0.37 i + 0.11 s + 0.5)),
/// computed in float64 and then rounded to float32.
/// </summary>
internal static class Inputs
{
    /// <summary>Salt of the upstream gradient G used in (output · G).sum().backward().</summary>
    public const int UpstreamSalt = 97;

    public static float Element(long i, int salt, double scale = 1, double offset = 0) =>
        (float)(offset + scale * Math.Sin(0.37 * i + 0.11 * salt + 0.5));

    /// <summary>A float32 tensor of <paramref name="shape"/> (empty shape: a 0-d tensor) filled by the formula.</summary>
    public static Tensor Make(long[] shape, int salt, double scale = 1, double offset = 0)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var data = new float[count];
        for (long i = 0; i < count; i++) data[i] = Element(i, salt, scale, offset);
        if (shape.Length == 0) return torch.Scalar(data[0]);
        return torch.FromArray(data, shape);
    }

    /// <summary>The upstream gradient G for an output of <paramref name="shape"/>.</summary>
    public static Tensor Upstream(long[] shape) => Make(shape, UpstreamSalt);

    /// <summary>Class indices (3 i + salt) mod <paramref name="numClasses"/>, int64.</summary>
    public static Tensor Classes(int count, int numClasses, int salt)
    {
        var data = new long[count];
        for (int i = 0; i < count; i++) data[i] = (3L * i + salt) % numClasses;
        return torch.FromArray(data);
    }
}

using System.Globalization;
using Microsoft.ML.Data;
using MnistMl.Onnx;

namespace MnistMl.Transforms;

/// <summary>
/// x · factor for every element (Keras' x / 255 with the default factor 1/255: pixels 0–255 become 0–1). A factor
/// that is the inverse of a whole number is applied as a Single division by that number — exactly numpy's
/// float32 x / 255, and exactly what the ONNX Div of the export computes, so HOG features of scaled pixels do not
/// move a gradient across an orientation-bin edge between the two (a multiplication by float32(1/255) rounds 126 of
/// the 256 byte values differently). Other factors multiply by float32(factor).
/// </summary>
public sealed class PixelScalingTransformer : ImageVectorTransformer
{
    internal PixelScalingTransformer(string outputColumnName, string inputColumnName, VectorDataViewType inputType, double factor)
        : base(outputColumnName, inputColumnName, inputType, inputType)
    {
        Factor = factor;
        double divisor = 1 / factor;
        if (Math.Abs(divisor - Math.Round(divisor)) <= 1e-9 * Math.Abs(divisor)) Divisor = (float)Math.Round(divisor);
    }

    internal static void Check(double factor)
    {
        if (!double.IsFinite(factor) || factor == 0) throw new ArgumentOutOfRangeException(nameof(factor), factor, "ScalePixels: the factor must be finite and non-zero.");
    }

    public double Factor { get; }

    /// <summary>The whole number divided by, when the factor is its inverse (255 for 1/255); else null.</summary>
    public float? Divisor { get; }

    public override string TransformName => "ScalePixels";

    public override string Description => string.Create(CultureInfo.InvariantCulture, $"{OutputColumnName} = {InputColumnName} × {Factor:G9}");

    internal override void Map(ReadOnlySpan<float> input, Span<float> output)
    {
        if (Divisor is { } d)
            for (int i = 0; i < input.Length; i++) output[i] = input[i] / d;
        else
        {
            float f = (float)Factor;
            for (int i = 0; i < input.Length; i++) output[i] = input[i] * f;
        }
    }

    internal override string WriteOnnx(OnnxGraphBuilder g, string x, string name) => Divisor is { } d
        ? g.Node("Div", [x, g.Scalar($"{name}/scale_divisor", d)], $"{name}/ScalePixels")
        : g.Node("Mul", [x, g.Scalar($"{name}/scale_factor", (float)Factor)], $"{name}/ScalePixels");
}

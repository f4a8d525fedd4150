using System.Globalization;
using Microsoft.ML.Data;
using MnistMl.Onnx;

namespace MnistMl.Transforms;

/// <summary>Pads images [C, H, W] with a constant border (28×28 → 32×32 with 2 pixels a side, MobileNetV2's minimum size).</summary>
public sealed class ImagePaddingTransformer : ImageVectorTransformer
{
    internal ImagePaddingTransformer(string outputColumnName, string inputColumnName, VectorDataViewType inputType, (int Top, int Bottom, int Left, int Right) padding, float value)
        : base(outputColumnName, inputColumnName, inputType, OutputTypeFor(inputColumnName, inputType, padding))
    {
        Padding = padding;
        Value = value;
    }

    internal static void Check((int Top, int Bottom, int Left, int Right) p)
    {
        if (p.Top < 0 || p.Bottom < 0 || p.Left < 0 || p.Right < 0)
            throw new ArgumentOutOfRangeException("padding", $"PadImages: padding (top {p.Top}, bottom {p.Bottom}, left {p.Left}, right {p.Right}) must not be negative.");
    }

    public (int Top, int Bottom, int Left, int Right) Padding { get; }
    public float Value { get; }

    public override string TransformName => "PadImages";

    public override string Description => string.Create(CultureInfo.InvariantCulture,
        $"{OutputColumnName} = {InputColumnName} padded with {Value:G9} (top {Padding.Top}, bottom {Padding.Bottom}, left {Padding.Left}, right {Padding.Right})");

    private static VectorDataViewType OutputTypeFor(string inputColumnName, VectorDataViewType inputType, (int Top, int Bottom, int Left, int Right) p)
    {
        var d = ImageColumns.Require(inputType, inputColumnName, "PadImages", rank: 3).Dimensions;
        return new VectorDataViewType(NumberDataViewType.Single, d[0], d[1] + p.Top + p.Bottom, d[2] + p.Left + p.Right);
    }

    internal override void Map(ReadOnlySpan<float> input, Span<float> output)
    {
        var d = InputType.Dimensions;
        int channels = d[0], height = d[1], width = d[2];
        int outHeight = OutputType.Dimensions[1], outWidth = OutputType.Dimensions[2];
        output.Fill(Value);
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
                input.Slice((c * height + y) * width, width).CopyTo(output.Slice((c * outHeight + y + Padding.Top) * outWidth + Padding.Left, width));
    }

    internal override string WriteOnnx(OnnxGraphBuilder g, string x, string name)
    {
        var pads = g.Int64s($"{name}/pads", [0, 0, Padding.Top, Padding.Left, 0, 0, Padding.Bottom, Padding.Right]);
        return g.Node("Pad", [x, pads, g.Scalar($"{name}/pad_value", Value)], $"{name}/PadImages", OnnxAttributes.String("mode", "constant"));
    }
}

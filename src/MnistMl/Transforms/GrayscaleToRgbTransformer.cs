using Microsoft.ML.Data;
using MnistMl.Onnx;

namespace MnistMl.Transforms;

/// <summary>[1, H, W] → [3, H, W] by repeating the gray channel (what RGB backbones such as MobileNetV2 read).</summary>
public sealed class GrayscaleToRgbTransformer : ImageVectorTransformer
{
    internal GrayscaleToRgbTransformer(string outputColumnName, string inputColumnName, VectorDataViewType inputType)
        : base(outputColumnName, inputColumnName, inputType, OutputTypeFor(inputColumnName, inputType))
    {
    }

    public override string TransformName => "ConvertGrayscaleToRgb";

    public override string Description => $"{OutputColumnName} = {InputColumnName}'s channel repeated 3 times";

    private static VectorDataViewType OutputTypeFor(string inputColumnName, VectorDataViewType inputType)
    {
        var d = ImageColumns.Require(inputType, inputColumnName, "ConvertGrayscaleToRgb", rank: 3).Dimensions;
        if (d[0] != 1) throw new ArgumentException($"ConvertGrayscaleToRgb: column '{inputColumnName}' has {d[0]} channels; it needs grayscale images [1, height, width].");
        return new VectorDataViewType(NumberDataViewType.Single, 3, d[1], d[2]);
    }

    internal override void Map(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int c = 0; c < 3; c++) input.CopyTo(output.Slice(c * input.Length, input.Length));
    }

    internal override string WriteOnnx(OnnxGraphBuilder g, string x, string name) =>
        g.Node("Concat", [x, x, x], $"{name}/ConvertGrayscaleToRgb", OnnxAttributes.Int("axis", 1));
}

using TorchSharp;
using static TorchSharp.torch;
using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>Repeats a single-channel image [1, H, W] into three identical channels [3, H, W] (for RGB backbones such as MobileNetV2).</summary>
public sealed class GrayscaleToRgbTransformer(string outputColumnName, string? inputColumnName = null) : MappingTransformer
{
    public string OutputColumnName { get; } = outputColumnName;
    public string InputColumnName { get; } = inputColumnName ?? outputColumnName;

    public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
    {
        var input = ColumnChecks.Image(inputSchema, InputColumnName, "ConvertGrayscaleToRgb", channels: 1);
        var d = input.Type.Dimensions;
        var type = new ColumnType(input.Type.ElementType, [3, d[1], d[2]]);
        return [new(new(OutputColumnName, type), [InputColumnName], x =>
        {
            using var expanded = x[0].expand(-1, 3, -1, -1);
            return expanded.contiguous();
        })];
    }
}

using TorchSharp;
using static TorchSharp.torch;
using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>Pads images [C, H, W] with a constant border (e.g. 28×28 → 32×32 with 2 pixels a side, for MobileNetV2's minimum size).</summary>
public sealed class ImagePaddingTransformer : MappingTransformer
{
    public ImagePaddingTransformer(string outputColumnName, string? inputColumnName, int top, int bottom, int left, int right, double value = 0)
    {
        if (top < 0 || bottom < 0 || left < 0 || right < 0)
            throw new ArgumentOutOfRangeException(nameof(top), $"Padding (top {top}, bottom {bottom}, left {left}, right {right}) must not be negative.");
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName ?? outputColumnName;
        (Top, Bottom, Left, Right, Value) = (top, bottom, left, right, value);
    }

    public string OutputColumnName { get; }
    public string InputColumnName { get; }
    public int Top { get; }
    public int Bottom { get; }
    public int Left { get; }
    public int Right { get; }
    public double Value { get; }

    public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
    {
        var input = ColumnChecks.Image(inputSchema, InputColumnName, "PadImages");
        var d = input.Type.Dimensions;
        var type = new ColumnType(input.Type.ElementType, [d[0], d[1] + Top + Bottom, d[2] + Left + Right]);
        return [new(new(OutputColumnName, type), [InputColumnName], x => nn.functional.pad(x[0], new long[] { Left, Right, Top, Bottom }, PaddingModes.Constant, Value))];
    }
}

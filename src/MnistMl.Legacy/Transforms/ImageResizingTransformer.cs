using TorchSharp;
using static TorchSharp.torch;
using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// Resizes images [C, H, W] to a given height and width by bilinear interpolation (PyTorch's
/// interpolate(mode="bilinear", align_corners=False), no antialiasing); float32 output.
/// </summary>
public sealed class ImageResizingTransformer : MappingTransformer
{
    public ImageResizingTransformer(string outputColumnName, string? inputColumnName, int height, int width)
    {
        if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "The image height must be positive.");
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "The image width must be positive.");
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName ?? outputColumnName;
        (Height, Width) = (height, width);
    }

    public string OutputColumnName { get; }
    public string InputColumnName { get; }
    public int Height { get; }
    public int Width { get; }

    public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
    {
        var input = ColumnChecks.Image(inputSchema, InputColumnName, "ResizeImages");
        var type = ColumnType.Image(ScalarType.Float32, input.Type.Dimensions[0], Height, Width);
        return [new(new(OutputColumnName, type), [InputColumnName], x =>
        {
            using var image = ColumnChecks.AsFloat(x[0]);
            return nn.functional.interpolate(image, [Height, Width], mode: InterpolationMode.Bilinear, align_corners: false);
        })];
    }
}

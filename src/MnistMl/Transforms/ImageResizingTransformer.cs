using System.Globalization;
using Microsoft.ML.Data;
using MnistMl.Onnx;

namespace MnistMl.Transforms;

/// <summary>
/// Resizes images [C, H, W] to [C, height, width] by bilinear interpolation with half-pixel centers, as PyTorch's
/// <c>F.interpolate(mode="bilinear", align_corners=False)</c> (no antialiasing) and ONNX's Resize (linear,
/// pytorch_half_pixel) compute it: source coordinate (d + 0.5)·in/out − 0.5, clamped at the borders. For the
/// backbone input sizes a pad cannot reach (28×28 → 64×64, 96×96, …).
/// </summary>
public sealed class ImageResizingTransformer : ImageVectorTransformer
{
    private readonly (int Low, int High, float Weight)[] rows, columns;

    internal ImageResizingTransformer(string outputColumnName, string inputColumnName, VectorDataViewType inputType, int height, int width)
        : base(outputColumnName, inputColumnName, inputType, OutputTypeFor(inputColumnName, inputType, height, width))
    {
        Height = height;
        Width = width;
        rows = Taps(InputType.Dimensions[1], height);
        columns = Taps(InputType.Dimensions[2], width);
    }

    internal static void Check(int height, int width)
    {
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"ResizeImages: the size {height}×{width} must be at least 1×1.");
    }

    public int Height { get; }
    public int Width { get; }

    public override string TransformName => "ResizeImages";

    public override string Description => string.Create(CultureInfo.InvariantCulture, $"{OutputColumnName} = {InputColumnName} resized to {Height}×{Width} (bilinear, half-pixel)");

    private static VectorDataViewType OutputTypeFor(string inputColumnName, VectorDataViewType inputType, int height, int width)
    {
        var d = ImageColumns.Require(inputType, inputColumnName, "ResizeImages", rank: 3).Dimensions;
        return new VectorDataViewType(NumberDataViewType.Single, d[0], height, width);
    }

    /// <summary>For each output position: the two source positions and the weight of the second.</summary>
    private static (int, int, float)[] Taps(int size, int outSize)
    {
        var taps = new (int, int, float)[outSize];
        float scale = (float)size / outSize;
        for (int d = 0; d < outSize; d++)
        {
            float source = Math.Max((d + 0.5f) * scale - 0.5f, 0f);
            int low = Math.Min((int)source, size - 1);
            int high = Math.Min(low + 1, size - 1);
            taps[d] = (low, high, source - low);
        }
        return taps;
    }

    internal override void Map(ReadOnlySpan<float> input, Span<float> output)
    {
        var d = InputType.Dimensions;
        int channels = d[0], height = d[1], width = d[2];
        for (int c = 0; c < channels; c++)
        {
            var plane = input.Slice(c * height * width, height * width);
            for (int y = 0; y < Height; y++)
            {
                var (y0, y1, wy) = rows[y];
                for (int x = 0; x < Width; x++)
                {
                    var (x0, x1, wx) = columns[x];
                    float top = plane[y0 * width + x0] * (1 - wx) + plane[y0 * width + x1] * wx;
                    float bottom = plane[y1 * width + x0] * (1 - wx) + plane[y1 * width + x1] * wx;
                    output[(c * Height + y) * Width + x] = top * (1 - wy) + bottom * wy;
                }
            }
        }
    }

    internal override string WriteOnnx(OnnxGraphBuilder g, string x, string name)
    {
        // sizes = [N, C] of the input, then the target height and width.
        var shape = g.Node("Shape", [x], $"{name}/shape");
        var batchAndChannels = g.Node("Slice", [shape, g.Int64s($"{name}/start", [0]), g.Int64s($"{name}/end", [2])], $"{name}/batch_channels");
        var sizes = g.Node("Concat", [batchAndChannels, g.Int64s($"{name}/size", [Height, Width])], $"{name}/sizes", OnnxAttributes.Int("axis", 0));
        return g.Node("Resize", [x, "", "", sizes], $"{name}/ResizeImages",
            OnnxAttributes.String("mode", "linear"), OnnxAttributes.String("coordinate_transformation_mode", "pytorch_half_pixel"));
    }
}

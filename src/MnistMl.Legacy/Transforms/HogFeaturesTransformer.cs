using MnistMl.Data;
using MnistMl.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Transforms;

/// <summary>
/// Histogram-of-oriented-gradients features of single-channel images [1, H, W] (skimage.feature.hog with
/// feature_vector=True), as a float32 vector column. Pixels are used as they come: scaling them changes the
/// features only through the block norms' eps and through TransformSqrt, as in skimage.
/// </summary>
public sealed class HogFeaturesTransformer : MappingTransformer
{
    public HogFeaturesTransformer(string outputColumnName, string? inputColumnName, HogOptions options)
    {
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName ?? outputColumnName;
        Options = options;
    }

    public string OutputColumnName { get; }
    public string InputColumnName { get; }
    public HogOptions Options { get; }

    public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
    {
        var input = ColumnChecks.Image(inputSchema, InputColumnName, "ExtractHogFeatures", channels: 1);
        int height = checked((int)input.Type.Dimensions[1]), width = checked((int)input.Type.Dimensions[2]);
        Options.Validate(height, width);
        int length = Options.FeatureLength(height, width);
        return [new(new(OutputColumnName, ColumnType.Vector(ScalarType.Float32, length)), [InputColumnName], x =>
        {
            using var images = ColumnChecks.AsFloat(x[0]);
            var pixels = images.contiguous().data<float>().ToArray();
            var features = new float[x[0].size(0) * length];
            new HogDescriptor(Options, height, width).ComputeBatch(pixels, features);
            return torch.tensor(features, [x[0].size(0), length]);
        })];
    }
}

using Microsoft.ML.Data;
using MnistMl.Features;
using MnistMl.Onnx;

namespace MnistMl.Transforms;

/// <summary>
/// HOG features (<see cref="HogDescriptor"/>, skimage.feature.hog's algorithm) of single-channel images
/// [1, height, width] into a float vector [features].
/// </summary>
public sealed class HogFeaturesTransformer : ImageVectorTransformer
{
    private readonly HogDescriptor descriptor;

    internal HogFeaturesTransformer(string outputColumnName, string inputColumnName, VectorDataViewType inputType, HogOptions options)
        : base(outputColumnName, inputColumnName, inputType, OutputTypeFor(inputColumnName, inputType, options))
    {
        Options = options;
        descriptor = new HogDescriptor(options, inputType.Dimensions[1], inputType.Dimensions[2]);
    }

    public HogOptions Options { get; }

    public override string TransformName => "ExtractHogFeatures";

    public override string Description =>
        $"{OutputColumnName} = HOG of {InputColumnName} (orientations {Options.Orientations}, pixels per cell {Options.PixelsPerCell.Height}×{Options.PixelsPerCell.Width}, " +
        $"cells per block {Options.CellsPerBlock.Height}×{Options.CellsPerBlock.Width}, block norm {Options.BlockNorm}{(Options.TransformSqrt ? ", square root of the pixels first" : "")})";

    private static VectorDataViewType OutputTypeFor(string inputColumnName, VectorDataViewType inputType, HogOptions options)
    {
        ImageColumns.Require(inputType, inputColumnName, "ExtractHogFeatures", rank: 3);
        if (inputType.Dimensions[0] != 1)
            throw new ArgumentException($"ExtractHogFeatures: column '{inputColumnName}' has {inputType.Dimensions[0]} channels; HOG needs grayscale images [1, height, width].");
        int height = inputType.Dimensions[1], width = inputType.Dimensions[2];
        options.Validate(height, width);
        return new VectorDataViewType(Microsoft.ML.Data.NumberDataViewType.Single, options.FeatureLength(height, width));
    }

    internal override void Map(ReadOnlySpan<float> input, Span<float> output) => descriptor.Compute(input, output);

    internal override string WriteOnnx(OnnxGraphBuilder g, string x, string name) =>
        OnnxHogWriter.Write(g, Options, x, InputType.Dimensions[1], InputType.Dimensions[2], name);
}

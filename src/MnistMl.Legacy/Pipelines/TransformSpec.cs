using System.Text.Json.Serialization;
using MnistMl.Data;
using MnistMl.Features;
using MnistMl.Transforms;

namespace MnistMl.Pipelines;

/// <summary>
/// A transform step of a pipeline file ("type" plus arguments, snake_case). It creates the estimator, and, for
/// steps that learn something (normalizers), saves and restores the learned values so a model file reproduces
/// the fitted transformer exactly.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ScalePixelsStep), "ScalePixels")]
[JsonDerivedType(typeof(NormalizeStep), "Normalize")]
[JsonDerivedType(typeof(HogStep), "ExtractHogFeatures")]
[JsonDerivedType(typeof(PadImagesStep), "PadImages")]
[JsonDerivedType(typeof(ResizeImagesStep), "ResizeImages")]
[JsonDerivedType(typeof(GrayscaleToRgbStep), "ConvertGrayscaleToRgb")]
[JsonDerivedType(typeof(NormalizeImageNetStep), "NormalizeImageNet")]
[JsonDerivedType(typeof(FlattenStep), "Flatten")]
[JsonDerivedType(typeof(ReshapeStep), "Reshape")]
public abstract record TransformSpec
{
    /// <summary>The column written; also the column read unless <see cref="Input"/> is set.</summary>
    public string Output { get; init; } = "Image";
    public string? Input { get; init; }

    public abstract IEstimator<ITransformer> CreateEstimator(MLContext context);

    /// <summary>What the fitted transformer learned, to store in a model file (nothing for most steps).</summary>
    public virtual Dictionary<string, double[]> SaveState(ITransformer fitted) => [];

    /// <summary>The fitted transformer from stored state, without refitting.</summary>
    public virtual ITransformer Restore(MLContext context, IReadOnlyDictionary<string, double[]> state, DataViewSchema inputSchema) =>
        CreateEstimator(context).Fit(new InMemoryDataView(inputSchema, 0, inputSchema.Select(_ => Array.Empty<byte>()).ToArray()));
}

public sealed record ScalePixelsStep : TransformSpec
{
    public double Factor { get; init; } = 1.0 / 255;
    public override IEstimator<ITransformer> CreateEstimator(MLContext context) => context.Transforms.ScalePixels(Output, Input, Factor);
}

/// <summary>"kind": min_max or mean_variance; "scope": per_element or global.</summary>
public sealed record NormalizeStep : TransformSpec
{
    public string Kind { get; init; } = "mean_variance";
    public string Scope { get; init; } = "per_element";

    private NormalizationKind ParsedKind => Kind.Replace("_", "").ToLowerInvariant() switch
    {
        "minmax" => NormalizationKind.MinMax,
        "meanvariance" => NormalizationKind.MeanVariance,
        _ => throw new ArgumentException($"Normalize: unknown kind '{Kind}'; use min_max or mean_variance."),
    };

    private NormalizationScope ParsedScope => Scope.Replace("_", "").ToLowerInvariant() switch
    {
        "perelement" => NormalizationScope.PerElement,
        "global" => NormalizationScope.Global,
        _ => throw new ArgumentException($"Normalize: unknown scope '{Scope}'; use per_element or global."),
    };

    public override IEstimator<ITransformer> CreateEstimator(MLContext context) =>
        new NormalizingEstimator(ParsedKind, Output, Input, ParsedScope);

    public override Dictionary<string, double[]> SaveState(ITransformer fitted)
    {
        var normalizer = (NormalizingTransformer)fitted;
        return new() { ["offset"] = [.. normalizer.Offset], ["scale"] = [.. normalizer.Scale] };
    }

    public override ITransformer Restore(MLContext context, IReadOnlyDictionary<string, double[]> state, DataViewSchema inputSchema) =>
        new NormalizingTransformer(Output, Input ?? Output, state["offset"], state["scale"], ParsedKind);
}

public sealed record HogStep : TransformSpec
{
    public int Orientations { get; init; } = 9;
    public int[] PixelsPerCell { get; init; } = [8, 8];
    public int[] CellsPerBlock { get; init; } = [3, 3];
    /// <summary>L1, L1-sqrt, L2 or L2-Hys (skimage's names).</summary>
    public string BlockNorm { get; init; } = "L2-Hys";
    public bool TransformSqrt { get; init; }

    public HogOptions Options => new()
    {
        Orientations = Orientations,
        PixelsPerCell = Pair(PixelsPerCell, "pixels_per_cell"),
        CellsPerBlock = Pair(CellsPerBlock, "cells_per_block"),
        BlockNorm = BlockNorm.Replace("-", "").ToLowerInvariant() switch
        {
            "l1" => HogBlockNorm.L1,
            "l1sqrt" => HogBlockNorm.L1Sqrt,
            "l2" => HogBlockNorm.L2,
            "l2hys" => HogBlockNorm.L2Hys,
            _ => throw new ArgumentException($"ExtractHogFeatures: unknown block_norm '{BlockNorm}'; use L1, L1-sqrt, L2 or L2-Hys."),
        },
        TransformSqrt = TransformSqrt,
    };

    private static (int, int) Pair(int[] values, string name) => values.Length switch
    {
        1 => (values[0], values[0]),
        2 => (values[0], values[1]),
        _ => throw new ArgumentException($"ExtractHogFeatures: {name} needs one or two sizes."),
    };

    public override IEstimator<ITransformer> CreateEstimator(MLContext context) => context.Transforms.ExtractHogFeatures(Output, Input, Options);
}

public sealed record PadImagesStep : TransformSpec
{
    public int Padding { get; init; } = 2;
    public double Value { get; init; }
    public override IEstimator<ITransformer> CreateEstimator(MLContext context) => context.Transforms.PadImages(Output, Input, Padding, Value);
}

public sealed record ResizeImagesStep : TransformSpec
{
    public int Height { get; init; }
    public int Width { get; init; }
    public override IEstimator<ITransformer> CreateEstimator(MLContext context) => context.Transforms.ResizeImages(Output, Height, Width, Input);
}

public sealed record GrayscaleToRgbStep : TransformSpec
{
    public override IEstimator<ITransformer> CreateEstimator(MLContext context) => context.Transforms.ConvertGrayscaleToRgb(Output, Input);
}

public sealed record NormalizeImageNetStep : TransformSpec
{
    public override IEstimator<ITransformer> CreateEstimator(MLContext context) => context.Transforms.NormalizeImageNet(Output, Input);
}

public sealed record FlattenStep : TransformSpec
{
    public override IEstimator<ITransformer> CreateEstimator(MLContext context) => context.Transforms.Flatten(Output, Input);
}

public sealed record ReshapeStep : TransformSpec
{
    public long[] Dimensions { get; init; } = [];
    public override IEstimator<ITransformer> CreateEstimator(MLContext context) => context.Transforms.Reshape(Output, Dimensions, Input);
}

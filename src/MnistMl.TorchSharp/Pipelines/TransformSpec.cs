using System.Text.Json.Serialization;
using Microsoft.ML;
using MnistMl.Features;
using MnistMl.Transforms;

namespace MnistMl.Pipelines;

/// <summary>
/// A transform step of a pipeline file ("type" plus arguments, snake_case): it creates the ML.NET estimator —
/// MnistMl's image transforms, or ML.NET's own normalizers for "Normalize".
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ScalePixelsStep), "ScalePixels")]
[JsonDerivedType(typeof(NormalizeStep), "Normalize")]
[JsonDerivedType(typeof(HogStep), "ExtractHogFeatures")]
[JsonDerivedType(typeof(PadImagesStep), "PadImages")]
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

    /// <summary>Whether the step learns from the training data (its fitted transformer is kept in the model file).</summary>
    public virtual bool Learns => false;
}

public sealed record ScalePixelsStep : TransformSpec
{
    public double Factor { get; init; } = 1.0 / 255;
    public override IEstimator<ITransformer> CreateEstimator(MLContext context) => context.Transforms.ScalePixels(Output, Input, Factor);
}

/// <summary>ML.NET's normalizers: "kind" min_max (NormalizeMinMax) or mean_variance (NormalizeMeanVariance), per slot, fitted on the training rows.</summary>
public sealed record NormalizeStep : TransformSpec
{
    public string Kind { get; init; } = "mean_variance";

    public override bool Learns => true;

    public override IEstimator<ITransformer> CreateEstimator(MLContext context) => Kind.Replace("_", "").ToLowerInvariant() switch
    {
        "minmax" => context.Transforms.NormalizeMinMax(Output, Input),
        "meanvariance" => context.Transforms.NormalizeMeanVariance(Output, Input),
        _ => throw new ArgumentException($"Normalize: unknown kind '{Kind}'; use min_max or mean_variance."),
    };
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
    public float Value { get; init; }
    public override IEstimator<ITransformer> CreateEstimator(MLContext context) => context.Transforms.PadImages(Output, Input, Padding, Value);
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
    public int[] Dimensions { get; init; } = [];
    public override IEstimator<ITransformer> CreateEstimator(MLContext context) => context.Transforms.Reshape(Output, Dimensions, Input);
}

using System.Text.Json.Serialization;
using Microsoft.ML;
using MnistMl.Features;
using MnistMl.Transfer;
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
[JsonDerivedType(typeof(ApplyBackboneStep), "ApplyBackbone")]
[JsonDerivedType(typeof(ResizeImagesStep), "ResizeImages")]
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

/// <summary>Bilinear resize to "height" × "width" (a backbone's input size: 64, 96, …).</summary>
public sealed record ResizeImagesStep : TransformSpec
{
    public int Height { get; init; } = 32;
    public int Width { get; init; } = 32;
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
    public int[] Dimensions { get; init; } = [];
    public override IEstimator<ITransformer> CreateEstimator(MLContext context) => context.Transforms.Reshape(Output, Dimensions, Input);
}

/// <summary>
/// A frozen ONNX backbone (<c>ml.Transforms.ApplyBackbone</c>): "input" images [3, H, W] → "output" pooled
/// features. The path is read when the pipeline is fitted; a model file carries the cut graph itself
/// (<see cref="PipelineModelFile"/>), so it loads without the backbone file.
/// </summary>
public sealed record ApplyBackboneStep : TransformSpec
{
    public ApplyBackboneStep()
    {
        Output = "Features";
        Input = "Image";
    }

    /// <summary>The backbone's ONNX file (relative to the current directory).</summary>
    public string Backbone { get; init; } = "";

    /// <summary>The node or tensor of the features, where inspection should not find it.</summary>
    public string? FeatureNode { get; init; }

    /// <summary>The input size for a backbone file that leaves it open.</summary>
    public int? InputSize { get; init; }

    /// <summary>Run on this CUDA device (needs ONNX Runtime's GPU build; see the README).</summary>
    public int? GpuDeviceId { get; init; }

    /// <summary>With <see cref="GpuDeviceId"/>: run on the CPU where CUDA is not available instead of failing.</summary>
    public bool FallbackToCpu { get; init; }

    /// <summary>The cut graph, when it comes from a model file rather than <see cref="Backbone"/>.</summary>
    [JsonIgnore]
    public byte[]? FeatureModel { get; init; }

    /// <summary>The cut graph ApplyOnnxModel runs: the embedded one, else read from <see cref="Backbone"/>.</summary>
    public byte[] ResolveFeatureModel()
    {
        if (FeatureModel is not null) return FeatureModel;
        if (string.IsNullOrEmpty(Backbone)) throw new ArgumentException("ApplyBackbone: set \"backbone\" to an ONNX backbone file.");
        return OnnxBackbone.Load(Backbone, new BackboneOptions { FeatureNode = FeatureNode, InputSize = InputSize }).FeatureModel(Input ?? Output, Output);
    }

    public override IEstimator<ITransformer> CreateEstimator(MLContext context)
    {
        if ((Input ?? Output) == Output) throw new ArgumentException($"ApplyBackbone: its output column '{Output}' must differ from its input column.");
        return context.Transforms.ApplyFeatureModel(Output, ResolveFeatureModel(), Input ?? Output, GpuDeviceId, FallbackToCpu);
    }
}

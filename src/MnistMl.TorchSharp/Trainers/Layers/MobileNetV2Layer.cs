using System.Text.Json.Serialization;
using MnistMl.Trainers.Transfer;
using MnistMl.Transfer;

namespace MnistMl.Trainers.Layers;

/// <summary>
/// Keras' <c>MobileNetV2(include_top=False, weights=…, alpha=…)</c> used as a layer: TorchVision's MobileNetV2
/// features (<see cref="MobileNetV2Features"/>) on RGB images [3, H, W] normalized as the backbone was trained
/// (ImageNet's mean and std for torchvision and model-zoo files), giving [1280, ⌈H/32⌉, ⌈W/32⌉]; follow it with
/// GlobalAveragePooling2D. <see cref="Weights"/> imports a pretrained ONNX backbone (<see cref="MobileNetV2Weights"/>);
/// without it the weights start as torchvision initializes them.
/// </summary>
public sealed record MobileNetV2Layer : LayerSpec
{
    /// <summary>The width multiplier; inferred from <see cref="Weights"/> when null, else 1.0.</summary>
    public double? Alpha { get; init; }

    /// <summary>An ONNX MobileNetV2 file whose weights are imported (null: torchvision's random initialization).</summary>
    public string? Weights { get; init; }

    /// <summary>Keras' <c>base_model.trainable</c>: false freezes the whole backbone.</summary>
    public bool Trainable { get; init; } = true;

    /// <summary>When set (and trainable), only the last this-many entries of the 19 in <c>features</c> train; the rest are frozen.</summary>
    public int? TrainableBlocks { get; init; }

    /// <summary>Every BatchNorm in inference mode (Keras' <c>base_model(x, training=False)</c>), the way to fine-tune; frozen blocks' always are.</summary>
    public bool BatchNormInference { get; init; }

    public override string TypeName => "MobileNetV2";

    internal override BuiltLayer Build(long[] inputShape, LayerContext context)
    {
        string where = context.Describe(TypeName);
        var input = LayerArguments.Image(inputShape, where);
        if (input[0] != 3) throw new ArgumentException($"{where} takes RGB images [3, H, W], not [{string.Join(", ", inputShape)}]; convert gray images with ConvertGrayscaleToRgb.");
        if (input[1] < 32 || input[2] < 32) throw new ArgumentException($"{where} takes images of at least 32×32, not {input[1]}×{input[2]}; pad or resize them first.");
        if (TrainableBlocks is < 0) throw new ArgumentOutOfRangeException(nameof(TrainableBlocks), TrainableBlocks, $"{where}: trainable_blocks cannot be negative.");
        OnnxBackbone? backbone = null;
        if (Weights is not null)
        {
            string path = Weights;
            // Only the weights are read: a backbone trained at another input size serves as well.
            backbone = OnnxBackbone.Load(path, options: null, sizeIfUnfixed: (int)input[1]);
        }
        double alpha = Alpha ?? (backbone is null ? 1.0 : MobileNetV2Weights.InferAlpha(backbone));
        const int blocks = MobileNetV2Features.StandardBlockCount;
        if (TrainableBlocks > blocks) throw new ArgumentOutOfRangeException(nameof(TrainableBlocks), TrainableBlocks, $"{where}: MobileNetV2 has {blocks} blocks; trainable_blocks can be at most that.");
        int frozen = !Trainable ? blocks : TrainableBlocks is { } k ? blocks - k : 0;
        var features = new MobileNetV2Features(alpha, frozen, BatchNormInference);
        try
        {
            if (backbone is not null) MobileNetV2Weights.Import(features, backbone);
        }
        catch
        {
            features.Dispose();
            throw;
        }
        return new BuiltLayer(context.Name, TypeName, features, null, 0,
            [features.OutputChannels, MobileNetV2Features.OutputSize(input[1]), MobileNetV2Features.OutputSize(input[2])]);
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistMl.Trainers.Transfer;

/// <summary>
/// TorchVision's MobileNetV2 without its classifier: <c>torchvision.models.mobilenet_v2(width_mult: alpha)</c>'s
/// <c>features</c> (the stem, the 17 inverted-residual blocks and the last 1×1 convolution to 1280 channels), as
/// Keras' <c>MobileNetV2(include_top=False)</c>. [N, 3, H, W] → [N, 1280, ⌈H/32⌉, ⌈W/32⌉]. The state_dict keys are
/// torchvision's ("features.0.0.weight", "features.1.conv.0.0.weight", …).
/// </summary>
/// <remarks>
/// Freezing follows Keras: the first <see cref="FrozenBlocks"/> entries of <c>features</c> do not train
/// (requires_grad false), and their BatchNorm layers always run in inference mode, with their moving statistics,
/// as a Keras BatchNormalization with trainable=False does. With <see cref="BatchNormInference"/> every BatchNorm
/// does — Keras' advice for fine-tuning (call the base model with training=False), so that small batches of a new
/// data set do not overwrite the statistics the backbone learned.
/// </remarks>
public sealed class MobileNetV2Features : nn.Module<Tensor, Tensor>
{
    // Held outside any Module-typed field: TorchSharp registers such fields as submodules when a parent network
    // registers its components, which would put torchvision's unused classifier into the state_dict.
    private readonly Owner owner;
    private readonly Sequential features;
    private readonly IReadOnlyList<nn.Module> blocks;

    public MobileNetV2Features(double alpha = 1.0, int frozenBlocks = 0, bool batchNormInference = false) : base(nameof(MobileNetV2Features))
    {
        if (!(alpha > 0) || !double.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The width multiplier (alpha) must be a finite number greater than 0.");
        // torchvision's model holds the features; its (one-class) classifier is never called and leaves with it.
        var model = torchvision.models.mobilenet_v2(num_classes: 1, width_mult: alpha);
        owner = new Owner(model);
        features = (Sequential)model.named_children().First(c => c.name == "features").module;
        register_module("features", features);
        Alpha = alpha;
        blocks = features.children().ToList();
        BlockCount = blocks.Count;
        if (frozenBlocks < 0 || frozenBlocks > BlockCount)
            throw new ArgumentOutOfRangeException(nameof(frozenBlocks), frozenBlocks, $"MobileNetV2 has {BlockCount} blocks in its features; between 0 and {BlockCount} can be frozen.");
        FrozenBlocks = frozenBlocks;
        BatchNormInference = batchNormInference;
        for (int i = 0; i < frozenBlocks; i++)
            foreach (var p in blocks[i].parameters()) p.requires_grad = false;
        OutputChannels = InForwardOrder(blocks[^1]).OfType<Conv2d>().First().out_channels;
    }

    /// <summary>Entries of torchvision's standard <c>features</c>: the stem, 17 inverted-residual blocks, the last convolution.</summary>
    public const int StandardBlockCount = 19;

    public double Alpha { get; }

    /// <summary>Entries of <c>features</c>: 19 for the standard setting (stem, 17 blocks, last convolution).</summary>
    public int BlockCount { get; }

    public int FrozenBlocks { get; }

    public bool BatchNormInference { get; }

    /// <summary>Channels of the feature map: 1280 for alpha ≤ 1, 1280·alpha rounded to 8 above.</summary>
    public long OutputChannels { get; }

    /// <summary>torchvision's <c>features</c>, to hand to other TorchSharp code.</summary>
    public Sequential Features => features;

    /// <summary>The feature map's height or width for an input of <paramref name="size"/>: five stride-2 stages, each ⌈n/2⌉.</summary>
    public static long OutputSize(long size)
    {
        for (int i = 0; i < 5; i++) size = (size + 1) / 2;
        return size;
    }

    /// <summary>The convolutions and batch norms in forward order, as ONNX writers and importers walk them.</summary>
    public IReadOnlyList<(Conv2d Conv, BatchNorm2d Norm)> ConvolutionPairs()
    {
        var convs = InForwardOrder(features).OfType<Conv2d>().ToList();
        var norms = InForwardOrder(features).OfType<BatchNorm2d>().ToList();
        if (convs.Count != norms.Count) throw new InvalidOperationException($"MobileNetV2 has {convs.Count} convolutions and {norms.Count} batch norms; each convolution should have one.");
        return convs.Zip(norms).ToList();
    }

    /// <summary>
    /// The module and its descendants depth first, children in registration order — the order torchvision's blocks
    /// run them (TorchSharp's <c>modules()</c> lists breadth first).
    /// </summary>
    private static IEnumerable<nn.Module> InForwardOrder(nn.Module module)
    {
        yield return module;
        foreach (var (_, child) in module.named_children())
            foreach (var descendant in InForwardOrder(child))
                yield return descendant;
    }

    public override Tensor forward(Tensor input) => features.call(input);

    public override void train(bool train = true)
    {
        base.train(train);
        if (!train) return;
        for (int i = 0; i < BlockCount; i++)
            if (BatchNormInference || i < FrozenBlocks)
                foreach (var norm in blocks[i].modules().OfType<BatchNorm2d>()) norm.eval();
    }

    private sealed record Owner(MobileNetV2 Model);

    protected override void Dispose(bool disposing)
    {
        if (disposing) owner.Model.Dispose();
        base.Dispose(disposing);
    }
}

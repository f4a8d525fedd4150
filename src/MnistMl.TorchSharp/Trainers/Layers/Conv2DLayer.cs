using static TorchSharp.torch;

namespace MnistMl.Trainers.Layers;

/// <summary>
/// Keras Conv2D: activation(conv(x) + b) on images, "valid" padding by default, as TorchSharp's <c>nn.Conv2d</c>;
/// a "same" border that is not symmetric becomes a zero-padding module before it.
/// </summary>
public sealed record Conv2DLayer : WeightedLayerSpec
{
    public Conv2DLayer() { }

    public Conv2DLayer(int filters, int kernelSize, string activation = "linear", string padding = "valid")
    {
        Filters = filters;
        KernelSize = [kernelSize, kernelSize];
        Activation = activation;
        Padding = padding;
    }

    public int Filters { get; init; }
    public int[] KernelSize { get; init; } = [3, 3];
    public int[] Strides { get; init; } = [1, 1];
    public string Padding { get; init; } = "valid";

    public override string TypeName => "Conv2D";

    internal override BuiltLayer Build(long[] inputShape, LayerContext context)
    {
        string where = context.Describe(TypeName);
        if (Filters <= 0) throw new ArgumentOutOfRangeException(nameof(Filters), Filters, $"{where}: filters must be positive.");
        var input = LayerArguments.Image(inputShape, where);
        var kernel = LayerArguments.Pair(KernelSize, "kernel_size", where);
        var stride = LayerArguments.Pair(Strides, "strides", where);
        var padding = LayerArguments.Padding(Padding, where);
        var (activation, kernelInit, biasInit) = SharedArguments(where);
        long height = LayerArguments.OutputSize(input[1], kernel.H, stride.H, padding, where);
        long width = LayerArguments.OutputSize(input[2], kernel.W, stride.W, padding, where);
        LayerArguments.CheckWeightMemory((double)input[0] * Filters * kernel.H * kernel.W + Filters, where);
        var border = Borders.Resolve(padding, input, kernel, stride);
        var conv = nn.Conv2d(input[0], Filters, (kernel.H, kernel.W), (stride.H, stride.W), border.Symmetric, bias: UseBias);
        Initialize(conv.weight!, conv.bias, kernelInit, biasInit);
        return Built(context, conv, activation, [Filters, height, width]) with { Border = border.Module(0) };
    }
}

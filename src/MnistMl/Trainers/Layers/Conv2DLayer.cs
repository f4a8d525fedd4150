using MnistMl.Torch.NN;

namespace MnistMl.Trainers.Layers;

/// <summary>Keras Conv2D: activation(conv(x) + b) on images; glorot_uniform kernel, zero bias, "valid" padding by default.</summary>
public sealed record Conv2DLayer : LayerSpec
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
    public string Activation { get; init; } = "linear";
    public bool UseBias { get; init; } = true;
    public string KernelInitializer { get; init; } = "glorot_uniform";
    public string BiasInitializer { get; init; } = "zeros";
    public Regularizer? KernelRegularizer { get; init; }
    public Regularizer? BiasRegularizer { get; init; }
    public Regularizer? ActivityRegularizer { get; init; }

    public override string TypeName => "Conv2D";

    internal override BuiltLayer Build(long[] inputShape, LayerContext context)
    {
        string where = context.Describe(TypeName);
        if (Filters <= 0) throw new ArgumentOutOfRangeException(nameof(Filters), Filters, $"{where}: filters must be positive.");
        var input = LayerArguments.Image(inputShape, where);
        var kernel = LayerArguments.Pair(KernelSize, "kernel_size", where);
        var stride = LayerArguments.Pair(Strides, "strides", where);
        var padding = LayerArguments.Padding(Padding, where);
        var activation = LayerArguments.Activation(Activation, where);
        KernelRegularizer?.Validate(where);
        BiasRegularizer?.Validate(where);
        ActivityRegularizer?.Validate(where);
        long height = LayerArguments.OutputSize(input[1], kernel.H, stride.H, padding, where);
        long width = LayerArguments.OutputSize(input[2], kernel.W, stride.W, padding, where);
        var conv = new Conv2d(input[0], Filters, kernel, stride, padding, bias: UseBias,
            weightInitializer: LayerArguments.Initializer(KernelInitializer, where), biasInitializer: LayerArguments.Initializer(BiasInitializer, where));
        return new BuiltLayer(context.Name, TypeName, conv, activation, 0.3, [Filters, height, width])
        {
            KernelRegularizer = KernelRegularizer,
            BiasRegularizer = BiasRegularizer,
            ActivityRegularizer = ActivityRegularizer,
        };
    }
}

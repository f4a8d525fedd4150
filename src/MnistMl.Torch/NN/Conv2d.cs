namespace MnistMl.Torch.NN;

/// <summary>
/// 2-D convolution over NCHW input (torch.nn.Conv2d, Keras Conv2D without activation); weight [out, in/groups, kH, kW].
/// groups = inChannels = outChannels / multiplier gives a depthwise convolution. Defaults follow Keras: glorot_uniform, zero bias.
/// </summary>
public sealed class Conv2d : Module
{
    public Conv2d(long inChannels, long outChannels, (long H, long W) kernelSize, (long H, long W)? stride = null, Padding2d? padding = null,
        (long H, long W)? dilation = null, long groups = 1, bool bias = true, Initializer? weightInitializer = null, Initializer? biasInitializer = null)
    {
        if (inChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "Conv2d needs at least one input channel.");
        if (outChannels <= 0) throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, "Conv2d needs at least one filter.");
        if (kernelSize.H <= 0 || kernelSize.W <= 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "The kernel size must be positive.");
        Stride = stride ?? (1, 1);
        if (Stride.H <= 0 || Stride.W <= 0) throw new ArgumentOutOfRangeException(nameof(stride), Stride, "The stride must be positive.");
        Dilation = dilation ?? (1, 1);
        if (Dilation.H <= 0 || Dilation.W <= 0) throw new ArgumentOutOfRangeException(nameof(dilation), Dilation, "The dilation must be positive.");
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentOutOfRangeException(nameof(groups), groups, $"groups must divide both inChannels ({inChannels}) and outChannels ({outChannels}).");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Padding = padding ?? Padding2d.Valid;
        Groups = groups;
        Weight = RegisterParameter("weight", torch.Empty([outChannels, inChannels / groups, kernelSize.H, kernelSize.W]));
        (weightInitializer ?? Initializer.GlorotUniform).Apply(Weight);
        if (bias)
        {
            Bias = RegisterParameter("bias", torch.Empty([outChannels]));
            (biasInitializer ?? Initializer.Zeros).Apply(Bias);
        }
    }

    public long InChannels { get; }
    public long OutChannels { get; }
    public (long H, long W) KernelSize { get; }
    public (long H, long W) Stride { get; }
    public Padding2d Padding { get; }
    public (long H, long W) Dilation { get; }
    public long Groups { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input)
    {
        if (input.Dim != 4)
            throw new ArgumentException($"Conv2d expects a 4-D input [N, C, H, W]; got [{string.Join(", ", input.Shape)}].", nameof(input));
        var (symmetric, extra) = Padding.Resolve(input.Size(2), input.Size(3), KernelSize, Stride, Dilation);
        if (extra is null) return Functional.Conv2d(input, Weight, Bias, Stride, symmetric, Dilation, Groups);
        using var padded = Functional.Pad(input, extra);
        return Functional.Conv2d(padded, Weight, Bias, Stride, (0, 0), Dilation, Groups);
    }
}

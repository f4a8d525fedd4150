namespace MnistMl.Torch.NN;

/// <summary>Flattens dimensions startDim..endDim into one (torch.nn.Flatten: [N, C, H, W] → [N, C·H·W] by default).</summary>
public sealed class Flatten(long startDim = 1, long endDim = -1) : Module
{
    public long StartDim { get; } = startDim;
    public long EndDim { get; } = endDim;

    public override Tensor Forward(Tensor input) => input.Flatten(StartDim, EndDim);
}

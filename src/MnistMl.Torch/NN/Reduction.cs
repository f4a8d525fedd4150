namespace MnistMl.Torch.NN;

/// <summary>How a loss combines per-element values (at::Reduction codes).</summary>
public enum Reduction
{
    None = 0,
    Mean = 1,
    Sum = 2,
}

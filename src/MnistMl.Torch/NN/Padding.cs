namespace MnistMl.Torch.NN;

/// <summary>Border handling of <see cref="Functional.Pad"/>, as torch.nn.functional.pad's mode.</summary>
public enum PaddingMode
{
    Constant = 0,
    Reflect = 1,
    Replicate = 2,
}

/// <summary>Resampling of <see cref="Functional.Interpolate"/>.</summary>
public enum InterpolationMode
{
    Bilinear = 0,
    Nearest = 1,
    Bicubic = 2,
}

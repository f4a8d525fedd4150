using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Data;

/// <summary>Turns labeled images into the tensors a network consumes.</summary>
public static class TensorConversion
{
    /// <summary>Pixels scaled to [0, 1] as float32 [N, H·W] (flat) or [N, 1, H, W].</summary>
    public static Tensor ScaledPixels(this LabeledImages images, bool flat = true)
    {
        using var bytes = torch.tensor(images.Pixels, flat
            ? [images.Count, (long)images.Height * images.Width]
            : [images.Count, 1, images.Height, images.Width]);
        using var floats = bytes.to_type(ScalarType.Float32);
        return floats / 255.0;
    }

    /// <summary>Labels as int64 class indices [N].</summary>
    public static Tensor LabelIndices(this LabeledImages images)
    {
        using var bytes = torch.tensor(images.Labels);
        return bytes.to_type(ScalarType.Int64);
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Trainers;

/// <summary>
/// On-the-fly augmentation of the training batches, with the names and meaning of Keras' ImageDataGenerator:
/// each image gets its own random rotation (uniform in ±<see cref="RotationRange"/> degrees), shifts (uniform in
/// ±<see cref="WidthShiftRange"/> of the width and ±<see cref="HeightShiftRange"/> of the height), zoom (the
/// sampled area scaled by factors uniform in [1 − <see cref="ZoomRange"/>, 1 + <see cref="ZoomRange"/>], one per
/// axis; above 1 the content shrinks) and, with <see cref="HorizontalFlip"/>, a mirror half of the time. The
/// transform is one affine sampling per batch in TorchSharp (<c>affine_grid</c> + bilinear <c>grid_sample</c>, as
/// torchvision's RandomAffine), drawn from libtorch's generator, so the trainer's seed fixes it and checkpoints
/// resume it. Only training batches are augmented; validation and test data never are; labels are untouched.
/// </summary>
public sealed record ImageAugmentation
{
    /// <summary>Degrees: each image is rotated by an angle uniform in [−range, range].</summary>
    public double RotationRange { get; init; }

    /// <summary>A fraction of the width: each image moves sideways by up to this much either way.</summary>
    public double WidthShiftRange { get; init; }

    /// <summary>A fraction of the height: each image moves up or down by up to this much.</summary>
    public double HeightShiftRange { get; init; }

    /// <summary>Each axis' zoom factor is uniform in [1 − range, 1 + range].</summary>
    public double ZoomRange { get; init; }

    /// <summary>Mirror half of the images left to right (right for clothes; wrong for digits).</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>Pixels from outside the image: "nearest" (Keras' default: the edge repeated), "constant" (0) or "reflect".</summary>
    public string FillMode { get; init; } = "nearest";

    /// <summary>All ranges 0 and no flips.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsIdentity => RotationRange == 0 && WidthShiftRange == 0 && HeightShiftRange == 0 && ZoomRange == 0 && !HorizontalFlip;

    public static IReadOnlyList<string> FillModes { get; } = ["nearest", "constant", "reflect"];

    public void Validate()
    {
        if (!(RotationRange >= 0 && RotationRange <= 180)) throw new ArgumentOutOfRangeException(nameof(RotationRange), RotationRange, "augmentation: rotation_range must be between 0 and 180 degrees.");
        if (!(WidthShiftRange >= 0 && WidthShiftRange < 1)) throw new ArgumentOutOfRangeException(nameof(WidthShiftRange), WidthShiftRange, "augmentation: width_shift_range is a fraction of the width, in [0, 1).");
        if (!(HeightShiftRange >= 0 && HeightShiftRange < 1)) throw new ArgumentOutOfRangeException(nameof(HeightShiftRange), HeightShiftRange, "augmentation: height_shift_range is a fraction of the height, in [0, 1).");
        if (!(ZoomRange >= 0 && ZoomRange < 1)) throw new ArgumentOutOfRangeException(nameof(ZoomRange), ZoomRange, "augmentation: zoom_range must be in [0, 1).");
        if (!FillModes.Contains(FillMode)) throw new ArgumentException($"augmentation: unknown fill_mode '{FillMode}'. Known: {string.Join(", ", FillModes)}.", nameof(FillMode));
    }

    /// <summary>A randomly transformed copy of a batch of images [N, C, H, W] (the caller's dispose scope owns it).</summary>
    public Tensor Apply(Tensor images)
    {
        if (images.dim() != 4)
            throw new ArgumentException($"Augmentation needs images [N, C, H, W]; the batch is [{string.Join(", ", images.shape)}]. Give the trainer an image column (not flattened features).", nameof(images));
        // Nothing to do: the batch as it is, and no draws from the generator (dropout then sees what it would without).
        if (IsIdentity) return images;
        long n = images.shape[0];
        using var noGrad = torch.no_grad();
        var angles = Uniform(n, RotationRange) * (Math.PI / 180);
        var shiftX = Uniform(n, WidthShiftRange);
        var shiftY = Uniform(n, HeightShiftRange);
        var zoomX = 1 + Uniform(n, ZoomRange);
        var zoomY = 1 + Uniform(n, ZoomRange);
        var flips = HorizontalFlip ? torch.rand(n).lt(0.5) : torch.zeros(n, ScalarType.Bool);
        return Transform(images, angles, shiftX, shiftY, zoomX, zoomY, flips, FillMode);
    }

    /// <summary>Uniform in [−range, range], one per image (no draw when the range is 0, so zero settings use no randomness).</summary>
    private static Tensor Uniform(long n, double range) =>
        range == 0 ? torch.zeros(n, ScalarType.Float32) : (torch.rand(n) * 2 - 1) * range;

    /// <summary>
    /// The affine sampling itself, for given per-image parameters: angles in radians, shifts as fractions of the width
    /// and height (positive: content moves right and down), zoom factors of the sampled area, and flips.
    /// </summary>
    public static Tensor Transform(Tensor images, Tensor angles, Tensor shiftX, Tensor shiftY, Tensor zoomX, Tensor zoomY, Tensor flips, string fillMode = "nearest")
    {
        long height = images.shape[2], width = images.shape[3];
        double aspect = (double)height / width;
        var cos = angles.cos();
        var sin = angles.sin();
        // Output → input coordinates in affine_grid's normalized space ([-1, 1] on each axis): a rotation in pixel
        // space (corrected for the aspect ratio), scaled by the zoom, mirrored on flips, then shifted.
        var mirror = torch.where(flips, -1f, 1f);
        var a00 = cos * zoomX * mirror;
        var a01 = -sin * zoomY * aspect;
        var a10 = sin * zoomX * mirror / aspect;
        var a11 = cos * zoomY;
        var theta = torch.stack([a00, a01, -2 * shiftX, a10, a11, -2 * shiftY], 1).reshape(-1, 2, 3).to_type(images.dtype);
        var grid = nn.functional.affine_grid(theta, images.shape, align_corners: false);
        var padding = fillMode switch
        {
            "constant" => GridSamplePaddingMode.Zeros,
            "reflect" => GridSamplePaddingMode.Reflection,
            _ => GridSamplePaddingMode.Border,
        };
        return nn.functional.grid_sample(images, grid, GridSampleMode.Bilinear, padding, align_corners: false);
    }
}

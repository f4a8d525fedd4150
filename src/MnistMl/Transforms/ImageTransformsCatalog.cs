using Microsoft.ML;
using MnistMl.Features;
using MnistMl.Transforms;

// Catalog extensions live in the root namespace, as ML.NET's live in Microsoft.ML: `using MnistMl;` reaches them all.
namespace MnistMl;

/// <summary>
/// MnistMl's transforms as extensions of ML.NET's <c>ml.Transforms</c>, for image and feature vectors: known-size
/// Single vector columns such as the loaders' "Image" (<c>Vector&lt;Single, channels, height, width&gt;</c>). Each
/// returns an estimator that takes its place in ML.NET's Append chains next to ML.NET's own (normalizers, trainers).
/// The input column defaults to the output column (a transform in place). Normalization with learned statistics is
/// ML.NET's own (<c>NormalizeMinMax</c>, <c>NormalizeMeanVariance</c>, …); these are the transforms ML.NET lacks.
/// </summary>
public static class ImageTransformsCatalog
{
    /// <summary>
    /// x · <paramref name="factor"/> per element: the default maps pixels 0–255 to 0–1 (Keras' x / 255).
    /// Output: the input's type (<c>Vector&lt;Single, …&gt;</c> with the same dimensions).
    /// </summary>
    public static ImageVectorEstimator<PixelScalingTransformer> ScalePixels(this TransformsCatalog catalog, string outputColumnName,
        string? inputColumnName = null, double factor = 1.0 / 255)
    {
        PixelScalingTransformer.Check(factor);
        string input = inputColumnName ?? outputColumnName;
        return new("ScalePixels", outputColumnName, input, type => new PixelScalingTransformer(outputColumnName, input, type, factor));
    }

    /// <summary>
    /// HOG features of grayscale images <c>Vector&lt;Single, 1, H, W&gt;</c>, as skimage.feature.hog computes them,
    /// into <c>Vector&lt;Single, features&gt;</c> (orientations 8, 4×4-pixel cells and 1×1-cell blocks give seed 003's
    /// 392 features for 28×28 digits). Null options: skimage's defaults (9 orientations, 8×8 cells, 3×3 blocks, L2-Hys).
    /// </summary>
    public static ImageVectorEstimator<HogFeaturesTransformer> ExtractHogFeatures(this TransformsCatalog catalog, string outputColumnName,
        string? inputColumnName = null, HogOptions? options = null)
    {
        string input = inputColumnName ?? outputColumnName;
        var o = options ?? new HogOptions();
        return new("ExtractHogFeatures", outputColumnName, input, type => new HogFeaturesTransformer(outputColumnName, input, type, o));
    }

    /// <summary>
    /// Pads images <c>Vector&lt;Single, C, H, W&gt;</c> by <paramref name="padding"/> pixels of <paramref name="value"/>
    /// on every side: output <c>Vector&lt;Single, C, H + 2p, W + 2p&gt;</c> (28×28 → 32×32 with 2).
    /// </summary>
    public static ImageVectorEstimator<ImagePaddingTransformer> PadImages(this TransformsCatalog catalog, string outputColumnName,
        string? inputColumnName = null, int padding = 2, float value = 0) =>
        catalog.PadImages(outputColumnName, inputColumnName, (padding, padding, padding, padding), value);

    /// <summary>Pads images by a border of its own size on each side (top, bottom, left, right).</summary>
    public static ImageVectorEstimator<ImagePaddingTransformer> PadImages(this TransformsCatalog catalog, string outputColumnName,
        string? inputColumnName, (int Top, int Bottom, int Left, int Right) padding, float value = 0)
    {
        ImagePaddingTransformer.Check(padding);
        string input = inputColumnName ?? outputColumnName;
        return new("PadImages", outputColumnName, input, type => new ImagePaddingTransformer(outputColumnName, input, type, padding, value));
    }

    /// <summary>
    /// Resizes images <c>Vector&lt;Single, C, H, W&gt;</c> to <c>Vector&lt;Single, C, height, width&gt;</c> by bilinear
    /// interpolation (PyTorch's <c>interpolate(mode="bilinear", align_corners=False)</c>): 28×28 → 64×64 or 96×96 for a backbone.
    /// </summary>
    public static ImageVectorEstimator<ImageResizingTransformer> ResizeImages(this TransformsCatalog catalog, string outputColumnName,
        int height, int width, string? inputColumnName = null)
    {
        ImageResizingTransformer.Check(height, width);
        string input = inputColumnName ?? outputColumnName;
        return new("ResizeImages", outputColumnName, input, type => new ImageResizingTransformer(outputColumnName, input, type, height, width));
    }

    /// <summary>Grayscale images <c>Vector&lt;Single, 1, H, W&gt;</c> → <c>Vector&lt;Single, 3, H, W&gt;</c> by repeating the channel.</summary>
    public static ImageVectorEstimator<GrayscaleToRgbTransformer> ConvertGrayscaleToRgb(this TransformsCatalog catalog, string outputColumnName,
        string? inputColumnName = null)
    {
        string input = inputColumnName ?? outputColumnName;
        return new("ConvertGrayscaleToRgb", outputColumnName, input, type => new GrayscaleToRgbTransformer(outputColumnName, input, type));
    }

    /// <summary>Per-channel (x − mean[c]) / std[c] of images <c>Vector&lt;Single, C, H, W&gt;</c> with fixed statistics; output of the same type.</summary>
    public static ImageVectorEstimator<ChannelNormalizingTransformer> NormalizeChannels(this TransformsCatalog catalog, string outputColumnName,
        double[] mean, double[] std, string? inputColumnName = null)
    {
        ChannelNormalizingTransformer.Check(mean, std);
        string input = inputColumnName ?? outputColumnName;
        return new("NormalizeChannels", outputColumnName, input, type => new ChannelNormalizingTransformer(outputColumnName, input, type, mean, std));
    }

    /// <summary>ImageNet's per-channel normalization of RGB images scaled to 0–1 (mean 0.485, 0.456, 0.406; std 0.229, 0.224, 0.225).</summary>
    public static ImageVectorEstimator<ChannelNormalizingTransformer> NormalizeImageNet(this TransformsCatalog catalog, string outputColumnName,
        string? inputColumnName = null) =>
        catalog.NormalizeChannels(outputColumnName, ChannelNormalizingTransformer.ImageNet.Mean, ChannelNormalizingTransformer.ImageNet.Std, inputColumnName);

    /// <summary>
    /// New dimensions for each row with the same element count: <c>Vector&lt;Single, 784&gt;</c> ↔
    /// <c>Vector&lt;Single, 1, 28, 28&gt;</c>. Output <c>Vector&lt;Single, dimensions…&gt;</c>.
    /// </summary>
    public static ImageVectorEstimator<ReshapeTransformer> Reshape(this TransformsCatalog catalog, string outputColumnName, int[] dimensions,
        string? inputColumnName = null)
    {
        string input = inputColumnName ?? outputColumnName;
        return new("Reshape", outputColumnName, input, type => new ReshapeTransformer(outputColumnName, input, type, dimensions));
    }

    /// <summary>Each row as a flat vector: images <c>Vector&lt;Single, C, H, W&gt;</c> → <c>Vector&lt;Single, C·H·W&gt;</c>.</summary>
    public static ImageVectorEstimator<ReshapeTransformer> Flatten(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null)
    {
        string input = inputColumnName ?? outputColumnName;
        return new("Flatten", outputColumnName, input, type => new ReshapeTransformer(outputColumnName, input, type, [type.Size]));
    }
}

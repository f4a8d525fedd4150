namespace MnistMl.Data;

/// <summary>Grayscale images (row-major bytes, Count × Height × Width) with one class label each.</summary>
public sealed class LabeledImages
{
    public LabeledImages(byte[] pixels, byte[] labels, int height, int width)
    {
        if (height <= 0 || width <= 0) throw new ArgumentOutOfRangeException(nameof(height), $"Image size {height}×{width} must be positive.");
        if (pixels.Length != (long)labels.Length * height * width)
            throw new ArgumentException($"{labels.Length} labels need {(long)labels.Length * height * width} pixels of {height}×{width} images; {pixels.Length} were given.", nameof(pixels));
        Pixels = pixels;
        Labels = labels;
        Height = height;
        Width = width;
    }

    public byte[] Pixels { get; }
    public byte[] Labels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Count => Labels.Length;

    /// <summary>Reads an IDX image file and its IDX label file, checking that they describe the same items.</summary>
    public static LabeledImages FromIdx(string imagesPath, string labelsPath)
    {
        var images = IdxFile.Read(imagesPath);
        var labels = IdxFile.Read(labelsPath);
        if (images.Dimensions.Length != 3)
            throw new InvalidDataException($"IDX file '{imagesPath}' has {images.Dimensions.Length} dimensions; images need 3 (count, rows, columns).");
        if (labels.Dimensions.Length != 1)
            throw new InvalidDataException($"IDX file '{labelsPath}' has {labels.Dimensions.Length} dimensions; labels need 1.");
        if (images.Count != labels.Count)
            throw new InvalidDataException($"'{imagesPath}' holds {images.Count} images but '{labelsPath}' holds {labels.Count} labels.");
        return new LabeledImages(images.Data, labels.Data, images.Dimensions[1], images.Dimensions[2]);
    }

    /// <summary>MNIST's training (60,000) or test (10,000) split from <see cref="DataSetLocation.MnistDirectory"/>.</summary>
    public static LabeledImages LoadMnist(bool train)
    {
        var dir = DataSetLocation.MnistDirectory();
        string prefix = train ? "train" : "t10k";
        return FromIdx(Path.Combine(dir, $"{prefix}-images-idx3-ubyte"), Path.Combine(dir, $"{prefix}-labels-idx1-ubyte"));
    }

    /// <summary>Items [start, start + count) as a new set.</summary>
    public LabeledImages Range(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"Items [{start}, {start + count}) are outside the {Count} available.");
        int size = Height * Width;
        return new LabeledImages(Pixels.AsSpan(start * size, count * size).ToArray(), Labels.AsSpan(start, count).ToArray(), Height, Width);
    }
}

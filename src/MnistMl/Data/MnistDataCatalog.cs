using System.Globalization;
using Microsoft.ML;
using MnistMl.Data;

// Catalog extensions live in the root namespace, as ML.NET's live in Microsoft.ML: `using MnistMl;` reaches them all.
namespace MnistMl;

/// <summary>
/// Loaders of MNIST-style data as extensions of ML.NET's <c>ml.Data</c>. Every loader returns an
/// <see cref="IDataView"/> with two columns:
/// <list type="bullet">
/// <item>"Image": <c>Vector&lt;Single, channels, height, width&gt;</c> (known size, the dimensions in its type), raw
/// pixel values (0–255 for MNIST);</item>
/// <item>"Label": <c>Key&lt;UInt32, classes&gt;</c> whose KeyValues annotation names the classes.</item>
/// </list>
/// </summary>
public static class MnistDataCatalog
{
    /// <summary>The data sets the loaders know by name.</summary>
    public static IReadOnlyList<string> DataSetNames { get; } = ["mnist", "fashion-mnist"];

    /// <summary>MNIST's class names: the digits.</summary>
    public static IReadOnlyList<string> MnistClassNames { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>Fashion-MNIST's class names, in label order (Zalando's naming).</summary>
    public static IReadOnlyList<string> FashionMnistClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// MNIST's handwritten digits: 60,000 training or 10,000 test images, Image <c>Vector&lt;Single, 1, 28, 28&gt;</c>
    /// (0–255), Label <c>Key&lt;UInt32, 10&gt;</c> named "0"–"9". <paramref name="directory"/> overrides where the four
    /// IDX files are looked for (see <see cref="DataSetLocation"/>).
    /// </summary>
    public static IDataView LoadMnist(this DataOperationsCatalog catalog, DataSplit split, string? directory = null) =>
        LoadIdxPair(directory ?? DataSetLocation.MnistDirectory(), split, "", MnistClassNames);

    /// <summary>
    /// Fashion-MNIST: the same layout as <see cref="LoadMnist"/> with ten clothing classes (KeyValues "T-shirt/top" …
    /// "Ankle boot"), from its gzipped IDX files.
    /// </summary>
    public static IDataView LoadFashionMnist(this DataOperationsCatalog catalog, DataSplit split, string? directory = null) =>
        LoadIdxPair(directory ?? DataSetLocation.FashionMnistDirectory(), split, ".gz", FashionMnistClassNames);

    /// <summary>A data set by name ("mnist" or "fashion-mnist").</summary>
    public static IDataView LoadDataSet(this DataOperationsCatalog catalog, string name, DataSplit split, string? directory = null) =>
        name.ToLowerInvariant() switch
        {
            "mnist" => catalog.LoadMnist(split, directory),
            "fashion-mnist" or "fashion_mnist" or "fashionmnist" => catalog.LoadFashionMnist(split, directory),
            _ => throw new ArgumentException($"Unknown data set '{name}'. Known: {string.Join(", ", DataSetNames)}.", nameof(name)),
        };

    /// <summary>
    /// An IDX image file [count, height, width] and its IDX label file [count] (raw or gzip, magic numbers checked) as
    /// Image <c>Vector&lt;Single, 1, height, width&gt;</c> and Label <c>Key&lt;UInt32, classes&gt;</c>. Class names default
    /// to the label numbers 0..max; a label outside the given names is an error naming the file.
    /// </summary>
    public static IDataView LoadIdx(this DataOperationsCatalog catalog, string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null)
    {
        var images = IdxFile.Read(imagesPath);
        var labels = IdxFile.Read(labelsPath);
        if (images.Dimensions.Length != 3)
            throw new InvalidDataException($"IDX file '{imagesPath}' has {images.Dimensions.Length} dimensions; images need 3 (count, rows, columns).");
        if (labels.Dimensions.Length != 1)
            throw new InvalidDataException($"IDX file '{labelsPath}' has {labels.Dimensions.Length} dimensions; labels need 1.");
        if (images.Count != labels.Count)
            throw new InvalidDataException($"'{imagesPath}' holds {images.Count} images but '{labelsPath}' holds {labels.Count} labels.");
        int maxLabel = labels.Data.Length == 0 ? 0 : labels.Data.Max();
        classNames ??= Enumerable.Range(0, maxLabel + 1).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (maxLabel >= classNames.Count)
            throw new InvalidDataException($"IDX file '{labelsPath}' holds label {maxLabel}, but the data set has {classNames.Count} classes.");
        return ImageDataView.FromBytes(images.Data, labels.Data.Select(l => (int)l).ToArray(), [1, images.Dimensions[1], images.Dimensions[2]], classNames);
    }

    /// <summary>
    /// Images already in memory: <paramref name="pixels"/> row-major, <c>labels.Length × channels × height × width</c>
    /// values, and class indices 0..classes-1. Class names default to "0", "1", ….
    /// </summary>
    public static IDataView LoadImages(this DataOperationsCatalog catalog, float[] pixels, int[] labels, (int Channels, int Height, int Width) size,
        IReadOnlyList<string>? classNames = null) =>
        ImageDataView.FromFloats(pixels, labels, [size.Channels, size.Height, size.Width], classNames ?? DefaultClassNames(labels));

    /// <inheritdoc cref="LoadImages(DataOperationsCatalog, float[], int[], ValueTuple{int, int, int}, IReadOnlyList{string}?)"/>
    public static IDataView LoadImages(this DataOperationsCatalog catalog, byte[] pixels, int[] labels, (int Channels, int Height, int Width) size,
        IReadOnlyList<string>? classNames = null) =>
        ImageDataView.FromBytes(pixels, labels, [size.Channels, size.Height, size.Width], classNames ?? DefaultClassNames(labels));

    private static IReadOnlyList<string> DefaultClassNames(int[] labels) =>
        Enumerable.Range(0, labels.Length == 0 ? 1 : labels.Max() + 1).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    private static IDataView LoadIdxPair(string directory, DataSplit split, string suffix, IReadOnlyList<string> classNames)
    {
        string prefix = split == DataSplit.Train ? "train" : "t10k";
        var ml = new MLContext();
        return ml.Data.LoadIdx(Path.Combine(directory, $"{prefix}-images-idx3-ubyte{suffix}"), Path.Combine(directory, $"{prefix}-labels-idx1-ubyte{suffix}"), classNames);
    }
}

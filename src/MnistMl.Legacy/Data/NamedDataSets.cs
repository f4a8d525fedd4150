using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Data;

/// <summary>Which part of a named data set to load.</summary>
public enum DataSplit
{
    Train,
    Test,
}

/// <summary>
/// The named data sets: "mnist" (60,000 train / 10,000 test handwritten digits) and "fashion-mnist" (the same
/// layout with ten clothing classes). Each loads as an image column "Image" (byte [1, 28, 28]) and a key column
/// "Label" with the class names.
/// </summary>
public static class NamedDataSets
{
    public static IReadOnlyList<string> Names { get; } = ["mnist", "fashion-mnist"];

    public static IReadOnlyList<string> MnistClassNames { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>Fashion-MNIST's class names, in label order (Zalando's naming).</summary>
    public static IReadOnlyList<string> FashionMnistClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Loads a named data set; <paramref name="directory"/> overrides where its IDX files are looked for.</summary>
    public static InMemoryDataView Load(string name, DataSplit split, string? directory = null) => name.ToLowerInvariant() switch
    {
        "mnist" => LoadIdxPair(directory ?? DataSetLocation.MnistDirectory(), split, "", MnistClassNames),
        "fashion-mnist" or "fashion_mnist" or "fashionmnist" => LoadIdxPair(directory ?? DataSetLocation.FashionMnistDirectory(), split, ".gz", FashionMnistClassNames),
        _ => throw new ArgumentException($"Unknown data set '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
    };

    private static InMemoryDataView LoadIdxPair(string directory, DataSplit split, string suffix, IReadOnlyList<string> classNames)
    {
        string prefix = split == DataSplit.Train ? "train" : "t10k";
        string images = Path.Combine(directory, $"{prefix}-images-idx3-ubyte{suffix}");
        string labels = Path.Combine(directory, $"{prefix}-labels-idx1-ubyte{suffix}");
        return FromIdx(images, labels, classNames);
    }

    /// <summary>
    /// An image IDX file and its label IDX file as a data view. Class names default to the label numbers
    /// 0..max; labels outside the given class names are an error naming the file.
    /// </summary>
    public static InMemoryDataView FromIdx(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null)
    {
        var data = LabeledImages.FromIdx(imagesPath, labelsPath);
        int maxLabel = data.Labels.Length == 0 ? 0 : data.Labels.Max();
        classNames ??= Enumerable.Range(0, maxLabel + 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (maxLabel >= classNames.Count)
            throw new InvalidDataException($"IDX file '{labelsPath}' holds label {maxLabel}, but the data set has {classNames.Count} classes.");
        var schema = new DataViewSchema([
            new("Image", ColumnType.Image(ScalarType.Byte, 1, data.Height, data.Width)),
            new("Label", ColumnType.Key(classNames.Count), classNames)]);
        return InMemoryDataView.FromArrays(schema, data.Pixels, data.Labels.Select(l => (long)l).ToArray());
    }
}

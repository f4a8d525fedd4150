using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Data;

/// <summary>
/// Loading, subsetting, shuffling and splitting data (ML.NET's mlContext.Data). Methods without a seed draw one from
/// the context's seed, so a seeded context repeats everything.
/// </summary>
public sealed class DataOperationsCatalog
{
    private readonly MLContext context;

    internal DataOperationsCatalog(MLContext context) => this.context = context;

    // ---- loading ----

    /// <summary>A named data set ("mnist", "fashion-mnist"): columns Image (byte [1, 28, 28]) and Label (key with class names).</summary>
    public IDataView LoadDataSet(string name, DataSplit split, string? directory = null) => NamedDataSets.Load(name, split, directory);

    public IDataView LoadMnist(DataSplit split, string? directory = null) => NamedDataSets.Load("mnist", split, directory);

    public IDataView LoadFashionMnist(DataSplit split, string? directory = null) => NamedDataSets.Load("fashion-mnist", split, directory);

    /// <summary>An IDX image file (raw or .gz) with its IDX label file.</summary>
    public IDataView LoadFromIdx(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null) =>
        NamedDataSets.FromIdx(imagesPath, labelsPath, classNames);

    /// <summary>A CSV in OpenML's mnist_784 layout (pixel columns plus a label column, header row).</summary>
    public IDataView LoadFromOpenMlCsv(string path, string labelColumnName = "class") => OpenMlCsvLoader.Load(path, labelColumnName);

    /// <summary>
    /// A folder with one sub-folder per class (PNG, JPEG, BMP), as grayscale or RGB images; give
    /// <paramref name="height"/> and <paramref name="width"/> to resize them all (needed when sizes differ).
    /// </summary>
    public IDataView LoadFromImageFolder(string root, Imaging.ImageColorMode mode = Imaging.ImageColorMode.Grayscale, int? height = null, int? width = null)
    {
        if (height.HasValue != width.HasValue)
            throw new ArgumentException("Give both height and width to resize, or neither.", height.HasValue ? nameof(width) : nameof(height));
        return ImageFolderLoader.Load(root, mode, height is { } h ? (h, width!.Value) : null);
    }

    /// <summary>
    /// Images built in code: <paramref name="pixels"/> holds every image's [channels, height, width] values back to
    /// back; labels are class indices 0..classes-1.
    /// </summary>
    public IDataView LoadFromImages(float[] pixels, int[] labels, int channels, int height, int width, IReadOnlyList<string>? classNames = null) =>
        FromArrays(pixels, ColumnType.Image(ScalarType.Float32, channels, height, width), "Image", labels, classNames);

    public IDataView LoadFromImages(byte[] pixels, int[] labels, int channels, int height, int width, IReadOnlyList<string>? classNames = null) =>
        FromArrays(pixels, ColumnType.Image(ScalarType.Byte, channels, height, width), "Image", labels, classNames);

    /// <summary>Feature vectors built in code, as columns Features (float [length]) and Label.</summary>
    public IDataView LoadFromFeatures(float[] features, int[] labels, int featureLength, IReadOnlyList<string>? classNames = null) =>
        FromArrays(features, ColumnType.Vector(ScalarType.Float32, featureLength), "Features", labels, classNames);

    /// <summary>Any columns built in code: one array per schema column, rows back to back.</summary>
    public IDataView LoadFromColumns(DataViewSchema schema, params Array[] columns) => InMemoryDataView.FromArrays(schema, columns);

    private static InMemoryDataView FromArrays(Array values, ColumnType type, string name, int[] labels, IReadOnlyList<string>? classNames)
    {
        if (labels.Length == 0) throw new ArgumentException("At least one row is needed.", nameof(labels));
        if (labels.Min() < 0) throw new ArgumentException($"Label {labels.Min()} is negative; labels are class indices 0, 1, ….", nameof(labels));
        int classes = classNames?.Count ?? labels.Max() + 1;
        if (labels.Max() >= classes) throw new ArgumentException($"Label {labels.Max()} is outside the {classes} classes named.", nameof(labels));
        if (values.LongLength != labels.LongLength * type.Size)
            throw new ArgumentException($"{labels.Length} rows of {type} need {labels.LongLength * type.Size} values; {values.LongLength} were given.", nameof(values));
        var schema = new DataViewSchema([new(name, type), new("Label", ColumnType.Key(classes), classNames)]);
        return InMemoryDataView.FromArrays(schema, values, labels.Select(l => (long)l).ToArray());
    }

    // ---- subsets ----

    /// <summary>The first <paramref name="count"/> rows (all, if fewer).</summary>
    public IDataView TakeRows(IDataView data, long count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "The row count must not be negative.");
        return Rows(data, 0, Math.Min(count, data.RowCount));
    }

    /// <summary>Every row after the first <paramref name="count"/>.</summary>
    public IDataView SkipRows(IDataView data, long count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "The row count must not be negative.");
        long skip = Math.Min(count, data.RowCount);
        return Rows(data, skip, data.RowCount - skip);
    }

    /// <summary><paramref name="count"/> rows drawn at random without replacement, kept in their original order.</summary>
    public IDataView SampleRows(IDataView data, long count, int? seed = null) =>
        new RowSelectionDataView(data, RowSampling.Sample(data.RowCount, count, Random(seed)));

    /// <summary>Up to <paramref name="countPerClass"/> random rows of every class of a key column (seed 002's balanced subsets).</summary>
    public IDataView TakeStratified(IDataView data, int countPerClass, string labelColumnName = "Label", int? seed = null) =>
        new RowSelectionDataView(data, RowSampling.StratifiedSample(Labels(data, labelColumnName), countPerClass, Random(seed)));

    // ---- shuffling ----

    /// <summary>
    /// Rows in random order (ML.NET's ShuffleRows): a full permutation, or, with <paramref name="shufflePoolSize"/>,
    /// the order of a streaming shuffle through a buffer of that many rows (tf.data's shuffle(buffer_size)).
    /// </summary>
    public IDataView ShuffleRows(IDataView data, int? seed = null, int? shufflePoolSize = null)
    {
        var random = Random(seed);
        var order = shufflePoolSize is { } pool
            ? RowSampling.BufferedShuffle(data.RowCount, pool, random)
            : RowSampling.Permutation(data.RowCount, random);
        return new RowSelectionDataView(data, order);
    }

    // ---- splits ----

    /// <summary>
    /// Splits into training and test parts with <paramref name="testFraction"/> of the rows (of each class, when
    /// stratified by <paramref name="labelColumnName"/>) in the test part. Both parts keep the original row order.
    /// </summary>
    public TrainTestData TrainTestSplit(IDataView data, double testFraction = 0.1, int? seed = null, bool stratify = true, string labelColumnName = "Label")
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be strictly between 0 and 1.");
        var (train, test) = RowSampling.Split(data.RowCount, testFraction, stratify ? Labels(data, labelColumnName) : null, Random(seed));
        return new TrainTestData(new RowSelectionDataView(data, train), new RowSelectionDataView(data, test));
    }

    /// <summary>
    /// Holds out a validation part (Keras' validation_split, but drawn at random and stratified rather than taken
    /// from the end). The fraction must be in [0.05, 0.5].
    /// </summary>
    public TrainTestData TrainValidationSplit(IDataView data, double validationFraction = 0.1, int? seed = null, bool stratify = true, string labelColumnName = "Label")
    {
        if (!(validationFraction >= 0.05 && validationFraction <= 0.5))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be between 0.05 and 0.5.");
        return TrainTestSplit(data, validationFraction, seed, stratify, labelColumnName);
    }

    /// <summary>
    /// K (train, validation) pairs for cross-validation (ML.NET's CrossValidationSplit; stratified k-fold when
    /// <paramref name="stratify"/>): every row is in exactly one validation fold.
    /// </summary>
    public IReadOnlyList<TrainTestData> CrossValidationSplit(IDataView data, int numberOfFolds = 5, int? seed = null, bool stratify = true, string labelColumnName = "Label") =>
        RowSampling.KFold(data.RowCount, numberOfFolds, stratify ? Labels(data, labelColumnName) : null, Random(seed))
            .Select(f => new TrainTestData(new RowSelectionDataView(data, f.Train), new RowSelectionDataView(data, f.Validation)))
            .ToArray();

    /// <summary>Reads a (lazy) view into memory once; later reads come from there.</summary>
    public IDataView Cache(IDataView data) => InMemoryDataView.Materialize(data);

    private static RowSelectionDataView Rows(IDataView data, long start, long count)
    {
        var rows = new long[count];
        for (long i = 0; i < count; i++) rows[i] = start + i;
        return new RowSelectionDataView(data, rows);
    }

    private static long[] Labels(IDataView data, string labelColumnName)
    {
        var column = data.Schema[labelColumnName];
        if (!column.Type.IsKey)
            throw new ArgumentException($"Column '{labelColumnName}' is {column.Type}; stratifying needs a key (class) column.", nameof(labelColumnName));
        return data.ReadInt64Column(labelColumnName);
    }

    private SeededRandom Random(int? seed) => seed is { } s ? new SeededRandom(s) : context.NextRandom();
}

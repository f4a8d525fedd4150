using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// The transforms (ML.NET's mlContext.Transforms). Every method returns an estimator; chain them with Append and
/// Fit the chain on training data. Input column names default to the output name (transform in place).
/// </summary>
public sealed class TransformsCatalog
{
    internal TransformsCatalog() { }

    /// <summary>Key mapping and class names.</summary>
    public ConversionCatalog Conversion { get; } = new();

    /// <summary>One-hot encoding.</summary>
    public CategoricalCatalog Categorical { get; } = new();

    /// <summary>x · factor as float32; the default maps bytes 0–255 to 0–1.</summary>
    public IEstimator<PixelScalingTransformer> ScalePixels(string outputColumnName, string? inputColumnName = null, double factor = 1.0 / 255) =>
        Trivial(new PixelScalingTransformer(outputColumnName, inputColumnName, factor));

    /// <summary>(x − min) / (max − min) with min and max learned when fitting, per element or global.</summary>
    public NormalizingEstimator NormalizeMinMax(string outputColumnName, string? inputColumnName = null, NormalizationScope scope = NormalizationScope.PerElement) =>
        new(NormalizationKind.MinMax, outputColumnName, inputColumnName, scope);

    /// <summary>(x − mean) / std with mean and std learned when fitting, per element or global.</summary>
    public NormalizingEstimator NormalizeMeanVariance(string outputColumnName, string? inputColumnName = null, NormalizationScope scope = NormalizationScope.PerElement) =>
        new(NormalizationKind.MeanVariance, outputColumnName, inputColumnName, scope);

    /// <summary>Pads images by the same number of pixels on every side (28×28 → 32×32 with 2).</summary>
    public IEstimator<ImagePaddingTransformer> PadImages(string outputColumnName, string? inputColumnName = null, int padding = 2, double value = 0) =>
        Trivial(new ImagePaddingTransformer(outputColumnName, inputColumnName, padding, padding, padding, padding, value));

    public IEstimator<ImagePaddingTransformer> PadImages(string outputColumnName, string? inputColumnName, int top, int bottom, int left, int right, double value = 0) =>
        Trivial(new ImagePaddingTransformer(outputColumnName, inputColumnName, top, bottom, left, right, value));

    /// <summary>Bilinear resize of images to height × width.</summary>
    public IEstimator<ImageResizingTransformer> ResizeImages(string outputColumnName, int height, int width, string? inputColumnName = null) =>
        Trivial(new ImageResizingTransformer(outputColumnName, inputColumnName, height, width));

    /// <summary>[1, H, W] → [3, H, W] by repeating the gray channel.</summary>
    public IEstimator<GrayscaleToRgbTransformer> ConvertGrayscaleToRgb(string outputColumnName, string? inputColumnName = null) =>
        Trivial(new GrayscaleToRgbTransformer(outputColumnName, inputColumnName));

    /// <summary>Per-channel (x − mean) / std with fixed statistics.</summary>
    public IEstimator<ChannelNormalizingTransformer> NormalizeChannels(string outputColumnName, double[] mean, double[] std, string? inputColumnName = null) =>
        Trivial(new ChannelNormalizingTransformer(outputColumnName, inputColumnName, mean, std));

    /// <summary>ImageNet's per-channel normalization of RGB images scaled to 0–1 (what pretrained backbones expect).</summary>
    public IEstimator<ChannelNormalizingTransformer> NormalizeImageNet(string outputColumnName, string? inputColumnName = null) =>
        NormalizeChannels(outputColumnName, ChannelNormalizingTransformer.ImageNet.Mean, ChannelNormalizingTransformer.ImageNet.Std, inputColumnName);

    /// <summary>Gives rows a new shape with the same element count ([784] ↔ [1, 28, 28]).</summary>
    public IEstimator<ReshapeTransformer> Reshape(string outputColumnName, long[] dimensions, string? inputColumnName = null) =>
        Trivial(new ReshapeTransformer(outputColumnName, inputColumnName, dimensions));

    /// <summary>Flattens each row to a vector (images [C, H, W] → [C·H·W]).</summary>
    public FlattenEstimator Flatten(string outputColumnName, string? inputColumnName = null) => new(outputColumnName, inputColumnName);

    /// <summary>
    /// HOG features of grayscale images, compatible with skimage.feature.hog (orientations 8, 4×4-pixel cells and
    /// 1×1-cell blocks give seed 003's 392 features for 28×28 digits). Null options: skimage's defaults.
    /// </summary>
    public IEstimator<HogFeaturesTransformer> ExtractHogFeatures(string outputColumnName, string? inputColumnName = null, Features.HogOptions? options = null) =>
        Trivial(new HogFeaturesTransformer(outputColumnName, inputColumnName, options ?? new Features.HogOptions()));

    /// <summary>
    /// Runs an ONNX model on the rows (ML.NET's ApplyOnnxModel): <paramref name="inputColumnNames"/>[i] feeds model input
    /// <paramref name="modelInputNames"/>[i] (default: the model's inputs in order), and each of
    /// <paramref name="modelOutputNames"/> (graph outputs or intermediate nodes) becomes column
    /// <paramref name="outputColumnNames"/>[i].
    /// </summary>
    public IEstimator<OnnxModelTransformer> ApplyOnnxModel(string modelFile, string[] outputColumnNames, string[] inputColumnNames,
        string[]? modelOutputNames = null, string[]? modelInputNames = null, Microsoft.ML.OnnxRuntime.SessionOptions? options = null)
    {
        modelOutputNames ??= outputColumnNames;
        if (modelOutputNames.Length != outputColumnNames.Length)
            throw new ArgumentException($"{outputColumnNames.Length} output columns for {modelOutputNames.Length} model outputs.", nameof(modelOutputNames));
        var inputs = modelInputNames ?? ProbeInputNames(modelFile, options);
        if (inputs.Length != inputColumnNames.Length)
            throw new ArgumentException($"ONNX model '{modelFile}' has {inputs.Length} inputs ({string.Join(", ", inputs)}); {inputColumnNames.Length} columns were given.", nameof(inputColumnNames));
        return Trivial(OnnxModelTransformer.FromFile(modelFile,
            modelOutputNames.Zip(outputColumnNames).ToDictionary(p => p.First, p => p.Second),
            inputs.Zip(inputColumnNames).ToDictionary(p => p.First, p => p.Second), options));
    }

    private static string[] ProbeInputNames(string modelFile, Microsoft.ML.OnnxRuntime.SessionOptions? options)
    {
        if (!File.Exists(modelFile)) throw new FileNotFoundException($"ONNX model '{modelFile}' does not exist.", modelFile);
        using var session = OnnxSessions.Open(modelFile, options);
        return [.. session.InputNames];
    }

    /// <summary>Joins numeric columns into one float32 vector.</summary>
    public IEstimator<ColumnConcatenatingTransformer> Concatenate(string outputColumnName, params string[] inputColumnNames) =>
        Trivial(new ColumnConcatenatingTransformer(outputColumnName, inputColumnNames));

    public IEstimator<ColumnSelectingTransformer> SelectColumns(params string[] columnNames) =>
        Trivial(new ColumnSelectingTransformer(columnNames, keep: true));

    public IEstimator<ColumnSelectingTransformer> DropColumns(params string[] columnNames) =>
        Trivial(new ColumnSelectingTransformer(columnNames, keep: false));

    public IEstimator<ColumnCopyingTransformer> CopyColumns(string outputColumnName, string inputColumnName) =>
        Trivial(new ColumnCopyingTransformer(outputColumnName, inputColumnName));

    public IEstimator<ColumnCopyingTransformer> RenameColumn(string newName, string oldName) =>
        Trivial(new ColumnCopyingTransformer(newName, oldName, hideSource: true));

    internal static TrivialEstimator<T> Trivial<T>(T transformer) where T : ITransformer => new(transformer);
}

/// <summary>Key (class index) conversions (ML.NET's Transforms.Conversion).</summary>
public sealed class ConversionCatalog
{
    internal ConversionCatalog() { }

    /// <summary>Learns the distinct values of a scalar column and maps them to class indices 0..K-1.</summary>
    public ValueToKeyMappingEstimator MapValueToKey(string outputColumnName, string? inputColumnName = null) => new(outputColumnName, inputColumnName);

    /// <summary>Names the classes of a key column.</summary>
    public IEstimator<KeyValuesTransformer> SetClassNames(string columnName, IReadOnlyList<string> classNames) =>
        TransformsCatalog.Trivial(new KeyValuesTransformer(columnName, classNames));
}

/// <summary>Categorical encodings (ML.NET's Transforms.Categorical).</summary>
public sealed class CategoricalCatalog
{
    internal CategoricalCatalog() { }

    /// <summary>A key column → float32 one-hot vectors.</summary>
    public IEstimator<OneHotEncodingTransformer> OneHotEncoding(string outputColumnName, string? inputColumnName = null) =>
        TransformsCatalog.Trivial(new OneHotEncodingTransformer(outputColumnName, inputColumnName));
}

/// <summary>Flattening needs the input's row size, known from the schema when fitting.</summary>
public sealed class FlattenEstimator(string outputColumnName, string? inputColumnName) : IEstimator<ReshapeTransformer>
{
    private ReshapeTransformer For(DataViewSchema schema)
    {
        string input = inputColumnName ?? outputColumnName;
        return new ReshapeTransformer(outputColumnName, input, schema[input].Type.Size);
    }

    public ReshapeTransformer Fit(IDataView input) => For(input.Schema);

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => For(inputSchema).GetOutputSchema(inputSchema);
}

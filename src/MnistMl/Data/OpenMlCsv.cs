using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MnistMl.Data;

/// <summary>
/// OpenML's mnist_784 CSV layout read through ML.NET's text loader: a header row, pixel columns and a label column
/// found by its header name. The loader stays lazy; only the label column (and each row's field count) is read once
/// at load time, to find the classes and reject malformed rows early. Pixels are checked as they are read, because
/// the text loader turns a bad number into NaN and an empty field into 0 without a word.
/// </summary>
internal static class OpenMlCsv
{
    // Helper columns of the text loader, dropped from the result.
    private const string LabelText = "LabelText", PixelText = "PixelText", LastFields = "LastFields";

    public static IDataView Load(MLContext ml, string path, string labelColumnName, int? imageHeight, int? imageWidth)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file '{path}' does not exist.", path);
        var header = TextLoaderLines.Header(path)?.Text
            ?? throw new InvalidDataException($"CSV file '{path}' is empty; a header row is expected.");
        var names = header.Split(',').Select(name => name.Trim().Trim('"')).ToArray();
        int labelIndex = Array.IndexOf(names, labelColumnName);
        if (labelIndex < 0)
            throw new InvalidDataException($"CSV file '{path}' has no label column '{labelColumnName}' (its header has {names.Length} columns: {string.Join(", ", names.Take(5))}{(names.Length > 5 ? ", …" : "")}).");
        int pixelCount = names.Length - 1;
        if (pixelCount == 0) throw new InvalidDataException($"CSV file '{path}' has no pixel columns.");
        var imageType = ImageType(path, pixelCount, imageHeight, imageWidth);

        // Pixel fields are every column but the label's, in file order (row-major pixels).
        var pixelRanges = new List<TextLoader.Range>();
        if (labelIndex > 0) pixelRanges.Add(new TextLoader.Range(0, labelIndex - 1));
        if (labelIndex < pixelCount) pixelRanges.Add(new TextLoader.Range(labelIndex + 1, pixelCount));
        var pixelHeaders = names.Where((_, i) => i != labelIndex).ToArray();
        var raw = ml.Data.CreateTextLoader(
        [
            new TextLoader.Column("Image", DataKind.Single, pixelRanges.ToArray()),
            new TextLoader.Column(PixelText, DataKind.String, pixelRanges.ToArray()),
            // From the header's last column to the end of the line: exactly one field when the row has the header's count.
            new TextLoader.Column(LastFields, DataKind.String, [new TextLoader.Range(pixelCount, null) { AutoEnd = false, VariableEnd = true }]),
            new TextLoader.Column(LabelText, DataKind.String, labelIndex),
        ], separatorChar: ',', hasHeader: true, allowQuoting: true, trimWhitespace: true).Load(path);

        var classes = OrderClasses(ReadLabels(raw, path, names.Length, labelColumnName));
        var keyData = ml.Data.LoadFromEnumerable(classes.Select(c => new ClassName { Value = c }));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", LabelText, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByOccurrence, keyData: keyData)
            .Fit(raw).Transform(raw);
        var shaped = new ImageShapeDataView(keyed, "Image", imageType, [PixelText], (row, getter) => CheckedPixels(row, getter, path, pixelHeaders));
        return ml.Transforms.DropColumns(PixelText, LastFields, LabelText).Fit(shaped).Transform(shaped);
    }

    private static VectorDataViewType ImageType(string path, int pixelCount, int? height, int? width)
    {
        if (height is <= 0 || width is <= 0) throw new ArgumentOutOfRangeException(height is <= 0 ? nameof(height) : nameof(width), "Image sizes must be positive.");
        if (height is null && width is null)
        {
            int side = (int)Math.Round(Math.Sqrt(pixelCount));
            if (side * side != pixelCount)
                throw new InvalidDataException($"CSV file '{path}' has {pixelCount} pixel columns, not a square count; give the image height and width.");
            return new VectorDataViewType(NumberDataViewType.Single, 1, side, side);
        }
        int h = height ?? pixelCount / width!.Value, w = width ?? pixelCount / height!.Value;
        if (h == 0 || w == 0 || pixelCount % (h * w) != 0)
            throw new ArgumentException($"CSV file '{path}' has {pixelCount} pixel columns, which is no whole number of {h}×{w} channels.");
        return new VectorDataViewType(NumberDataViewType.Single, pixelCount / (h * w), h, w);
    }

    /// <summary>The one pass at load time: distinct labels, and every row's field count.</summary>
    private static HashSet<string> ReadLabels(IDataView raw, string path, int fieldCount, string labelColumnName)
    {
        var labels = new HashSet<string>(StringComparer.Ordinal);
        var labelColumn = raw.Schema[LabelText];
        var lastColumn = raw.Schema[LastFields];
        using var cursor = raw.GetRowCursor([labelColumn, lastColumn]);
        var getLabel = cursor.GetGetter<ReadOnlyMemory<char>>(labelColumn);
        var getLast = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(lastColumn);
        var getId = cursor.GetIdGetter();
        ReadOnlyMemory<char> label = default;
        VBuffer<ReadOnlyMemory<char>> last = default;
        DataViewRowId id = default;
        while (cursor.MoveNext())
        {
            getLast(ref last);
            getLabel(ref label);
            if (last.Length != 1 || label.IsEmpty)
            {
                getId(ref id);
                long line = TextLoaderLines.LineOfRow(path, (long)id.Low);
                throw new InvalidDataException(last.Length != 1
                    ? $"CSV file '{path}', line {line}: {fieldCount - 1 + last.Length} fields, but the header has {fieldCount}."
                    : $"CSV file '{path}', line {line}, column '{labelColumnName}': the label is empty.");
            }
            labels.Add(label.ToString());
        }
        if (labels.Count == 0) throw new InvalidDataException($"CSV file '{path}' has a header but no rows.");
        return labels;
    }

    /// <summary>Numeric order when every class is a number ("2" &lt; "9" &lt; "10"), else ordinal.</summary>
    private static List<string> OrderClasses(IEnumerable<string> classes)
    {
        var list = classes.ToList();
        return list.All(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            ? list.OrderBy(c => double.Parse(c, CultureInfo.InvariantCulture)).ThenBy(c => c, StringComparer.Ordinal).ToList()
            : list.OrderBy(c => c, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Reads a row's pixels and rejects a field the text loader could not parse: it gives NaN for text that is no
    /// number and 0 for an empty field, so only those values need their text looked at.
    /// </summary>
    private static ValueGetter<VBuffer<float>> CheckedPixels(DataViewRow row, ValueGetter<VBuffer<float>> pixels, string path, string[] headers)
    {
        var getText = row.GetGetter<VBuffer<ReadOnlyMemory<char>>>(row.Schema[PixelText]);
        var getId = row.GetIdGetter();
        VBuffer<ReadOnlyMemory<char>> text = default;
        return (ref VBuffer<float> value) =>
        {
            pixels(ref value);
            var values = value.GetValues(); // the text loader's vectors are dense: index i is pixel i
            bool haveText = false;
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsNaN(values[i]) && values[i] != 0) continue;
                if (!haveText) { getText(ref text); haveText = true; }
                var field = text.GetItemOrDefault(i);
                if (float.TryParse(field.Span, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) continue;
                DataViewRowId id = default;
                getId(ref id);
                throw new InvalidDataException(
                    $"CSV file '{path}', line {TextLoaderLines.LineOfRow(path, (long)id.Low)}, column '{headers[i]}': '{field}' is not a number.");
            }
        };
    }

    private sealed class ClassName
    {
        public string Value { get; set; } = "";
    }
}

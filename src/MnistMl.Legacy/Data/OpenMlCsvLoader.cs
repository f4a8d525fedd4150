using System.Globalization;
using CsvHelper;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Data;

/// <summary>
/// Reads image data in OpenML's mnist_784 CSV layout: a header row, one column per pixel (row-major) and a label
/// column ("class" there). Pixels become a float32 image column [1, s, s] when their count is a square s², else a
/// float32 vector; labels become a key column whose classes are the distinct label texts in ascending order
/// (numerically when all are numbers).
/// </summary>
public static class OpenMlCsvLoader
{
    public static InMemoryDataView Load(string path, string labelColumnName = "class", string imageColumnName = "Image", string labelOutputName = "Label")
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file '{path}' does not exist.", path);
        using var stream = File.OpenRead(path);
        using var reader = CsvReader.Create(stream, new CsvReaderOptions { Separator = ',', TrackLineNumbers = true });
        var header = reader.Headers.ToArray();
        if (header.Length == 0) throw new InvalidDataException($"CSV file '{path}' is empty; a header row is expected.");
        int labelIndex = Array.IndexOf(header, labelColumnName);
        if (labelIndex < 0)
            throw new ArgumentException($"CSV file '{path}' has no label column '{labelColumnName}' (its header has {header.Length} columns: {string.Join(", ", header.Take(5))}, …).", nameof(labelColumnName));
        int pixelCount = header.Length - 1;
        if (pixelCount == 0) throw new InvalidDataException($"CSV file '{path}' has no pixel columns.");

        var pixels = new List<float>();
        var labelTexts = new List<string>();
        while (reader.Read())
        {
            long line = reader.LineNumber;
            if (reader.FieldCount != header.Length)
                throw new InvalidDataException($"CSV file '{path}', line {line}: {reader.FieldCount} fields, but the header has {header.Length}.");
            for (int i = 0; i < header.Length; i++)
            {
                if (i == labelIndex) { labelTexts.Add(reader.GetString(i).Trim()); continue; }
                if (!float.TryParse(reader.GetSpan(i), NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
                    throw new InvalidDataException($"CSV file '{path}', line {line}, column '{header[i]}': '{reader.GetString(i)}' is not a number.");
                pixels.Add(value);
            }
        }
        if (labelTexts.Count == 0) throw new InvalidDataException($"CSV file '{path}' has a header but no rows.");

        var classes = OrderClasses(labelTexts.Distinct().ToList());
        var keyOf = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (long)p.i);
        var labels = labelTexts.Select(t => keyOf[t]).ToArray();
        int side = (int)Math.Round(Math.Sqrt(pixelCount));
        var imageType = side * side == pixelCount
            ? ColumnType.Image(ScalarType.Float32, 1, side, side)
            : ColumnType.Vector(ScalarType.Float32, pixelCount);
        var schema = new DataViewSchema([new(imageColumnName, imageType), new(labelOutputName, ColumnType.Key(classes.Count), classes)]);
        return InMemoryDataView.FromArrays(schema, pixels.ToArray(), labels);
    }

    private static List<string> OrderClasses(List<string> classes) =>
        classes.All(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            ? classes.OrderBy(c => double.Parse(c, CultureInfo.InvariantCulture)).ToList()
            : classes.OrderBy(c => c, StringComparer.Ordinal).ToList();
}

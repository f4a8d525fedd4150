using Microsoft.ML;
using Microsoft.ML.Data;

namespace MnistMl.Data;

/// <summary>
/// Images with one class label each, held in memory, as an ML.NET data view: "Image" is a known-size float vector
/// with the image dimensions [channels, height, width] (raw values, e.g. 0–255) and "Label" a key column over the
/// classes with their names as KeyValues. Pixels given as bytes stay bytes (a quarter of the memory) and become
/// floats as rows are read. The view can be shuffled (ML.NET's ShuffleRows asks it to).
/// </summary>
internal sealed class ImageDataView : IDataView
{
    private readonly byte[]? bytePixels;
    private readonly float[]? floatPixels;
    private readonly int[] labels;
    private readonly int rowLength;

    private ImageDataView(byte[]? bytePixels, float[]? floatPixels, int[] labels, int[] dimensions, IReadOnlyList<string> classNames,
        string imageColumnName, string labelColumnName)
    {
        if (dimensions.Length == 0 || dimensions.Any(d => d <= 0))
            throw new ArgumentOutOfRangeException(nameof(dimensions), $"Image dimensions [{string.Join(", ", dimensions)}] must be positive.");
        rowLength = dimensions.Aggregate(1, (a, b) => checked(a * b));
        long pixelCount = bytePixels?.LongLength ?? floatPixels!.LongLength;
        if (pixelCount != (long)labels.Length * rowLength)
            throw new ArgumentException($"{labels.Length} labels need {(long)labels.Length * rowLength} pixels of [{string.Join(", ", dimensions)}] images; {pixelCount} were given.", nameof(labels));
        for (int row = 0; row < labels.Length; row++)
            if (labels[row] < 0 || labels[row] >= classNames.Count)
                throw new ArgumentException($"Row {row} has label {labels[row]}, outside the {classNames.Count} classes.", nameof(labels));
        this.bytePixels = bytePixels;
        this.floatPixels = floatPixels;
        this.labels = labels;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(imageColumnName, new VectorDataViewType(NumberDataViewType.Single, dimensions));
        builder.AddColumn(labelColumnName, new KeyDataViewType(typeof(uint), classNames.Count), ClassNameAnnotations.Of(classNames));
        Schema = builder.ToSchema();
    }

    public static ImageDataView FromBytes(byte[] pixels, int[] labels, int[] dimensions, IReadOnlyList<string> classNames,
        string imageColumnName = "Image", string labelColumnName = "Label") =>
        new(pixels, null, labels, dimensions, classNames, imageColumnName, labelColumnName);

    public static ImageDataView FromFloats(float[] pixels, int[] labels, int[] dimensions, IReadOnlyList<string> classNames,
        string imageColumnName = "Image", string labelColumnName = "Label") =>
        new(null, pixels, labels, dimensions, classNames, imageColumnName, labelColumnName);

    public DataViewSchema Schema { get; }

    public bool CanShuffle => true;

    public long? GetRowCount() => labels.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, rand is null ? null : Permutation(labels.Length, rand));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private static int[] Permutation(int count, Random rand)
    {
        var order = Enumerable.Range(0, count).ToArray();
        for (int i = count - 1; i > 0; i--)
        {
            int j = rand.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private sealed class Cursor(ImageDataView view, int[]? order) : DataViewRowCursor
    {
        private long position = -1;

        private int Row => order is null ? (int)position : order[position];

        public override long Position => position;

        public override long Batch => 0;

        public override DataViewSchema Schema => view.Schema;

        public override bool MoveNext()
        {
            if (position + 1 >= view.labels.Length)
            {
                position = view.labels.Length;
                return false;
            }
            position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)Row, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index == 0 && typeof(TValue) == typeof(VBuffer<float>))
                return (ValueGetter<TValue>)(Delegate)new ValueGetter<VBuffer<float>>(GetImage);
            if (column.Index == 1 && typeof(TValue) == typeof(uint))
                return (ValueGetter<TValue>)(Delegate)new ValueGetter<uint>((ref uint key) => key = (uint)view.labels[Row] + 1);
            throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        private void GetImage(ref VBuffer<float> value)
        {
            int length = view.rowLength;
            var editor = VBufferEditor.Create(ref value, length);
            long start = (long)Row * length;
            if (view.floatPixels is { } floats) floats.AsSpan(checked((int)start), length).CopyTo(editor.Values);
            else
            {
                var bytes = view.bytePixels.AsSpan(checked((int)start), length);
                for (int i = 0; i < length; i++) editor.Values[i] = bytes[i];
            }
            value = editor.Commit();
        }
    }
}

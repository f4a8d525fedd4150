using Microsoft.ML;
using Microsoft.ML.Data;

namespace MnistMl.Data;

/// <summary>
/// Passes a view through unchanged except for one float-vector column, whose type becomes a known-size image type
/// (ML.NET's text loader, for one, only knows a vector's length). Optionally decorates that column's getter (to
/// validate or to name the source in errors); the decorator gets the inner row and may read <c>helperColumns</c>,
/// which are kept active in the inner cursor whenever the image column is. Lazy: nothing is read until a cursor is.
/// </summary>
internal sealed class ImageShapeDataView : IDataView
{
    /// <summary>Wraps the image column's inner getter; gets the inner row to read helper columns from.</summary>
    public delegate ValueGetter<VBuffer<float>> GetterDecorator(DataViewRow innerRow, ValueGetter<VBuffer<float>> innerGetter);

    private readonly IDataView _source;
    private readonly int _imageIndex;
    private readonly int[] _helperIndices;
    private readonly GetterDecorator? _decorate;

    public ImageShapeDataView(IDataView source, string imageColumnName, VectorDataViewType imageType,
        IEnumerable<string>? helperColumns = null, GetterDecorator? decorate = null)
    {
        _source = source;
        var image = source.Schema.GetColumnOrNull(imageColumnName)
            ?? throw new ArgumentException($"The view has no column '{imageColumnName}'.", nameof(imageColumnName));
        if (image.Type is not VectorDataViewType { ItemType: NumberDataViewType n } inner || n.RawType != typeof(float) || inner.Size != imageType.Size)
            throw new ArgumentException($"Column '{imageColumnName}' is {image.Type}; a float vector of {imageType.Size} values is needed for {imageType}.", nameof(imageType));
        _imageIndex = image.Index;
        _helperIndices = (helperColumns ?? []).Select(name => source.Schema[name].Index).ToArray();
        _decorate = decorate;

        var builder = new DataViewSchema.Builder();
        foreach (var column in source.Schema)
            builder.AddColumn(column.Name, column.Index == _imageIndex ? imageType : column.Type, column.Annotations);
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => _source.CanShuffle;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        // A plain GetRowCursor of an ML.NET transform may compute rows on worker threads and rethrow their errors,
        // wrapped, from MoveNext, out of the decorator's reach; a set of one cursor computes each value in its getter.
        var columns = InnerColumns(columnsNeeded).ToArray();
        var set = _source.GetRowCursorSet(columns, 1, rand);
        if (set.Length == 1) return new Cursor(this, set[0]);
        foreach (var cursor in set) cursor.Dispose();
        return new Cursor(this, _source.GetRowCursor(columns, rand));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        _source.GetRowCursorSet(InnerColumns(columnsNeeded), n, rand).Select(inner => (DataViewRowCursor)new Cursor(this, inner)).ToArray();

    /// <summary>The same columns of the source, plus the helpers when the image is needed.</summary>
    private IEnumerable<DataViewSchema.Column> InnerColumns(IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        var indices = columnsNeeded.Select(column => column.Index).ToHashSet();
        if (indices.Contains(_imageIndex)) indices.UnionWith(_helperIndices);
        return indices.Select(index => _source.Schema[index]);
    }

    private sealed class Cursor(ImageShapeDataView parent, DataViewRowCursor inner) : DataViewRowCursor
    {
        public override DataViewSchema Schema => parent.Schema;
        public override long Position => inner.Position;
        public override long Batch => inner.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();
        public override bool MoveNext() => inner.MoveNext();
        public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(inner.Schema[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var innerColumn = inner.Schema[column.Index];
            if (column.Index != parent._imageIndex) return inner.GetGetter<TValue>(innerColumn);
            if (typeof(TValue) != typeof(VBuffer<float>))
                throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; read it as VBuffer<float>, not {typeof(TValue).Name}.");
            var getter = inner.GetGetter<VBuffer<float>>(innerColumn);
            if (parent._decorate is { } decorate) getter = decorate(inner, getter);
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

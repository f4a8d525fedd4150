using Microsoft.ML;
using Microsoft.ML.Data;

namespace MnistMl.Data;

/// <summary>A data view with a schema and no rows: what ML.NET estimators are fitted on when only the schema matters.</summary>
internal sealed class EmptyDataView(DataViewSchema schema) : IDataView
{
    public DataViewSchema Schema { get; } = schema;

    public bool CanShuffle => true;

    public long? GetRowCount() => 0;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(Schema);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(Schema)];

    /// <summary>A schema of the given columns, without annotations.</summary>
    public static EmptyDataView Of(params (string Name, DataViewType Type)[] columns)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var (name, type) in columns) builder.AddColumn(name, type);
        return new EmptyDataView(builder.ToSchema());
    }

    private sealed class Cursor(DataViewSchema schema) : DataViewRowCursor
    {
        public override long Position => -1;
        public override long Batch => 0;
        public override DataViewSchema Schema => schema;
        public override bool MoveNext() => false;
        public override bool IsColumnActive(DataViewSchema.Column column) => true;
        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => throw new InvalidOperationException("The data view has no rows.");
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => (ref TValue value) => throw new InvalidOperationException("The data view has no rows.");
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace MnistMl.Data;

/// <summary>
/// A lazy view of some rows of another <see cref="IDataView"/>, in the source's order. Its cursor walks a source
/// cursor and stops only at the chosen row numbers (0-based ordinals of the source's rows); nothing is copied, and
/// only the columns a caller asks for are read. The source must give the same rows in the same order each time it is
/// read (true of loaded and in-memory data; not of a view that shuffles on every read).
/// </summary>
public sealed class RowSubsetDataView : IDataView
{
    private readonly IDataView source;
    private readonly long[] rows;

    /// <summary>A view of <paramref name="rows"/> of <paramref name="source"/>.</summary>
    /// <param name="source">The data to take rows from.</param>
    /// <param name="rows">Source row numbers, strictly ascending, each at least 0.</param>
    public RowSubsetDataView(IDataView source, IEnumerable<long> rows)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rows);
        this.source = source;
        this.rows = rows.ToArray();
        for (int i = 0; i < this.rows.Length; i++)
        {
            if (this.rows[i] < 0)
                throw new ArgumentException($"Row number {this.rows[i]} (entry {i}) is negative.", nameof(rows));
            if (i > 0 && this.rows[i] <= this.rows[i - 1])
                throw new ArgumentException($"Row numbers must be strictly ascending: entry {i} is {this.rows[i]} after {this.rows[i - 1]}.", nameof(rows));
        }
    }

    /// <summary>The source row numbers this view shows, ascending.</summary>
    public IReadOnlyList<long> SourceRows => rows;

    /// <summary>The view's rows are visited in one fixed order, so ML.NET shuffles them through a buffer instead.</summary>
    public bool CanShuffle => false;

    /// <inheritdoc />
    public DataViewSchema Schema => source.Schema;

    /// <summary>The number of chosen rows.</summary>
    public long? GetRowCount() => rows.LongLength;

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        return new Cursor(this, source.GetRowCursor(columnsNeeded));
    }

    /// <summary>Always one cursor: the chosen rows are found by walking the source in order.</summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(RowSubsetDataView parent, DataViewRowCursor input) : DataViewRowCursor
    {
        private long sourcePosition = -1; // ordinal of the source row the input cursor is on
        private long position = -1;       // index into parent.rows of the current row
        private bool disposed;

        public override long Position => position;

        public override long Batch => 0;

        public override DataViewSchema Schema => parent.Schema;

        public override bool MoveNext()
        {
            if (disposed || position + 1 >= parent.rows.LongLength)
            {
                position = parent.rows.LongLength;
                return false;
            }
            long target = parent.rows[position + 1];
            while (sourcePosition < target)
            {
                if (!input.MoveNext())
                {
                    position = parent.rows.LongLength;
                    return false;
                }
                sourcePosition++;
            }
            position++;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => input.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => input.GetGetter<TValue>(column);

        protected override void Dispose(bool disposing)
        {
            if (disposed) return;
            if (disposing) input.Dispose();
            disposed = true;
            base.Dispose(disposing);
        }
    }
}

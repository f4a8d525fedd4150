using Microsoft.ML;
using Microsoft.ML.Data;

namespace MnistMl.Transforms;

/// <summary>
/// The output of an <see cref="ImageVectorTransformer"/>: the input's columns, then the computed column, which is
/// computed only for cursors that ask for it. Row order, row count and shuffling are the input's.
/// </summary>
internal sealed class MappedDataView : IDataView
{
    private readonly IDataView input;
    private readonly ImageVectorTransformer transformer;

    public MappedDataView(IDataView input, ImageVectorTransformer transformer)
    {
        this.input = input;
        this.transformer = transformer;
        Schema = transformer.GetOutputSchema(input.Schema);
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => input.CanShuffle;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var (inputColumns, outputActive) = AppendedColumns.InputColumns(input.Schema, columnsNeeded, transformer.InputColumnName);
        return new MappedRow(input.GetRowCursor(inputColumns, rand), Schema, transformer, outputActive, ownsInput: true);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}

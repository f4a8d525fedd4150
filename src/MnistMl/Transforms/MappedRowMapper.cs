using Microsoft.ML;
using Microsoft.ML.Data;

namespace MnistMl.Transforms;

/// <summary>An <see cref="ImageVectorTransformer"/> row by row, as ML.NET's PredictionEngine uses transformers.</summary>
internal sealed class MappedRowMapper(DataViewSchema inputSchema, ImageVectorTransformer transformer) : IRowToRowMapper
{
    public DataViewSchema InputSchema { get; } = inputSchema;

    public DataViewSchema OutputSchema { get; } = transformer.GetOutputSchema(inputSchema);

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        AppendedColumns.InputColumns(InputSchema, dependingColumns, transformer.InputColumnName).Input;

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new MappedRow(input, OutputSchema, transformer, activeColumns.Any(c => c.Index >= InputSchema.Count), ownsInput: false);
}

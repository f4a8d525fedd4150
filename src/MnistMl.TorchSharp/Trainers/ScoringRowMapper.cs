using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Transforms;

namespace MnistMl.Trainers;

/// <summary>A <see cref="ClassificationModel"/> row by row, as ML.NET's PredictionEngine uses transformers.</summary>
internal sealed class ScoringRowMapper(DataViewSchema inputSchema, ClassificationModel model) : IRowToRowMapper
{
    public DataViewSchema InputSchema { get; } = inputSchema;

    public DataViewSchema OutputSchema { get; } = model.GetOutputSchema(inputSchema);

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        AppendedColumns.InputColumns(InputSchema, dependingColumns, model.FeatureColumnName).Input;

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new ScoredRow(input, OutputSchema, model, scorer: null, ownsInput: false);
}

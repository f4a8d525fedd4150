using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Transforms;

namespace MnistMl.Trainers;

/// <summary>
/// A <see cref="ClassificationModel"/>'s output: the input's columns, then Score and PredictedLabel. A cursor that
/// reads either scores the rows in batches of <see cref="ClassificationModel.ScoringBatchSize"/>: a second cursor
/// over the input runs ahead reading only the features (ML.NET's data views give every cursor the same rows in the
/// same order), so the network runs on batches while rows are still read one at a time.
/// </summary>
internal sealed class ScoredDataView : IDataView
{
    private readonly IDataView input;
    private readonly ClassificationModel model;

    public ScoredDataView(IDataView input, ClassificationModel model)
    {
        this.input = input;
        this.model = model;
        Schema = model.GetOutputSchema(input.Schema);
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => input.CanShuffle;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var (inputColumns, scoresActive) = AppendedColumns.InputColumns(input.Schema, columnsNeeded, sourceColumnName: null);
        // Both cursors must walk the rows in the same order: a shuffled one gets the same seed twice.
        int? seed = rand?.Next();
        var main = input.GetRowCursor(inputColumns, seed is { } s ? new Random(s) : null);
        if (!scoresActive) return new ScoredRow(main, Schema, model, null, ownsInput: true);
        var features = input.GetRowCursor([input.Schema[model.FeatureColumnName]], seed is { } s2 ? new Random(s2) : null);
        return new ScoredRow(main, Schema, model, new BatchScorer(features, model), ownsInput: true);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}

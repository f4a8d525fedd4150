using Microsoft.ML;
using Microsoft.ML.Data;

namespace MnistMl.Trainers;

/// <summary>
/// A row (or cursor) of a <see cref="ClassificationModel"/>'s output: input columns pass through; Score and
/// PredictedLabel come from a <see cref="BatchScorer"/> (cursors) or from scoring this row alone (PredictionEngine).
/// </summary>
internal sealed class ScoredRow : DataViewRowCursor
{
    private readonly DataViewRow input;
    private readonly ClassificationModel model;
    private readonly BatchScorer? scorer;
    private readonly bool ownsInput;
    private readonly int scoreIndex;
    private readonly float[] single;
    private ValueGetter<VBuffer<float>>? getFeatures;
    private VBuffer<float> features;
    private long scoredPosition = -1;

    public ScoredRow(DataViewRow input, DataViewSchema schema, ClassificationModel model, BatchScorer? scorer, bool ownsInput)
    {
        this.input = input;
        Schema = schema;
        this.model = model;
        this.scorer = scorer;
        this.ownsInput = ownsInput;
        scoreIndex = input.Schema.Count;
        single = new float[model.ClassNames.Count];
    }

    public override DataViewSchema Schema { get; }

    public override long Position => input.Position;

    public override long Batch => input.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index < scoreIndex ? input.IsColumnActive(input.Schema[column.Index]) : true;

    public override bool MoveNext() => ((DataViewRowCursor)input).MoveNext();

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < scoreIndex) return input.GetGetter<TValue>(input.Schema[column.Index]);
        if (column.Index == scoreIndex && typeof(TValue) == typeof(VBuffer<float>))
            return (ValueGetter<TValue>)(Delegate)new ValueGetter<VBuffer<float>>(GetScore);
        if (column.Index == scoreIndex + 1 && typeof(TValue) == typeof(uint))
            return (ValueGetter<TValue>)(Delegate)new ValueGetter<uint>(GetPredictedLabel);
        throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
    }

    private ReadOnlySpan<float> Probabilities()
    {
        if (scorer is not null) return scorer.Probabilities(input.Position);
        if (scoredPosition != input.Position)
        {
            getFeatures ??= input.GetGetter<VBuffer<float>>(input.Schema[model.FeatureColumnName]);
            getFeatures(ref features);
            var row = features.DenseValues().ToArray();
            if (row.Length != model.FeatureType.Size)
                throw new InvalidDataException($"The row has {row.Length} values in column '{model.FeatureColumnName}'; the model reads {model.FeatureType.Size}.");
            model.Score(row, 1, single);
            scoredPosition = input.Position;
        }
        return single;
    }

    private void GetScore(ref VBuffer<float> value)
    {
        var p = Probabilities();
        var editor = VBufferEditor.Create(ref value, p.Length);
        p.CopyTo(editor.Values);
        value = editor.Commit();
    }

    private void GetPredictedLabel(ref uint value)
    {
        var p = Probabilities();
        int best = 0;
        for (int i = 1; i < p.Length; i++)
            if (p[i] > p[best]) best = i;
        value = (uint)best + 1;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            scorer?.Dispose();
            if (ownsInput) input.Dispose();
        }
        base.Dispose(disposing);
    }
}

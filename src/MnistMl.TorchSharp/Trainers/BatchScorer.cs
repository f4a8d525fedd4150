using Microsoft.ML;
using Microsoft.ML.Data;

namespace MnistMl.Trainers;

/// <summary>Scores the rows of a features-only cursor a batch at a time, ahead of the cursor that shows them.</summary>
internal sealed class BatchScorer : IDisposable
{
    private readonly DataViewRowCursor cursor;
    private readonly ClassificationModel model;
    private readonly ValueGetter<VBuffer<float>> getFeatures;
    private readonly float[] features;
    private readonly float[] probabilities;
    private long firstRow;
    private int rowsInBatch;
    private VBuffer<float> value;

    public BatchScorer(DataViewRowCursor cursor, ClassificationModel model)
    {
        this.cursor = cursor;
        this.model = model;
        getFeatures = cursor.GetGetter<VBuffer<float>>(cursor.Schema[model.FeatureColumnName]);
        features = new float[ClassificationModel.ScoringBatchSize * model.FeatureType.Size];
        probabilities = new float[ClassificationModel.ScoringBatchSize * model.ClassNames.Count];
    }

    /// <summary>The probabilities of row <paramref name="position"/> (rows are asked for in order).</summary>
    public ReadOnlySpan<float> Probabilities(long position)
    {
        while (position >= firstRow + rowsInBatch) NextBatch(position);
        int classes = model.ClassNames.Count;
        return probabilities.AsSpan((int)(position - firstRow) * classes, classes);
    }

    private void NextBatch(long position)
    {
        firstRow += rowsInBatch;
        rowsInBatch = 0;
        int length = model.FeatureType.Size;
        while (rowsInBatch < ClassificationModel.ScoringBatchSize && cursor.MoveNext())
        {
            getFeatures(ref value);
            if (value.Length != length)
                throw new InvalidDataException($"Row {cursor.Position} has {value.Length} values in column '{model.FeatureColumnName}'; the model reads {length}.");
            value.CopyTo(features.AsSpan(rowsInBatch * length, length));
            rowsInBatch++;
        }
        if (rowsInBatch == 0) throw new InvalidOperationException($"The data view gave row {position} to one cursor but not to another: it does not return the same rows to every cursor.");
        model.Score(features, rowsInBatch, probabilities);
    }

    public void Dispose() => cursor.Dispose();
}

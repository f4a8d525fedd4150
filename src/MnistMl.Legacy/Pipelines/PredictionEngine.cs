using MnistMl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Pipelines;

/// <summary>One prediction: the class index, its name and every class's probability.</summary>
public sealed record Prediction(int PredictedLabel, string ClassName, float[] Scores);

/// <summary>
/// Predicts single rows through a <see cref="TrainedPipeline"/> (ML.NET's PredictionEngine): the raw feature
/// column's values go in as an array, a <see cref="Prediction"/> comes out.
/// </summary>
public sealed class PredictionEngine
{
    private readonly TrainedPipeline pipeline;
    private readonly DataViewSchema.Column input;

    internal PredictionEngine(TrainedPipeline pipeline)
    {
        this.pipeline = pipeline;
        var candidates = pipeline.InputSchema.Where(c => !c.Type.IsKey).ToList();
        if (candidates.Count != 1)
            throw new InvalidOperationException($"A prediction engine needs exactly one non-label input column; the pipeline has {string.Join(", ", candidates.Select(c => c.Name))}.");
        input = candidates[0];
    }

    public Prediction Predict(byte[] values) => Predict((Array)values);

    public Prediction Predict(float[] values) => Predict((Array)values);

    /// <summary>Predicts many rows at once; each array holds one row's values.</summary>
    public IReadOnlyList<Prediction> PredictBatch(IReadOnlyList<Array> rows)
    {
        if (rows.Count == 0) return [];
        var type = input.Type;
        var bytes = new byte[rows.Count * type.Size * type.ElementType.ElementSize()];
        int rowBytes = (int)(type.Size * type.ElementType.ElementSize());
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            bool matches = type.ElementType switch
            {
                ScalarType.Byte => row is byte[],
                ScalarType.Float32 => row is float[],
                _ => false,
            };
            if (!matches || row.LongLength != type.Size)
                throw new ArgumentException($"Row {r}: the pipeline's input column '{input.Name}' is {type}, which takes {type.Size} {(type.ElementType == ScalarType.Byte ? "bytes" : "floats")}; got {row.LongLength} {row.GetType().GetElementType()?.Name} values.", nameof(rows));
            Buffer.BlockCopy(row, 0, bytes, r * rowBytes, rowBytes);
        }
        // The label column is not read when predicting; it is filled with class 0 to complete the schema.
        var columns = pipeline.InputSchema.Select(c => c.Name == input.Name ? bytes : new byte[rows.Count * c.Type.Size * c.Type.ElementType.ElementSize()]).ToArray();
        var data = new InMemoryDataView(pipeline.InputSchema, rows.Count, columns);
        using var batch = pipeline.Transform(data).GetRows(0, rows.Count, [Trainers.ClassificationModel.ScoreColumnName, Trainers.ClassificationModel.PredictedLabelColumnName]);
        var scores = batch[Trainers.ClassificationModel.ScoreColumnName].data<float>().ToArray();
        var labels = batch[Trainers.ClassificationModel.PredictedLabelColumnName].data<long>().ToArray();
        int classes = pipeline.ClassNames.Count;
        return labels.Select((label, r) => new Prediction((int)label, pipeline.ClassNames[(int)label], scores[(r * classes)..((r + 1) * classes)])).ToArray();
    }

    private Prediction Predict(Array values) => PredictBatch([values])[0];
}

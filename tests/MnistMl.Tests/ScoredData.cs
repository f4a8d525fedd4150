using Microsoft.ML;
using Microsoft.ML.Data;

namespace MnistMl.Tests;

/// <summary>Builds a scored multiclass <see cref="IDataView"/> as a trained model's Transform would.</summary>
internal static class ScoredData
{
    /// <summary>Probability given to the predicted class; the rest is spread evenly over the others.</summary>
    public const float PredictedProbability = 0.7f;

    /// <summary>
    /// A scored row. The key members hold the 0-based class index: LoadFromEnumerable stores a key member v as the
    /// raw key v + 1 (raw 0 is "missing"), and a member >= the key count becomes missing. Reading back with
    /// CreateEnumerable returns the raw, 1-based value, so the round trip is not the identity.
    /// </summary>
    public sealed class Row
    {
        public uint Label { get; set; }
        public float[] Score { get; set; } = [];
        public uint PredictedLabel { get; set; }
    }

    /// <summary>
    /// Label and PredictedLabel as <c>Key&lt;UInt32, k&gt;</c>, Score as <c>Vector&lt;Single, k&gt;</c>, whose argmax is
    /// <paramref name="yPred"/>. With <paramref name="classNames"/>, both keys carry them as KeyValues annotations.
    /// </summary>
    public static IDataView Create(MLContext ml, int[] yTrue, int[] yPred, int k, string[]? classNames = null)
    {
        float other = (1 - PredictedProbability) / (k - 1);
        var rows = yTrue.Select((t, i) =>
        {
            var score = Enumerable.Repeat(other, k).ToArray();
            score[yPred[i]] = PredictedProbability;
            return new Row { Label = (uint)t, Score = score, PredictedLabel = (uint)yPred[i] };
        }).ToArray();

        SchemaDefinition schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Label)].ColumnType = new KeyDataViewType(typeof(uint), k);
        schema[nameof(Row.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), k);
        schema[nameof(Row.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, k);
        if (classNames is not null)
        {
            var names = new VBuffer<ReadOnlyMemory<char>>(k, classNames.Select(n => n.AsMemory()).ToArray());
            var namesType = new VectorDataViewType(TextDataViewType.Instance, k);
            schema[nameof(Row.Label)].AddAnnotation(AnnotationUtilsKeyValues, names, namesType);
            schema[nameof(Row.PredictedLabel)].AddAnnotation(AnnotationUtilsKeyValues, names, namesType);
        }
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private const string AnnotationUtilsKeyValues = "KeyValues";
}

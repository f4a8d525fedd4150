using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Evaluation;

// Catalog extensions live in the root namespace, as ML.NET's live in Microsoft.ML: `using MnistMl;` reaches them all.
namespace MnistMl;

/// <summary>Builds <see cref="ClassificationReport"/>s from ML.NET's evaluation results.</summary>
public static class ClassificationReportExtensions
{
    /// <summary>The classification report of a multiclass evaluation, from its confusion matrix.</summary>
    /// <param name="metrics">What <c>MulticlassClassificationCatalog.Evaluate</c> returned.</param>
    /// <param name="classNames">One name per class; <see langword="null"/> names them "0", "1", ….</param>
    public static ClassificationReport GetClassificationReport(this MulticlassClassificationMetrics metrics,
        IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.ConfusionMatrix.GetClassificationReport(classNames);
    }

    /// <summary>The classification report of an ML.NET confusion matrix.</summary>
    /// <param name="confusionMatrix">ML.NET's matrix; its <see cref="ConfusionMatrix.Counts"/> rows are true classes and columns predicted ones.</param>
    /// <param name="classNames">One name per class; <see langword="null"/> names them "0", "1", ….</param>
    public static ClassificationReport GetClassificationReport(this ConfusionMatrix confusionMatrix,
        IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(confusionMatrix);
        return new ClassificationReport(confusionMatrix.Counts, classNames);
    }

    /// <summary>
    /// The class names of a key-typed label column (its <c>KeyValues</c> annotation, as <c>MapValueToKey</c> sets it),
    /// or of a score vector column (its <c>SlotNames</c> annotation); "0", "1", … when the column has no names.
    /// </summary>
    /// <param name="column">A key column (e.g. <c>Label</c> or <c>PredictedLabel</c>) or a known-size vector column (e.g. <c>Score</c>).</param>
    /// <exception cref="ArgumentException">The column is neither a key nor a known-size vector.</exception>
    public static IReadOnlyList<string> GetClassNames(this DataViewSchema.Column column)
    {
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        int count;
        switch (column.Type)
        {
            case KeyDataViewType key:
                count = checked((int)key.Count);
                if (column.Annotations.Schema.GetColumnOrNull(AnnotationKindKeyValues) is not null)
                    column.GetKeyValues(ref names);
                break;
            case VectorDataViewType { IsKnownSize: true } vector:
                count = vector.Size;
                if (column.Annotations.Schema.GetColumnOrNull(AnnotationKindSlotNames) is not null)
                    column.GetSlotNames(ref names);
                break;
            default:
                throw new ArgumentException(
                    $"Column '{column.Name}' of type {column.Type} is neither a key nor a known-size vector.", nameof(column));
        }

        var result = new string[count];
        // Annotations may be sparse or absent: unnamed classes keep their index, as ML.NET's own tables show them.
        int i = 0;
        foreach (ReadOnlyMemory<char> name in names.DenseValues())
        {
            if (i >= count)
                break;
            result[i++] = name.ToString();
        }
        for (int j = 0; j < count; j++)
            result[j] = string.IsNullOrEmpty(result[j]) ? j.ToString(System.Globalization.CultureInfo.InvariantCulture) : result[j];
        return result;
    }

    private const string AnnotationKindKeyValues = "KeyValues";
    private const string AnnotationKindSlotNames = "SlotNames";
}

using System.Globalization;
using System.Text;

namespace MnistMl.Evaluation;

/// <summary>
/// How often each true class was predicted as each class (ML.NET's ConfusionMatrix): <see cref="Counts"/>[t][p] is
/// the number of rows of true class t predicted as class p, so rows are the truth and columns the prediction.
/// Precision and recall follow scikit-learn's <c>zero_division=0</c>: a class that is never predicted has precision 0,
/// and a class absent from the labels has recall 0 (both would otherwise be 0/0).
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] truePositives, support, predicted;
    private string? formattedTable;

    internal ConfusionMatrix(long[,] counts, IReadOnlyList<string> classNames)
    {
        int classes = counts.GetLength(0);
        NumberOfClasses = classes;
        ClassNames = Array.AsReadOnly(classNames.ToArray());
        truePositives = new long[classes];
        support = new long[classes];
        predicted = new long[classes];
        var rows = new IReadOnlyList<double>[classes];
        for (int t = 0; t < classes; t++)
        {
            var row = new double[classes];
            for (int p = 0; p < classes; p++)
            {
                row[p] = counts[t, p];
                support[t] += counts[t, p];
                predicted[p] += counts[t, p];
            }
            truePositives[t] = counts[t, t];
            rows[t] = Array.AsReadOnly(row);
        }
        Counts = Array.AsReadOnly(rows);
        PerClassPrecision = Array.AsReadOnly(Enumerable.Range(0, classes).Select(c => Ratio(truePositives[c], predicted[c])).ToArray());
        PerClassRecall = Array.AsReadOnly(Enumerable.Range(0, classes).Select(c => Ratio(truePositives[c], support[c])).ToArray());
    }

    public int NumberOfClasses { get; }

    /// <summary>Counts[true class][predicted class], as doubles like ML.NET's (they are whole numbers here).</summary>
    public IReadOnlyList<IReadOnlyList<double>> Counts { get; }

    /// <summary>Per class: correct predictions of the class / all predictions of the class (0 if never predicted).</summary>
    public IReadOnlyList<double> PerClassPrecision { get; }

    /// <summary>Per class: correct predictions of the class / rows of the class (0 if it has no rows).</summary>
    public IReadOnlyList<double> PerClassRecall { get; }

    /// <summary>The class names, in class-index order ("0", "1", … when none were given).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Rows whose label is class c (scikit-learn's "support").</summary>
    internal long Support(int c) => support[c];

    /// <summary>Rows predicted as class c.</summary>
    internal long PredictedCount(int c) => predicted[c];

    internal long TruePositives(int c) => truePositives[c];

    internal long RowCount => support.Sum();

    internal static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    /// <summary>
    /// The matrix as an aligned text table like ML.NET's: a header of predicted classes, one row per true class with
    /// its counts and recall, and a last row of precisions. Names longer than a column are replaced by their index
    /// in the header (the rows then read "index. name"), so that ten classes still fit a console line.
    /// </summary>
    public string GetFormattedConfusionTable() => formattedTable ??= FormatTable();

    private string FormatTable()
    {
        var inv = CultureInfo.InvariantCulture;
        int classes = NumberOfClasses;
        long largest = Counts.SelectMany(r => r).Select(v => (long)v).DefaultIfEmpty(0).Max();
        // Wide enough for "0.1234" (precision) and for the largest count.
        int cell = Math.Max(6, largest.ToString(inv).Length);
        bool namesFit = ClassNames.All(n => n.Length <= cell);
        int indexDigits = (classes - 1).ToString(inv).Length;
        var headers = namesFit ? ClassNames.ToArray() : Enumerable.Range(0, classes).Select(i => i.ToString(inv)).ToArray();
        var rowLabels = namesFit ? ClassNames.ToArray() : ClassNames.Select((n, i) => $"{i.ToString(inv).PadLeft(indexDigits)}. {n}").ToArray();
        int labelWidth = Math.Max("PREDICTED".Length, rowLabels.Max(l => l.Length));
        string rule = new string(' ', labelWidth) + " ||" + new string('=', classes * (cell + 3));

        var text = new StringBuilder();
        text.AppendLine("Confusion table (rows: truth, columns: prediction)");
        text.AppendLine(rule);
        text.Append("PREDICTED".PadRight(labelWidth)).Append(" ||");
        foreach (var header in headers) text.Append(' ').Append(header.PadLeft(cell)).Append(" |");
        text.AppendLine(" Recall");
        text.Append("TRUTH".PadRight(labelWidth)).Append(" ||").AppendLine(new string('=', classes * (cell + 3)));
        for (int t = 0; t < classes; t++)
        {
            // Short names line up under each other on the right, "index. name" labels on the left.
            text.Append(namesFit ? rowLabels[t].PadLeft(labelWidth) : rowLabels[t].PadRight(labelWidth)).Append(" ||");
            foreach (var count in Counts[t]) text.Append(' ').Append(count.ToString("0", inv).PadLeft(cell)).Append(" |");
            text.Append(' ').AppendLine(PerClassRecall[t].ToString("0.0000", inv));
        }
        text.AppendLine(rule);
        text.Append("Precision".PadRight(labelWidth)).Append(" ||");
        foreach (var precision in PerClassPrecision) text.Append(' ').Append(precision.ToString("0.0000", inv).PadLeft(cell)).Append(" |");
        text.AppendLine();
        return text.ToString();
    }

    public override string ToString() => GetFormattedConfusionTable();
}

namespace MnistMl.Evaluation;

/// <summary>An averaged row (micro, macro or weighted) of a <see cref="ClassificationReport"/>.</summary>
/// <param name="Precision">Averaged precision.</param>
/// <param name="Recall">Averaged recall.</param>
/// <param name="F1Score">Averaged F1 score (for micro and weighted averages this is not the F1 of the averaged precision and recall).</param>
/// <param name="Support">Total number (or weight) of examples.</param>
public sealed record AverageMetrics(double Precision, double Recall, double F1Score, double Support);

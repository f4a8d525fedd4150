namespace MnistMl.Evaluation;

/// <summary>Precision, recall, F1 score and support of one class of a <see cref="ClassificationReport"/>.</summary>
/// <param name="Name">The class name as the report prints it.</param>
/// <param name="Precision">True positives over predicted positives; 0 when the class is never predicted.</param>
/// <param name="Recall">True positives over actual positives; 0 when the class never occurs.</param>
/// <param name="F1Score">Harmonic mean of <paramref name="Precision"/> and <paramref name="Recall"/>; 0 when both are 0.</param>
/// <param name="Support">Number (or total weight) of examples whose true class is this one.</param>
public sealed record ClassMetrics(string Name, double Precision, double Recall, double F1Score, double Support);

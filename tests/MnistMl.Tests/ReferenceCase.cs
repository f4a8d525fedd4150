namespace MnistMl.Tests;

/// <summary>One scikit-learn reference case of <see cref="ReferenceData"/>, gathered for data-driven tests.</summary>
internal sealed record ReferenceCase(
    string Name, int ClassCount, string[]? TargetNames, int[] YTrue, int[] YPred, double[][] Counts,
    double[] Precision, double[] Recall, double[] F1, int[] Support,
    double[] Micro, double[] Macro, double[] Weighted, string Text2, string Text4)
{
    public static readonly string[] Names = ["ZeroDivision", "Random10", "Imbalanced", "AbsentClass", "Binary"];

    public static ReferenceCase Get(string name) => name switch
    {
        "ZeroDivision" => new(name, ReferenceData.ZeroDivision.ClassCount, ReferenceData.ZeroDivision.TargetNames,
            ReferenceData.ZeroDivision.YTrue, ReferenceData.ZeroDivision.YPred, ReferenceData.ZeroDivision.Counts,
            ReferenceData.ZeroDivision.Precision, ReferenceData.ZeroDivision.Recall, ReferenceData.ZeroDivision.F1,
            ReferenceData.ZeroDivision.Support, ReferenceData.ZeroDivision.Micro, ReferenceData.ZeroDivision.Macro,
            ReferenceData.ZeroDivision.Weighted, ReferenceData.ZeroDivision.Text2, ReferenceData.ZeroDivision.Text4),
        "Random10" => new(name, ReferenceData.Random10.ClassCount, ReferenceData.Random10.TargetNames,
            ReferenceData.Random10.YTrue, ReferenceData.Random10.YPred, ReferenceData.Random10.Counts,
            ReferenceData.Random10.Precision, ReferenceData.Random10.Recall, ReferenceData.Random10.F1,
            ReferenceData.Random10.Support, ReferenceData.Random10.Micro, ReferenceData.Random10.Macro,
            ReferenceData.Random10.Weighted, ReferenceData.Random10.Text2, ReferenceData.Random10.Text4),
        "Imbalanced" => new(name, ReferenceData.Imbalanced.ClassCount, ReferenceData.Imbalanced.TargetNames,
            ReferenceData.Imbalanced.YTrue, ReferenceData.Imbalanced.YPred, ReferenceData.Imbalanced.Counts,
            ReferenceData.Imbalanced.Precision, ReferenceData.Imbalanced.Recall, ReferenceData.Imbalanced.F1,
            ReferenceData.Imbalanced.Support, ReferenceData.Imbalanced.Micro, ReferenceData.Imbalanced.Macro,
            ReferenceData.Imbalanced.Weighted, ReferenceData.Imbalanced.Text2, ReferenceData.Imbalanced.Text4),
        "AbsentClass" => new(name, ReferenceData.AbsentClass.ClassCount, ReferenceData.AbsentClass.TargetNames,
            ReferenceData.AbsentClass.YTrue, ReferenceData.AbsentClass.YPred, ReferenceData.AbsentClass.Counts,
            ReferenceData.AbsentClass.Precision, ReferenceData.AbsentClass.Recall, ReferenceData.AbsentClass.F1,
            ReferenceData.AbsentClass.Support, ReferenceData.AbsentClass.Micro, ReferenceData.AbsentClass.Macro,
            ReferenceData.AbsentClass.Weighted, ReferenceData.AbsentClass.Text2, ReferenceData.AbsentClass.Text4),
        "Binary" => new(name, ReferenceData.Binary.ClassCount, ReferenceData.Binary.TargetNames,
            ReferenceData.Binary.YTrue, ReferenceData.Binary.YPred, ReferenceData.Binary.Counts,
            ReferenceData.Binary.Precision, ReferenceData.Binary.Recall, ReferenceData.Binary.F1,
            ReferenceData.Binary.Support, ReferenceData.Binary.Micro, ReferenceData.Binary.Macro,
            ReferenceData.Binary.Weighted, ReferenceData.Binary.Text2, ReferenceData.Binary.Text4),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown reference case."),
    };
}

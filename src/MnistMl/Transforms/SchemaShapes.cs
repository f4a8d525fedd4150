using Microsoft.ML;

namespace MnistMl.Transforms;

/// <summary>
/// Output <see cref="SchemaShape"/>s of MnistMl's estimators. ML.NET keeps SchemaShape.Column's constructor
/// internal, so each shape is the one an equivalent ML.NET estimator reports: a known-size float vector as
/// Concatenate makes it, Score and PredictedLabel as ML.NET's own multiclass trainers add them.
/// </summary>
internal static class SchemaShapes
{
    private static readonly MLContext Context = new();

    /// <summary>The column named <paramref name="name"/>, or null (the last of that name: the visible one).</summary>
    public static SchemaShape.Column? Find(SchemaShape shape, string name) =>
        shape.LastOrDefault(c => c.Name == name) is { Name: not null } column ? column : null;

    /// <summary><paramref name="input"/> with column <paramref name="outputName"/> (added or replaced) a known-size float vector.</summary>
    public static SchemaShape WithFloatVector(SchemaShape input, string outputName, string inputName) =>
        Context.Transforms.Concatenate(outputName, inputName).GetOutputSchema(input);

    /// <summary><paramref name="input"/> with the Score (float vector) and PredictedLabel (key) columns of a multiclass trainer.</summary>
    public static SchemaShape WithMulticlassOutputs(SchemaShape input, string labelColumnName, string featureColumnName) =>
        Context.MulticlassClassification.Trainers.SdcaMaximumEntropy(labelColumnName, featureColumnName).GetOutputSchema(input);
}

namespace MnistMl.Data;

/// <summary>The two parts of a split (ML.NET's TrainTestData); in cross-validation TestSet is the fold held out.</summary>
public sealed record TrainTestData(IDataView TrainSet, IDataView TestSet);

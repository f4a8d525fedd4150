using Microsoft.ML;

namespace MnistMl.Data;

/// <summary>
/// A training part and a test part of one data view: what <see cref="StratifiedSplitCatalog"/> returns. ML.NET's own
/// <see cref="DataOperationsCatalog.TrainTestData"/> has the same two members but only an internal constructor, so it
/// cannot be built outside ML.NET. Both parts are <see cref="RowSubsetDataView"/>s of the original data.
/// </summary>
/// <param name="TrainSet">The rows to train on, in their original order.</param>
/// <param name="TestSet">The rows to test (or validate) on, in their original order.</param>
public sealed record StratifiedTrainTestData(IDataView TrainSet, IDataView TestSet);

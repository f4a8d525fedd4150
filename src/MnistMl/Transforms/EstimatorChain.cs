using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>
/// Estimators applied in order (ML.NET's EstimatorChain). Fit fits each on the output of the transformers
/// fitted before it, so statistics are learned on the data as it reaches that step.
/// </summary>
public sealed class EstimatorChain<TLastTransformer> : IEstimator<TransformerChain<TLastTransformer>> where TLastTransformer : class, ITransformer
{
    private readonly IReadOnlyList<IEstimator<ITransformer>> estimators;

    internal EstimatorChain(IReadOnlyList<IEstimator<ITransformer>> estimators) => this.estimators = estimators;

    public IReadOnlyList<IEstimator<ITransformer>> Estimators => estimators;

    public EstimatorChain<TNext> Append<TNext>(IEstimator<TNext> next) where TNext : class, ITransformer =>
        new([.. estimators, next]);

    public TransformerChain<TLastTransformer> Fit(IDataView input)
    {
        GetOutputSchema(input.Schema); // fail on a schema mismatch before any data is read
        var fitted = new List<ITransformer>();
        var data = input;
        foreach (var estimator in estimators)
        {
            var transformer = estimator.Fit(data);
            fitted.Add(transformer);
            data = transformer.Transform(data);
        }
        return new TransformerChain<TLastTransformer>(fitted);
    }

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        estimators.Aggregate(inputSchema, (schema, estimator) => estimator.GetOutputSchema(schema));
}

/// <summary>Chain-building extensions, as ML.NET's <c>Append</c>.</summary>
public static class EstimatorExtensions
{
    /// <summary>Starts a chain: this estimator, then <paramref name="next"/>.</summary>
    public static EstimatorChain<TNext> Append<TNext>(this IEstimator<ITransformer> first, IEstimator<TNext> next) where TNext : class, ITransformer =>
        new([first, next]);

    /// <summary>Caches the data at this point of the chain: later steps (and every epoch) read it from memory.</summary>
    public static EstimatorChain<CacheTransformer> AppendCacheCheckpoint(this IEstimator<ITransformer> estimator) =>
        estimator.Append(new TrivialEstimator<CacheTransformer>(new CacheTransformer()));
}

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

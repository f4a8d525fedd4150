using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>An estimator with nothing to learn: Fit checks the schema and returns the transformer.</summary>
public sealed class TrivialEstimator<TTransformer>(TTransformer transformer) : IEstimator<TTransformer> where TTransformer : ITransformer
{
    public TTransformer Fit(IDataView input)
    {
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => transformer.GetOutputSchema(inputSchema);
}

using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>Fitted transformers applied in order (ML.NET's TransformerChain).</summary>
public sealed class TransformerChain<TLastTransformer> : ITransformer, IEnumerable<ITransformer>, IDisposable where TLastTransformer : class, ITransformer
{
    private readonly IReadOnlyList<ITransformer> transformers;

    public TransformerChain(IReadOnlyList<ITransformer> transformers) => this.transformers = transformers;

    /// <summary>The last transformer (e.g. the trained model of a pipeline).</summary>
    public TLastTransformer LastTransformer => (TLastTransformer)transformers[^1];

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        transformers.Aggregate(inputSchema, (schema, t) => t.GetOutputSchema(schema));

    public IDataView Transform(IDataView input) => transformers.Aggregate(input, (data, t) => t.Transform(data));

    /// <summary>Frees the transformers that hold native memory (trained models).</summary>
    public void Dispose()
    {
        foreach (var t in transformers) (t as IDisposable)?.Dispose();
    }

    public IEnumerator<ITransformer> GetEnumerator() => transformers.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

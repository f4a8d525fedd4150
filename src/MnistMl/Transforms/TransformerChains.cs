using Microsoft.ML;

namespace MnistMl.Transforms;

/// <summary>Walking fitted ML.NET pipelines, whose chains may nest (a chain appended to a chain).</summary>
public static class TransformerChains
{
    /// <summary>The transformers of <paramref name="transformer"/> in order, nested chains opened; a single transformer yields itself.</summary>
    public static IEnumerable<ITransformer> Flatten(this ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [transformer];
}

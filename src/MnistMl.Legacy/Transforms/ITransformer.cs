using MnistMl.Data;

namespace MnistMl.Transforms;

/// <summary>A fitted transformation of data views (ML.NET's ITransformer). Transform is lazy: nothing is computed until rows are read.</summary>
public interface ITransformer
{
    /// <summary>The schema <see cref="Transform"/> produces for an input of <paramref name="inputSchema"/>; throws when the input does not fit.</summary>
    DataViewSchema GetOutputSchema(DataViewSchema inputSchema);

    IDataView Transform(IDataView input);
}

/// <summary>Something that learns a transformer from data (ML.NET's IEstimator).</summary>
public interface IEstimator<out TTransformer> where TTransformer : ITransformer
{
    /// <summary>Learns the transformer's parameters (statistics, key mappings, weights) from <paramref name="input"/>.</summary>
    TTransformer Fit(IDataView input);

    /// <summary>The schema the fitted transformer will produce; checks the input columns without reading data.</summary>
    DataViewSchema GetOutputSchema(DataViewSchema inputSchema);
}

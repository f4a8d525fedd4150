using Microsoft.ML;
using Microsoft.ML.Data;

namespace MnistMl.Transforms;

/// <summary>
/// The estimator of an <see cref="ImageVectorTransformer"/>: fitting reads the input column's type from the data
/// (nothing else is learned), and <see cref="GetOutputSchema"/> reports the output column before any data is seen,
/// so the estimator takes its place in ML.NET's Append chains.
/// </summary>
public sealed class ImageVectorEstimator<TTransformer> : IEstimator<TTransformer> where TTransformer : ImageVectorTransformer
{
    private readonly Func<VectorDataViewType, TTransformer> create;

    internal ImageVectorEstimator(string transformName, string outputColumnName, string inputColumnName, Func<VectorDataViewType, TTransformer> create)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        TransformName = transformName;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        this.create = create;
    }

    public string TransformName { get; }
    public string OutputColumnName { get; }
    public string InputColumnName { get; }

    public TTransformer Fit(IDataView input) => create(ImageColumns.Require(input.Schema, InputColumnName, TransformName));

    /// <summary>The transformer for an input column of <paramref name="inputType"/>, without data.</summary>
    public TTransformer Fit(VectorDataViewType inputType) => create(ImageColumns.Require(inputType, InputColumnName, TransformName));

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ImageColumns.Require(inputSchema, InputColumnName, TransformName);
        return SchemaShapes.WithFloatVector(inputSchema, OutputColumnName, InputColumnName);
    }
}

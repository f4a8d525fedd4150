using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Onnx;

namespace MnistMl.Transforms;

/// <summary>
/// Base of MnistMl's transformers on image (and feature) vectors: one known-size Single vector column in, one out
/// (a new column, or the same name replaced), computed row by row as rows are read. Every one of them has an ONNX
/// form: the whole-pipeline exporter writes it, and <see cref="Save"/> stores the transformer in an ML.NET model
/// file as ML.NET's own ApplyOnnxModel on that graph, so the file loads with <c>ml.Model.Load</c> anywhere ML.NET
/// and ONNX Runtime run.
/// </summary>
public abstract class ImageVectorTransformer : ITransformer
{
    private protected ImageVectorTransformer(string outputColumnName, string inputColumnName, VectorDataViewType inputType, VectorDataViewType outputType)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        InputType = inputType;
        OutputType = outputType;
    }

    /// <summary>The column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>The column read.</summary>
    public string InputColumnName { get; }

    /// <summary>The input column's type this transformer was fitted on.</summary>
    public VectorDataViewType InputType { get; }

    /// <summary>The output column's type: a known-size Single vector with its dimensions.</summary>
    public VectorDataViewType OutputType { get; }

    /// <summary>The transform's catalog name ("ScalePixels", "ExtractHogFeatures", …).</summary>
    public abstract string TransformName { get; }

    /// <summary>What the transform computes, in words (ONNX metadata and reports).</summary>
    public abstract string Description { get; }

    /// <summary>Computes one output row from one input row.</summary>
    internal abstract void Map(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Writes the ONNX nodes computing the output [N, output dims…] from <paramref name="x"/> [N, input dims…]; returns the value.</summary>
    internal abstract string WriteOnnx(OnnxGraphBuilder g, string x, string name);

    public bool IsRowToRowMapper => true;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var type = ImageColumns.Require(inputSchema, InputColumnName, TransformName);
        if (type.Size != InputType.Size)
            throw new ArgumentException($"{TransformName}: column '{InputColumnName}' is {type}; this transformer was fitted on {InputType}.", nameof(inputSchema));
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(OutputColumnName, OutputType);
        return builder.ToSchema();
    }

    public IDataView Transform(IDataView input) => new MappedDataView(input, this);

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new MappedRowMapper(inputSchema, this);

    /// <summary>Saves this transformer into an ML.NET model file as ApplyOnnxModel on its one-row ONNX graph (see <see cref="OnnxStandIn"/>).</summary>
    public void Save(ModelSaveContext ctx) => OnnxStandIn.ForImageTransform(this).Save(ctx);
}

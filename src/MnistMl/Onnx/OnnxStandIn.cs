using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;
using MnistMl.Onnx.Proto;
using MnistMl.Transforms;
using DataType = MnistMl.Onnx.Proto.TensorProto.Types.DataType;

namespace MnistMl.Onnx;

/// <summary>
/// How MnistMl's transformers go into ML.NET model files. ML.NET keeps its save contract (ModelSaveContext's
/// members, loader signatures) internal, so an MnistMl transformer saves as an equivalent chain of ML.NET's own
/// transformers: ApplyOnnxModel on a one-row ONNX graph of what it computes (ML.NET embeds the ONNX bytes in the
/// zip), then ML.NET column operations. <c>ml.Model.Load</c> gives that chain back: it scores with ML.NET and ONNX
/// Runtime alone, without MnistMl's trainers or libtorch.
/// </summary>
internal static class OnnxStandIn
{
    /// <summary>
    /// The graph fed one row: ApplyOnnxModel gives a vector column to an input of exactly its dimensions, and reads an
    /// output of rank 0 as a scalar column; each transform's nodes work on a batch, so the row gets a batch axis of 1
    /// on the way in and loses it on the way out.
    /// </summary>
    public static ITransformer ForImageTransform(ImageVectorTransformer transformer)
    {
        var g = new OnnxGraphBuilder(transformer.TransformName);
        string input = g.ExactName(transformer.InputColumnName);
        g.RowInput(input, DataType.Float, Dimensions(transformer.InputType));
        var batch = g.Node("Unsqueeze", [input, g.Int64s("row_axis", [0])], $"{input}/batch");
        var y = transformer.WriteOnnx(g, batch, transformer.OutputColumnName);
        string output = g.ExactName(GraphOutputName(transformer.OutputColumnName, transformer.InputColumnName, transformer.TransformName));
        g.Node("Squeeze", [y, g.Int64s("row_axis", [0])], [output]);
        g.RowOutput(output, DataType.Float, Dimensions(transformer.OutputType));
        var model = OnnxModels.Create(g.Graph, $"{transformer.TransformName} of one row, as MnistMl's transformer computes it: {transformer.Description}");
        return Fit(model, [(transformer.InputColumnName, transformer.InputType)], [(output, transformer.OutputColumnName)]);
    }

    /// <summary>
    /// ApplyOnnxModel on <paramref name="model"/> (graph inputs named after the columns they read), then each graph
    /// output copied to its column where the names differ, and the graph-named columns dropped; <paramref name="after"/>
    /// appends further ML.NET estimators.
    /// </summary>
    public static ITransformer Fit(ModelProto model, IReadOnlyList<(string Name, DataViewType Type)> inputs,
        IReadOnlyList<(string GraphOutput, string Column)> outputs, Func<MLContext, IEstimator<ITransformer>?>? after = null)
    {
        var ml = new MLContext();
        IEstimator<ITransformer> chain = ml.Transforms.ApplyOnnxModel(
            outputs.Select(o => o.GraphOutput).ToArray(), inputs.Select(i => i.Name).ToArray(), new MemoryStream(model.ToByteArray()));
        var renamed = outputs.Where(o => o.GraphOutput != o.Column).ToArray();
        foreach (var (graphOutput, column) in renamed) chain = chain.Append(ml.Transforms.CopyColumns(column, graphOutput));
        if (renamed.Length > 0) chain = chain.Append(ml.Transforms.DropColumns(renamed.Select(r => r.GraphOutput).ToArray()));
        if (after?.Invoke(ml) is { } more) chain = chain.Append(more);
        return chain.Fit(EmptyDataView.Of([.. inputs]));
    }

    /// <summary>A graph output may not reuse its input's name: an in-place transform's output gets a temporary one.</summary>
    public static string GraphOutputName(string outputColumnName, string inputColumnName, string transformName) =>
        outputColumnName == inputColumnName ? $"{outputColumnName}.{transformName}" : outputColumnName;

    public static long[] Dimensions(VectorDataViewType type) => type.Dimensions.Select(d => (long)d).ToArray();
}

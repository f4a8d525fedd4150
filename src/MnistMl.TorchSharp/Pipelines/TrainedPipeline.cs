using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Trainers;

namespace MnistMl.Pipelines;

/// <summary>
/// A fitted pipeline file: ML.NET's transformer chain (the transforms, then the network's
/// <see cref="ClassificationModel"/>), the schema of the raw data it reads, and the record of how it was made
/// (definition, metrics). <see cref="Save"/> writes an ML.NET model file that <c>ml.Model.Load</c> reads anywhere;
/// <see cref="Load"/> rebuilds the MnistMl pipeline from it.
/// </summary>
public sealed class TrainedPipeline : ITransformer, IDisposable
{
    public TrainedPipeline(PipelineDefinition definition, DataViewSchema inputSchema, TransformerChain<ITransformer> model)
    {
        Definition = definition;
        InputSchema = inputSchema;
        Model = model;
        Network = model.LastTransformer as ClassificationModel
            ?? throw new ArgumentException($"The pipeline's model ends in {model.LastTransformer?.GetType().Name ?? "nothing"}, not an MnistMl network.", nameof(model));
    }

    public PipelineDefinition Definition { get; }

    /// <summary>The raw columns the pipeline reads (as loaded, before any transform).</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>The fitted chain: transforms, then the network.</summary>
    public TransformerChain<ITransformer> Model { get; }

    /// <summary>The trained network.</summary>
    public ClassificationModel Network { get; }

    public IReadOnlyList<string> ClassNames => Network.ClassNames;
    public History History => Network.History;

    /// <summary>Evaluation results stored with the model (name → value), e.g. test accuracy; empty until set.</summary>
    public Dictionary<string, double> Metrics { get; init; } = [];

    public bool IsRowToRowMapper => ((ITransformer)Model).IsRowToRowMapper;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Model.GetOutputSchema(inputSchema);

    public IDataView Transform(IDataView input) => Model.Transform(input);

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => ((ITransformer)Model).GetRowToRowMapper(inputSchema);

    /// <summary>Saves the chain as ML.NET does (a pipeline inside <c>ml.Model.Save</c>'s file is what this writes).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)Model).Save(ctx);

    /// <summary>Writes the ML.NET model file, with the pipeline definition and metrics beside the model, atomically.</summary>
    public void Save(string path) => PipelineModelFile.Save(this, path);

    /// <summary>Reads a model file written by <see cref="Save"/>.</summary>
    public static TrainedPipeline Load(string path) => PipelineModelFile.Load(path);

    public void Dispose() => Network.Dispose();
}

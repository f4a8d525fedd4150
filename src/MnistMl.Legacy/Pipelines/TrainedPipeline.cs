using MnistMl.Data;
using MnistMl.Trainers;
using MnistMl.Transforms;

namespace MnistMl.Pipelines;

/// <summary>
/// A fitted pipeline: the transforms with what they learned, the trained classifier, and the record of how it was
/// made (definition, class names, history, metrics). Raw data in (the schema it was trained on), Score and
/// PredictedLabel out. <see cref="ModelFile"/> saves and loads it as one file.
/// </summary>
public sealed class TrainedPipeline : ITransformer, IDisposable
{
    public TrainedPipeline(PipelineDefinition definition, DataViewSchema inputSchema, IReadOnlyList<ITransformer> transforms, ClassificationModel model)
    {
        Definition = definition;
        InputSchema = inputSchema;
        Transforms = transforms;
        Model = model;
    }

    public PipelineDefinition Definition { get; }

    /// <summary>The raw columns the pipeline expects (as loaded, before any transform).</summary>
    public DataViewSchema InputSchema { get; }

    public IReadOnlyList<ITransformer> Transforms { get; }
    public ClassificationModel Model { get; }
    public IReadOnlyList<string> ClassNames => Model.ClassNames;
    public History History => Model.History;

    /// <summary>Evaluation results stored with the model (name → value), e.g. test accuracy; empty until set.</summary>
    public Dictionary<string, double> Metrics { get; init; } = [];

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        Model.GetOutputSchema(Transforms.Aggregate(inputSchema, (schema, t) => t.GetOutputSchema(schema)));

    public IDataView Transform(IDataView input) => Model.Transform(Transforms.Aggregate(input, (data, t) => t.Transform(data)));

    /// <summary>Predicts single inputs given as the raw feature column's values (e.g. 784 pixel bytes of a 28×28 image).</summary>
    public PredictionEngine CreatePredictionEngine() => new(this);

    public void Save(string path) => ModelFile.Save(this, path);

    public static TrainedPipeline Load(string path) => ModelFile.Load(path);

    public void Dispose() => Model.Dispose();
}

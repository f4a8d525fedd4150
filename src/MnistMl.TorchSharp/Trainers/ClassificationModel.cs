using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;
using MnistMl.Onnx;
using MnistMl.Transforms;
using TorchSharp;
using static TorchSharp.torch;
using DataType = MnistMl.Onnx.Proto.TensorProto.Types.DataType;

namespace MnistMl.Trainers;

/// <summary>
/// A trained network as an ML.NET transformer. It adds the columns ML.NET's multiclass trainers add:
/// "Score" (<c>Vector&lt;Single, classes&gt;</c>, the class probabilities, slot names = class names) and
/// "PredictedLabel" (<c>Key&lt;UInt32, classes&gt;</c> with the class names; the arg-max of Score, ties to the
/// lower class). Scores are computed lazily, in batches, as a cursor reads the rows; ML.NET's PredictionEngine
/// scores single rows. <c>ml.Model.Save</c> stores it as ML.NET's own ApplyOnnxModel on the exported network, so
/// the saved file scores without TorchSharp; the weights, History and training settings travel in that ONNX
/// model's metadata (<see cref="SavedNetwork"/> reads them back). Owns the network's native weights: dispose it
/// when done.
/// </summary>
public sealed class ClassificationModel : ITransformer, IDisposable
{
    public const string ScoreColumnName = "Score";
    public const string PredictedLabelColumnName = "PredictedLabel";
    internal const int ScoringBatchSize = 256;

    internal ClassificationModel(Network network, NetworkSpec spec, string featureColumnName, VectorDataViewType featureType,
        string labelColumnName, IReadOnlyList<string> classNames, History history, TrainingOptions? options)
    {
        Network = network;
        Spec = spec;
        FeatureColumnName = featureColumnName;
        FeatureType = featureType;
        LabelColumnName = labelColumnName;
        ClassNames = classNames;
        History = history;
        Options = options;
    }

    /// <summary>The TorchSharp module (a <c>nn.Module&lt;Tensor, Tensor&gt;</c> giving logits).</summary>
    public Network Network { get; }

    /// <summary>The network specification it was built from (with the output layer).</summary>
    public NetworkSpec Spec { get; }

    public string FeatureColumnName { get; }
    public VectorDataViewType FeatureType { get; }
    public string LabelColumnName { get; }
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Keras' History of the training run.</summary>
    public History History { get; }

    /// <summary>How it was trained; null for a model read from a file that did not record it.</summary>
    public TrainingOptions? Options { get; }

    /// <summary>Keras' model.summary(): layers, output shapes, parameter counts.</summary>
    public ModelSummary Summary => ModelSummary.Of(Network);

    public bool IsRowToRowMapper => true;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var features = ImageColumns.Require(inputSchema, FeatureColumnName, "The model");
        if (features.Size != FeatureType.Size)
            throw new ArgumentException($"The model was trained on '{FeatureColumnName}' rows of {FeatureType}; this data has {features}.", nameof(inputSchema));
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, ClassNames.Count), ClassNameAnnotations.Of(ClassNames, ClassNameAnnotations.SlotNames));
        builder.AddColumn(PredictedLabelColumnName, new KeyDataViewType(typeof(uint), ClassNames.Count), ClassNameAnnotations.Of(ClassNames));
        return builder.ToSchema();
    }

    public IDataView Transform(IDataView input) => new ScoredDataView(input, this);

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new ScoringRowMapper(inputSchema, this);

    /// <summary>Class probabilities [rows, classes] for a batch of features (evaluation mode, no gradients).</summary>
    public Tensor PredictProbabilities(Tensor features)
    {
        Network.eval();
        using var noGrad = torch.no_grad();
        return Network.PredictProbabilities(features);
    }

    /// <summary>Probabilities of <paramref name="rows"/> feature rows laid out one after another, into <paramref name="probabilities"/>.</summary>
    internal void Score(float[] features, int rows, float[] probabilities)
    {
        using var scope = torch.NewDisposeScope();
        long[] shape = [rows, .. FeatureType.Dimensions.Select(d => (long)d)];
        var x = torch.tensor(features.AsSpan(0, rows * FeatureType.Size).ToArray(), shape);
        var p = PredictProbabilities(x).contiguous();
        p.data<float>().CopyTo(probabilities.AsSpan(0, rows * ClassNames.Count));
    }

    /// <summary>
    /// Saves into an ML.NET model file as ML.NET's own transformers: ApplyOnnxModel on the one-row network graph
    /// (Score, and the predicted class name as a one-element vector), a CustomMapping to a scalar name
    /// (<see cref="PredictedClassNameMapping"/>), MapValueToKey of that name over the class names (PredictedLabel,
    /// a key with the class names), and the helper columns dropped.
    /// </summary>
    public void Save(ModelSaveContext ctx) => StandIn().Save(ctx);

    private ITransformer StandIn()
    {
        var g = new OnnxGraphBuilder("network");
        string input = g.ExactName(FeatureColumnName);
        g.RowInput(input, DataType.Float, OnnxStandIn.Dimensions(FeatureType));
        var batch = g.Node("Unsqueeze", [input, g.Int64s("row_axis", [0])], $"{input}/batch");
        var logits = OnnxNetworkWriter.Write(g, Network, batch);
        var probabilities = g.Node("Softmax", [logits], "probabilities", OnnxAttributes.Int("axis", -1));
        string score = g.ExactName(OnnxStandIn.GraphOutputName(ScoreColumnName, FeatureColumnName, "network"));
        g.Node("Squeeze", [probabilities, g.Int64s("row_axis", [0])], [score]);
        var best = g.Node("ArgMax", [probabilities], "best_class", OnnxAttributes.Int("axis", 1), OnnxAttributes.Int("keepdims", 0));
        string classNames = g.ExactName(PredictedClassNameMapping.InputColumnName);
        g.Node("Gather", [g.Strings("class_names", ClassNames), best], [classNames]);
        g.RowOutput(score, DataType.Float, [ClassNames.Count]);
        g.RowOutput(classNames, DataType.String, [1]);
        var model = OnnxModels.Create(g.Graph, $"MnistMl network on one row of '{FeatureColumnName}': Score (class probabilities) and the predicted class name.",
            SavedNetwork.Metadata(this));
        return OnnxStandIn.Fit(model, [(FeatureColumnName, FeatureType)], [(score, ScoreColumnName), (classNames, classNames)], ml =>
            ml.Transforms.CustomMapping<PredictedClassNameMapping.Input, PredictedClassNameMapping.Output>(PredictedClassNameMapping.Map, PredictedClassNameMapping.ContractName)
                .Append(ml.Transforms.Conversion.MapValueToKey(PredictedLabelColumnName, PredictedClassNameMapping.OutputColumnName, keyData: ClassNameData(ml)))
                .Append(ml.Transforms.DropColumns(classNames, PredictedClassNameMapping.OutputColumnName)));
    }

    private IDataView ClassNameData(MLContext ml) => ml.Data.LoadFromEnumerable(ClassNames.Select(n => new ClassNameRow { ClassName = n }));

    private sealed class ClassNameRow
    {
        public string ClassName { get; set; } = "";
    }

    public void Dispose() => Network.Dispose();
}

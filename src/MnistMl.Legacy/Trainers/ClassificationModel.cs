using MnistMl.Data;
using TorchSharp;
using static TorchSharp.torch;
using MnistMl.Transforms;

namespace MnistMl.Trainers;

/// <summary>
/// A trained classifier as a transformer: it adds "Score" (class probabilities, float [classes]) and
/// "PredictedLabel" (key, arg-max of the scores, ties to the lower class) to any data with the feature column.
/// Owns the network's native weights: dispose it (or the chain holding it) when done.
/// </summary>
public sealed class ClassificationModel : ITransformer, IDisposable
{
    public const string ScoreColumnName = "Score";
    public const string PredictedLabelColumnName = "PredictedLabel";

    private readonly ScoringTransformer scoring;
    private readonly PredictedLabelTransformer predictedLabel;

    internal ClassificationModel(Network network, NetworkSpec spec, string featureColumnName, ColumnType featureType,
        IReadOnlyList<string>? classNames, History history)
    {
        Network = network;
        Spec = spec;
        FeatureColumnName = featureColumnName;
        FeatureType = featureType;
        ClassNames = classNames ?? Enumerable.Range(0, network.ClassCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        History = history;
        scoring = new ScoringTransformer(this);
        predictedLabel = new PredictedLabelTransformer(ClassNames);
    }

    public Network Network { get; }
    public NetworkSpec Spec { get; }
    public string FeatureColumnName { get; }
    public ColumnType FeatureType { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public History History { get; }

    public ModelSummary Summary => ModelSummary.Of(Network);

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => predictedLabel.GetOutputSchema(scoring.GetOutputSchema(inputSchema));

    public IDataView Transform(IDataView input) => predictedLabel.Transform(scoring.Transform(input));

    internal static DataViewSchema OutputSchema(DataViewSchema input, string featureColumnName, int classCount, IReadOnlyList<string>? classNames)
    {
        _ = input[featureColumnName];
        var columns = input.Where(c => c.Name is not (ScoreColumnName or PredictedLabelColumnName)).ToList();
        columns.Add(new(ScoreColumnName, ColumnType.Vector(ScalarType.Float32, classCount), classNames));
        columns.Add(new(PredictedLabelColumnName, ColumnType.Key(classCount), classNames));
        return new DataViewSchema(columns);
    }

    /// <summary>Class probabilities [rows, classes] for a batch of features (evaluation mode, no gradients).</summary>
    public Tensor PredictProbabilities(Tensor features)
    {
        Network.eval();
        using var noGrad = torch.no_grad();
        using var asFloat = features.dtype == ScalarType.Float32 ? features.alias() : features.to_type(ScalarType.Float32);
        return Network.PredictProbabilities(asFloat);
    }

    public void Dispose() => Network.Dispose();

    /// <summary>Adds the Score column from the features.</summary>
    private sealed class ScoringTransformer(ClassificationModel model) : MappingTransformer
    {
        public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema)
        {
            var features = inputSchema[model.FeatureColumnName];
            if (!features.Type.Dimensions.SequenceEqual(model.FeatureType.Dimensions))
                throw new ArgumentException($"The model was trained on '{model.FeatureColumnName}' rows of [{string.Join(", ", model.FeatureType.Dimensions)}]; this data has {features.Type}.", nameof(inputSchema));
            var type = ColumnType.Vector(ScalarType.Float32, model.ClassNames.Count);
            return [new(new(ScoreColumnName, type, model.ClassNames), [model.FeatureColumnName], x => model.PredictProbabilities(x[0]))];
        }
    }

    /// <summary>Adds PredictedLabel as the arg-max of Score.</summary>
    private sealed class PredictedLabelTransformer(IReadOnlyList<string> classNames) : MappingTransformer
    {
        public override IReadOnlyList<DerivedColumn> DeriveColumns(DataViewSchema inputSchema) =>
            [new(new(PredictedLabelColumnName, ColumnType.Key(classNames.Count), classNames), [ScoreColumnName], x => x[0].argmax(1L))];
    }
}

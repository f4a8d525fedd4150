using System.Diagnostics;
using MnistMl.Data;
using MnistMl.Trainers.Keras;
using TorchSharp;
using static TorchSharp.torch;
using MnistMl.Transforms;

namespace MnistMl.Trainers;

/// <summary>
/// Trains a <see cref="NetworkSpec"/> as a multiclass classifier on a feature column (images or vectors) and a key
/// label column — Keras' compile + fit as an ML.NET estimator. Every setting is checked before training starts.
/// Each batch runs in its own DisposeScope, so memory stays flat however long training runs. A NaN or infinite
/// loss stops training with a message naming the epoch, batch and learning rate, keeping the best weights so far.
/// </summary>
public sealed class ClassifierTrainer : IEstimator<ClassificationModel>
{
    private const int EvaluationBatchSize = 512;

    /// <summary>
    /// A trainer of <paramref name="network"/>; with <paramref name="appendOutputLayer"/> the spec holds the hidden layers only
    /// and Dense(classes, softmax) is appended when fitting, with the class count of the label column.
    /// </summary>
    public ClassifierTrainer(NetworkSpec network, TrainingOptions? options = null, string featureColumnName = "Features", string labelColumnName = "Label",
        bool appendOutputLayer = false)
    {
        Network = network;
        AppendOutputLayer = appendOutputLayer;
        Options = options ?? new TrainingOptions();
        FeatureColumnName = featureColumnName;
        LabelColumnName = labelColumnName;
    }

    public NetworkSpec Network { get; }
    public TrainingOptions Options { get; }
    public string FeatureColumnName { get; }
    public string LabelColumnName { get; }
    public bool AppendOutputLayer { get; }

    /// <summary>The specification trained for <paramref name="classCount"/> classes (with the output layer when appended).</summary>
    public NetworkSpec SpecFor(int classCount) =>
        AppendOutputLayer ? new NetworkSpec { Layers = [.. Network.Layers, new Layers.DenseLayer(classCount, "softmax")] } : Network;

    /// <summary>Raised during each epoch (about every 20 batches and at its end).</summary>
    public event EventHandler<TrainingProgress>? Progress;

    /// <summary>Raised after each epoch with its metrics.</summary>
    public event EventHandler<EpochMetrics>? EpochCompleted;

    /// <summary>Notes from training and its callbacks (learning-rate changes, restored weights); why training stopped is in History.StopReason.</summary>
    public event EventHandler<string>? Message;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var (features, classes) = CheckColumns(inputSchema);
        return ClassificationModel.OutputSchema(inputSchema, FeatureColumnName, classes, inputSchema[LabelColumnName].KeyValues);
    }

    public ClassificationModel Fit(IDataView input) => Fit(input, validationData: null);

    /// <summary>Trains on <paramref name="trainData"/>, validating on <paramref name="validationData"/> (or a held-out fraction) after each epoch.</summary>
    public ClassificationModel Fit(IDataView trainData, IDataView? validationData)
    {
        Options.Validate();
        var (featureType, classCount) = CheckColumns(trainData.Schema);
        if (validationData is not null) CheckColumns(validationData.Schema);
        int seed = Options.Seed ?? Random.Shared.Next();
        var random = new SeededRandom(seed);
        // The labels are read once: checked here, and reused by the stratified validation split.
        var trainLabels = CheckLabels(trainData, classCount, "training");
        if (validationData is not null) CheckLabels(validationData, classCount, "validation");
        else if (Options.ValidationFraction is { } fraction)
        {
            var split = RowSampling.Split(trainData.RowCount, fraction, trainLabels, new SeededRandom(random.NextSeed()));
            validationData = new RowSelectionDataView(trainData, split.Test);
            trainData = new RowSelectionDataView(trainData, split.Train);
        }
        if (trainData.RowCount == 0) throw new ArgumentException("The training data has no rows.", nameof(trainData));
        foreach (var callback in Options.Callbacks) callback.Validate(validationData is not null);

        int previousThreads = torch.get_num_threads();
        if (Options.Threads is { } threads) torch.set_num_threads(threads);
        torch.manual_seed(seed);
        var spec = SpecFor(classCount);
        var network = spec.Build(featureType.Dimensions, classCount);
        try
        {
            var history = Train(network, trainData, validationData, random);
            return new ClassificationModel(network, spec, FeatureColumnName, featureType, trainData.Schema[LabelColumnName].KeyValues, history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        finally
        {
            torch.set_num_threads(previousThreads);
        }
    }

    private History Train(Network network, IDataView train, IDataView? validation, SeededRandom random)
    {
        var history = new History();
        using var optimizer = Options.Optimizer.Create(network.TrainableParameters());
        var state = new TrainingState(network, optimizer, history, m => Message?.Invoke(this, m));
        Dictionary<string, Tensor>? bestWeights = null;
        double bestMonitored = double.PositiveInfinity;
        int bestEpoch = 0;
        try
        {
            foreach (var callback in Options.Callbacks) callback.OnTrainBegin(state);
            for (int epochIndex = 0; epochIndex < Options.Epochs && !state.StopTraining; epochIndex++)
            {
                foreach (var callback in Options.Callbacks) callback.OnEpochBegin(state, epochIndex);
                var clock = Stopwatch.StartNew();
                var (loss, accuracy, diverged) = TrainEpoch(network, optimizer, train, random, epochIndex, state);
                if (diverged is not null)
                {
                    history.Diverged = true;
                    history.StopReason = diverged;
                    break;
                }
                double? validationLoss = null, validationAccuracy = null;
                if (validation is not null) (validationLoss, validationAccuracy) = Evaluate(network, validation);
                var metrics = new EpochMetrics(epochIndex + 1, loss, accuracy, validationLoss, validationAccuracy, optimizer.LearningRate, clock.Elapsed.TotalSeconds);
                history.Epochs.Add(metrics);
                double monitored = validationLoss ?? loss;
                if (monitored < bestMonitored)
                {
                    bestMonitored = monitored;
                    bestEpoch = metrics.Epoch;
                    Release(bestWeights);
                    bestWeights = state.CopyWeights();
                }
                EpochCompleted?.Invoke(this, metrics);
                foreach (var callback in Options.Callbacks) callback.OnEpochEnd(state, metrics);
            }
            if (history.Diverged && bestWeights is not null) state.RestoreWeights(bestWeights, bestEpoch);
            foreach (var callback in Options.Callbacks) callback.OnTrainEnd(state);
            return history;
        }
        finally
        {
            Release(bestWeights);
        }
    }

    /// <summary>One pass over the training rows; returns the mean loss and accuracy, or the divergence message.</summary>
    private (double Loss, double Accuracy, string? Diverged) TrainEpoch(Network network, KerasOptimizer optimizer, IDataView train,
        SeededRandom random, int epochIndex, TrainingState state)
    {
        long rows = train.RowCount;
        var order = Options.Shuffle ? RowSampling.Permutation(rows, random) : Enumerable.Range(0, (int)rows).Select(i => (long)i).ToArray();
        int batches = (int)((rows + Options.BatchSize - 1) / Options.BatchSize);
        double lossSum = 0;
        long correct = 0, seen = 0;
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        network.train();
        for (int b = 0; b < batches; b++)
        {
            using var scope = torch.NewDisposeScope();
            int start = b * Options.BatchSize, count = (int)Math.Min(Options.BatchSize, rows - start);
            using var batch = train.GetRows(new ArraySegment<long>(order, start, count), [FeatureColumnName, LabelColumnName]);
            var x = Features(batch);
            var y = batch[LabelColumnName];
            optimizer.ZeroGrad();
            var (logits, activityPenalty) = network.ForwardWithPenalty(x);
            var loss = TotalLoss(network, logits, y, activityPenalty);
            double value = loss.ToDouble();
            if (!double.IsFinite(value))
                return (0, 0, $"Training diverged: the loss became {value} at epoch {epochIndex + 1}, batch {b + 1} of {batches}, with learning rate {optimizer.LearningRate:G4}. Lower the learning rate.");
            loss.backward();
            optimizer.Step();
            lossSum += value * count;
            correct += (long)logits.argmax(1).eq(y).sum().ToDouble();
            seen += count;
            foreach (var callback in Options.Callbacks) callback.OnBatchEnd(state, epochIndex, b, value);
            if (Progress is not null && (b == batches - 1 || clock.Elapsed - lastReport > TimeSpan.FromMilliseconds(250)))
            {
                lastReport = clock.Elapsed;
                Progress(this, new TrainingProgress(epochIndex + 1, Options.Epochs, b + 1, batches, lossSum / seen, (double)correct / seen, clock.Elapsed));
            }
        }
        return (lossSum / seen, (double)correct / seen, null);
    }

    /// <summary>Mean loss (with the same penalties as training, as Keras' val_loss) and accuracy in evaluation mode.</summary>
    private (double Loss, double Accuracy) Evaluate(Network network, IDataView data)
    {
        network.eval();
        using var noGrad = torch.no_grad();
        double lossSum = 0;
        long correct = 0;
        foreach (var batch in data.GetBatches(EvaluationBatchSize, [FeatureColumnName, LabelColumnName]))
        {
            using var scope = torch.NewDisposeScope();
            var y = batch[LabelColumnName];
            var (logits, activityPenalty) = network.ForwardWithPenalty(Features(batch));
            lossSum += TotalLoss(network, logits, y, activityPenalty).ToDouble() * batch.RowCount;
            correct += (long)logits.argmax(1).eq(y).sum().ToDouble();
        }
        network.train();
        return (lossSum / data.RowCount, (double)correct / data.RowCount);
    }

    private Tensor TotalLoss(Network network, Tensor logits, Tensor labels, Tensor? activityPenalty)
    {
        var loss = Options.Loss == "mse" ? MseOnProbabilities(logits, labels) : nn.functional.cross_entropy(logits, labels, label_smoothing: Options.LabelSmoothing);
        if (activityPenalty is not null) loss = loss + activityPenalty;
        if (network.WeightPenalty() is { } weightPenalty) loss = loss + weightPenalty;
        return loss;
    }

    /// <summary>Keras' mean_squared_error between the softmax output and one-hot labels.</summary>
    private static Tensor MseOnProbabilities(Tensor logits, Tensor labels)
    {
        var probabilities = nn.functional.softmax(logits, -1);
        var oneHot = nn.functional.one_hot(labels, logits.size(1)).to_type(ScalarType.Float32);
        return nn.functional.mse_loss(probabilities, oneHot);
    }

    private Tensor Features(DataBatch batch)
    {
        var features = batch[FeatureColumnName];
        return features.dtype == ScalarType.Float32 ? features : features.to_type(ScalarType.Float32);
    }

    private (ColumnType Features, int Classes) CheckColumns(DataViewSchema schema)
    {
        var label = schema[LabelColumnName];
        if (!label.Type.IsKey)
            throw new ArgumentException($"Label column '{LabelColumnName}' is {label.Type}; the trainer needs a key (class index) column — map it with MapValueToKey.", nameof(schema));
        var features = schema[FeatureColumnName];
        if (features.Type.IsKey || features.Type.IsScalar || features.Type.ElementType == ScalarType.Bool)
            throw new ArgumentException($"Feature column '{FeatureColumnName}' is {features.Type}; the trainer needs numeric vectors or images.", nameof(schema));
        return (features.Type, label.Type.KeyCount!.Value);
    }

    /// <summary>The label column's values, after checking each lies in [0, classCount).</summary>
    private long[] CheckLabels(IDataView data, int classCount, string part)
    {
        var labels = data.ReadInt64Column(LabelColumnName);
        for (int row = 0; row < labels.Length; row++)
            if (labels[row] < 0 || labels[row] >= classCount)
                throw new ArgumentException($"Row {row} of the {part} data has label {labels[row]}, outside the {classCount} classes of column '{LabelColumnName}'.");
        return labels;
    }

    private static void Release(Dictionary<string, Tensor>? weights)
    {
        if (weights is null) return;
        foreach (var t in weights.Values) t.Dispose();
    }
}

using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;
using MnistMl.Evaluation;
using MnistMl.Trainers.Keras;
using MnistMl.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Trainers;

/// <summary>
/// Trains a <see cref="NetworkSpec"/> on TorchSharp as an ML.NET multiclass trainer — Keras' compile + fit. It reads
/// a known-size Single vector feature column (images <c>Vector&lt;Single, C, H, W&gt;</c> or flat features) and a key
/// label column, and its <see cref="ClassificationModel"/> adds what ML.NET's multiclass trainers add: "Score"
/// (class probabilities, slot names = class names) and "PredictedLabel" (a key with the label's class names), so
/// ML.NET's Evaluate, CrossValidate and PredictionEngine take it as one of their own. The rows are read into
/// tensors once; each batch runs in its own DisposeScope, so memory stays flat however long training runs. A NaN
/// or infinite loss stops training with a message naming the epoch, batch and learning rate, keeping the best
/// weights so far.
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
        ArgumentNullException.ThrowIfNull(network);
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

    /// <summary>Raised during each epoch (about four times a second and at its end).</summary>
    public event EventHandler<TrainingProgress>? Progress;

    /// <summary>Raised after each epoch with its metrics.</summary>
    public event EventHandler<EpochMetrics>? EpochCompleted;

    /// <summary>Notes from training and its callbacks (learning-rate changes, restored weights); why training stopped is in History.StopReason.</summary>
    public event EventHandler<string>? Message;

    /// <summary>The Score and PredictedLabel columns as ML.NET's multiclass trainers report them, after checking the columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ImageColumns.Require(inputSchema, FeatureColumnName, "The trainer");
        var label = SchemaShapes.Find(inputSchema, LabelColumnName)
            ?? throw new ArgumentException($"The trainer: the input has no label column '{LabelColumnName}'.", nameof(inputSchema));
        if (!label.IsKey)
            throw new ArgumentException($"The trainer: label column '{LabelColumnName}' is {label.ItemType}; it needs a key (class index) column — map it with ml.Transforms.Conversion.MapValueToKey.", nameof(inputSchema));
        return SchemaShapes.WithMulticlassOutputs(inputSchema, LabelColumnName, FeatureColumnName);
    }

    public ClassificationModel Fit(IDataView input) => Fit(input, validationData: null);

    /// <summary>Trains on <paramref name="trainData"/>, validating on <paramref name="validationData"/> (or a held-out fraction) after each epoch.</summary>
    public ClassificationModel Fit(IDataView trainData, IDataView? validationData)
    {
        Options.Validate();
        var (featureType, classNames) = CheckColumns(trainData.Schema, "training");
        if (validationData is not null) CheckColumns(validationData.Schema, "validation", featureType);
        if (Options.Augmentation is not null && featureType.Dimensions.Length != 3)
            throw new ArgumentException($"Augmentation transforms images: feature column '{FeatureColumnName}' is {featureType}, not an image Vector<Single, C, H, W>. Train on the image column, flattened inside the network by a Flatten layer.");
        // The checkpoint is read (and a folder that would be overwritten refused) before any data is read.
        using var resume = OpenCheckpoint();
        int seed = Options.Seed ?? resume?.Content.Seed ?? Random.Shared.Next();
        var random = new SplitRandom(seed);
        if (validationData is null && Options.ValidationFraction is { } fraction)
        {
            var split = new MLContext().Data.StratifiedTrainTestSplit(trainData, fraction, LabelColumnName, (int)(random.NextUInt64() >> 33));
            (trainData, validationData) = (split.TrainSet, split.TestSet);
        }
        foreach (var callback in Options.Callbacks) callback.Validate(validationData is not null);

        using var train = FeatureTensors.Read(trainData, FeatureColumnName, featureType, LabelColumnName, classNames.Count, "training");
        if (train.RowCount == 0) throw new ArgumentException("The training data has no rows.", nameof(trainData));
        using var validation = validationData is null ? null : FeatureTensors.Read(validationData, FeatureColumnName, featureType, LabelColumnName, classNames.Count, "validation");
        if (validation is { RowCount: 0 })
            throw new ArgumentException($"The validation data has no rows ({train.RowCount} training rows): its loss would be NaN after the first epoch. Use more rows or no validation.", nameof(validationData));

        int previousThreads = torch.get_num_threads();
        if (Options.Threads is { } threads)
        {
            // More intra-op threads than cores only make them wait for each other (1,000 ran 20 times slower).
            int cores = Environment.ProcessorCount;
            if (threads > cores) Message?.Invoke(this, $"threads: {threads} asked for, {cores} used (the number of cores).");
            torch.set_num_threads(Math.Min(threads, cores));
        }
        torch.manual_seed(seed);
        var spec = SpecFor(classNames.Count);
        var network = spec.Build(featureType.Dimensions.Select(d => (long)d).ToArray(), classNames.Count);
        try
        {
            // Only a checkpointed run needs its fingerprint (it reads every label and sums every feature).
            var run = Options.CheckpointDirectory is null ? null : new RunIdentity(Fingerprint(spec, featureType, classNames, train, validation, seed), seed);
            if (resume is not null && resume.Content.Fingerprint != run!.Fingerprint)
                throw new InvalidOperationException($"Checkpoint '{resume.Path}' was written by another run: its network, training settings or data differ from this one's. Resume with the same pipeline and data, or start a new run with an empty checkpoint folder.");
            var history = Train(network, train, validation, random, run, resume);
            return new ClassificationModel(network, spec.AsBuilt(network), FeatureColumnName, featureType, LabelColumnName, classNames, history, Options);
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

    private History Train(Network network, FeatureTensors train, FeatureTensors? validation, SplitRandom random, RunIdentity? run, TrainingCheckpoint? resume)
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
            int firstEpoch = 0;
            if (resume is not null)
            {
                bestWeights = resume.Restore(network, optimizer, random, history, Options.Callbacks);
                (bestMonitored, bestEpoch, firstEpoch) = (resume.Content.BestMonitored, resume.Content.BestEpoch, resume.Content.EpochsCompleted);
                if (resume.Content.Stopped) state.Stop(history.StopReason ?? "Stopped before the checkpoint.");
                Message?.Invoke(this, $"Resumed from '{resume.Path}' after epoch {firstEpoch}.");
            }
            for (int epochIndex = firstEpoch; epochIndex < Options.Epochs && !state.StopTraining; epochIndex++)
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
                if (Options.CheckpointDirectory is { } folder && run is not null)
                {
                    var callbackStates = Options.Callbacks.Select(c => c.SaveState()).ToList();
                    TrainingCheckpoint.Write(folder, new TrainingCheckpoint.State
                    {
                        Fingerprint = run.Fingerprint,
                        Seed = run.Seed,
                        EpochsCompleted = metrics.Epoch,
                        Stopped = state.StopTraining,
                        OptimizerSteps = optimizer.StepCount,
                        LearningRate = optimizer.LearningRate,
                        ShuffleState = random.State.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        BestMonitored = bestMonitored,
                        BestEpoch = bestEpoch,
                        History = history,
                        Callbacks = TrainingCheckpoint.Describe(Options.Callbacks, callbackStates),
                    }, network, optimizer, bestWeights, callbackStates);
                }
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

    /// <summary>What a checkpoint must match to be resumed by this run, and the run's seed (for checkpointed runs).</summary>
    private sealed record RunIdentity(string Fingerprint, int Seed);

    /// <summary>The checkpoint to resume from, or null; refuses a folder whose checkpoint a new run would overwrite.</summary>
    private TrainingCheckpoint? OpenCheckpoint()
    {
        if (Options.CheckpointDirectory is not { } folder) return null;
        if (Options.ResumeFromCheckpoint) return TrainingCheckpoint.Read(folder);
        if (TrainingCheckpoint.Exists(folder))
            throw new InvalidOperationException($"The checkpoint folder '{Path.GetFullPath(folder)}' already holds a run's checkpoint ({TrainingCheckpoint.FileName}): continue that run with resume (the command line's --resume), or give an empty folder.");
        Directory.CreateDirectory(folder);
        return null;
    }

    /// <summary>
    /// SHA-256 of what makes two runs the same run: the network, the settings (all but the epoch count, threads and
    /// checkpointing), the seed, the feature shape, the classes, and the data (row counts, every label, the features' sum).
    /// </summary>
    private string Fingerprint(NetworkSpec spec, VectorDataViewType featureType, IReadOnlyList<string> classNames, FeatureTensors train, FeatureTensors? validation, int seed)
    {
        var settings = Options with { Epochs = 1, Threads = null, Seed = seed, Callbacks = [.. Options.Callbacks.Where(IsSerializable)] };
        var text = new System.Text.StringBuilder()
            .AppendLine(spec.ToJson())
            .AppendLine(System.Text.Json.JsonSerializer.Serialize(settings, NetworkSpec.JsonOptions))
            .AppendLine(string.Join(",", featureType.Dimensions))
            .AppendLine(string.Join("\n", classNames));
        foreach (var data in validation is null ? [train] : new[] { train, validation })
        {
            using var scope = torch.NewDisposeScope();
            // Rounded: a sum's last bits depend on libtorch's thread count, which may change between runs.
            text.AppendLine($"{data.RowCount} {data.Features.sum(type: ScalarType.Float64).ToDouble():G9}");
            text.AppendLine(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.Labels!.data<long>().ToArray().AsSpan()))));
        }
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The built-in callbacks serialize; one written in C# is part of the run without being part of its fingerprint.</summary>
    private static bool IsSerializable(Callbacks.Callback callback) =>
        callback is Callbacks.EarlyStopping or Callbacks.ReduceLROnPlateau or Callbacks.ModelCheckpoint or Callbacks.LearningRateScheduler { IsFunction: false };

    /// <summary>One pass over the training rows; returns the mean loss and accuracy, or the divergence message.</summary>
    private (double Loss, double Accuracy, string? Diverged) TrainEpoch(Network network, KerasOptimizer optimizer, FeatureTensors train,
        SplitRandom random, int epochIndex, TrainingState state)
    {
        long rows = train.RowCount;
        var order = new long[rows];
        for (long i = 0; i < rows; i++) order[i] = i;
        if (Options.Shuffle) random.Shuffle(order.AsSpan());
        using var permutation = torch.tensor(order);
        int batches = (int)((rows + Options.BatchSize - 1) / Options.BatchSize);
        double lossSum = 0;
        long correct = 0, seen = 0;
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        network.train();
        for (int b = 0; b < batches; b++)
        {
            using var scope = torch.NewDisposeScope();
            long start = (long)b * Options.BatchSize, count = Math.Min(Options.BatchSize, rows - start);
            var indices = permutation.narrow(0, start, count);
            var x = train.Features.index_select(0, indices);
            if (Options.Augmentation is { } augmentation) x = augmentation.Apply(x);
            var y = train.Labels!.index_select(0, indices);
            optimizer.ZeroGrad();
            var (logits, activityPenalty) = network.ForwardWithPenalty(x);
            var loss = TotalLoss(network, logits, y, activityPenalty);
            double value = loss.ToDouble();
            if (!double.IsFinite(value))
                return (0, 0, $"Training diverged: the loss became {value} at epoch {epochIndex + 1}, batch {b + 1} of {batches}, with learning rate {optimizer.LearningRate:G4}. Lower the learning rate.");
            loss.backward();
            optimizer.Step();
            lossSum += value * count;
            correct += logits.argmax(1).eq(y).sum().ToInt64();
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
    private (double Loss, double Accuracy) Evaluate(Network network, FeatureTensors data)
    {
        network.eval();
        using var noGrad = torch.no_grad();
        double lossSum = 0;
        long correct = 0;
        for (long start = 0; start < data.RowCount; start += EvaluationBatchSize)
        {
            using var scope = torch.NewDisposeScope();
            long count = Math.Min(EvaluationBatchSize, data.RowCount - start);
            var x = data.Features.narrow(0, start, count);
            var y = data.Labels!.narrow(0, start, count);
            var (logits, activityPenalty) = network.ForwardWithPenalty(x);
            lossSum += TotalLoss(network, logits, y, activityPenalty).ToDouble() * count;
            correct += logits.argmax(1).eq(y).sum().ToInt64();
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

    private (VectorDataViewType Features, IReadOnlyList<string> ClassNames) CheckColumns(DataViewSchema schema, string part, VectorDataViewType? trained = null)
    {
        var label = schema.GetColumnOrNull(LabelColumnName)
            ?? throw new ArgumentException($"The {part} data has no label column '{LabelColumnName}' (it has {string.Join(", ", schema.Select(c => c.Name))}).");
        if (label.Type is not KeyDataViewType key || key.RawType != typeof(uint))
            throw new ArgumentException($"Label column '{LabelColumnName}' of the {part} data is {label.Type}; the trainer needs a Key<UInt32> (class index) column — map it with ml.Transforms.Conversion.MapValueToKey.");
        var features = ImageColumns.Require(schema, FeatureColumnName, "The trainer");
        if (trained is not null && features.Size != trained.Size)
            throw new ArgumentException($"Feature column '{FeatureColumnName}' of the {part} data is {features}; the training data's is {trained}.");
        return (features, label.GetClassNames());
    }

    private static void Release(Dictionary<string, Tensor>? weights)
    {
        if (weights is null) return;
        foreach (var t in weights.Values) t.Dispose();
    }
}

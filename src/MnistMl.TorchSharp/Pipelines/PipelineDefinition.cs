using System.Text.Json;
using System.Text.Json.Serialization;
using MnistMl.Trainers;
using MnistMl.Trainers.Callbacks;

namespace MnistMl.Pipelines;

/// <summary>
/// A whole experiment as a JSON file (pipelines/*.json): which data, which transforms, which network, how to train
/// it and how to evaluate it. The command line's <c>train</c> runs one; the same objects can be built in C#.
/// </summary>
public sealed record PipelineDefinition
{
    public string Name { get; init; } = "pipeline";
    public string? Description { get; init; }
    public DataSection Data { get; init; } = new();
    public List<TransformSpec> Transforms { get; init; } = [];

    /// <summary>The column the network reads (after the transforms).</summary>
    public string FeatureColumn { get; init; } = "Image";
    public string LabelColumn { get; init; } = "Label";
    public NetworkSpec Network { get; init; } = new();
    public TrainingSection Training { get; init; } = new();

    /// <summary>Top-k accuracy reported by the evaluation.</summary>
    public int TopK { get; init; } = 3;

    public static JsonSerializerOptions JsonOptions => NetworkSpec.JsonOptions;

    /// <summary>
    /// The pipeline with <paramref name="backbonePath"/> as its backbone: the file of its ApplyBackbone steps and the
    /// weights of its MobileNetV2 layers. A pipeline with neither is an error.
    /// </summary>
    public PipelineDefinition WithBackbone(string backbonePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(backbonePath);
        bool any = false;
        var transforms = Transforms.Select(step => step is ApplyBackboneStep backbone ? Mark(backbone with { Backbone = backbonePath, FeatureModel = null }) : step).ToList();
        var layers = Network.Layers.Select(layer => layer is Trainers.Layers.MobileNetV2Layer mobile ? Mark(mobile with { Weights = backbonePath }) : layer).ToList();
        if (!any) throw new ArgumentException($"Pipeline '{Name}' has no backbone to replace (no ApplyBackbone step, no MobileNetV2 layer).");
        return this with { Transforms = transforms, Network = Network with { Layers = layers } };

        T Mark<T>(T value)
        {
            any = true;
            return value;
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static PipelineDefinition FromJson(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<PipelineDefinition>(json, JsonOptions) ?? throw new JsonException("the file is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Pipeline file '{source}' is not valid: {e.Message}", e);
        }
    }

    public static PipelineDefinition Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Pipeline file '{path}' does not exist.", path);
        return FromJson(File.ReadAllText(path), path);
    }
}

/// <summary>
/// Where the data comes from: a named data set ("mnist", "fashion-mnist") or files, and which part of it trains,
/// validates and tests.
/// </summary>
public sealed record DataSection
{
    /// <summary>"mnist" or "fashion-mnist"; null when <see cref="TrainCsv"/> or <see cref="TrainImageFolder"/> is given.</summary>
    public string? Dataset { get; init; } = "mnist";

    /// <summary>A directory overriding where the named data set's IDX files are.</summary>
    public string? Directory { get; init; }

    public string? TrainCsv { get; init; }
    public string? TestCsv { get; init; }
    public string? TrainImageFolder { get; init; }
    public string? TestImageFolder { get; init; }

    /// <summary>Use only the first N training rows.</summary>
    public int? TrainRows { get; init; }

    /// <summary>Use N random training rows of each class (seed 002's balanced subset).</summary>
    public int? TrainRowsPerClass { get; init; }

    /// <summary>Hold out this fraction of the training rows (stratified) for validation.</summary>
    public double? ValidationFraction { get; init; }

    /// <summary>Seed of the subset and the validation split.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>The training settings of a pipeline file (see <see cref="TrainingOptions"/>).</summary>
public sealed record TrainingSection
{
    public OptimizerSpec Optimizer { get; init; } = new();
    public string Loss { get; init; } = "categorical_crossentropy";
    public int BatchSize { get; init; } = 32;
    public int Epochs { get; init; } = 1;
    public bool Shuffle { get; init; } = true;
    public int? Seed { get; init; } = 1;
    public int? Threads { get; init; }
    public double LabelSmoothing { get; init; }
    public ImageAugmentation? Augmentation { get; init; }
    public List<Callback> Callbacks { get; init; } = [];

    /// <summary>Where this run writes its checkpoints (see <see cref="TrainingOptions.CheckpointDirectory"/>); not read from pipeline files.</summary>
    [JsonIgnore]
    public string? CheckpointDirectory { get; init; }

    /// <summary>Continue the run checkpointed in <see cref="CheckpointDirectory"/>; not read from pipeline files.</summary>
    [JsonIgnore]
    public bool ResumeFromCheckpoint { get; init; }

    public TrainingOptions ToOptions() => new()
    {
        Optimizer = Optimizer,
        Loss = Loss,
        BatchSize = BatchSize,
        Epochs = Epochs,
        Shuffle = Shuffle,
        Seed = Seed,
        Threads = Threads,
        LabelSmoothing = LabelSmoothing,
        Augmentation = Augmentation,
        Callbacks = Callbacks,
        CheckpointDirectory = CheckpointDirectory,
        ResumeFromCheckpoint = ResumeFromCheckpoint,
    };
}

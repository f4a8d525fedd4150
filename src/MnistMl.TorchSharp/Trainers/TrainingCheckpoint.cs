using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MnistMl.IO;
using MnistMl.Pipelines;
using MnistMl.Trainers.Callbacks;
using MnistMl.Trainers.Keras;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Trainers;

/// <summary>
/// Everything a training run needs to continue exactly where it stopped — Keras' BackupAndRestore, or the dict a
/// PyTorch loop saves: the network's weights and buffers, the TorchSharp optimizer's state (Adam's moments and
/// steps), Keras' step count and base learning rate, the shuffling generator's state, libtorch's generator state
/// (dropout masks), the History, the best weights kept in case training diverges, and each callback's state.
/// One zip per folder (<see cref="FileName"/>), replaced atomically after every epoch and sealed with checksums
/// like a model file, so a run killed at any moment leaves the previous epoch's checkpoint whole.
/// </summary>
internal sealed class TrainingCheckpoint : IDisposable
{
    public const string FileName = TrainingOptions.CheckpointFileName;
    private const int Format = 1;
    private const string StateEntry = "state.json";
    private const string NetworkEntry = "network.bin";
    private const string OptimizerEntry = "optimizer.bin";
    private const string GeneratorEntry = "torch_generator.bin";
    private const string BestWeightsEntry = "best_weights.bin";

    private static string CallbackEntry(int index) => $"callback-{index}.bin";

    private static readonly JsonSerializerOptions Json = new(NetworkSpec.JsonOptions)
    {
        // History's nulls are written (its records take every value), and best values start infinite.
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The scalar part of a checkpoint (state.json).</summary>
    internal sealed record State
    {
        public int Format { get; init; } = TrainingCheckpoint.Format;

        /// <summary>SHA-256 of the network, the settings and the data the run trains on: a resumed run must match it.</summary>
        public required string Fingerprint { get; init; }

        public int Seed { get; init; }
        public int EpochsCompleted { get; init; }

        /// <summary>A callback asked training to stop (EarlyStopping) at the checkpoint's epoch.</summary>
        public bool Stopped { get; init; }

        public long OptimizerSteps { get; init; }
        public double LearningRate { get; init; }

        /// <summary>The shuffling generator's state (<see cref="Data.SplitRandom.State"/>), as a decimal string: JSON numbers are doubles.</summary>
        public required string ShuffleState { get; init; }

        public double BestMonitored { get; init; }
        public int BestEpoch { get; init; }
        public required History History { get; init; }

        /// <summary>Per callback of the run, in order: its type and values, or null when it keeps no state.</summary>
        public required List<CallbackValues?> Callbacks { get; init; }
    }

    internal sealed record CallbackValues(string Type, Dictionary<string, double> Values);

    private TrainingCheckpoint(string path, State state, byte[] network, byte[] optimizer, Tensor generator,
        Dictionary<string, Tensor>? bestWeights, Dictionary<string, Tensor>?[] callbackWeights)
    {
        Path = path;
        Content = state;
        networkBytes = network;
        optimizerBytes = optimizer;
        this.generator = generator;
        this.bestWeights = bestWeights;
        this.callbackWeights = callbackWeights;
    }

    private readonly byte[] networkBytes;
    private readonly byte[] optimizerBytes;
    private readonly Tensor generator;
    private Dictionary<string, Tensor>? bestWeights;
    private readonly Dictionary<string, Tensor>?[] callbackWeights;

    public string Path { get; }
    public State Content { get; }

    public static string PathIn(string directory) => System.IO.Path.Combine(System.IO.Path.GetFullPath(directory), FileName);

    public static bool Exists(string directory) => File.Exists(PathIn(directory));

    /// <summary>Writes the run's state after an epoch, replacing the folder's previous checkpoint atomically.</summary>
    public static void Write(string directory, State state, Network network, KerasOptimizer optimizer,
        Dictionary<string, Tensor>? bestWeights, IReadOnlyList<CallbackState?> callbacks)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            Add(zip, StateEntry, stream => JsonSerializer.Serialize(stream, state, Json), CompressionLevel.Optimal);
            var networkBytes = network.SaveToBytes();
            Add(zip, NetworkEntry, stream => stream.Write(networkBytes));
            Add(zip, OptimizerEntry, stream =>
            {
                using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
                Helper(optimizer).save_state_dict(writer);
            });
            Add(zip, GeneratorEntry, stream =>
            {
                using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
                using var generatorState = torch.random.get_rng_state();
                generatorState.Save(writer);
            });
            if (bestWeights is not null) Add(zip, BestWeightsEntry, stream => WriteTensors(stream, bestWeights));
            for (int i = 0; i < callbacks.Count; i++)
                if (callbacks[i]?.Weights is { } callbackWeights) Add(zip, CallbackEntry(i), stream => WriteTensors(stream, callbackWeights));
            ModelFileIntegrity.Seal(zip);
        }
        AtomicFile.WriteAllBytes(PathIn(directory), buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    /// <summary>Reads a folder's checkpoint, checking its integrity first; the caller disposes it.</summary>
    /// <exception cref="FileNotFoundException">The folder holds no checkpoint.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is damaged or not one this version writes; the message names the file.</exception>
    public static TrainingCheckpoint Read(string directory)
    {
        var path = PathIn(directory);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No checkpoint to resume from: '{path}' does not exist (a run writes it after its first epoch when given this folder as its checkpoint folder).", path);
        ModelFileIntegrity.Verify(path, "Checkpoint");
        var tensors = new List<Tensor>();
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var state = JsonSerializer.Deserialize<State>(Entry(zip, StateEntry, path), Json)
                ?? throw new InvalidDataException($"Checkpoint '{path}': {StateEntry} is empty.");
            if (state.Format != Format)
                throw new InvalidDataException($"Checkpoint '{path}' has format {state.Format}; this version reads format {Format}.");
            using var generatorReader = new BinaryReader(new MemoryStream(Entry(zip, GeneratorEntry, path)));
            var generator = torch.Tensor.Load(generatorReader);
            tensors.Add(generator);
            var best = zip.GetEntry(BestWeightsEntry) is null ? null : ReadTensors(Entry(zip, BestWeightsEntry, path), tensors);
            var callbackWeights = new Dictionary<string, Tensor>?[state.Callbacks.Count];
            for (int i = 0; i < callbackWeights.Length; i++)
                if (zip.GetEntry(CallbackEntry(i)) is not null) callbackWeights[i] = ReadTensors(Entry(zip, CallbackEntry(i), path), tensors);
            return new TrainingCheckpoint(path, state, Entry(zip, NetworkEntry, path), Entry(zip, OptimizerEntry, path), generator, best, callbackWeights);
        }
        catch (Exception e) when (e is JsonException or EndOfStreamException or ArgumentException or NotImplementedException or FormatException)
        {
            foreach (var t in tensors) t.Dispose();
            throw new InvalidDataException($"Checkpoint '{path}' cannot be read: {e.Message}", e);
        }
        catch
        {
            foreach (var t in tensors) t.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Puts the checkpoint's state into a freshly built run: the network's weights, the optimizer's state and learning
    /// rate, the generators, the History and the callbacks' state (after their OnTrainBegin). Returns the best weights
    /// kept for divergence, which the caller then owns.
    /// </summary>
    public Dictionary<string, Tensor>? Restore(Network network, KerasOptimizer optimizer, Data.SplitRandom shuffle, History history, IReadOnlyList<Callback> callbacks)
    {
        if (Content.Callbacks.Count != callbacks.Count)
            throw new InvalidDataException($"Checkpoint '{Path}' holds {Content.Callbacks.Count} callbacks' state; the run has {callbacks.Count} callbacks.");
        try
        {
            network.load(new MemoryStream(networkBytes), strict: true);
            using (var reader = new BinaryReader(new MemoryStream(optimizerBytes)))
                Helper(optimizer).load_state_dict(reader);
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException or InvalidOperationException or NotImplementedException)
        {
            throw new InvalidDataException($"Checkpoint '{Path}' does not fit this network or optimizer: {e.Message}", e);
        }
        optimizer.Restore(Content.OptimizerSteps, Content.LearningRate);
        torch.random.set_rng_state(generator);
        shuffle.State = ulong.Parse(Content.ShuffleState, System.Globalization.CultureInfo.InvariantCulture);
        history.Epochs.AddRange(Content.History.Epochs);
        history.StopReason = Content.History.StopReason;
        history.Diverged = Content.History.Diverged;
        history.RestoredEpoch = Content.History.RestoredEpoch;
        for (int i = 0; i < callbacks.Count; i++)
        {
            if (Content.Callbacks[i] is not { } values) continue;
            string type = callbacks[i].GetType().Name;
            if (values.Type != type)
                throw new InvalidDataException($"Checkpoint '{Path}': callback {i + 1} was {values.Type}; the run's is {type}.");
            callbacks[i].LoadState(new CallbackState { Values = values.Values, Weights = callbackWeights[i] });
            callbackWeights[i] = null;
        }
        var best = bestWeights;
        bestWeights = null;
        return best;
    }

    /// <summary>The state of <paramref name="callbacks"/> as a checkpoint records it.</summary>
    public static List<CallbackValues?> Describe(IReadOnlyList<Callback> callbacks, IReadOnlyList<CallbackState?> states) =>
        [.. states.Select((s, i) => s is null ? null : new CallbackValues(callbacks[i].GetType().Name, s.Values))];

    /// <summary>TorchSharp's optimizers save and load their state through the OptimizerHelper base they all derive from.</summary>
    private static TorchSharp.Modules.OptimizerHelper Helper(KerasOptimizer optimizer) =>
        optimizer.Optimizer as TorchSharp.Modules.OptimizerHelper
        ?? throw new NotSupportedException($"The optimizer {optimizer.Optimizer.GetType().Name} cannot save its state in a checkpoint.");

    private static void Add(ZipArchive zip, string name, Action<Stream> write, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var stream = zip.CreateEntry(name, level).Open();
        write(stream);
    }

    private static byte[] Entry(ZipArchive zip, string name, string path)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"Checkpoint '{path}' has no {name}.");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>A state dict as a count, then each name and tensor in TorchSharp's tensor format.</summary>
    private static void WriteTensors(Stream stream, Dictionary<string, Tensor> tensors)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            writer.Write(name);
            tensor.Save(writer);
        }
    }

    private static Dictionary<string, Tensor> ReadTensors(byte[] bytes, List<Tensor> created)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        int count = reader.ReadInt32();
        if (count < 0) throw new FormatException($"a tensor list declares {count} entries");
        var tensors = new Dictionary<string, Tensor>();
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            var tensor = torch.Tensor.Load(reader);
            created.Add(tensor);
            tensors[name] = tensor;
        }
        return tensors;
    }

    public void Dispose()
    {
        generator.Dispose();
        foreach (var weights in callbackWeights.Append(bestWeights))
            if (weights is not null)
                foreach (var t in weights.Values) t.Dispose();
    }
}

using System.Globalization;
using MnistMl.Torch.Serialization;

namespace MnistMl.Torch.Optim;

/// <summary>
/// Base of the gradient-descent optimizers (torch.optim.Optimizer with one parameter group), with Keras'
/// gradient clipping options. <see cref="Step"/> updates the parameters in place from their gradients;
/// parameters without a gradient are skipped. Per-parameter state is created lazily on a parameter's first
/// update, lives outside every DisposeScope and is freed by <see cref="Dispose"/>.
/// </summary>
public abstract class Optimizer : IDisposable
{
    /// <summary>Metadata key of saved state files holding the optimizer type name.</summary>
    public const string OptimizerMetadataKey = "optimizer";

    private const string StepCountEntry = "step_count";
    private const string ParameterCountEntry = "param_count";
    private const string HyperPrefix = "hyper.";
    private const string StatePrefix = "state.";
    private const string LearningRateName = "lr";
    private const string StepName = "step";

    private readonly Tensor[] parameters;
    private ParameterState?[] states;
    private double learningRate;
    private double? clipValue, clipNorm, globalClipNorm;
    private bool disposed;

    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = parameters.ToArray();
        if (this.parameters.Length == 0) throw new ArgumentException("The optimizer got an empty parameter list.", nameof(parameters));
        for (int i = 0; i < this.parameters.Length; i++)
            if (this.parameters[i] is null) throw new ArgumentException($"Parameter {i} is null.", nameof(parameters));
        this.learningRate = HyperParameter.Positive(learningRate, nameof(learningRate));
        states = new ParameterState?[this.parameters.Length];
    }

    /// <summary>The tensors updated, in the order given (their index names their state: <c>state.{index}.…</c>).</summary>
    public IReadOnlyList<Tensor> Parameters => parameters;

    /// <summary>The learning rate of the next steps; may be changed between steps (schedules). Must be greater than 0.</summary>
    public double LearningRate
    {
        get => learningRate;
        set => learningRate = HyperParameter.Positive(value, nameof(LearningRate));
    }

    /// <summary>Keras clipvalue: before each step every gradient element is clamped to [-ClipValue, ClipValue]. Null: off.</summary>
    public double? ClipValue
    {
        get => clipValue;
        set => clipValue = HyperParameter.PositiveOrNull(value, nameof(ClipValue));
    }

    /// <summary>Keras clipnorm: before each step each gradient tensor is scaled on its own to an L2 norm of at most ClipNorm. Null: off.</summary>
    public double? ClipNorm
    {
        get => clipNorm;
        set
        {
            if (value is not null && globalClipNorm is not null)
                throw new InvalidOperationException("ClipNorm and GlobalClipNorm cannot both be set (as in Keras); clear GlobalClipNorm first.");
            clipNorm = HyperParameter.PositiveOrNull(value, nameof(ClipNorm));
        }
    }

    /// <summary>
    /// Keras global_clipnorm: before each step all gradients are scaled together to a joint L2 norm of at most
    /// GlobalClipNorm, computed as torch.nn.utils.clip_grad_norm_ (its 1e-6 included). Null: off.
    /// </summary>
    public double? GlobalClipNorm
    {
        get => globalClipNorm;
        set
        {
            if (value is not null && clipNorm is not null)
                throw new InvalidOperationException("ClipNorm and GlobalClipNorm cannot both be set (as in Keras); clear ClipNorm first.");
            globalClipNorm = HyperParameter.PositiveOrNull(value, nameof(GlobalClipNorm));
        }
    }

    /// <summary>Number of <see cref="Step"/> calls so far (Keras' iterations), restored by <see cref="LoadStateDict"/>.</summary>
    public long StepCount { get; private set; }

    /// <summary>The state of parameter <paramref name="index"/>, or null before its first update.</summary>
    protected ParameterState? StateOf(int index) => states[index];

    /// <summary>
    /// Updates every parameter that has a gradient, after applying the clipping options (ClipNorm or
    /// GlobalClipNorm, then ClipValue, as Keras). Runs without gradient recording; no intermediate tensor survives.
    /// </summary>
    public void Step()
    {
        ThrowIfDisposed();
        using var noGrad = torch.NoGrad();
        using var scope = torch.NewDisposeScope();
        if (clipNorm is double perTensor) GradientClipping.ClipGradNormPerTensor(parameters, perTensor);
        if (globalClipNorm is double global) GradientClipping.ClipGradNorm(parameters, global);
        if (clipValue is double value) GradientClipping.ClipGradValue(parameters, value);

        for (int i = 0; i < parameters.Length; i++)
        {
            var gradient = parameters[i].Grad;
            if (gradient is null) continue;
            var state = states[i];
            if (state is null)
            {
                state = new ParameterState();
                InitializeState(state, parameters[i]);
                states[i] = state;
            }
            state.Step++;
            Update(parameters[i], gradient, state);
        }
        StepCount++;
    }

    /// <summary>Clears the gradients: sets them to null (default, as PyTorch 2) or zeroes them in place.</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        ThrowIfDisposed();
        using var scope = torch.NewDisposeScope();
        foreach (var parameter in parameters)
        {
            if (setToNone)
            {
                parameter.Grad = null;
            }
            else if (parameter.Grad is Tensor gradient)
            {
                if (gradient.RequiresGrad) gradient.RequiresGrad = false;
                gradient.Zero_();
            }
        }
    }

    // ---- the algorithm, per optimizer ----

    /// <summary>Creates the state tensors of a parameter before its first update (e.g. zeroed moments).</summary>
    protected virtual void InitializeState(ParameterState state, Tensor parameter) { }

    /// <summary>
    /// Applies one update to <paramref name="parameter"/> in place. Runs under NoGrad and a DisposeScope;
    /// <paramref name="state"/>.Step already counts this update.
    /// </summary>
    protected abstract void Update(Tensor parameter, Tensor gradient, ParameterState state);

    /// <summary>Names of the state tensors shaped like their parameter that a stepped parameter has, under the current hyper-parameters.</summary>
    protected abstract IReadOnlyList<string> StateNames { get; }

    /// <summary>Names of 0-d float32 state tensors (NAdam's mu_product).</summary>
    protected virtual IReadOnlyList<string> ScalarStateNames => [];

    /// <summary>The hyper-parameters other than the learning rate, by PyTorch name (booleans as 1/0).</summary>
    protected abstract IReadOnlyDictionary<string, double> GetHyperParameters();

    /// <summary>Validates and sets the hyper-parameters named by <see cref="GetHyperParameters"/> (all present).</summary>
    protected abstract void SetHyperParameters(IReadOnlyDictionary<string, double> values);

    // ---- persistence ----

    /// <summary>
    /// A copy of the state: <c>state.{i}.{name}</c> per stepped parameter (<c>state.{i}.step</c> a 0-d float64),
    /// <c>hyper.{name}</c> (0-d float64, <c>hyper.lr</c> the current learning rate), <c>step_count</c> and
    /// <c>param_count</c>. The tensors belong to the caller (or the current DisposeScope).
    /// </summary>
    public Dictionary<string, Tensor> StateDict()
    {
        ThrowIfDisposed();
        var result = new Dictionary<string, Tensor>
        {
            [StepCountEntry] = torch.Scalar(StepCount, ScalarType.Float64),
            [ParameterCountEntry] = torch.Scalar(parameters.Length, ScalarType.Float64),
            [HyperPrefix + LearningRateName] = torch.Scalar(learningRate, ScalarType.Float64),
        };
        foreach (var (name, value) in GetHyperParameters())
            result[HyperPrefix + name] = torch.Scalar(value, ScalarType.Float64);
        for (int i = 0; i < states.Length; i++)
        {
            if (states[i] is not ParameterState state) continue;
            result[$"{StatePrefix}{i}.{StepName}"] = torch.Scalar(state.Step, ScalarType.Float64);
            foreach (var name in state.Names)
                result[$"{StatePrefix}{i}.{name}"] = state[name].Clone();
        }
        return result;
    }

    /// <summary>
    /// Replaces the state (per-parameter state, step count, learning rate and hyper-parameters, as PyTorch's
    /// load_state_dict) with a copy of <paramref name="stateDict"/>. Every entry is checked first; a missing,
    /// unexpected or mis-shaped entry throws an <see cref="ArgumentException"/> naming it, and nothing changes.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(stateDict);
        string type = GetType().Name;

        long stepCount = ReadCount(stateDict, StepCountEntry);
        long parameterCount = ReadCount(stateDict, ParameterCountEntry);
        if (parameterCount != parameters.Length)
            throw new ArgumentException($"The state dict is for {parameterCount} parameters; this {type} optimizes {parameters.Length}.", nameof(stateDict));

        var oldHyper = GetHyperParameters();
        var newHyper = new Dictionary<string, double>();
        foreach (var name in oldHyper.Keys) newHyper[name] = ReadScalar(stateDict, HyperPrefix + name);
        double newLearningRate = ReadScalar(stateDict, HyperPrefix + LearningRateName);
        HyperParameter.Positive(newLearningRate, HyperPrefix + LearningRateName);

        double oldLearningRate = learningRate;
        var newStates = new ParameterState?[parameters.Length];
        try
        {
            SetHyperParameters(newHyper); // the state layout (amsgrad, centered, momentum) follows the loaded hyper-parameters
            learningRate = newLearningRate;

            var expected = new HashSet<string> { StepCountEntry, ParameterCountEntry, HyperPrefix + LearningRateName };
            foreach (var name in oldHyper.Keys) expected.Add(HyperPrefix + name);
            using (var scope = torch.NewDisposeScope())
            {
                for (int i = 0; i < parameters.Length; i++)
                {
                    string prefix = $"{StatePrefix}{i}.";
                    if (!stateDict.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal))) continue;
                    var state = new ParameterState();
                    newStates[i] = state;
                    state.Step = ReadCount(stateDict, prefix + StepName);
                    expected.Add(prefix + StepName);
                    foreach (var name in StateNames)
                    {
                        state.Set(name, ReadTensor(stateDict, prefix + name, parameters[i].Shape, parameters[i].Dtype));
                        expected.Add(prefix + name);
                    }
                    foreach (var name in ScalarStateNames)
                    {
                        state.Set(name, ReadTensor(stateDict, prefix + name, [], ScalarType.Float32));
                        expected.Add(prefix + name);
                    }
                }
            }
            var unexpected = stateDict.Keys.Where(k => !expected.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
            if (unexpected.Count > 0)
                throw new ArgumentException(
                    $"The state dict has entries that are not part of this {type} state: {string.Join(", ", unexpected.Select(k => $"'{k}'"))}.",
                    nameof(stateDict));
        }
        catch
        {
            foreach (var state in newStates) state?.Dispose();
            learningRate = oldLearningRate;
            SetHyperParameters(oldHyper);
            throw;
        }

        foreach (var state in states) state?.Dispose();
        states = newStates;
        StepCount = stepCount;
    }

    /// <summary>Writes <see cref="StateDict"/> to <paramref name="path"/> (TensorFile format, metadata <c>optimizer</c> = the type name).</summary>
    public void Save(string path)
    {
        ThrowIfDisposed();
        using var scope = torch.NewDisposeScope();
        var metadata = new Dictionary<string, string> { [OptimizerMetadataKey] = GetType().Name };
        TensorFile.Save(path, StateDict(), metadata);
    }

    /// <summary>Loads a file written by <see cref="Save"/> of the same optimizer type (else <see cref="InvalidDataException"/>).</summary>
    public void Load(string path)
    {
        ThrowIfDisposed();
        using var scope = torch.NewDisposeScope();
        var (tensors, metadata) = TensorFile.Load(path);
        string type = GetType().Name;
        if (!metadata.TryGetValue(OptimizerMetadataKey, out var savedType))
            throw new InvalidDataException($"'{path}' is not an optimizer state file (its metadata names no optimizer); it cannot be loaded into {type}.");
        if (savedType != type)
            throw new InvalidDataException($"'{path}' holds the state of a {savedType} optimizer; it cannot be loaded into {type}.");
        LoadStateDict(tensors);
    }

    private static Tensor Entry(IReadOnlyDictionary<string, Tensor> stateDict, string name) =>
        stateDict.TryGetValue(name, out var tensor) && tensor is not null
            ? tensor
            : throw new ArgumentException($"The state dict has no entry '{name}'.", nameof(stateDict));

    private static double ReadScalar(IReadOnlyDictionary<string, Tensor> stateDict, string name)
    {
        var tensor = Entry(stateDict, name);
        if (tensor.Dim != 0)
            throw new ArgumentException($"State dict entry '{name}' must be a 0-d tensor, not of shape [{string.Join(", ", tensor.Shape)}].", nameof(stateDict));
        return tensor.Item();
    }

    private static long ReadCount(IReadOnlyDictionary<string, Tensor> stateDict, string name)
    {
        double value = ReadScalar(stateDict, name);
        if (!(value >= 0) || value != Math.Floor(value) || value > long.MaxValue)
            throw new ArgumentException($"State dict entry '{name}' must hold a count (a whole number of at least 0), not {value.ToString(CultureInfo.InvariantCulture)}.", nameof(stateDict));
        return (long)value;
    }

    /// <summary>A copy of entry <paramref name="name"/> converted to <paramref name="dtype"/>, after checking its shape.</summary>
    private static Tensor ReadTensor(IReadOnlyDictionary<string, Tensor> stateDict, string name, long[] shape, ScalarType dtype)
    {
        var tensor = Entry(stateDict, name);
        var actual = tensor.Shape;
        if (!actual.SequenceEqual(shape))
            throw new ArgumentException(
                $"State dict entry '{name}' has shape [{string.Join(", ", actual)}]; [{string.Join(", ", shape)}] is expected.", nameof(stateDict));
        return tensor.To(dtype).Clone();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    /// <summary>Frees the state tensors (not the parameters).</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var state in states) state?.Dispose();
        Array.Clear(states);
        GC.SuppressFinalize(this);
    }
}

using MnistMl.Torch.Serialization;

namespace MnistMl.Torch.NN;

/// <summary>
/// A network building block with named parameters, buffers and child modules (torch.nn.Module).
/// Owns its parameters and buffers: Dispose frees them and those of its children.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Tensor)> parameters = new();
    private readonly List<(string Name, Tensor Tensor)> buffers = new();
    private readonly List<(string Name, Module Module)> children = new();
    private bool disposed;

    /// <summary>True in training mode (dropout active, batch norm uses batch statistics).</summary>
    public bool Training { get; private set; } = true;

    public abstract Tensor Forward(Tensor input);

    /// <summary>Same as <see cref="Forward"/>, so a module reads like a function.</summary>
    public Tensor Call(Tensor input) => Forward(input);

    /// <summary>Registers a trainable tensor; it leaves any DisposeScope and requires grad.</summary>
    protected Tensor RegisterParameter(string name, Tensor tensor)
    {
        tensor.DetachFromDisposeScope().RequiresGrad = true;
        parameters.Add((name, tensor));
        return tensor;
    }

    /// <summary>Registers a persistent non-trainable tensor (running statistics); it leaves any DisposeScope.</summary>
    protected Tensor RegisterBuffer(string name, Tensor tensor)
    {
        buffers.Add((name, tensor.DetachFromDisposeScope()));
        return tensor;
    }

    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        children.Add((name, module));
        return module;
    }

    public IEnumerable<(string Name, Module Module)> NamedChildren() => children;

    /// <summary>Parameters of this module and its descendants with dotted names ("0.weight").</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters() => Collect(m => m.parameters);

    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Parameters that currently require grad (those an optimizer should update).</summary>
    public IEnumerable<Tensor> TrainableParameters() => Parameters().Where(p => p.RequiresGrad);

    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers() => Collect(m => m.buffers);

    private IEnumerable<(string, Tensor)> Collect(Func<Module, List<(string Name, Tensor Tensor)>> select, string prefix = "")
    {
        foreach (var (name, tensor) in select(this)) yield return (prefix + name, tensor);
        foreach (var (name, child) in children)
            foreach (var item in child.Collect(select, $"{prefix}{name}.")) yield return item;
    }

    /// <summary>Sets training (true) or evaluation (false) mode on this module and its descendants.</summary>
    public Module Train(bool training = true)
    {
        Training = training;
        foreach (var (_, child) in children) child.Train(training);
        return this;
    }

    public Module Eval() => Train(false);

    /// <summary>Clears (or zeroes) every parameter's gradient.</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in Parameters())
        {
            if (setToNone) { p.Grad = null; continue; }
            using var grad = p.Grad;
            grad?.Zero_();
        }
    }

    /// <summary>Freezes (or unfreezes) every parameter, as Keras' layer.trainable = false.</summary>
    public void SetRequiresGrad(bool requiresGrad)
    {
        foreach (var p in Parameters()) p.RequiresGrad = requiresGrad;
    }

    public long ParameterCount(bool trainableOnly = false) =>
        Parameters().Where(p => !trainableOnly || p.RequiresGrad).Sum(p => p.NumberOfElements);

    /// <summary>
    /// Parameters and buffers by dotted name. The tensors are the module's own (not copies):
    /// do not dispose them.
    /// </summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, p) in NamedParameters()) state[name] = p;
        foreach (var (name, b) in NamedBuffers()) state[name] = b;
        return state;
    }

    /// <summary>Copies values into the parameters and buffers; every name must be present with the same shape and dtype.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = StateDict();
        if (strict)
        {
            var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
            var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
            if (missing.Count > 0 || unexpected.Count > 0)
                throw new ArgumentException($"The state dict does not fit {GetType().Name}: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}].", nameof(state));
        }
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var source)) continue;
            if (!source.Shape.SequenceEqual(target.Shape) || source.Dtype != target.Dtype)
                throw new ArgumentException($"State '{name}' is [{string.Join(", ", source.Shape)}] {source.Dtype}; the module expects [{string.Join(", ", target.Shape)}] {target.Dtype}.", nameof(state));
        }
        using var _ = torch.NoGrad();
        foreach (var (name, target) in own)
            if (state.TryGetValue(name, out var source)) target.Copy_(source);
    }

    /// <summary>Writes the state dict to a file (see <see cref="TensorFile"/> for the format), atomically.</summary>
    public void Save(string path) =>
        TensorFile.Save(path, StateDict(), new Dictionary<string, string> { ["kind"] = "module", ["module"] = GetType().Name });

    /// <summary>Loads a file written by <see cref="Save"/> into this module.</summary>
    public void Load(string path)
    {
        var (tensors, _) = TensorFile.Load(path);
        try
        {
            LoadStateDict(tensors);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{path}' does not fit this {GetType().Name}: {e.Message}", e);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var (_, p) in parameters) p.Dispose();
        foreach (var (_, b) in buffers) b.Dispose();
        foreach (var (_, c) in children) c.Dispose();
        GC.SuppressFinalize(this);
    }
}

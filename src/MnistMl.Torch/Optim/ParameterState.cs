namespace MnistMl.Torch.Optim;

/// <summary>
/// The optimizer state of one parameter (PyTorch's <c>optimizer.state[p]</c>): its step count and named
/// state tensors such as <c>exp_avg</c>. The state owns its tensors; they live outside every DisposeScope.
/// </summary>
public sealed class ParameterState : IDisposable
{
    private readonly Dictionary<string, Tensor> tensors = new();

    internal ParameterState() { }

    /// <summary>Updates applied to this parameter, this one included while an update runs (PyTorch's <c>state['step']</c>).</summary>
    public long Step { get; internal set; }

    /// <summary>Names of the state tensors held.</summary>
    public IEnumerable<string> Names => tensors.Keys;

    public bool Contains(string name) => tensors.ContainsKey(name);

    /// <summary>The state tensor <paramref name="name"/>; update it in place.</summary>
    public Tensor this[string name] =>
        tensors.TryGetValue(name, out var tensor) ? tensor : throw new KeyNotFoundException($"The parameter has no '{name}' state.");

    /// <summary>Stores <paramref name="tensor"/> as state <paramref name="name"/>, taking it out of its DisposeScope; a previous tensor of that name is freed.</summary>
    public Tensor Set(string name, Tensor tensor)
    {
        tensor.DetachFromDisposeScope();
        if (tensors.TryGetValue(name, out var previous) && !ReferenceEquals(previous, tensor)) previous.Dispose();
        tensors[name] = tensor;
        return tensor;
    }

    public void Dispose()
    {
        foreach (var tensor in tensors.Values) tensor.Dispose();
        tensors.Clear();
    }
}

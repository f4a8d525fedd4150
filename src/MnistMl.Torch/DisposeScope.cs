namespace MnistMl.Torch;

/// <summary>
/// Frees, on Dispose, every tensor created on this thread while the scope was the innermost one
/// (TorchSharp's DisposeScope). Tensors that must outlive it are moved out with
/// <see cref="Tensor.MoveToOuterDisposeScope"/> or <see cref="Tensor.DetachFromDisposeScope"/>.
/// A training step inside a scope therefore leaves no native memory behind.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly DisposeScope? outer;
    private readonly List<Tensor> tensors = new();
    private bool disposed;

    internal DisposeScope()
    {
        outer = current;
        current = this;
    }

    /// <summary>The innermost open scope of the calling thread, or null.</summary>
    public static DisposeScope? Current => current;

    /// <summary>The scope that takes over tensors moved out of this one (null: they become unscoped).</summary>
    public DisposeScope? Outer => outer;

    /// <summary>Number of tensors this scope will free.</summary>
    public int Count => tensors.Count(t => ReferenceEquals(t.OwningScope, this) && !t.IsDisposed);

    internal void Register(Tensor tensor)
    {
        tensor.OwningScope = this;
        tensors.Add(tensor);
    }

    /// <summary>Moves the tensors to the enclosing scope and returns them, for results of a scoped computation.</summary>
    public void MoveToOuter(params Tensor[] moved)
    {
        foreach (var tensor in moved) tensor.MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        // Tensors moved out keep a different OwningScope and are left alone.
        foreach (var tensor in tensors)
            if (ReferenceEquals(tensor.OwningScope, this)) tensor.Dispose();
        tensors.Clear();
        if (ReferenceEquals(current, this)) current = outer;
    }
}

using MnistMl.Torch.Native;

namespace MnistMl.Torch;

public sealed partial class Tensor
{
    /// <summary>Whether autograd records operations on this tensor (PyTorch's requires_grad).</summary>
    public bool RequiresGrad
    {
        get => NativeMethods.mm_tensor_requires_grad(Handle) != 0;
        set => Check(NativeMethods.mm_tensor_set_requires_grad(Handle, value ? 1 : 0));
    }

    public Tensor RequiresGrad_(bool value = true)
    {
        RequiresGrad = value;
        return this;
    }

    public bool IsLeaf => NativeMethods.mm_tensor_is_leaf(Handle) != 0;

    /// <summary>
    /// The accumulated gradient, or null before the first backward pass. Each read returns a new handle
    /// to the same gradient storage (in-place updates reach the real gradient); setting null clears it.
    /// </summary>
    public Tensor? Grad
    {
        get
        {
            Check(NativeMethods.mm_tensor_grad(Handle, out var grad));
            return grad == IntPtr.Zero ? null : Wrap(grad);
        }
        set => Check(NativeMethods.mm_tensor_set_grad(Handle, HandleOrNull(value)));
    }

    /// <summary>Computes gradients of this tensor (a scalar, unless <paramref name="gradient"/> is given) with respect to the graph leaves.</summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) =>
        Check(NativeMethods.mm_tensor_backward(Handle, HandleOrNull(gradient), retainGraph ? 1 : 0));

    /// <summary>A tensor sharing storage but cut from the autograd graph.</summary>
    public Tensor Detach() => Wrap(NativeMethods.mm_tensor_detach(Handle));
}

using MnistMl.Torch.Native;

namespace MnistMl.Torch.NN;

/// <summary>Stateless layer operations, as torch.nn.functional. Images are NCHW.</summary>
public static partial class Functional
{
    private static Tensor Wrap(IntPtr handle, string operation) => Tensor.Wrap(handle, operation);

    /// <summary>y = x Wᵀ + b, with W of shape [out, in].</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) =>
        Wrap(NativeMethods.mm_linear(input.Handle, weight.Handle, Tensor.HandleOrNull(bias)), nameof(Linear));

    /// <summary>2-D convolution with weight [out, in/groups, kH, kW]; groups = in channels gives a depthwise convolution.</summary>
    public static unsafe Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, (long H, long W)? stride = null,
        (long H, long W)? padding = null, (long H, long W)? dilation = null, long groups = 1)
    {
        long* s = stackalloc long[2], p = stackalloc long[2], d = stackalloc long[2];
        Fill(s, stride ?? (1, 1)); Fill(p, padding ?? (0, 0)); Fill(d, dilation ?? (1, 1));
        return Wrap(NativeMethods.mm_conv2d(input.Handle, weight.Handle, Tensor.HandleOrNull(bias), s, p, d, groups), nameof(Conv2d));
    }

    /// <summary>
    /// Zero padding (left, right, top, bottom) that makes a convolution or pooling window "same" in the TensorFlow/Keras sense:
    /// output = ceil(input / stride); when the total is odd the extra row/column goes to the bottom/right.
    /// </summary>
    public static (long Left, long Right, long Top, long Bottom) SamePadding(long inputH, long inputW, (long H, long W) kernel,
        (long H, long W) stride, (long H, long W) dilation)
    {
        static (long, long) Along(long size, long k, long s, long d)
        {
            long effective = (k - 1) * d + 1;
            long output = (size + s - 1) / s;
            long total = Math.Max((output - 1) * s + effective - size, 0);
            return (total / 2, total - total / 2);
        }
        var (top, bottom) = Along(inputH, kernel.H, stride.H, dilation.H);
        var (left, right) = Along(inputW, kernel.W, stride.W, dilation.W);
        return (left, right, top, bottom);
    }

    public static unsafe Tensor MaxPool2d(Tensor input, (long H, long W) kernelSize, (long H, long W)? stride = null,
        (long H, long W)? padding = null, (long H, long W)? dilation = null, bool ceilMode = false)
    {
        long* k = stackalloc long[2], s = stackalloc long[2], p = stackalloc long[2], d = stackalloc long[2];
        Fill(k, kernelSize); Fill(s, stride ?? kernelSize); Fill(p, padding ?? (0, 0)); Fill(d, dilation ?? (1, 1));
        return Wrap(NativeMethods.mm_max_pool2d(input.Handle, k, s, p, d, ceilMode ? 1 : 0), nameof(MaxPool2d));
    }

    public static unsafe Tensor AvgPool2d(Tensor input, (long H, long W) kernelSize, (long H, long W)? stride = null,
        (long H, long W)? padding = null, bool ceilMode = false, bool countIncludePad = true)
    {
        long* k = stackalloc long[2], s = stackalloc long[2], p = stackalloc long[2];
        Fill(k, kernelSize); Fill(s, stride ?? kernelSize); Fill(p, padding ?? (0, 0));
        return Wrap(NativeMethods.mm_avg_pool2d(input.Handle, k, s, p, ceilMode ? 1 : 0, countIncludePad ? 1 : 0), nameof(AvgPool2d));
    }

    public static unsafe Tensor AdaptiveAvgPool2d(Tensor input, (long H, long W) outputSize)
    {
        long* o = stackalloc long[2];
        Fill(o, outputSize);
        return Wrap(NativeMethods.mm_adaptive_avg_pool2d(input.Handle, o), nameof(AdaptiveAvgPool2d));
    }

    /// <summary>
    /// Batch normalization over dimension 1. In training it normalizes with batch statistics and updates the running
    /// statistics in place: running = (1 - momentum) * running + momentum * batch (PyTorch convention; the running
    /// variance uses the unbiased batch variance).
    /// </summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5) =>
        Wrap(NativeMethods.mm_batch_norm(input.Handle, Tensor.HandleOrNull(weight), Tensor.HandleOrNull(bias),
            Tensor.HandleOrNull(runningMean), Tensor.HandleOrNull(runningVar), training ? 1 : 0, momentum, eps), nameof(BatchNorm));

    /// <summary>Zeroes elements with probability p and scales the rest by 1/(1-p) when training; identity otherwise.</summary>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "The dropout rate must be in [0, 1).");
        return Wrap(NativeMethods.mm_dropout(input.Handle, p, training ? 1 : 0), nameof(Dropout));
    }

    /// <summary>Pads the last dimensions; <paramref name="pads"/> = (left, right, top, bottom, …) as torch.nn.functional.pad.</summary>
    public static unsafe Tensor Pad(Tensor input, long[] pads, PaddingMode mode = PaddingMode.Constant, double value = 0)
    {
        fixed (long* p = pads)
            return Wrap(NativeMethods.mm_pad(input.Handle, p, pads.Length, (int)mode, value), nameof(Pad));
    }

    /// <summary>Resizes the spatial dimensions of an NCHW tensor to <paramref name="size"/>.</summary>
    public static unsafe Tensor Interpolate(Tensor input, (long H, long W) size, InterpolationMode mode = InterpolationMode.Bilinear,
        bool alignCorners = false)
    {
        long* s = stackalloc long[2];
        Fill(s, size);
        return Wrap(NativeMethods.mm_interpolate(input.Handle, s, (int)mode, alignCorners ? 1 : 0), nameof(Interpolate));
    }

    private static unsafe void Fill(long* destination, (long H, long W) pair)
    {
        destination[0] = pair.H;
        destination[1] = pair.W;
    }
}

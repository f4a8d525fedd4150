using MnistMl.Trainers.Keras;

namespace MnistMl.Trainers.Layers;

/// <summary>Parsing of the Keras-named arguments shared by layers; errors name the layer.</summary>
internal static class LayerArguments
{
    /// <summary>
    /// Refuses a layer whose weights would not fit in this machine's memory, before libtorch allocates them
    /// (<c>units: 1e9</c> allocated 4.5 GB before libtorch gave up).
    /// </summary>
    public static void CheckWeightMemory(double parameters, string where)
    {
        double bytes = parameters * sizeof(float);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > available / 2.0)
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{where} would have {parameters:N0} weights ({bytes / (1L << 30):N1} GiB as float32, twice that with their gradients), more than this machine's memory allows ({available / (double)(1L << 30):N1} GiB in all)."));
    }


    public static ActivationKind Activation(string name, string where)
    {
        try { return KerasActivations.Parse(name); }
        catch (ArgumentException e) { throw new ArgumentException($"{where}: {e.Message}", e); }
    }

    /// <summary>The parameter of an activation given by name, as Keras' functions define it (see <see cref="KerasActivations.DefaultAlpha"/>).</summary>
    public static double ActivationAlpha(ActivationKind kind) => KerasActivations.DefaultAlpha(kind);

    public static KerasInitializer Initializer(string name, string where)
    {
        try { return KerasInitializer.FromName(name); }
        catch (ArgumentException e) { throw new ArgumentException($"{where}: {e.Message}", e); }
    }

    public static Padding2d Padding(string name, string where)
    {
        try { return Padding2d.Parse(name); }
        catch (ArgumentException e) { throw new ArgumentException($"{where}: {e.Message}", e); }
    }

    public static (long H, long W) Pair(int[] values, string argument, string where)
    {
        if (values.Length is not (1 or 2) || values.Any(v => v <= 0))
            throw new ArgumentOutOfRangeException(argument, $"{where}: {argument} [{string.Join(", ", values)}] must be one or two positive sizes.");
        return values.Length == 1 ? (values[0], values[0]) : (values[0], values[1]);
    }

    public static long[] Image(long[] inputShape, string where)
    {
        if (inputShape.Length != 3)
            throw new ArgumentException($"{where} needs image input [channels, height, width] but receives [{string.Join(", ", inputShape)}]; reshape flat pixels to [1, 28, 28] first.");
        return inputShape;
    }

    /// <summary>Output size along one axis: "same" → ⌈n / s⌉; "valid" → ⌊(n − effective kernel) / s⌋ + 1.</summary>
    public static long OutputSize(long input, long kernel, long stride, Padding2d padding, string where)
    {
        long size = padding.Kind == "same" ? (input + stride - 1) / stride : (input - kernel) / stride + 1;
        if (size <= 0) throw new ArgumentException($"{where}: an input of size {input} is too small for a kernel of {kernel} with stride {stride}.");
        return size;
    }
}

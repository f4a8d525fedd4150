using MnistMl.Torch;
using MnistMl.Torch.Optim;

namespace MnistMl.Torch.Tests.Optim;

/// <summary>
/// The fixed problem of tests/reference/optimizers.py: W [3,4], b [3], X [5,4], Y [5,3] from sin/cos formulas
/// (float64, then float32) and the loss ((tanh(X @ W.T + b) - Y)^2).mean().
/// </summary>
internal static class OptimizerProblem
{
    private static float[] Filled(int count, Func<int, double> f) => Enumerable.Range(0, count).Select(i => (float)f(i)).ToArray();

    public static (Tensor W, Tensor B) NewParameters()
    {
        var w = torch.FromArray(Filled(12, i => 0.5 * Math.Sin(0.37 * i + 0.5)), 3, 4).RequiresGrad_();
        var b = torch.FromArray(Filled(3, i => 0.1 * Math.Cos(0.7 * i)), 3).RequiresGrad_();
        return (w, b);
    }

    /// <summary>Computes the loss and accumulates its gradients into W and b.</summary>
    public static void Backward(Tensor w, Tensor b)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.FromArray(Filled(20, i => Math.Sin(0.23 * i + 1.1)), 5, 4);
        var y = torch.FromArray(Filled(15, i => Math.Cos(0.31 * i)), 5, 3);
        var loss = ((x.MatMul(w.Transpose(0, 1)) + b).Tanh() - y).Pow(2).Mean();
        loss.Backward();
    }

    /// <summary>One training step as the reference script: zero_grad(set_to_none), backward, step.</summary>
    public static void TrainStep(Optimizer optimizer, Tensor w, Tensor b)
    {
        optimizer.ZeroGrad();
        Backward(w, b);
        optimizer.Step();
    }

    /// <summary>Runs <paramref name="steps"/> steps on fresh parameters; <paramref name="beforeStep"/> gets the optimizer and the step index t.</summary>
    public static (double[] W, double[] B) Run(Func<IEnumerable<Tensor>, Optimizer> make, Action<Optimizer, int>? beforeStep = null, int steps = 3)
    {
        var (w, b) = NewParameters();
        using (w)
        using (b)
        using (var optimizer = make([w, b]))
        {
            for (int t = 0; t < steps; t++)
            {
                beforeStep?.Invoke(optimizer, t);
                TrainStep(optimizer, w, b);
            }
            return (Values(w), Values(b));
        }
    }

    public static double[] Values(Tensor t)
    {
        using var d = t.Detach();
        using var asDouble = d.To(ScalarType.Float64);
        return asDouble.ToArray<double>();
    }

    /// <summary>Asserts the W and b of a run equal PyTorch's within rtol 1e-5, atol 1e-7.</summary>
    public static void AssertRun((double[] W, double[] B) actual, double[] expectedW, double[] expectedB, string what)
    {
        Approx.Equal(expectedW, actual.W, rtol: 1e-5, atol: 1e-7, what: $"{what} W");
        Approx.Equal(expectedB, actual.B, rtol: 1e-5, atol: 1e-7, what: $"{what} b");
    }
}

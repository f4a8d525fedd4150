namespace MnistMl.Torch.Tests;

/// <summary>
/// Checks a computation against the PyTorch reference of tests/reference/torch_parity.py: a case "Name" has
/// Name_Output and Name_Shape (the forward result) and Name_Grad0, Name_Grad1, … (the gradient of
/// (output · G).sum() with respect to each input, G = <see cref="Inputs.Upstream"/>).
/// </summary>
internal static class Parity
{
    public const double Rtol = 1e-5;
    public const double Atol = 1e-6;

    /// <summary>The reference array called <paramref name="name"/>.</summary>
    public static double[] Expected(string name) =>
        TorchReference.ByName.TryGetValue(name, out var values)
            ? values
            : throw new InvalidOperationException($"TorchReference has no '{name}'; add it to tests/reference/torch_parity.py and regenerate.");

    public static void Check(string name, Func<Tensor, Tensor> function, Tensor x) =>
        Run(name, inputs => function(inputs[0]), x);

    public static void Check(string name, Func<Tensor, Tensor, Tensor> function, Tensor a, Tensor b) =>
        Run(name, inputs => function(inputs[0], inputs[1]), a, b);

    public static void Check(string name, Func<Tensor, Tensor, Tensor, Tensor> function, Tensor a, Tensor b, Tensor c) =>
        Run(name, inputs => function(inputs[0], inputs[1], inputs[2]), a, b, c);

    /// <summary>Forward value, shape and every input gradient; the inputs are owned (and disposed) by this call.</summary>
    private static void Run(string name, Func<Tensor[], Tensor> function, params Tensor[] inputs)
    {
        try
        {
            using var scope = torch.NewDisposeScope();
            foreach (var input in inputs) input.RequiresGrad = true;
            var output = function(inputs);
            Output(name, output);
            BackwardWithUpstream(output);
            for (int i = 0; i < inputs.Length; i++)
                Gradient($"{name}_Grad{i}", inputs[i], $"{name}: gradient of input {i}");
        }
        finally
        {
            foreach (var input in inputs) input.Dispose();
        }
    }

    /// <summary>Compares a result with Name_Output and Name_Shape (for values that have no gradient, exactly by default).</summary>
    public static void Output(string name, Tensor actual, double rtol = Rtol, double atol = Atol)
    {
        var shape = Expected($"{name}_Shape").Select(d => (long)d).ToArray();
        Approx.Shape(shape, actual, $"{name} output");
        Approx.Equal(Expected($"{name}_Output"), actual, rtol, atol, $"{name} output");
    }

    /// <summary>Runs (output · G).sum().backward() with the fixed upstream gradient G.</summary>
    public static void BackwardWithUpstream(Tensor output)
    {
        using var upstream = Inputs.Upstream(output.Shape);
        using var weighted = output * upstream;
        using var total = weighted.Sum();
        total.Backward();
    }

    /// <summary>Compares the accumulated gradient of <paramref name="leaf"/> with the reference array <paramref name="expectedName"/>.</summary>
    public static void Gradient(string expectedName, Tensor leaf, string? what = null)
    {
        using var grad = leaf.Grad;
        Assert.IsNotNull(grad, $"{what ?? expectedName}: no gradient was recorded");
        Approx.Equal(Expected(expectedName), grad, Rtol, Atol, what ?? expectedName);
    }

    /// <summary>Compares a tensor with the reference array <paramref name="expectedName"/>.</summary>
    public static void Values(string expectedName, Tensor actual, double rtol = Rtol, double atol = Atol) =>
        Approx.Equal(Expected(expectedName), actual, rtol, atol, expectedName);
}

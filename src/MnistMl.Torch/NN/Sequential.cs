namespace MnistMl.Torch.NN;

/// <summary>Modules applied in order (torch.nn.Sequential); children are named "0", "1", ….</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> layers = new();

    public Sequential(params Module[] modules)
    {
        foreach (var module in modules) Add(module);
    }

    public Sequential Add(Module module)
    {
        RegisterModule(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        layers.Add(module);
        return this;
    }

    public IReadOnlyList<Module> Layers => layers;

    public Module this[int index] => layers[index];

    public override Tensor Forward(Tensor input)
    {
        // Each layer returns a new tensor; intermediate handles are released at once (autograd keeps what it needs).
        var x = input;
        foreach (var layer in layers)
        {
            var y = layer.Forward(x);
            if (!ReferenceEquals(x, input)) x.Dispose();
            x = y;
        }
        return ReferenceEquals(x, input) ? input.Alias() : x;
    }
}

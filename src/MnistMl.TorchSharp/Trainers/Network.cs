using MnistMl.Trainers.Keras;
using MnistMl.Trainers.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Trainers;

/// <summary>
/// A network built from a <see cref="NetworkSpec"/>: a TorchSharp module whose children are its layers' modules,
/// registered under the layers' Keras names (state_dict keys "dense.weight", "conv2d.bias", …). <see cref="forward"/>
/// returns logits (the output layer's softmax is left to the loss and to <see cref="PredictProbabilities"/>, which is
/// numerically safer and gives the same probabilities). It can be handed to any TorchSharp code as a
/// <c>Module&lt;Tensor, Tensor&gt;</c>.
/// </summary>
public sealed class Network : nn.Module<Tensor, Tensor>
{
    private readonly IReadOnlyList<BuiltLayer> layers;

    internal Network(IReadOnlyList<BuiltLayer> layers, long[] inputShape) : base(nameof(Network))
    {
        this.layers = layers;
        InputShape = inputShape;
        foreach (var layer in layers)
        {
            if (layer.Border is not null) register_module($"{layer.Name}_padding", layer.Border);
            if (layer.Core is not null) register_module(layer.Name, layer.Core);
        }
    }

    /// <summary>The per-row input shape the network was built for.</summary>
    public long[] InputShape { get; }

    public int ClassCount => (int)layers[^1].OutputShape[0];

    internal IReadOnlyList<BuiltLayer> Layers => layers;

    /// <summary>The MobileNetV2 backbone when the first layer is one (Keras' base_model), else null.</summary>
    public Transfer.MobileNetV2Features? Backbone => layers.Count > 0 ? layers[0].Core as Transfer.MobileNetV2Features : null;

    public override Tensor forward(Tensor input) => Run(input, activityPenalty: null);

    /// <summary>Logits plus the activity penalties of the layers that have one (null when none does).</summary>
    public (Tensor Logits, Tensor? ActivityPenalty) ForwardWithPenalty(Tensor input)
    {
        var penalties = new List<Tensor>();
        var logits = Run(input, penalties);
        return (logits, Sum(penalties));
    }

    /// <summary>Class probabilities: softmax of the logits.</summary>
    public Tensor PredictProbabilities(Tensor input)
    {
        using var logits = forward(input);
        return nn.functional.softmax(logits, -1);
    }

    /// <summary>The parameters that train (frozen ones have requires_grad false).</summary>
    /// <summary>The weights and buffers in TorchSharp's <c>Module.save</c> format (through memory: save closes the stream it is given).</summary>
    public byte[] SaveToBytes()
    {
        using var weights = new MemoryStream();
        save(weights);
        return weights.ToArray();
    }

    public IEnumerable<TorchSharp.Modules.Parameter> TrainableParameters() => parameters().Where(p => p.requires_grad);

    /// <summary>The kernel and bias penalties (Keras' regularization losses) for the current weights; null when there are none.</summary>
    public Tensor? WeightPenalty()
    {
        var penalties = new List<Tensor>();
        foreach (var layer in layers)
        {
            if (layer.Core is null) continue;
            foreach (var (name, parameter) in layer.Core.named_parameters())
            {
                var regularizer = name == "weight" ? layer.KernelRegularizer : name == "bias" ? layer.BiasRegularizer : null;
                if (regularizer is { IsZero: false }) penalties.Add(Penalty(parameter, regularizer));
            }
        }
        return Sum(penalties);
    }

    private Tensor Run(Tensor input, List<Tensor>? activityPenalty)
    {
        CheckInput(input);
        var x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            bool output = i == layers.Count - 1;
            var y = x;
            if (layer.Border is not null) y = Replace(y, layer.Border.call(y), input);
            if (layer.Core is not null) y = Replace(y, layer.Core.call(y), input);
            // The output layer's softmax is not applied here: losses and PredictProbabilities take logits.
            if (layer.Activation is { } kind && !output && kind != ActivationKind.Linear)
                y = Replace(y, KerasActivations.Apply(kind, y, layer.ActivationAlpha), input);
            if (ReferenceEquals(y, input)) y = input.alias();
            if (activityPenalty is not null && layer.ActivityRegularizer is { IsZero: false } activity)
            {
                using var total = Penalty(y, activity);
                activityPenalty.Add(total / y.size(0));
            }
            x = y;
        }
        return x;
    }

    /// <summary>Frees an intermediate as soon as the next one exists (never the caller's input).</summary>
    private static Tensor Replace(Tensor previous, Tensor next, Tensor input)
    {
        if (!ReferenceEquals(previous, input)) previous.Dispose();
        return next;
    }

    private void CheckInput(Tensor input)
    {
        var shape = input.shape;
        if (shape.Length != InputShape.Length + 1 || !shape.AsSpan(1).SequenceEqual(InputShape))
            throw new ArgumentException($"The network expects rows of [{string.Join(", ", InputShape)}]; it was given [{string.Join(", ", shape)}].", nameof(input));
    }

    /// <summary>Keras' penalty l1 · Σ|w| + l2 · Σw².</summary>
    private static Tensor Penalty(Tensor value, Regularizer regularizer)
    {
        using var scope = torch.NewDisposeScope();
        Tensor? total = null;
        if (regularizer.L1 != 0) total = value.abs().sum() * regularizer.L1;
        if (regularizer.L2 != 0)
        {
            var l2 = value.square().sum() * regularizer.L2;
            total = total is null ? l2 : total + l2;
        }
        return total!.MoveToOuterDisposeScope();
    }

    private static Tensor? Sum(List<Tensor> terms)
    {
        if (terms.Count == 0) return null;
        var total = terms[0];
        for (int i = 1; i < terms.Count; i++)
        {
            var next = total + terms[i];
            total.Dispose();
            terms[i].Dispose();
            total = next;
        }
        return total;
    }
}

using MnistMl.Torch;
using MnistMl.Torch.NN;
using MnistMl.Trainers.Layers;

namespace MnistMl.Trainers;

/// <summary>
/// A network built from a <see cref="NetworkSpec"/>: its layers' modules in order, with their activations and
/// Keras penalties. <see cref="Forward"/> returns logits (the output layer's softmax is left to the loss and to
/// <see cref="PredictProbabilities"/>, which is numerically safer and gives the same probabilities).
/// </summary>
public sealed class Network : Module
{
    private readonly IReadOnlyList<BuiltLayer> layers;

    internal Network(IReadOnlyList<BuiltLayer> layers, long[] inputShape)
    {
        this.layers = layers;
        InputShape = inputShape;
        foreach (var layer in layers)
            if (layer.Core is not null) RegisterModule(layer.Name, layer.Core);
    }

    /// <summary>The per-row input shape the network was built for.</summary>
    public long[] InputShape { get; }

    public int ClassCount => (int)layers[^1].OutputShape[0];

    internal IReadOnlyList<BuiltLayer> Layers => layers;

    public override Tensor Forward(Tensor input) => Run(input, activityPenalty: null);

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
        using var logits = Forward(input);
        return Functional.Softmax(logits, -1);
    }

    /// <summary>The kernel and bias penalties (Keras' regularization losses) for the current weights; null when there are none.</summary>
    public Tensor? WeightPenalty()
    {
        var penalties = new List<Tensor>();
        foreach (var layer in layers)
        {
            if (layer.Core is null) continue;
            foreach (var (name, parameter) in layer.Core.NamedParameters())
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
            var y = layer.Core is null ? x.Alias() : layer.Core.Forward(x);
            // The output layer's softmax is not applied here: losses and PredictProbabilities take logits.
            if (layer.Activation is { } kind && !output && kind != ActivationKind.Linear)
            {
                var activated = Activation.Apply(kind, y, layer.ActivationAlpha);
                y.Dispose();
                y = activated;
            }
            if (activityPenalty is not null && layer.ActivityRegularizer is { IsZero: false } activity)
            {
                using var total = Penalty(y, activity);
                activityPenalty.Add(total / y.Size(0));
            }
            if (!ReferenceEquals(x, input)) x.Dispose();
            x = y;
        }
        return x;
    }

    private void CheckInput(Tensor input)
    {
        var shape = input.Shape;
        if (shape.Length != InputShape.Length + 1 || !shape.AsSpan(1).SequenceEqual(InputShape))
            throw new ArgumentException($"The network expects rows of [{string.Join(", ", InputShape)}]; it was given [{string.Join(", ", shape)}].", nameof(input));
    }

    private static Tensor Penalty(Tensor value, Regularizer regularizer)
    {
        using var scope = torch.NewDisposeScope();
        Tensor? total = null;
        if (regularizer.L1 != 0) total = Functional.L1Penalty(value, regularizer.L1);
        if (regularizer.L2 != 0)
        {
            var l2 = Functional.L2Penalty(value, regularizer.L2);
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

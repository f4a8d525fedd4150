using System.Globalization;
using System.Text;

namespace MnistMl.Trainers;

/// <summary>
/// Keras' model.summary(): one line per layer with its output shape and parameter count, then the totals.
/// Batch-norm moving statistics count as non-trainable parameters, as in Keras. Shapes are [channels, height,
/// width] (Keras prints channels last); the counts are the same.
/// </summary>
public sealed class ModelSummary
{
    private ModelSummary(IReadOnlyList<LayerSummary> layers) => Layers = layers;

    public IReadOnlyList<LayerSummary> Layers { get; }

    public long TotalParameters => TrainableParameters + NonTrainableParameters;
    public long TrainableParameters => Layers.Sum(l => l.TrainableParameters);
    public long NonTrainableParameters => Layers.Sum(l => l.NonTrainableParameters);

    public static ModelSummary Of(Network network) => new(network.Layers.Select(layer =>
    {
        long trainable = 0, frozen = 0;
        if (layer.Core is not null)
        {
            foreach (var p in layer.Core.parameters())
                if (p.requires_grad) trainable += p.NumberOfElements; else frozen += p.NumberOfElements;
            // Keras counts the moving mean and variance; PyTorch's num_batches_tracked counter is not a weight.
            frozen += layer.Core.named_buffers().Where(b => !b.name.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Sum(b => b.buffer.NumberOfElements);
        }
        return new LayerSummary(layer.Name, layer.TypeName, layer.OutputShape, trainable, frozen);
    }).ToArray());

    public override string ToString()
    {
        var rows = Layers.Select(l => (Name: $"{l.Name} ({l.TypeName})", Shape: $"(None, {string.Join(", ", l.OutputShape)})", Count: l.Parameters.ToString("N0", CultureInfo.InvariantCulture))).ToList();
        int nameWidth = Math.Max(12, rows.Max(r => r.Name.Length)), shapeWidth = Math.Max(12, rows.Max(r => r.Shape.Length));
        var text = new StringBuilder();
        string rule = new('─', nameWidth + shapeWidth + 16);
        text.AppendLine($"{"Layer (type)".PadRight(nameWidth)}  {"Output Shape".PadRight(shapeWidth)}  {"Param #",12}");
        text.AppendLine(rule);
        foreach (var row in rows) text.AppendLine($"{row.Name.PadRight(nameWidth)}  {row.Shape.PadRight(shapeWidth)}  {row.Count,12}");
        text.AppendLine(rule);
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Total params: {TotalParameters:N0}"));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Trainable params: {TrainableParameters:N0}"));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Non-trainable params: {NonTrainableParameters:N0}"));
        return text.ToString();
    }
}

/// <summary>One line of a <see cref="ModelSummary"/>.</summary>
public sealed record LayerSummary(string Name, string TypeName, long[] OutputShape, long TrainableParameters, long NonTrainableParameters)
{
    public long Parameters => TrainableParameters + NonTrainableParameters;
}

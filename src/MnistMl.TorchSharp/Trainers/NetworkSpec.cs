using System.Text.Json;
using System.Text.Json.Serialization;
using MnistMl.Trainers.Layers;

namespace MnistMl.Trainers;

/// <summary>
/// A feed-forward network as a list of Keras-style layers, buildable from C# or JSON. The last layer is the
/// classifier: a Dense layer with one unit per class and softmax (or linear) activation.
/// </summary>
public sealed record NetworkSpec
{
    public NetworkSpec() { }

    public NetworkSpec(params LayerSpec[] layers) => Layers = [.. layers];

    public List<LayerSpec> Layers { get; init; } = [];

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowOutOfOrderMetadataProperties = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses a specification; an unknown layer type or argument is an error naming it.</summary>
    public static NetworkSpec FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<NetworkSpec>(json, JsonOptions) ?? throw new JsonException("The network specification is empty.");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Invalid network specification: {e.Message}", nameof(json), e);
        }
    }

    /// <summary>Builds the network for rows of <paramref name="inputShape"/> and <paramref name="classCount"/> classes; errors name the layer.</summary>
    public Network Build(long[] inputShape, int classCount)
    {
        if (Layers.Count == 0) throw new ArgumentException("The network has no layers.");
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "A classifier needs at least two classes.");
        if (Layers[^1] is not DenseLayer output || output.Units != classCount)
            throw new ArgumentException($"The last layer must be Dense({classCount}) — one unit per class — but it is {Describe(Layers[^1])}.");
        var outputActivation = LayerArguments.Activation(output.Activation, $"the output layer ({Layers.Count - 1})");
        if (outputActivation is not (Keras.ActivationKind.Softmax or Keras.ActivationKind.Linear))
            throw new ArgumentException($"The output layer's activation must be softmax (or linear logits), not '{output.Activation}'.");

        var built = new List<BuiltLayer>();
        var names = new Dictionary<string, int>();
        long[] shape = inputShape;
        try
        {
            for (int i = 0; i < Layers.Count; i++)
            {
                var layer = Layers[i] ?? throw new ArgumentException($"Layer {i} is empty.");
                string name = layer.Name ?? DefaultName(layer, names);
                var result = layer.Build(shape, new LayerContext(i, name));
                built.Add(result);
                shape = result.OutputShape;
            }
        }
        catch
        {
            foreach (var layer in built) { layer.Core?.Dispose(); layer.Border?.Dispose(); }
            throw;
        }
        return new Network(built, inputShape);
    }

    /// <summary>
    /// The specification a trained network is saved with: a MobileNetV2 layer gets the width it was built with and
    /// no weights file — its weights are in the model file, which then loads without the backbone file.
    /// </summary>
    internal NetworkSpec AsBuilt(Network network) => this with
    {
        Layers = Layers.Select((layer, i) => layer is MobileNetV2Layer mobile && network.Layers[i].Core is Transfer.MobileNetV2Features built
            ? mobile with { Alpha = built.Alpha, Weights = null }
            : layer).ToList(),
    };

    private static string Describe(LayerSpec layer) => layer is DenseLayer d ? $"Dense({d.Units})" : layer.TypeName;

    /// <summary>Keras' automatic names: dense, dense_1, conv2d, max_pooling2d, ….</summary>
    private static string DefaultName(LayerSpec layer, Dictionary<string, int> used)
    {
        string stem = layer switch
        {
            DenseLayer => "dense",
            Conv2DLayer => "conv2d",
            MaxPool2DLayer => "max_pooling2d",
            AvgPool2DLayer => "average_pooling2d",
            GlobalAveragePooling2DLayer => "global_average_pooling2d",
            BatchNormalizationLayer => "batch_normalization",
            DropoutLayer => "dropout",
            FlattenLayer => "flatten",
            MobileNetV2Layer => "mobilenetv2",
            _ => "activation",
        };
        used.TryGetValue(stem, out int count);
        used[stem] = count + 1;
        return count == 0 ? stem : $"{stem}_{count}";
    }
}

using System.Text.Json.Serialization;

namespace MnistMl.Trainers.Layers;

/// <summary>
/// One layer of a network specification, in Keras' vocabulary and with Keras' defaults. Specifications are plain
/// data (JSON: an object with "type" and the layer's arguments); NetworkSpec.Build turns them into
/// libtorch modules. Images flow as [channels, height, width] (PyTorch's layout; Keras prints channels last).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(DenseLayer), "Dense")]
[JsonDerivedType(typeof(Conv2DLayer), "Conv2D")]
[JsonDerivedType(typeof(MaxPool2DLayer), "MaxPool2D")]
[JsonDerivedType(typeof(AvgPool2DLayer), "AvgPool2D")]
[JsonDerivedType(typeof(GlobalAveragePooling2DLayer), "GlobalAveragePooling2D")]
[JsonDerivedType(typeof(BatchNormalizationLayer), "BatchNormalization")]
[JsonDerivedType(typeof(DropoutLayer), "Dropout")]
[JsonDerivedType(typeof(FlattenLayer), "Flatten")]
[JsonDerivedType(typeof(ActivationLayer), "Activation")]
[JsonDerivedType(typeof(MobileNetV2Layer), "MobileNetV2")]
public abstract record LayerSpec
{
    /// <summary>Optional display name; defaults to Keras-style names ("dense", "dense_1", …).</summary>
    public string? Name { get; init; }

    /// <summary>The Keras class name ("Dense", "Conv2D", …), also the JSON "type".</summary>
    [JsonIgnore]
    public abstract string TypeName { get; }

    /// <summary>Checks the arguments and the input shape, and creates the layer's modules.</summary>
    internal abstract BuiltLayer Build(long[] inputShape, LayerContext context);
}

/// <summary>What building a layer needs besides its spec: its position and name for error messages.</summary>
internal sealed record LayerContext(int Index, string Name)
{
    public string Describe(string typeName) => $"layer {Index} ({Name}, {typeName})";
}

using MnistMl.Trainers.Layers;

namespace MnistMl.Trainers;

/// <summary>
/// The trainers (ML.NET's mlContext.Trainers / MulticlassClassification.Trainers): a general network trainer and
/// Keras-style shorthands for the common MLP and CNN shapes. The output layer Dense(classes, softmax) is added by
/// the shorthands, with the class count read from the label column.
/// </summary>
public sealed class TrainersCatalog
{
    internal TrainersCatalog() { }

    /// <summary>Trains any network specification (its last layer must be Dense(classes) with softmax or linear activation).</summary>
    public ClassifierTrainer Sequential(NetworkSpec network, TrainingOptions? options = null, string featureColumnName = "Features", string labelColumnName = "Label") =>
        new(network, options, featureColumnName, labelColumnName);

    /// <summary>
    /// A multilayer perceptron on flat features: one Dense layer per entry of <paramref name="hiddenUnits"/>, each with
    /// its activation (one name for all, or one per layer), optional dropout after each, then the softmax output
    /// (seed 000: hidden [600, 200], relu).
    /// </summary>
    public ClassifierTrainer Mlp(int[] hiddenUnits, string[]? activations = null, double dropout = 0, string kernelInitializer = "glorot_uniform",
        TrainingOptions? options = null, string featureColumnName = "Features", string labelColumnName = "Label")
    {
        activations ??= ["relu"];
        if (activations.Length != 1 && activations.Length != hiddenUnits.Length)
            throw new ArgumentException($"Give one activation for all {hiddenUnits.Length} hidden layers or one per layer, not {activations.Length}.", nameof(activations));
        var layers = new List<LayerSpec>();
        for (int i = 0; i < hiddenUnits.Length; i++)
        {
            layers.Add(new DenseLayer(hiddenUnits[i], activations[activations.Length == 1 ? 0 : i]) { KernelInitializer = kernelInitializer });
            if (dropout > 0) layers.Add(new DropoutLayer(dropout));
        }
        return new ClassifierTrainer(new NetworkSpec { Layers = layers }, options, featureColumnName, labelColumnName, appendOutputLayer: true);
    }

    /// <summary>
    /// A convolutional network on images: per entry of <paramref name="filters"/> a block Conv2D(filters, kernel,
    /// activation, padding) → [BatchNormalization] → MaxPool2D(2) → [Dropout]; then Flatten, Dense layers of
    /// <paramref name="denseUnits"/> and the softmax output (seed 001: filters [32], dense [100]).
    /// </summary>
    public ClassifierTrainer Cnn(int[] filters, int[]? denseUnits = null, int kernelSize = 3, string activation = "relu", string padding = "valid",
        bool batchNormalization = false, double dropout = 0, TrainingOptions? options = null, string featureColumnName = "Image", string labelColumnName = "Label")
    {
        var layers = new List<LayerSpec>();
        foreach (var f in filters)
        {
            layers.Add(new Conv2DLayer(f, kernelSize, activation, padding));
            if (batchNormalization) layers.Add(new BatchNormalizationLayer());
            layers.Add(new MaxPool2DLayer());
            if (dropout > 0) layers.Add(new DropoutLayer(dropout));
        }
        layers.Add(new FlattenLayer());
        foreach (var units in denseUnits ?? [100]) layers.Add(new DenseLayer(units, activation));
        return new ClassifierTrainer(new NetworkSpec { Layers = layers }, options, featureColumnName, labelColumnName, appendOutputLayer: true);
    }
}

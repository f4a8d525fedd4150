using Microsoft.ML;
using MnistMl.Trainers.Layers;
using MnistMl.Trainers;

// Catalog extensions live in the root namespace, as ML.NET's live in Microsoft.ML: `using MnistMl;` reaches them all.
namespace MnistMl;

/// <summary>
/// MnistMl's TorchSharp trainers as extensions of ML.NET's <c>ml.MulticlassClassification.Trainers</c>: a general one
/// taking a network specification, and Keras-style shorthands for the common MLP and CNN shapes (their output layer
/// Dense(classes, softmax) gets the class count from the label column). Each reads a key label column and a
/// known-size Single vector feature column and adds Score and PredictedLabel, as ML.NET's own multiclass trainers do.
/// </summary>
public static class TrainersCatalog
{
    /// <summary>Trains any network specification (its last layer must be Dense(classes) with softmax or linear activation).</summary>
    public static ClassifierTrainer Network(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, NetworkSpec network,
        string labelColumnName = "Label", string featureColumnName = "Features", TrainingOptions? options = null) =>
        new(network, options, featureColumnName, labelColumnName);

    /// <summary>
    /// A multilayer perceptron on flat features <c>Vector&lt;Single, n&gt;</c> (images are flattened by its first
    /// layer): one Dense layer per entry of <paramref name="hiddenUnits"/> (default seed 000's [600, 200]), each with
    /// its activation (one name for all, or one per layer), optional dropout after each, then the softmax output.
    /// </summary>
    public static ClassifierTrainer Mlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenUnits = null, string[]? activations = null,
        double dropout = 0, string kernelInitializer = "glorot_uniform", TrainingOptions? options = null)
    {
        hiddenUnits ??= [600, 200];
        activations ??= ["relu"];
        if (activations.Length != 1 && activations.Length != hiddenUnits.Length)
            throw new ArgumentException($"Give one activation for all {hiddenUnits.Length} hidden layers or one per layer, not {activations.Length}.", nameof(activations));
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "The dropout rate must be in [0, 1).");
        var layers = new List<LayerSpec> { new FlattenLayer() };
        for (int i = 0; i < hiddenUnits.Length; i++)
        {
            layers.Add(new DenseLayer(hiddenUnits[i], activations[activations.Length == 1 ? 0 : i]) { KernelInitializer = kernelInitializer });
            if (dropout > 0) layers.Add(new DropoutLayer(dropout));
        }
        return new ClassifierTrainer(new NetworkSpec { Layers = layers }, options, featureColumnName, labelColumnName, appendOutputLayer: true);
    }

    /// <summary>
    /// A convolutional network on images <c>Vector&lt;Single, C, H, W&gt;</c>: per entry of <paramref name="filters"/>
    /// (default seed 001's [32]) a block Conv2D(filters, kernel, activation, padding) → [BatchNormalization] →
    /// MaxPool2D(2) → [Dropout]; then Flatten, Dense layers of <paramref name="denseUnits"/> (default [100]) and the
    /// softmax output.
    /// </summary>
    public static ClassifierTrainer Cnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Image", int[]? filters = null, int[]? denseUnits = null, int kernelSize = 3,
        string activation = "relu", string padding = "valid", bool batchNormalization = false, double dropout = 0, TrainingOptions? options = null)
    {
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "The dropout rate must be in [0, 1).");
        var layers = new List<LayerSpec>();
        foreach (var f in filters ?? [32])
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

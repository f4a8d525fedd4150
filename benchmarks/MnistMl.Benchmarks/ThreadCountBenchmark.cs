using MnistMl.Data;
using MnistMl.Torch;
using MnistMl.Trainers;
using MnistMl.Trainers.Layers;

namespace MnistMl.Benchmarks;

/// <summary>
/// Training throughput (samples/s) of the seeds' MLP and CNN at each intra-op thread count up to the core count,
/// on 12,000 MNIST images, batch 64, Adam: the measurement behind the binding's default thread count.
/// </summary>
internal static class ThreadCountBenchmark
{
    private const int Images = 12000;
    private const int Repeats = 3;

    public static int Run()
    {
        var ml = new MLContext(seed: 1);
        var raw = ml.Data.TakeRows(ml.Data.LoadMnist(DataSplit.Train), Images);
        var images = InMemoryDataView.Materialize(ml.Transforms.ScalePixels("Image").Fit(raw).Transform(raw));
        var flat = InMemoryDataView.Materialize(ml.Transforms.Flatten("Features", "Image").Fit(images).Transform(images));
        var mlp = new NetworkSpec(new DenseLayer(600, "relu"), new DenseLayer(200, "relu"), new DenseLayer(10, "softmax"));
        var cnn = new NetworkSpec(new Conv2DLayer(32, 3, "relu"), new MaxPool2DLayer(), new FlattenLayer(), new DenseLayer(100, "relu"), new DenseLayer(10, "softmax"));
        Console.WriteLine($"libtorch {torch.Version}; {Environment.ProcessorCount} cores; {Images} images, batch 64, Adam; best of {Repeats} epochs");
        Console.WriteLine("model                      threads   samples/s");
        for (int threads = 1; threads <= Environment.ProcessorCount; threads++)
        {
            Report("MLP 784-600-200-10", threads, Measure(mlp, flat, "Features", threads));
            Report("CNN conv32-pool-dense100", threads, Measure(cnn, images, "Image", threads));
        }
        return 0;
    }

    private static double Measure(NetworkSpec spec, IDataView data, string features, int threads)
    {
        var trainer = new ClassifierTrainer(spec, new TrainingOptions { Epochs = Repeats, BatchSize = 64, Seed = 1, Threads = threads }, features);
        using var model = trainer.Fit(data);
        return data.RowCount / model.History.Epochs.Min(e => e.Seconds);
    }

    private static void Report(string model, int threads, double samplesPerSecond) =>
        Console.WriteLine($"{model,-26} {threads,7} {samplesPerSecond,11:N0}");
}

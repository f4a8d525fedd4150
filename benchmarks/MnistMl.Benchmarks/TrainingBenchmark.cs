using System.Diagnostics;
using System.Globalization;
using MnistMl.Data;
using MnistMl.Torch;
using MnistMl.Trainers;
using MnistMl.Trainers.Layers;

namespace MnistMl.Benchmarks;

/// <summary>
/// Training throughput (samples/s, best of three one-epoch runs) of MnistMl's trainer on the 60,000 MNIST training
/// images — batch 64, Adam 1e-3, shuffled, one libtorch thread — for the MLP 784-600-200-10 and seed 001's CNN,
/// next to the same models in PyTorch on the same machine (benchmarks/train_reference.py), as the ratio MnistMl/PyTorch.
/// </summary>
internal static class TrainingBenchmark
{
    private const int Threads = 1;
    private const int Repeats = 3;

    public static int Run()
    {
        var ml = new MLContext(seed: 1);
        var raw = ml.Data.LoadMnist(DataSplit.Train);
        var images = InMemoryDataView.Materialize(ml.Transforms.ScalePixels("Image").Fit(raw).Transform(raw));
        var flat = InMemoryDataView.Materialize(ml.Transforms.Flatten("Features", "Image").Fit(images).Transform(images));
        var results = new List<(string Name, double Rate)>
        {
            ("mlp 784-600-200-10", Measure(new NetworkSpec(new DenseLayer(600, "relu"), new DenseLayer(200, "relu"), new DenseLayer(10, "softmax")), flat, "Features")),
            ("cnn seed 001", Measure(new NetworkSpec(new Conv2DLayer(32, 3, "relu"), new MaxPool2DLayer(), new FlattenLayer(), new DenseLayer(100, "relu"), new DenseLayer(10, "softmax")), images, "Image")),
        };
        var peers = Python.Run("train_reference.py", Threads.ToString(CultureInfo.InvariantCulture));
        Console.WriteLine($"60,000 MNIST images, batch 64, Adam, {Threads} libtorch thread; best of {Repeats} epochs; libtorch {torch.Version}");
        Console.WriteLine($"{"model",-22} {"MnistMl samples/s",18} {"PyTorch samples/s",18} {"MnistMl/PyTorch",16}");
        foreach (var (name, rate) in results)
        {
            bool known = peers.TryGetValue(name, out var peer);
            Console.WriteLine($"{name,-22} {rate,18:N0} {(known ? peer.ToString("N0", CultureInfo.InvariantCulture) : "-"),18} {(known ? (rate / peer).ToString("F2", CultureInfo.InvariantCulture) : "-"),16}");
        }
        return 0;
    }

    private static double Measure(NetworkSpec spec, IDataView data, string features)
    {
        double best = 0;
        for (int r = 0; r < Repeats; r++)
        {
            var trainer = new ClassifierTrainer(spec, new TrainingOptions { Epochs = 1, BatchSize = 64, Seed = 1, Threads = Threads, Optimizer = new OptimizerSpec("adam", 1e-3) }, features);
            var clock = Stopwatch.StartNew();
            using var model = trainer.Fit(data);
            best = Math.Max(best, data.RowCount / model.History.Epochs[0].Seconds);
        }
        return best;
    }
}

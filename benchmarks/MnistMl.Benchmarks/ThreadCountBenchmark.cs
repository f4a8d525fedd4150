using System.Diagnostics;
using MnistMl.Data;
using MnistMl.Torch;
using MnistMl.Torch.NN;
using MnistMl.Torch.Optim;
using MnistMl.Training;

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
        var data = LabeledImages.LoadMnist(train: true).Range(0, Images);
        using var labels = data.LabelIndices();
        using var flat = data.ScaledPixels(flat: true);
        using var images = data.ScaledPixels(flat: false);
        Console.WriteLine($"libtorch {torch.Version}; {Environment.ProcessorCount} cores; {Images} images, batch 64, Adam; best of {Repeats} epochs");
        Console.WriteLine("model                      threads   samples/s");
        for (int threads = 1; threads <= Environment.ProcessorCount; threads++)
        {
            torch.NumThreads = threads;
            Report("MLP 784-600-200-10", threads, Measure(Mlp, flat, labels));
            Report("CNN conv32-pool-dense100", threads, Measure(Cnn, images, labels));
        }
        return 0;
    }

    private static Module Mlp() => new Sequential(
        new Linear(784, 600), new Activation("relu"), new Linear(600, 200), new Activation("relu"), new Linear(200, 10));

    private static Module Cnn() => new Sequential(
        new Conv2d(1, 32, (3, 3)), new Activation("relu"), new MaxPool2d((2, 2)), new Flatten(),
        new Linear(32 * 13 * 13, 100), new Activation("relu"), new Linear(100, 10));

    private static double Measure(Func<Module> build, Tensor x, Tensor y)
    {
        torch.ManualSeed(1);
        using var model = build();
        using var optimizer = new Adam(model.Parameters());
        double best = 0;
        for (int r = 0; r < Repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            SupervisedLoop.TrainEpoch(model, optimizer, x, y, batchSize: 64);
            best = Math.Max(best, Images / clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static void Report(string model, int threads, double samplesPerSecond) =>
        Console.WriteLine($"{model,-26} {threads,7} {samplesPerSecond,11:N0}");
}

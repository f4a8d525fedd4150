using System.Diagnostics;
using MnistMl.Data;
using MnistMl.Features;

namespace MnistMl.Benchmarks;

/// <summary>
/// HOG throughput (images/s) over all 70,000 MNIST images (train then test, 0-255 floats), on one thread and on all
/// cores, for the seed's parameters (8 orientations, 4×4-pixel cells, 1×1-cell blocks, L2-Hys: 392 features) and
/// skimage's defaults (9, 8×8, 3×3, L2-Hys). benchmarks/hog_skimage.py measures skimage.feature.hog on the same images.
/// </summary>
internal static class HogBenchmark
{
    private const int Repeats = 3;

    private static readonly (string Name, HogOptions Options)[] Settings =
    [
        ("seed 8/4x4/1x1 L2-Hys", new HogOptions { Orientations = 8, PixelsPerCell = (4, 4), CellsPerBlock = (1, 1) }),
        ("skimage default 9/8x8/3x3", new HogOptions()),
    ];

    public static int Run()
    {
        var train = LabeledImages.LoadMnist(train: true);
        var test = LabeledImages.LoadMnist(train: false);
        var pixels = train.Pixels.Concat(test.Pixels).Select(b => (float)b).ToArray();
        int count = train.Count + test.Count;
        Console.WriteLine($"{count} MNIST images; {Environment.ProcessorCount} cores; best of {Repeats} passes");
        Console.WriteLine("parameters                   features   1 thread images/s   all cores images/s");
        foreach (var (name, options) in Settings)
        {
            var descriptor = new HogDescriptor(options, train.Height, train.Width);
            var features = new float[count * descriptor.FeatureLength];
            double single = Measure(descriptor, pixels, features, count, maxDegreeOfParallelism: 1);
            double parallel = Measure(descriptor, pixels, features, count, maxDegreeOfParallelism: -1);
            Console.WriteLine($"{name,-28} {descriptor.FeatureLength,8} {single,19:N0} {parallel,20:N0}");
        }
        return 0;
    }

    private static double Measure(HogDescriptor descriptor, float[] pixels, float[] features, int count, int maxDegreeOfParallelism)
    {
        double best = 0;
        for (int r = 0; r < Repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            descriptor.ComputeBatch(pixels, features, maxDegreeOfParallelism);
            best = Math.Max(best, count / clock.Elapsed.TotalSeconds);
        }
        return best;
    }
}

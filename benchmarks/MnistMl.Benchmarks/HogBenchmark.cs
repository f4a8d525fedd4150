using System.Diagnostics;
using MnistMl.Data;
using MnistMl.Features;

namespace MnistMl.Benchmarks;

/// <summary>
/// HOG throughput (images/s) of <see cref="HogDescriptor"/> over all 70,000 MNIST images (train then test, 0–255
/// floats) for the seed's parameters (8 orientations, 4×4-pixel cells, 1×1-cell blocks, L2-Hys: 392 features) and
/// skimage's defaults (9, 8×8, 3×3, L2-Hys). Used by <see cref="DataPipelineBenchmark"/>.
/// </summary>
internal static class HogBenchmark
{
    private const int Repeats = 3;

    /// <summary>The parameter sets measured, named as benchmarks/data_reference.py names them.</summary>
    public static readonly (string Name, HogOptions Options)[] Settings =
    [
        ("hog seed 8/4x4/1x1", new HogOptions { Orientations = 8, PixelsPerCell = (4, 4), CellsPerBlock = (1, 1) }),
        ("hog skimage default 9/8x8/3x3", new HogOptions()),
    ];

    /// <summary>Every MNIST image (train then test) as bytes, with its label.</summary>
    public static readonly Lazy<(byte[] Pixels, byte[] Labels)> AllMnist = new(() =>
    {
        string mnist = DataSetLocation.MnistDirectory();
        IdxArray Read(string name) => IdxFile.Read(Path.Combine(mnist, name));
        return ([.. Read("train-images-idx3-ubyte").Data, .. Read("t10k-images-idx3-ubyte").Data], [.. Read("train-labels-idx1-ubyte").Data, .. Read("t10k-labels-idx1-ubyte").Data]);
    });

    private static readonly Lazy<float[]> Pixels = new(() => AllMnist.Value.Pixels.Select(b => (float)b).ToArray());

    /// <summary>Best-of-three images/s of HogDescriptor.ComputeBatch with the given parallelism (-1: all cores).</summary>
    public static double Measure(HogOptions options, int maxDegreeOfParallelism)
    {
        var pixels = Pixels.Value;
        int count = pixels.Length / (28 * 28);
        var descriptor = new HogDescriptor(options, 28, 28);
        var features = new float[count * descriptor.FeatureLength];
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

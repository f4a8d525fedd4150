using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;
using MnistMl.Features;
using MnistMl.Transforms;

namespace MnistMl.Benchmarks;

/// <summary>
/// Data-pipeline throughput on all 70,000 MNIST images, next to Python on the same machine
/// (benchmarks/data_reference.py: numpy for loading + scaling, scikit-image for HOG), as ratios:
/// loading both IDX files and scaling to float through the pipeline; HOG through the pipeline's transform
/// and through <see cref="HogDescriptor"/> directly, on one thread and on all cores.
/// </summary>
internal static class DataPipelineBenchmark
{
    private const int Repeats = 3;

    public static int Run()
    {
        var measured = new List<(string Name, double ImagesPerSecond, string? Peer)>();
        measured.Add(("load+scale (pipeline)", Best(LoadAndScale), "load+scale"));
        foreach (var (name, options) in HogBenchmark.Settings)
        {
            var images = Scaled255();
            measured.Add(($"{name} (pipeline transform, row by row)", Best(() => ReadAll(HogPipeline(images, options), "Features")), name));
            foreach (var (label, threads) in new[] { ("1 thread", 1), ("all cores", -1) })
                measured.Add(($"{name} (HogDescriptor, {label})", HogBenchmark.Measure(options, threads), name));
        }

        var peers = Python.Run("data_reference.py");
        Console.WriteLine($"70,000 MNIST images; {Environment.ProcessorCount} cores; best of {Repeats}");
        Console.WriteLine($"{"measurement",-60} {"images/s",12} {"Python images/s",16} {"ratio",8}");
        foreach (var (name, rate, peer) in measured)
        {
            string python = peer is not null && peers.TryGetValue(peer, out var p) ? p.ToString("N0", CultureInfo.InvariantCulture) : "-";
            string ratio = peer is not null && peers.TryGetValue(peer, out var q) ? (rate / q).ToString("F1", CultureInfo.InvariantCulture) + "×" : "-";
            Console.WriteLine($"{name,-60} {rate,12:N0} {python,16} {ratio,8}");
        }
        return 0;
    }

    private static long LoadAndScale()
    {
        var context = new MLContext(seed: 1);
        long rows = 0;
        foreach (var split in new[] { DataSplit.Train, DataSplit.Test })
        {
            var data = context.Data.LoadMnist(split);
            var scaled = context.Transforms.ScalePixels("Image").Fit(data).Transform(data);
            rows += ReadAll(scaled, "Image");
        }
        return rows;
    }

    /// <summary>Both splits, as float pixels 0–255 (what skimage is given).</summary>
    private static IDataView Scaled255()
    {
        var context = new MLContext(seed: 1);
        var (pixels, labels) = HogBenchmark.AllMnist.Value;
        var all = context.Data.LoadImages(pixels, labels.Select(l => (int)l).ToArray(), (1, 28, 28));
        return context.Transforms.ScalePixels("Image", factor: 1).Fit(all).Transform(all);
    }

    private static IDataView HogPipeline(IDataView images, HogOptions options)
    {
        var context = new MLContext(seed: 1);
        return context.Transforms.ExtractHogFeatures("Features", "Image", options).Fit(images).Transform(images);
    }

    private static long ReadAll(IDataView data, string column)
    {
        long rows = 0;
        var col = data.Schema[column];
        using var cursor = data.GetRowCursor([col]);
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows++;
        }
        return rows;
    }

    private static double Best(Func<long> pass)
    {
        double best = 0;
        for (int r = 0; r < Repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            long rows = pass();
            best = Math.Max(best, rows / clock.Elapsed.TotalSeconds);
        }
        return best;
    }

}

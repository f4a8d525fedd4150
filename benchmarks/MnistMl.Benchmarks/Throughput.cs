using System.Diagnostics;

namespace MnistMl.Benchmarks;

/// <summary>Images per second of a pass over a fixed set of images, the best of three passes.</summary>
internal static class Throughput
{
    public static double BestOf3(int images, Action pass)
    {
        double best = 0;
        for (int r = 0; r < 3; r++)
        {
            var clock = Stopwatch.StartNew();
            pass();
            best = Math.Max(best, images / clock.Elapsed.TotalSeconds);
        }
        return best;
    }
}

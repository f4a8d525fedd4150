using System.Diagnostics;

namespace MnistMl.OnnxRuntime.Tests;

/// <summary>Run releases every OrtValue it creates: resident memory stays flat over 100,000 calls.</summary>
[TestClass]
public sealed class MemoryTests
{
    public TestContext TestContext { get; set; } = null!;

    private const int Calls = 100_000;
    private const int WarmUp = 10_000;
    private const long AllowedGrowthKiB = 4 * 1024;

    [TestMethod]
    public void HundredThousandRunsDoNotGrowResidentMemory()
    {
        using var session = new InferenceSession(TestModels.AddMul, new SessionOptions { IntraOpNumThreads = 1 });
        var a = new float[] { 1, 2, 3, 4, 5, 6 };
        var b = new float[] { 0.5f, 0.5f, 0.5f, 2, 2, 2 };
        var inputs = new Dictionary<string, OnnxTensor> { ["a"] = OnnxTensor.FromArray(a, 2, 3), ["b"] = OnnxTensor.FromArray(b, 2, 3) };
        string[] fetch = ["sum", "product"];

        long residentAtWarmUp = 0;
        var clock = Stopwatch.StartNew();
        for (var call = 1; call <= Calls; call++)
        {
            var outputs = session.Run(inputs, fetch);
            if (call % 10_000 == 0)
            {
                Assert.AreEqual(12f, outputs["product"].GetData<float>()[5]);
                Assert.AreEqual(8f, outputs["sum"].GetData<float>()[5]);
            }
            if (call == WarmUp) residentAtWarmUp = ResidentKiB();
        }
        var residentAtEnd = ResidentKiB();
        TestContext.WriteLine($"{Calls} runs in {clock.Elapsed.TotalSeconds:F1} s; VmRSS {residentAtWarmUp} KiB at call {WarmUp}, {residentAtEnd} KiB at call {Calls}");
        Assert.IsLessThanOrEqualTo(AllowedGrowthKiB, residentAtEnd - residentAtWarmUp,
            $"VmRSS grew from {residentAtWarmUp} KiB to {residentAtEnd} KiB between call {WarmUp} and call {Calls}.");
    }

    /// <summary>
    /// VmRSS of this process, in KiB, after a full garbage collection that also hands the GC's free memory back to the
    /// system (Aggressive): otherwise the GC's growing generation-0 budget alone adds several MiB over the loop.
    /// </summary>
    private static long ResidentKiB()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]);
    }
}

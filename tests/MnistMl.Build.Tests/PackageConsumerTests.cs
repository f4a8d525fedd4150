using System.IO.Compression;
using static MnistMl.Build.Tests.BuildTools;

namespace MnistMl.Build.Tests;

/// <summary>
/// src/MnistMl packed into a local feed, and an app that only has a PackageReference to it: the package's
/// buildTransitive targets must make TorchSharp load without any Import. The package gets a version of its own
/// for each run (so the NuGet cache never serves an older one), which is removed from the cache afterwards.
/// src/MnistMl is built into the temporary folder, not into its own bin/ and obj/.
/// </summary>
[TestClass]
public sealed class PackageConsumerTests
{
    private static string root = "";
    private static string feed = "";
    private static string version = "";
    private static string project = "";
    private static Result build = new(-1, "");

    private static string OutputDirectory => Path.Combine(project, "bin", Configuration, TargetFramework);

    [ClassInitialize]
    public static void PackAndBuildConsumer(TestContext context)
    {
        root = TempDirectory("package");
        feed = Path.Combine(root, "feed");
        version = $"0.0.0-buildtest.{DateTime.UtcNow:yyyyMMddHHmmssfff}.{Environment.ProcessId}";
        var source = Path.Combine(RepositoryRoot, "src", "MnistMl.Legacy", "MnistMl.Legacy.csproj");
        var pack = Path.Combine(root, "pack");
        // A plain restore (the solution's own, usually a no-op), then a pack that compiles elsewhere.
        BuildOrFail(RepositoryRoot, "restore", source);
        BuildOrFail(RepositoryRoot, "pack", source, "-c", Configuration, "--no-restore", "-o", feed, $"-p:Version={version}",
            $"-p:OutputPath={pack}/bin/", $"-p:IntermediateOutputPath={pack}/obj/", $"-p:NuspecOutputPath={pack}/nuspec/");

        project = WriteConsumer(Path.Combine(root, "consumer"), $"""    <PackageReference Include="MnistMl" Version="{version}" />""");
        // The default sources stay (no <clear />): the package's own dependencies come from them.
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="mnistml-build-tests" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        build = BuildOrFail(project, "build", "-c", Configuration);
    }

    [ClassCleanup]
    public static void DeleteFeedAndPackage()
    {
        DeleteDirectory(root);
        if (version.Length == 0) return;
        var cached = Path.Combine(NuGetPackages.Value, "mnistml");
        DeleteDirectory(Path.Combine(cached, version.ToLowerInvariant()));
        if (Directory.Exists(cached) && !Directory.EnumerateFileSystemEntries(cached).Any()) Directory.Delete(cached);
    }

    [TestMethod]
    public void PackageCarriesTheTargetsForBuildAndBuildTransitive()
    {
        using var zip = ZipFile.OpenRead(Path.Combine(feed, $"MnistMl.{version}.nupkg"));
        var expected = File.ReadAllBytes(TargetsFile);
        foreach (var entry in new[] { "buildTransitive/MnistMl.targets", "build/MnistMl.targets" })
        {
            using var stream = zip.GetEntry(entry)?.Open();
            Assert.IsNotNull(stream, $"{entry} is not in the package");
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            CollectionAssert.AreEqual(expected, bytes.ToArray(), entry);
        }
    }

    [TestMethod]
    public void ConsumerLoadsTorchSharpWithoutAnImport()
    {
        Assert.IsFalse(File.ReadAllText(Path.Combine(project, "Consumer.csproj")).Contains("<Import"));
        var run = RunApp(Path.Combine(OutputDirectory, "Consumer.dll"));
        Assert.AreEqual(0, run.ExitCode, run.Output);
        StringAssert.Contains(run.Output, "sum=3");
    }

    [TestMethod]
    public void ConsumerOutputDiffersFromTheCacheOnlyInWeakFlags()
    {
        AssertPatchedForThisMachine(Path.Combine(OutputDirectory, "runtimes", "linux-x64", "native", Library), build.Output);
        Assert.AreEqual(Sha256(LibraryInCachedNupkg()), Sha256(CachedLibrary));
    }
}

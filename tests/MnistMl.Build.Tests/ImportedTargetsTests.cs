using static MnistMl.Build.Tests.BuildTools;

namespace MnistMl.Build.Tests;

/// <summary>
/// An app that imports MnistMl.targets as a project-referencing app does, built once with hard links into the
/// NuGet cache (the case where writing the output copy in place would corrupt the cache), then rebuilt, built
/// with MnistMlPatchLibTorchSharp=false and published.
/// </summary>
[TestClass]
public sealed class ImportedTargetsTests
{
    private static string root = "";
    private static string project = "";
    private static string cacheSha = "";
    private static Result firstBuild = new(-1, "");

    private static string OutputDirectory => Path.Combine(project, "bin", Configuration, TargetFramework);
    private static string OutputLibrary => Path.Combine(OutputDirectory, "runtimes", "linux-x64", "native", Library);
    private static string App => Path.Combine(OutputDirectory, "Consumer.dll");

    private static readonly string[] HardLinks = ["-p:CreateHardLinksForCopyLocalIfPossible=true", "-p:CreateHardLinksForPublishFilesIfPossible=true"];

    [ClassInitialize]
    public static void BuildConsumer(TestContext context)
    {
        cacheSha = Sha256(LibraryInCachedNupkg());
        Assert.AreEqual(cacheSha, Sha256(CachedLibrary), "the NuGet cache's libLibTorchSharp.so differs from its .nupkg before any test build");
        root = TempDirectory("import");
        project = WriteConsumer(Path.Combine(root, "consumer"), $"""
                <PackageReference Include="TorchSharp" Version="{PackageVersion("TorchSharp")}" />
                <PackageReference Include="libtorch-cpu-linux-x64" Version="{PackageVersion("libtorch-cpu-linux-x64")}" />
            """, $"""  <Import Project="{TargetsFile}" />""");
        firstBuild = BuildOrFail(project, "build", ["-c", Configuration, .. HardLinks]);
    }

    [ClassCleanup]
    public static void DeleteConsumer() => DeleteDirectory(root);

    [TestMethod]
    public void BuildOutputLoadsTorchSharp()
    {
        var run = RunApp(App);
        Assert.AreEqual(0, run.ExitCode, run.Output);
        StringAssert.Contains(run.Output, "sum=3");
    }

    [TestMethod]
    public void BuildOutputDiffersFromTheCacheOnlyInWeakFlags()
    {
        AssertPatchedForThisMachine(OutputLibrary, firstBuild.Output);
        if (MissingOnThisMachine(ElfVersions.Read(CachedLibrary)).Count > 0)
            StringAssert.Contains(firstBuild.Output, "MnistMl: marked ");
    }

    [TestMethod]
    public void NuGetCacheIsUntouched()
    {
        Assert.AreEqual(cacheSha, Sha256(CachedLibrary));
        Assert.AreEqual(cacheSha, Sha256(LibraryInCachedNupkg()));
    }

    [TestMethod]
    public void SecondBuildWritesNothing()
    {
        byte[] before = File.ReadAllBytes(OutputLibrary);
        var writeTime = File.GetLastWriteTimeUtc(OutputLibrary);
        var second = BuildOrFail(project, "build", ["-c", Configuration, "--no-restore", "-v:d", .. HardLinks]);
        StringAssert.Contains(second.Output, "needs no libstdc++ version patch");
        Assert.IsFalse(second.Output.Contains("MnistMl: marked "), "the second build patched again");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(OutputLibrary));
        Assert.AreEqual(writeTime, File.GetLastWriteTimeUtc(OutputLibrary));
        Assert.AreEqual(0, Directory.GetFiles(Path.GetDirectoryName(OutputLibrary)!, "*.tmp").Length);
        Assert.AreEqual(cacheSha, Sha256(CachedLibrary));
    }

    [TestMethod]
    public void PatchFalseLeavesTheLibraryAsShipped()
    {
        try
        {
            // Over the patched output of the first build: the patched copy must not survive.
            BuildOrFail(project, "build", ["-c", Configuration, "--no-restore", "-p:MnistMlPatchLibTorchSharp=false", .. HardLinks]);
            Assert.AreEqual(cacheSha, Sha256(OutputLibrary));
            var missing = MissingOnThisMachine(ElfVersions.Read(CachedLibrary));
            var run = RunApp(App, "dlopen");
            if (missing.Count > 0)
            {
                Assert.AreNotEqual(0, run.ExitCode, run.Output);
                StringAssert.Contains(run.Output, "dlopen failed");
                Assert.IsTrue(missing.Any(run.Output.Contains), $"dlopen's error names none of {string.Join(", ", missing)}:\n{run.Output}");
            }
            else Assert.AreEqual(0, run.ExitCode, run.Output);
        }
        finally
        {
            // Back to the default for the other tests.
            var again = BuildOrFail(project, "build", ["-c", Configuration, "--no-restore", .. HardLinks]);
            AssertPatchedForThisMachine(OutputLibrary, again.Output);
        }
        Assert.AreEqual(cacheSha, Sha256(CachedLibrary));
    }

    [TestMethod]
    public void PublishOutputIsPatched()
    {
        var publishDirectory = Path.Combine(root, "publish");
        var publish = BuildOrFail(project, "publish", ["-c", Configuration, "--no-restore", "-o", publishDirectory, .. HardLinks]);
        AssertPatchedForThisMachine(Path.Combine(publishDirectory, "runtimes", "linux-x64", "native", Library), publish.Output);
        var run = RunApp(Path.Combine(publishDirectory, "Consumer.dll"));
        Assert.AreEqual(0, run.ExitCode, run.Output);
        StringAssert.Contains(run.Output, "sum=3");
        Assert.AreEqual(cacheSha, Sha256(CachedLibrary));
    }

    [TestMethod]
    public void AnUnknownPropertyValueIsAnError()
    {
        var build = TryBuild(project, "build", "-c", Configuration, "--no-restore", "-p:MnistMlPatchLibTorchSharp=maybe");
        Assert.AreNotEqual(0, build.ExitCode, build.Output);
        StringAssert.Contains(build.Output, "MnistMlPatchLibTorchSharp must be auto, true or false, not 'maybe'");
    }

    [TestMethod]
    public void AFileThatCannotBePatchedIsABuildErrorNamingIt()
    {
        var bogus = Path.Combine(OutputDirectory, "not-elf", Library);
        Directory.CreateDirectory(Path.GetDirectoryName(bogus)!);
        File.WriteAllText(bogus, "not a shared library");
        try
        {
            var build = TryBuild(project, "build", ["-c", Configuration, "--no-restore", .. HardLinks]);
            Assert.AreNotEqual(0, build.ExitCode, build.Output);
            StringAssert.Contains(build.Output, $"error : MnistMl: cannot patch the libstdc++ version needs of '{bogus}': not an ELF file");
        }
        finally
        {
            DeleteDirectory(Path.GetDirectoryName(bogus));
        }
    }
}

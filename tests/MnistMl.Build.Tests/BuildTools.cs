using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace MnistMl.Build.Tests;

/// <summary>The repository, the NuGet cache, dotnet runs and the consumer projects the tests build.</summary>
internal static class BuildTools
{
    public const string Library = "libLibTorchSharp.so";

    /// <summary>The repository root, found by walking up to MnistMl.sln.</summary>
    public static readonly string RepositoryRoot = FindRepositoryRoot();

    public static string TargetsFile => Path.Combine(RepositoryRoot, "src", "MnistMl.TorchSharp", "buildTransitive", "MnistMl.TorchSharp.targets");

    /// <summary>The test assembly's own target framework ("net10.0"), used for the consumer projects.</summary>
    public static readonly string TargetFramework =
        "net" + new FrameworkName(typeof(BuildTools).Assembly.GetCustomAttributes(typeof(TargetFrameworkAttribute), false).Cast<TargetFrameworkAttribute>().Single().FrameworkName).Version.ToString(2);

    /// <summary>The configuration these tests were built in (Release or Debug).</summary>
    public static readonly string Configuration =
        typeof(BuildTools).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .Cast<System.Reflection.AssemblyConfigurationAttribute>().Select(a => a.Configuration).FirstOrDefault() ?? "Release";

    /// <summary>A version from Directory.Packages.props.</summary>
    public static string PackageVersion(string id) =>
        XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(e => string.Equals((string?)e.Attribute("Include"), id, StringComparison.OrdinalIgnoreCase)).Attribute("Version")!.Value;

    public static readonly Lazy<string> NuGetPackages = new(() =>
    {
        var configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (!string.IsNullOrEmpty(configured)) return Path.GetFullPath(configured);
        var result = Dotnet(RepositoryRoot, "nuget", "locals", "global-packages", "--list");
        Assert.AreEqual(0, result.ExitCode, result.Output);
        var line = result.Output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("global-packages:", StringComparison.Ordinal));
        return Path.GetFullPath(line["global-packages:".Length..].Trim());
    });

    /// <summary>TorchSharp's libLibTorchSharp.so in the NuGet cache, and its bytes in the cached .nupkg.</summary>
    public static string CachedLibrary
    {
        get
        {
            var version = PackageVersion("TorchSharp");
            return Path.Combine(NuGetPackages.Value, "torchsharp", version.ToLowerInvariant(), "runtimes", "linux-x64", "native", Library);
        }
    }

    public static byte[] LibraryInCachedNupkg()
    {
        var version = PackageVersion("TorchSharp").ToLowerInvariant();
        using var zip = ZipFile.OpenRead(Path.Combine(NuGetPackages.Value, "torchsharp", version, $"torchsharp.{version}.nupkg"));
        using var stream = zip.GetEntry($"runtimes/linux-x64/native/{Library}")!.Open();
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    public static string Sha256(string path) => Sha256(File.ReadAllBytes(path));

    /// <summary>
    /// The version names this machine's libstdc++.so.6 defines, found as the targets find it: the one this process
    /// has loaded (dotnet links it), else the usual library directories; null when there is none.
    /// </summary>
    public static readonly Lazy<HashSet<string>?> MachineLibStdCxxVersions = new(() =>
    {
        var candidates = new List<string>();
        if (File.Exists("/proc/self/maps"))
            candidates.AddRange(File.ReadAllLines("/proc/self/maps").Select(l => l.IndexOf('/') is var i and >= 0 ? l[i..].Trim() : "")
                .Where(p => Path.GetFileName(p).StartsWith("libstdc++.so.6", StringComparison.Ordinal)));
        candidates.AddRange(new[] { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib" }.Select(d => Path.Combine(d, "libstdc++.so.6")));
        foreach (var candidate in candidates.Where(File.Exists))
        {
            var names = ElfVersions.Read(candidate).Definitions();
            if (names.Count > 0) return names;
        }
        return null;
    });

    /// <summary>The libstdc++ versions the library needs that this machine's libstdc++ does not define.</summary>
    public static IReadOnlyList<string> MissingOnThisMachine(ElfVersions library)
    {
        var defined = MachineLibStdCxxVersions.Value;
        if (defined is null) return [];
        return library.Needs().Where(n => n.IsLibStdCxx && !defined.Contains(n.Name)).Select(n => n.Name).ToList();
    }

    public sealed record Result(int ExitCode, string Output);

    /// <summary>
    /// Runs dotnet with a clean MSBuild environment (the test host's MSBuild variables and an inherited
    /// MnistMlPatchLibTorchSharp would leak into the build) and without long-lived build servers, which would
    /// keep the output pipes open after the command ended.
    /// </summary>
    public static Result Dotnet(string workingDirectory, params string[] arguments) => Dotnet(workingDirectory, TimeSpan.FromMinutes(5), arguments);

    /// <summary>As <see cref="Dotnet(string, string[])"/>, failing the test after <paramref name="limit"/>.</summary>
    public static Result Dotnet(string workingDirectory, TimeSpan limit, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var key in start.Environment.Keys.ToList())
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key.Equals("MnistMlPatchLibTorchSharp", StringComparison.OrdinalIgnoreCase))
                start.Environment.Remove(key);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', arguments)} ran for more than {limit.TotalMinutes:F0} minutes:\n{output}");
        }
        process.WaitForExit();
        lock (output) return new Result(process.ExitCode, output.ToString());
    }

    /// <summary>dotnet build/publish/pack with the options every test build uses.</summary>
    public static Result TryBuild(string workingDirectory, string verb, params string[] arguments) =>
        Dotnet(workingDirectory, [verb, .. arguments, "-nodeReuse:false", "-tl:off", "-p:UseSharedCompilation=false"]);

    public static Result BuildOrFail(string workingDirectory, string verb, params string[] arguments)
    {
        var result = TryBuild(workingDirectory, verb, arguments);
        Assert.AreEqual(0, result.ExitCode, $"dotnet {verb} failed:\n{result.Output}");
        return result;
    }

    /// <summary>
    /// A console app in <paramref name="directory"/> that prints torch.ones(3).sum(), or with the argument
    /// "dlopen" only loads libLibTorchSharp.so to report dlopen's own error (TorchSharp's exception leaves it out).
    /// Empty Directory.Build.* files and the repository's global.json keep it apart from whatever surrounds it.
    /// </summary>
    public static string WriteConsumer(string directory, string packageReferences, string extra = "")
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        File.Copy(Path.Combine(RepositoryRoot, "global.json"), Path.Combine(directory, "global.json"), overwrite: true);
        File.WriteAllText(Path.Combine(directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{TargetFramework}</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
            {packageReferences}
              </ItemGroup>
            {extra}
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), """
            using System.Runtime.InteropServices;

            if (args.Length > 0 && args[0] == "dlopen")
            {
                var library = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).OrderBy(p => p.Length).First();
                try
                {
                    NativeLibrary.Load(library);
                    Console.WriteLine("dlopen ok");
                    return 0;
                }
                catch (DllNotFoundException e)
                {
                    Console.WriteLine("dlopen failed: " + e.Message);
                    return 3;
                }
            }
            Console.WriteLine("sum=" + TorchSharp.torch.ones(3).sum().item<float>());
            return 0;
            """);
        return directory;
    }

    /// <summary>Runs a built app (the .dll, through dotnet).</summary>
    public static Result RunApp(string dll, params string[] arguments) => Dotnet(Path.GetDirectoryName(dll)!, [dll, .. arguments]);

    /// <summary>Runs a built app that may take up to <paramref name="limit"/> (one that trains).</summary>
    public static Result RunApp(string dll, TimeSpan limit, params string[] arguments) => Dotnet(Path.GetDirectoryName(dll)!, limit, [dll, .. arguments]);

    /// <summary>
    /// Checks a libLibTorchSharp.so copy against the cached original: same length; every byte that differs lies in
    /// the vna_flags of a libstdc++ version need this machine lacks, which gained exactly the weak bit; every such
    /// version is weak unless the build warned that real relocations need it. Without missing versions, identical.
    /// </summary>
    public static void AssertPatchedForThisMachine(string copy, string buildOutput)
    {
        byte[] original = File.ReadAllBytes(CachedLibrary), patched = File.ReadAllBytes(copy);
        Assert.AreEqual(original.Length, patched.Length, copy);
        var before = new ElfVersions(original);
        var missing = MissingOnThisMachine(before);
        if (missing.Count == 0)
        {
            CollectionAssert.AreEqual(original, patched, $"{copy} should be the cached file as is: this machine's libstdc++ has every version it needs");
            return;
        }
        var after = new ElfVersions(patched).Needs();
        var flagBytes = new HashSet<int>();
        foreach (var (old, now) in before.Needs().Zip(after))
        {
            Assert.AreEqual(old.Name, now.Name);
            if (old.Flags == now.Flags) continue;
            Assert.IsTrue(now.IsLibStdCxx && missing.Contains(now.Name), $"{now.Name} changed but this machine's libstdc++ defines it");
            Assert.AreEqual(old.Flags | ElfVersions.WeakFlag, now.Flags, now.Name);
            flagBytes.Add(now.FlagsOffset);
            flagBytes.Add(now.FlagsOffset + 1);
        }
        for (int i = 0; i < original.Length; i++)
            if (original[i] != patched[i]) Assert.IsTrue(flagBytes.Contains(i), $"{copy} differs at byte {i}, which is no flags field of a weakened version need");
        foreach (var name in missing)
            Assert.IsTrue(after.Single(n => n.Name == name && n.IsLibStdCxx).IsWeak || buildOutput.Contains($"needs {name}"), $"{name} is missing on this machine but not weak in {copy}");
    }

    public static string TempDirectory(string name) => Directory.CreateTempSubdirectory($"mnistml-build-{name}-").FullName;

    public static void DeleteDirectory(string? directory)
    {
        try
        {
            if (directory is not null && Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MnistMl.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("The repository root (MnistMl.sln) was not found above " + AppContext.BaseDirectory);
    }
}

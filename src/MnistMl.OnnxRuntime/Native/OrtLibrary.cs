using System.Runtime.InteropServices;

namespace MnistMl.OnnxRuntime.Native;

/// <summary>Finds and loads libonnxruntime.so.1: the path in <see cref="PathVariable"/>, else the onnxruntime-node package that scripts/setup.sh unpacks.</summary>
internal static class OrtLibrary
{
    /// <summary>Environment variable holding the path of libonnxruntime.so.1; overrides the search.</summary>
    public const string PathVariable = "MNISTML_ONNXRUNTIME_LIBRARY";

    /// <summary>Where scripts/setup.sh puts the library, relative to the repository root.</summary>
    public const string PackagePath = ".cache/npm/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1";

    /// <summary>The library's path: the variable when set, else the first <see cref="PackagePath"/> above the application or the current directory.</summary>
    /// <exception cref="DllNotFoundException">The variable names a missing file, or the search found nothing.</exception>
    public static string Locate() =>
        Locate(Environment.GetEnvironmentVariable(PathVariable), [AppContext.BaseDirectory, Environment.CurrentDirectory]);

    internal static string Locate(string? variable, IEnumerable<string> searchFrom)
    {
        if (!string.IsNullOrWhiteSpace(variable))
        {
            var path = Path.GetFullPath(variable);
            return File.Exists(path)
                ? path
                : throw new DllNotFoundException($"{PathVariable} is set to '{variable}', but there is no file there. Point it at libonnxruntime.so.1 (ONNX Runtime 1.30), or unset it to use the copy that scripts/setup.sh unpacks into {PackagePath}.");
        }

        var searched = new List<string>();
        foreach (var start in searchFrom.Where(s => !string.IsNullOrEmpty(s)).Select(Path.GetFullPath).Distinct())
        {
            searched.Add(start);
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, PackagePath);
                if (File.Exists(candidate)) return candidate;
            }
        }

        throw new DllNotFoundException(
            $"ONNX Runtime (libonnxruntime.so.1) was not found: no {PackagePath} above {string.Join(" or ", searched)}. " +
            $"Run scripts/setup.sh, which unpacks onnxruntime-node@1.30.0 into .cache/npm/, or set {PathVariable} to the library's path.");
    }

    /// <summary>Loads the library at <paramref name="path"/>.</summary>
    /// <exception cref="DllNotFoundException">The file is not a loadable shared library.</exception>
    public static IntPtr Load(string path)
    {
        try
        {
            return NativeLibrary.Load(path);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new DllNotFoundException($"ONNX Runtime at '{path}' could not be loaded ({e.Message}). Set {PathVariable} to a working libonnxruntime.so.1, or run scripts/setup.sh.", e);
        }
    }
}

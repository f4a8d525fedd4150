using System.Security.Cryptography;

namespace MnistMl.OnnxRuntime.Tests;

/// <summary>
/// The committed models are what tests/reference/make_onnx_test_models.py wrote (its recorded SHA-256 hashes);
/// the suite never runs Python.
/// </summary>
[TestClass]
public sealed class ModelFixtureTests
{
    [TestMethod]
    public void CommittedModelsHaveTheHashesTheScriptRecorded()
    {
        var files = System.IO.Directory.GetFiles(TestModels.Directory, "*.onnx").Select(Path.GetFileName).Order().ToArray();
        CollectionAssert.AreEqual(OnnxReference.ModelSha256.Keys.Order().ToArray(), files);
        foreach (var (name, sha256) in OnnxReference.ModelSha256)
            Assert.AreEqual(sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(TestModels.Directory, name)))), name);
    }
}

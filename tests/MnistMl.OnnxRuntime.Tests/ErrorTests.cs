namespace MnistMl.OnnxRuntime.Tests;

/// <summary>Bad models and bad inputs give exceptions that say what is wrong, never a crash.</summary>
[TestClass]
public sealed class ErrorTests
{
    private static Dictionary<string, OnnxTensor> Inputs(params (string Name, OnnxTensor Tensor)[] inputs) =>
        inputs.ToDictionary(p => p.Name, p => p.Tensor);

    [TestMethod]
    public void TruncatedModelFileCarriesOrtMessageAndPath()
    {
        var bytes = File.ReadAllBytes(TestModels.Mlp);
        using var file = new TestModels.TempFile(bytes[..(bytes.Length / 2)]);
        var error = Assert.ThrowsExactly<OnnxRuntimeException>(() => new InferenceSession(file.Path));
        StringAssert.StartsWith(error.Message, $"Loading the ONNX model '{file.Path}' failed: ");
        Assert.Contains("Protobuf parsing failed", error.Message);
        Assert.AreEqual(OnnxRuntimeErrorCode.InvalidProtobuf, error.ErrorCode);
    }

    [TestMethod]
    public void GarbageModelFileCarriesOrtMessageAndPath()
    {
        using var file = new TestModels.TempFile("this is not an ONNX model\n"u8.ToArray());
        var error = Assert.ThrowsExactly<OnnxRuntimeException>(() => new InferenceSession(file.Path));
        Assert.Contains(file.Path, error.Message);
        Assert.AreEqual(OnnxRuntimeErrorCode.InvalidProtobuf, error.ErrorCode);
    }

    [TestMethod]
    public void GarbageModelBytesCarryOrtMessage()
    {
        var error = Assert.ThrowsExactly<OnnxRuntimeException>(() => new InferenceSession(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }));
        Assert.AreEqual("Loading the ONNX model from 5 bytes failed: Failed to load model because protobuf parsing failed.", error.Message);
        Assert.AreEqual(OnnxRuntimeErrorCode.InvalidProtobuf, error.ErrorCode);
        Assert.ThrowsExactly<ArgumentException>(() => new InferenceSession(Array.Empty<byte>()));
    }

    [TestMethod]
    public void MissingModelFileIsFileNotFound()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-model-{Guid.NewGuid():N}.onnx");
        var error = Assert.ThrowsExactly<FileNotFoundException>(() => new InferenceSession(path));
        Assert.AreEqual(path, error.FileName);
    }

    [TestMethod]
    public void UnknownInputNameListsTheKnownOnes()
    {
        using var session = new InferenceSession(TestModels.AddMul);
        var error = Assert.ThrowsExactly<ArgumentException>(() => session.Run(Inputs(
            ("a", OnnxTensor.FromArray(new float[3], 1, 3)), ("c", OnnxTensor.FromArray(new float[3], 1, 3)))));
        StringAssert.StartsWith(error.Message, $"'c' is not an input of the ONNX model '{TestModels.AddMul}'; its inputs are a: Float[N,3], b: Float[N,3].");
    }

    [TestMethod]
    public void MissingInputIsNamed()
    {
        using var session = new InferenceSession(TestModels.AddMul);
        var error = Assert.ThrowsExactly<ArgumentException>(() => session.Run(Inputs(("a", OnnxTensor.FromArray(new float[3], 1, 3)))));
        StringAssert.StartsWith(error.Message, $"Missing input 'b: Float[N,3]' of the ONNX model '{TestModels.AddMul}'.");
    }

    [TestMethod]
    public void WrongElementTypeNamesTheInput()
    {
        using var session = new InferenceSession(TestModels.CastUInt8);
        var error = Assert.ThrowsExactly<ArgumentException>(() => session.Run(Inputs(("pixels", OnnxTensor.FromArray(new float[4], 1, 2, 2)))));
        Assert.Contains("Input 'pixels' expects UInt8 elements", error.Message);
        Assert.Contains("holds Float elements", error.Message);
    }

    [TestMethod]
    [DataRow(new long[] { 2, 3 }, "[2,3]")]
    [DataRow(new long[] { 1, 2, 2 }, "[1,2,2]")]
    [DataRow(new long[] { 8 }, "[8]")]
    public void WrongShapeNamesTheInput(long[] shape, string shown)
    {
        using var session = new InferenceSession(TestModels.Mlp);
        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        var error = Assert.ThrowsExactly<ArgumentException>(() => session.Run(Inputs(("x", OnnxTensor.FromArray(new float[count], shape)))));
        Assert.Contains($"Input 'x' expects shape [N,4]", error.Message);
        Assert.Contains($"the tensor has shape {shown}", error.Message);
    }

    [TestMethod]
    public void MismatchedBatchesAreReportedByOrt()
    {
        // Both inputs are [N,3], but N differs: only ONNX Runtime knows that the two N must agree.
        using var session = new InferenceSession(TestModels.AddMul);
        var error = Assert.ThrowsExactly<OnnxRuntimeException>(() => session.Run(Inputs(
            ("a", OnnxTensor.FromArray(new float[6], 2, 3)), ("b", OnnxTensor.FromArray(new float[9], 3, 3)))));
        StringAssert.StartsWith(error.Message, $"Running the ONNX model '{TestModels.AddMul}' failed: ");
        Assert.IsTrue(error.Message.Length > error.Message.IndexOf("failed: ", StringComparison.Ordinal) + 20, error.Message);
    }

    [TestMethod]
    public void UnknownOrDuplicateOutputNamesAreRejected()
    {
        using var session = new InferenceSession(TestModels.Mlp);
        var inputs = Inputs(("x", OnnxTensor.FromArray(new float[4], 1, 4)));
        var error = Assert.ThrowsExactly<ArgumentException>(() => session.Run(inputs, ["logit"]));
        StringAssert.StartsWith(error.Message, $"'logit' is not an output of the ONNX model '{TestModels.Mlp}'; its outputs are probabilities: Float[N,3], hidden: Float[N,5].");
        Assert.ThrowsExactly<ArgumentException>(() => session.Run(inputs, ["hidden", "hidden"]));
        Assert.ThrowsExactly<ArgumentException>(() => session.Run(inputs, []));
    }
}

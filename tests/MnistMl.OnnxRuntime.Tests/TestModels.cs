namespace MnistMl.OnnxRuntime.Tests;

/// <summary>The models of tests/reference/make_onnx_test_models.py, copied next to the test assembly.</summary>
internal static class TestModels
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Models");

    public static string AddMul => Path.Combine(Directory, "add_mul.onnx");
    public static string Mlp => Path.Combine(Directory, "mlp.onnx");
    public static string CastUInt8 => Path.Combine(Directory, "cast_uint8.onnx");
    public static string Types => Path.Combine(Directory, "types.onnx");

    /// <summary>The first <paramref name="rows"/> rows of a row-major matrix with <paramref name="columns"/> columns.</summary>
    public static T[] Rows<T>(T[] matrix, int rows, int columns) => matrix[..(rows * columns)];

    public static void AreClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        for (var i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], tolerance, $"{what}[{i}]");
    }

    /// <summary>A temporary file holding the given bytes; deleted on dispose.</summary>
    public sealed class TempFile : IDisposable
    {
        public TempFile(byte[] bytes, string extension = ".onnx")
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mnistml-ort-{Guid.NewGuid():N}{extension}");
            File.WriteAllBytes(Path, bytes);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}

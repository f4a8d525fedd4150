using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl.Data;

namespace MnistMl.Tests;

/// <summary>Small data views and readers shared by the tests.</summary>
internal static class TestData
{
    private static readonly Lazy<IDataView> MnistTest = new(() => new MLContext().Data.LoadMnist(DataSplit.Test));

    /// <summary>MNIST's 10,000 test digits (loaded once per test run).</summary>
    public static IDataView MnistTestSet => MnistTest.Value;

    /// <summary>The first <paramref name="count"/> MNIST test digits.</summary>
    public static IDataView MnistTestRows(int count) => new MLContext().Data.TakeRows(MnistTestSet, count);

    /// <summary>Every row's value of a float vector column.</summary>
    public static float[][] Vectors(IDataView data, string column)
    {
        var col = data.Schema[column];
        var rows = new List<float[]>();
        using var cursor = data.GetRowCursor([col]);
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(value.DenseValues().ToArray());
        }
        return [.. rows];
    }

    /// <summary>Every row's raw key value (1-based; 0 = missing).</summary>
    public static uint[] Keys(IDataView data, string column)
    {
        var col = data.Schema[column];
        var rows = new List<uint>();
        using var cursor = data.GetRowCursor([col]);
        var getter = cursor.GetGetter<uint>(col);
        uint value = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(value);
        }
        return [.. rows];
    }

    public static void Near(IReadOnlyList<float> expected, IReadOnlyList<float> actual, double rtol = 1e-5, double atol = 1e-5, string what = "")
    {
        Assert.HasCount(expected.Count, actual, what);
        for (int i = 0; i < expected.Count; i++)
            Assert.IsTrue(Math.Abs(actual[i] - expected[i]) <= rtol * Math.Abs(expected[i]) + atol, $"{what} element {i}: {actual[i]} vs {expected[i]}");
    }
}

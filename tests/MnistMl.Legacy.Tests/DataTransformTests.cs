using MnistMl.Data;
using TorchSharp;
using static TorchSharp.torch;
using MnistMl.Transforms;

namespace MnistMl.Tests;

[TestClass]
public sealed class DataTransformTests
{
    private readonly MLContext context = new(seed: 1);

    private static void Near(double[] expected, Tensor actual, double rtol = 1e-5, double atol = 1e-5)
    {
        using var d = actual.to_type(ScalarType.Float64);
        var values = d.data<double>().ToArray();
        Assert.AreEqual(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.IsTrue(Math.Abs(values[i] - expected[i]) <= rtol * Math.Abs(expected[i]) + atol, $"element {i}: {values[i]} vs {expected[i]}");
    }

    // Inputs mirrored by tests/reference/data_transforms.py.
    private IDataView Table(int rows, Func<int, int, double> value) => context.Data.LoadFromFeatures(
        Enumerable.Range(0, rows * 4).Select(i => (float)value(i / 4, i % 4)).ToArray(), new int[rows], 4);

    private IDataView Train => Table(6, (r, c) => 100 * Math.Sin(0.37 * (r * 4 + c) + 0.5) + 7 * c);
    private IDataView Test => Table(3, (r, c) => 80 * Math.Cos(0.29 * (r * 4 + c)) + 3 * c);

    private static IDataView OneImage(MLContext context) => context.Data.LoadFromImages(
        Enumerable.Range(0, 35).Select(i => (float)(255 * (0.5 + 0.5 * Math.Sin(0.37 * i + 0.11)))).ToArray(), [0], 1, 5, 7);

    private static Tensor Column(IDataView data, string column)
    {
        using var batch = data.GetRows(0, data.RowCount, [column]);
        return batch[column].clone();
    }

    // sklearn MinMaxScaler / StandardScaler fitted on Train, applied to Test (tests/reference/data_transforms.py).
    [TestMethod]
    [DataRow(NormalizationKind.MinMax, NormalizationScope.PerElement, new[] { 0.8991757398540416, 0.8919768282748253, 0.8037736658570278, 0.6966633568175618, 0.6556420605830859, 0.5071154067910775, 0.36143521222772085, 0.2590565215546891, 0.21760312802344522, 0.055749526587715426, 0.008148780096872865, 0.03560230598087227 })]
    [DataRow(NormalizationKind.MeanVariance, NormalizationScope.PerElement, new[] { 0.8556918814320684, 0.704165268698668, 0.5128945516255745, 0.2881677733291035, 0.16172361644256317, -0.2571000676139486, -0.6412302218335556, -0.9719294639103816, -1.0865025793603367, -1.3844730658245457, -1.563005437403882, -1.6153701440015416 })]
    [DataRow(NormalizationKind.MinMax, NormalizationScope.Global, new[] { 0.8125748044562202, 0.8110153740639495, 0.7801352349608996, 0.7236606287555973, 0.5924962113168823, 0.5040717882727578, 0.41196017140211727, 0.32500125005315567, 0.19664545134571237, 0.14408802778231344, 0.1179064812085126, 0.1214346885400403 })]
    [DataRow(NormalizationKind.MeanVariance, NormalizationScope.Global, new[] { 0.6830565216071248, 0.6781810769206356, 0.5816365880776349, 0.40507287602615116, -0.005003049919402902, -0.28145551975912264, -0.5694357305218388, -0.8413064168538514, -1.2426014024396286, -1.4069183304139676, -1.488773014508871, -1.4777423331956243 })]
    public void NormalizersLearnOnTrainingDataAndMatchScikitLearn(NormalizationKind kind, NormalizationScope scope, double[] expected)
    {
        var estimator = kind == NormalizationKind.MinMax
            ? context.Transforms.NormalizeMinMax("Features", scope: scope)
            : context.Transforms.NormalizeMeanVariance("Features", scope: scope);
        var fitted = estimator.Fit(Train);
        Assert.AreEqual(scope == NormalizationScope.Global ? 1 : 4, fitted.Offset.Count);
        using var normalized = Column(fitted.Transform(Test), "Features");
        Near(expected, normalized);
    }

    [TestMethod]
    public void ScalePixelsDividesBy255IntoFloat()
    {
        var data = context.Data.LoadFromImages(new byte[] { 0, 51, 255, 102 }, [0], 1, 2, 2);
        var scaled = context.Transforms.ScalePixels("Image").Fit(data).Transform(data);
        Assert.AreEqual(ColumnType.Image(ScalarType.Float32, 1, 2, 2), scaled.Schema["Image"].Type);
        using var pixels = Column(scaled, "Image");
        Near([0, 0.2, 1, 0.4], pixels, atol: 1e-7);
    }

    [TestMethod]
    public void PadTwentyEightToThirtyTwo()
    {
        var mnist = context.Data.TakeRows(context.Data.LoadMnist(DataSplit.Test), 3);
        var padded = context.Transforms.PadImages("Padded", "Image", padding: 2).Fit(mnist).Transform(mnist);
        Assert.AreEqual(ColumnType.Image(ScalarType.Byte, 1, 32, 32), padded.Schema["Padded"].Type);
        using var batch = padded.GetRows(0, 3);
        using var inner = batch["Padded"].slice(2, 2, 30, 1).slice(3, 2, 30, 1).contiguous();
        CollectionAssert.AreEqual(batch["Image"].data<byte>().ToArray(), inner.data<byte>().ToArray());
        using var total = batch["Padded"].to_type(ScalarType.Int64).sum();
        using var innerTotal = inner.to_type(ScalarType.Int64).sum();
        Assert.AreEqual(innerTotal.ToDouble(), total.ToDouble()); // the border is zero
    }

    // torch.nn.functional.interpolate(mode="bilinear", align_corners=False) (tests/reference/data_transforms.py).
    [TestMethod]
    public void ResizeMatchesPyTorchBilinear()
    {
        var image = OneImage(context);
        var up = context.Transforms.ResizeImages("Image", 9, 4).Fit(image).Transform(image);
        Assert.AreEqual(ColumnType.Image(ScalarType.Float32, 1, 9, 4), up.Schema["Image"].Type);
        using var upPixels = Column(up, "Image");
        Near([158.3267822265625, 226.2816162109375, 254.00881958007812, 229.54074096679688, 160.54348754882812, 179.12899780273438, 176.5062255859375, 153.80722045898438, 164.23802185058594, 100.54129028320312, 47.33522033691406, 27.584712982177734, 106.24748229980469, 92.19645690917969, 92.63298797607422, 107.36866760253906, 32.835716247558594, 101.41233825683594, 181.5478973388672, 238.65414428710938, 154.1895294189453, 164.3018798828125, 159.2628173828125, 141.24725341796875, 224.61248779296875, 191.34530639648438, 131.24375915527344, 70.24891662597656, 91.31239318847656, 75.0045166015625, 80.28883361816406, 104.88451385498047, 11.332391738891602, 5.2000813484191895, 49.71589279174805, 125.66585540771484], upPixels);
        var down = context.Transforms.ResizeImages("Image", 3, 3).Fit(image).Transform(image);
        using var downPixels = Column(down, "Image");
        Near([164.85914611816406, 180.98463439941406, 158.65818786621094, 42.286705017089844, 142.36001586914062, 231.74993896484375, 87.31070709228516, 74.50892639160156, 99.80423736572266], downPixels);
    }

    // (gray → RGB) / 255 then ImageNet's (x − mean) / std, as torchvision (tests/reference/data_transforms.py).
    [TestMethod]
    public void GrayToRgbThenImageNetNormalization()
    {
        var image = OneImage(context);
        var pipeline = context.Transforms.ConvertGrayscaleToRgb("Image")
            .Append(context.Transforms.ScalePixels("Image"))
            .Append(context.Transforms.NormalizeImageNet("Image"));
        var output = pipeline.Fit(image).Transform(image);
        Assert.AreEqual(ColumnType.Image(ScalarType.Float32, 3, 5, 7), output.Schema["Image"].Type);
        using var pixels = Column(output, "Image");
        Near([0.3051927089691162, 1.0737537145614624, 1.7058523893356323, 2.1159372329711914, 2.2485055923461914, 2.0856144428253174, 1.6493107080459595, 0.9986459016799927, 0.2216845005750656, -0.5764155387878418, -1.287635087966919, -1.8157137632369995, -2.0891788005828857, -2.0710177421569824, -1.7636889219284058, -1.2087875604629517, -0.48141708970069885, 0.31997647881507874, 1.086927890777588, 1.7156343460083008, 2.1210029125213623, 2.248169183731079, 2.0799217224121094, 1.6390318870544434, 0.9851723909378052, 0.20683982968330383, -0.5906223058700562, -1.2992808818817139, -1.8232226371765137, -2.091534376144409, -2.067901372909546, -1.7555220127105713, -1.1966756582260132, -0.46699953079223633, 0.3347482681274414, 0.44146937131881714, 1.2271857261657715, 1.8733937740325928, 2.2926323413848877, 2.428159475326538, 2.2616326808929443, 1.8155900239944458, 1.1504013538360596, 0.35609716176986694, -0.4598176181316376, -1.1869125366210938, -1.7267787456512451, -2.006347894668579, -1.9877814054489136, -1.673592448234558, -1.1063050031661987, -0.36269864439964294, 0.4565831422805786, 1.2406539916992188, 1.8833940029144287, 2.2978110313415527, 2.4278156757354736, 2.255812644958496, 1.8050817251205444, 1.136627197265625, 0.3409211337566376, -0.4743414521217346, -1.198818325996399, -1.7344552278518677, -2.008755922317505, -1.9845954179763794, -1.66524338722229, -1.0939228534698486, -0.3479592800140381, 0.47168466448783875, 0.6617295742034912, 1.4439539909362793, 2.087290048599243, 2.5046651363372803, 2.6395905017852783, 2.4738030433654785, 2.029743194580078, 1.3675109148025513, 0.5767368078231812, -0.23555172979831696, -0.9594151973724365, -1.4968819618225098, -1.775208592414856, -1.7567247152328491, -1.443932056427002, -0.8791658878326416, -0.13886438310146332, 0.6767761707305908, 1.4573622941970825, 2.097245693206787, 2.5098206996917725, 2.6392481327056885, 2.4680094718933105, 2.0192816257476807, 1.3537977933883667, 0.5616282224655151, -0.25001102685928345, -0.9712680578231812, -1.5045243501663208, -1.7776060104370117, -1.753552794456482, -1.4356201887130737, -0.8668387532234192, -0.12419051676988602, 0.6918106079101562], pixels);
    }

    [TestMethod]
    public void FlattenAndReshapeBetweenVectorAndImage()
    {
        var mnist = context.Data.TakeRows(context.Data.LoadMnist(DataSplit.Test), 2);
        var flat = context.Transforms.Flatten("Features", "Image").Fit(mnist).Transform(mnist);
        Assert.AreEqual(ColumnType.Vector(ScalarType.Byte, 784), flat.Schema["Features"].Type);
        var back = context.Transforms.Reshape("Back", [1, 28, 28], "Features").Fit(flat).Transform(flat);
        using var batch = back.GetRows(0, 2);
        CollectionAssert.AreEqual(batch["Image"].data<byte>().ToArray(), batch["Back"].data<byte>().ToArray());
        var e = Assert.ThrowsExactly<ArgumentException>(() => context.Transforms.Reshape("X", [10, 10], "Features").GetOutputSchema(flat.Schema));
        StringAssert.Contains(e.Message, "784 elements per row");
    }

    [TestMethod]
    public void MapValueToKeyThenOneHot()
    {
        var schema = new DataViewSchema([new("Digit", ColumnType.Scalar(ScalarType.Int64))]);
        var data = context.Data.LoadFromColumns(schema, new long[] { 7, 3, 7, 9 });
        var pipeline = context.Transforms.Conversion.MapValueToKey("Label", "Digit")
            .Append(context.Transforms.Categorical.OneHotEncoding("OneHot", "Label"));
        var fitted = pipeline.Fit(data);
        var output = fitted.Transform(data);
        Assert.AreEqual(ColumnType.Key(3), output.Schema["Label"].Type);
        CollectionAssert.AreEqual(new[] { "3", "7", "9" }, output.Schema["Label"].KeyValues!.ToArray());
        using var batch = output.GetRows(0, 4);
        CollectionAssert.AreEqual(new[] { 1L, 0L, 1L, 2L }, batch["Label"].data<long>().ToArray());
        CollectionAssert.AreEqual(new[] { 0f, 1f, 0f, 1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f }, batch["OneHot"].data<float>().ToArray());

        var unseen = context.Data.LoadFromColumns(schema, new long[] { 5 });
        using var failing = fitted.Transform(unseen).GetRows(0, 0, ["Digit"]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => fitted.Transform(unseen).GetRows(0, 1, ["Label"]));
        StringAssert.Contains(e.Message, "holds 5, a value not seen when fitting");
    }

    [TestMethod]
    public void ClassNamesCanBeSet()
    {
        var data = context.Data.LoadFromFeatures([1, 2], [0, 1], 1);
        var named = context.Transforms.Conversion.SetClassNames("Label", ["even", "odd"]).Fit(data).Transform(data);
        CollectionAssert.AreEqual(new[] { "even", "odd" }, named.Schema["Label"].KeyValues!.ToArray());
        var e = Assert.ThrowsExactly<ArgumentException>(() => context.Transforms.Conversion.SetClassNames("Label", ["one"]).Fit(data));
        StringAssert.Contains(e.Message, "2 classes but 1 names");
    }

    [TestMethod]
    public void ColumnSelectDropRenameConcatenate()
    {
        var data = context.Data.LoadFromFeatures([1, 2, 3, 4], [0, 1], 2);
        var copied = context.Transforms.CopyColumns("Copy", "Features")
            .Append(context.Transforms.Concatenate("Both", "Features", "Copy"))
            .Append(context.Transforms.RenameColumn("Target", "Label"))
            .Append(context.Transforms.DropColumns("Copy"))
            .Fit(data).Transform(data);
        CollectionAssert.AreEqual(new[] { "Features", "Both", "Target" }, copied.Schema.Select(c => c.Name).ToArray());
        using var batch = copied.GetRows(0, 2);
        CollectionAssert.AreEqual(new[] { 1f, 2f, 1f, 2f, 3f, 4f, 3f, 4f }, batch["Both"].data<float>().ToArray());
        var selected = context.Transforms.SelectColumns("Target").Fit(copied).Transform(copied);
        Assert.AreEqual(1, selected.Schema.Count);
    }

    [TestMethod]
    public void UnknownColumnNamesTheColumnAndListsTheOthers()
    {
        var data = context.Data.LoadFromFeatures([1, 2], [0, 1], 1);
        var e = Assert.ThrowsExactly<ArgumentException>(() => context.Transforms.ScalePixels("Pixels").Fit(data));
        StringAssert.Contains(e.Message, "Unknown column 'Pixels'");
        StringAssert.Contains(e.Message, "Features, Label");
        var notImage = Assert.ThrowsExactly<ArgumentException>(() => context.Transforms.PadImages("Features").Fit(data));
        StringAssert.Contains(notImage.Message, "an image [channels, height, width] is needed");
    }

    [TestMethod]
    public void ChainFitsStatisticsOnTrainingDataAndReusesThem()
    {
        var pipeline = context.Transforms.ScalePixels("Features", factor: 2).Append(context.Transforms.NormalizeMinMax("Features"));
        var fitted = pipeline.Fit(Train);
        var normalizer = (NormalizingTransformer)fitted.Last();
        var offsets = normalizer.Offset.ToArray();
        fitted.Transform(Test).GetRows(0, 3).Dispose();
        CollectionAssert.AreEqual(offsets, normalizer.Offset.ToArray());
        using var trainMin = Column(fitted.Transform(Train), "Features").min();
        Assert.AreEqual(0.0, trainMin.ToDouble(), 1e-6); // min-max maps the training minimum to 0
    }

    [TestMethod]
    public void HogTransformGivesSeed003FeaturesEqualToScikitImage()
    {
        var digits = context.Data.TakeRows(context.Data.LoadMnist(DataSplit.Test), 2);
        var options = new Features.HogOptions { Orientations = 8, PixelsPerCell = (4, 4), CellsPerBlock = (1, 1) };
        var hog = context.Transforms.ExtractHogFeatures("Features", "Image", options).Fit(digits).Transform(digits);
        Assert.AreEqual(ColumnType.Vector(ScalarType.Float32, 392), hog.Schema["Features"].Type);
        using var batch = hog.GetRows(0, 2, ["Features"]);
        // skimage.feature.hog of the first two MNIST test digits (tests/reference/hog_reference.py).
        Near(HogReference.Digit0_O8_Cell4x4_Block1x1_L2Hys, batch["Features"][0], atol: 1e-6);
        Near(HogReference.Digit1_O8_Cell4x4_Block1x1_L2Hys, batch["Features"][1], atol: 1e-6);
        var e = Assert.ThrowsExactly<ArgumentException>(() => context.Transforms.ExtractHogFeatures("F", "Image", new Features.HogOptions()).Fit(
            context.Transforms.ConvertGrayscaleToRgb("Image").Fit(digits).Transform(digits)));
        StringAssert.Contains(e.Message, "an image [1, height, width] is needed");
    }
}

using MnistMl.Features;
using DataType = MnistMl.Onnx.Proto.TensorProto.Types.DataType;

namespace MnistMl.Onnx;

/// <summary>
/// HOG features (<see cref="HogDescriptor"/>, skimage.feature.hog) of single-channel images [N, 1, H, W] as ONNX
/// nodes, the same computation step by step:
/// <list type="number">
/// <item>optionally the square root of every pixel;</item>
/// <item>central differences by Slice and Sub, zero-padded so that the border rows (row gradient) and columns
/// (column gradient) are 0; the pixels beyond the last full cell are cropped;</item>
/// <item>the orientation bin of each pixel without an arc tangent: with the gradient turned into the upper half-plane
/// (u, v), as atan2(g_row, g_col) modulo 180° does, the bin is the number of inner bin edges e with
/// v·cos e − u·sin e ≥ 0 (θ ≥ e), in double, with exact constants at 45°, 90° and 135° so that a gradient lying on an
/// edge lands in the bin starting there, as in skimage;</item>
/// <item>cell histograms: magnitude × one-hot bin, averaged over each cell by AveragePool (the sum over the cell
/// divided by its pixel count);</item>
/// <item>blocks: the cell histograms of every block position gathered as [block row, block column, cell row, cell
/// column, bin] and normalized (L1, L1-sqrt, L2 or L2-Hys with ε = 1e-5).</item>
/// </list>
/// Sums are taken in float by the engine, in another order than the descriptor's: features agree to float rounding.
/// </summary>
internal static class OnnxHogWriter
{
    private const double Epsilon = 1e-5;
    private const double HysteresisClip = 0.2;

    /// <summary>Writes the features [N, length] of the images <paramref name="x"/> of height × width.</summary>
    public static string Write(OnnxGraphBuilder g, HogOptions options, string x, int height, int width, string name)
    {
        options.Validate(height, width);
        var (cellsRows, cellsColumns) = options.CellCounts(height, width);
        var (blocksRows, blocksColumns) = options.BlockCounts(height, width);
        var (cellHeight, cellWidth) = options.PixelsPerCell;
        var (blockHeight, blockWidth) = options.CellsPerBlock;
        int bins = options.Orientations;
        string p = $"{name}/hog";

        if (options.TransformSqrt) x = g.Node("Sqrt", [x], $"{p}_sqrt");

        // Gradients: x[i+1] − x[i−1] inside, 0 on the first and last row (column).
        string Difference(long axis, long size, string stem)
        {
            var next = Slice(g, x, axis, 2, size, $"{p}_{stem}_next");
            var previous = Slice(g, x, axis, 0, size - 2, $"{p}_{stem}_previous");
            var inner = g.Node("Sub", [next, previous], $"{p}_{stem}_inner");
            long[] pads = new long[8];
            pads[axis] = 1;
            pads[4 + axis] = 1;
            return g.Node("Pad", [inner, g.Int64s($"{p}_{stem}_pads", pads)], $"{p}_{stem}", OnnxAttributes.String("mode", "constant"));
        }
        var rowGradient = Difference(2, height, "row_gradient");
        var columnGradient = Difference(3, width, "column_gradient");
        // Only full cells count.
        var gy = Crop(g, rowGradient, cellsRows * cellHeight, cellsColumns * cellWidth, $"{p}_gy");
        var gx = Crop(g, columnGradient, cellsRows * cellHeight, cellsColumns * cellWidth, $"{p}_gx");

        var squares = g.Node("Add", [g.Node("Mul", [gy, gy], $"{p}_gy_squared"), g.Node("Mul", [gx, gx], $"{p}_gx_squared")], $"{p}_squared_magnitude");
        var magnitude = g.Node("Sqrt", [squares], $"{p}_magnitude");

        // The unsigned orientation's half-plane vector (u, v), v ≥ 0: (g_col, g_row) or its opposite; g_row = 0 is 0°.
        var gyDouble = g.Node("Cast", [gy], $"{p}_gy_double", OnnxAttributes.Int("to", (long)DataType.Double));
        var gxDouble = g.Node("Cast", [gx], $"{p}_gx_double", OnnxAttributes.Int("to", (long)DataType.Double));
        var zero = g.Add(OnnxTensors.Double(g.UniqueName($"{p}_zero"), [0.0]));
        var negative = g.Node("Less", [gyDouble, zero], $"{p}_gy_negative");
        var horizontal = g.Node("Equal", [gyDouble, zero], $"{p}_gy_zero");
        var u = g.Node("Where", [negative, g.Node("Neg", [gxDouble], $"{p}_minus_gx"),
            g.Node("Where", [horizontal, g.Node("Abs", [gxDouble], $"{p}_abs_gx"), gxDouble], $"{p}_u_upper")], $"{p}_u");
        var v = g.Node("Abs", [gyDouble], $"{p}_v");

        var cosines = new double[Math.Max(bins - 1, 0)];
        var sines = new double[cosines.Length];
        for (int i = 1; i < bins; i++) (cosines[i - 1], sines[i - 1]) = Direction(180.0 * i / bins);
        string bin;
        if (bins == 1)
        {
            bin = g.Node("Mul", [magnitude, g.Scalar($"{p}_zero_bin", 0f)], $"{p}_bin");
        }
        else
        {
            var cos = g.Add(OnnxTensors.Double(g.UniqueName($"{p}_edge_cos"), cosines, 1, cosines.Length, 1, 1));
            var sin = g.Add(OnnxTensors.Double(g.UniqueName($"{p}_edge_sin"), sines, 1, sines.Length, 1, 1));
            var side = g.Node("Sub", [g.Node("Mul", [v, cos], $"{p}_v_cos"), g.Node("Mul", [u, sin], $"{p}_u_sin")], $"{p}_edge_side");
            var passed = g.Node("Cast", [g.Node("GreaterOrEqual", [side, zero], $"{p}_edge_passed")], $"{p}_edge_passed_float",
                OnnxAttributes.Int("to", (long)DataType.Float));
            bin = g.Node("ReduceSum", [passed, g.Int64s($"{p}_bin_axis", [1])], $"{p}_bin", OnnxAttributes.Int("keepdims", 1));
        }
        var binIndices = g.Floats($"{p}_bin_indices", Enumerable.Range(0, bins).Select(i => (float)i).ToArray(), [1, bins, 1, 1]);
        var oneHot = g.Node("Cast", [g.Node("Equal", [bin, binIndices], $"{p}_one_hot_bool")], $"{p}_one_hot", OnnxAttributes.Int("to", (long)DataType.Float));
        var votes = g.Node("Mul", [oneHot, magnitude], $"{p}_votes");
        var cells = g.Node("AveragePool", [votes], $"{p}_cells",
            OnnxAttributes.Ints("kernel_shape", cellHeight, cellWidth), OnnxAttributes.Ints("strides", cellHeight, cellWidth));
        // [N, cell row, cell column, bin]
        var cellsLast = g.Node("Transpose", [cells], $"{p}_cells_nhwc", OnnxAttributes.Ints("perm", 0, 2, 3, 1));

        // Every block position's cells: [N, block row, block column, cell in block, bin].
        var parts = new List<string>();
        for (int i = 0; i < blockHeight; i++)
        {
            for (int j = 0; j < blockWidth; j++)
            {
                var rows = Slice(g, cellsLast, 1, i, i + blocksRows, $"{p}_block_cells_{i}_{j}_rows");
                var cell = Slice(g, rows, 2, j, j + blocksColumns, $"{p}_block_cells_{i}_{j}");
                parts.Add(g.Node("Unsqueeze", [cell, g.Int64s($"{p}_block_axis", [3])], $"{p}_block_cell_{i}_{j}"));
            }
        }
        var gathered = parts.Count == 1 ? parts[0] : g.Node("Concat", parts, $"{p}_block_cells", OnnxAttributes.Int("axis", 3));
        long blockLength = (long)blockHeight * blockWidth * bins;
        var blocks = g.Node("Reshape", [gathered, g.Int64s($"{p}_block_shape", [0, blocksRows, blocksColumns, blockLength])], $"{p}_blocks");
        var normalized = Normalize(g, blocks, options.BlockNorm, p);
        return g.Node("Reshape", [normalized, g.Int64s($"{p}_feature_shape", [0, -1])], $"{name}/ExtractHogFeatures");
    }

    /// <summary>skimage's block normalizations over the last axis.</summary>
    private static string Normalize(OnnxGraphBuilder g, string block, HogBlockNorm norm, string p)
    {
        var lastAxis = g.Int64s($"{p}_norm_axis", [-1]);
        string Sum(string values, string stem) => g.Node("ReduceSum", [values, lastAxis], $"{p}_{stem}", OnnxAttributes.Int("keepdims", 1));
        switch (norm)
        {
            case HogBlockNorm.L1:
            case HogBlockNorm.L1Sqrt:
            {
                var denominator = g.Node("Add", [Sum(g.Node("Abs", [block], $"{p}_abs"), "l1"), g.Scalar($"{p}_eps", (float)Epsilon)], $"{p}_l1_eps");
                var divided = g.Node("Div", [block, denominator], $"{p}_l1_normalized");
                return norm == HogBlockNorm.L1 ? divided : g.Node("Sqrt", [divided], $"{p}_l1_sqrt");
            }
            case HogBlockNorm.L2:
                return L2(block, "l2");
            case HogBlockNorm.L2Hys:
            {
                var clipped = g.Node("Min", [L2(block, "l2"), g.Scalar($"{p}_hys_clip", (float)HysteresisClip)], $"{p}_hys_clipped");
                return L2(clipped, "hys");
            }
            default:
                throw new NotSupportedException($"ExtractHogFeatures: the block normalization {norm} cannot be exported.");
        }

        string L2(string values, string stem)
        {
            var squares = Sum(g.Node("Mul", [values, values], $"{p}_{stem}_squares"), $"{stem}_sum_squares");
            var root = g.Node("Sqrt", [g.Node("Add", [squares, g.Scalar($"{p}_{stem}_eps2", (float)(Epsilon * Epsilon))], $"{p}_{stem}_eps")], $"{p}_{stem}_norm");
            return g.Node("Div", [values, root], $"{p}_{stem}_normalized");
        }
    }

    /// <summary>cos and sin of an edge in degrees, exact where the descriptor's edges can be hit exactly.</summary>
    private static (double Cos, double Sin) Direction(double degrees)
    {
        double half = Math.Sqrt(0.5);
        if (degrees == 45) return (half, half);
        if (degrees == 90) return (0, 1);
        if (degrees == 135) return (-half, half);
        double radians = degrees * Math.PI / 180;
        return (Math.Cos(radians), Math.Sin(radians));
    }

    private static string Slice(OnnxGraphBuilder g, string x, long axis, long start, long end, string stem) =>
        g.Node("Slice", [x, g.Int64s($"{stem}_start", [start]), g.Int64s($"{stem}_end", [end]), g.Int64s($"{stem}_axis", [axis])], stem);

    private static string Crop(OnnxGraphBuilder g, string x, long height, long width, string stem) =>
        g.Node("Slice", [x, g.Int64s($"{stem}_start", [0, 0]), g.Int64s($"{stem}_end", [height, width]), g.Int64s($"{stem}_axes", [2, 3])], stem);
}

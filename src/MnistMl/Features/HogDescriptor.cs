using System.Diagnostics;

namespace MnistMl.Features;

/// <summary>
/// Histogram of oriented gradients of grayscale images of one size, computed step by step as skimage.feature.hog
/// (feature_vector=True) computes it for float32 images, so that the features agree to float rounding:
/// <list type="number">
/// <item>optionally the square root of every pixel (<see cref="HogOptions.TransformSqrt"/>), in float;</item>
/// <item>gradients by central differences in float, zero on the image border rows (row gradient) and columns (column gradient);</item>
/// <item>per cell, each pixel's gradient magnitude added to the one orientation bin holding its unsigned orientation
/// atan2(g_row, g_col) in degrees modulo 180 (no interpolation between bins or cells), the sum divided by the cell's pixel count;</item>
/// <item>per block position, the block's cell histograms normalized together (<see cref="HogOptions.BlockNorm"/>)
/// and appended to the feature vector, laid out as [block row, block column, cell row in block, cell column in block, bin].</item>
/// </list>
/// An instance owns scratch buffers and is not thread-safe: use one per thread (<see cref="ComputeBatch"/> does so for its workers).
/// Computing one image allocates nothing.
/// </summary>
public sealed class HogDescriptor
{
    /// <summary>skimage's ε of the block normalizations.</summary>
    private const double Epsilon = 1e-5;

    /// <summary>skimage's L2-Hys clipping threshold.</summary>
    private const double HysteresisClip = 0.2;

    private const double DegreesPerRadian = 180.0 / Math.PI;

    private readonly (int Rows, int Columns) _cells;
    private readonly (int Rows, int Columns) _blocks;

    /// <summary>Lower edge in degrees of each orientation bin, then 180: bin i is [edge i, edge i+1), as skimage compares them.</summary>
    private readonly double[] _binEdges;

    /// <summary>Scratch: the cell histograms, [cell row, cell column, bin].</summary>
    private readonly float[] _cellHistograms;

    /// <summary>Scratch: the square-rooted image when <see cref="HogOptions.TransformSqrt"/> is set, else empty.</summary>
    private readonly float[] _sqrtPixels;

    public HogDescriptor(HogOptions options, int imageHeight, int imageWidth)
    {
        FeatureLength = options.FeatureLength(imageHeight, imageWidth);
        Options = options;
        ImageHeight = imageHeight;
        ImageWidth = imageWidth;
        _cells = options.CellCounts(imageHeight, imageWidth);
        _blocks = options.BlockCounts(imageHeight, imageWidth);
        double binWidth = 180.0 / options.Orientations;
        _binEdges = new double[options.Orientations + 1];
        for (int i = 0; i <= options.Orientations; i++) _binEdges[i] = binWidth * i;
        _cellHistograms = new float[_cells.Rows * _cells.Columns * options.Orientations];
        _sqrtPixels = options.TransformSqrt ? new float[imageHeight * imageWidth] : [];
    }

    public HogOptions Options { get; }
    public int ImageHeight { get; }
    public int ImageWidth { get; }

    /// <summary>Number of features of one image.</summary>
    public int FeatureLength { get; }

    /// <summary>Writes the HOG features of one row-major image (<see cref="ImageHeight"/> × <see cref="ImageWidth"/>) into <paramref name="features"/>.</summary>
    public void Compute(ReadOnlySpan<float> image, Span<float> features)
    {
        if (image.Length != ImageHeight * ImageWidth)
            throw new ArgumentException($"An image of {ImageHeight}×{ImageWidth} has {ImageHeight * ImageWidth} pixels; {image.Length} were given.", nameof(image));
        if (features.Length != FeatureLength)
            throw new ArgumentException($"The HOG of a {ImageHeight}×{ImageWidth} image has {FeatureLength} features; the span holds {features.Length}.", nameof(features));
        if (Options.TransformSqrt)
        {
            for (int i = 0; i < image.Length; i++)
            {
                // skimage would spread the NaN of a negative pixel's root over every bin of its neighbours' cells.
                if (image[i] < 0)
                    throw new ArgumentException($"TransformSqrt needs pixels of at least 0; pixel {i} is {image[i]}.", nameof(image));
                _sqrtPixels[i] = MathF.Sqrt(image[i]);
            }
            image = _sqrtPixels;
        }
        AccumulateCellHistograms(image);
        NormalizeBlocks(features);
    }

    /// <summary>
    /// Writes the features of images laid out contiguously (count × <see cref="ImageHeight"/> × <see cref="ImageWidth"/>)
    /// into <paramref name="features"/> (count × <see cref="FeatureLength"/>), on up to <paramref name="maxDegreeOfParallelism"/>
    /// threads (-1: as many as the thread pool offers), each with its own scratch buffers.
    /// </summary>
    public void ComputeBatch(ReadOnlyMemory<float> images, Memory<float> features, int maxDegreeOfParallelism = -1)
    {
        int imageSize = ImageHeight * ImageWidth;
        if (images.Length % imageSize != 0)
            throw new ArgumentException($"{images.Length} pixels are not a whole number of {ImageHeight}×{ImageWidth} images.", nameof(images));
        int count = images.Length / imageSize;
        if (features.Length != (long)count * FeatureLength)
            throw new ArgumentException($"{count} images need {(long)count * FeatureLength} features; the buffer holds {features.Length}.", nameof(features));
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use a positive thread count, or -1 for no limit.");

        if (maxDegreeOfParallelism == 1)
        {
            for (int i = 0; i < count; i++) ComputeItem(this, i);
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            () => new HogDescriptor(Options, ImageHeight, ImageWidth),
            (i, _, worker) => ComputeItem(worker, i),
            _ => { });

        HogDescriptor ComputeItem(HogDescriptor worker, int i)
        {
            worker.Compute(images.Span.Slice(i * imageSize, imageSize), features.Span.Slice(i * FeatureLength, FeatureLength));
            return worker;
        }
    }

    /// <summary>Fills <see cref="_cellHistograms"/> from the pixels of the full cells, as skimage's hog_histograms does.</summary>
    private void AccumulateCellHistograms(ReadOnlySpan<float> pixels)
    {
        var histograms = _cellHistograms.AsSpan();
        histograms.Clear();
        int height = ImageHeight, width = ImageWidth, orientations = Options.Orientations;
        var (cellHeight, cellWidth) = Options.PixelsPerCell;
        for (int y = 0; y < _cells.Rows * cellHeight; y++)
        {
            int rowOfCells = y / cellHeight * _cells.Columns;
            bool borderRow = y == 0 || y == height - 1;
            for (int x = 0; x < _cells.Columns * cellWidth; x++)
            {
                float rowGradient = borderRow ? 0f : pixels[(y + 1) * width + x] - pixels[(y - 1) * width + x];
                float columnGradient = x == 0 || x == width - 1 ? 0f : pixels[y * width + x + 1] - pixels[y * width + x - 1];
                if (rowGradient == 0f && columnGradient == 0f) continue; // adds zero to its bin
                int bin = OrientationBin(rowGradient, columnGradient);
                if (bin < 0) continue;
                double magnitude = Math.Sqrt((double)rowGradient * rowGradient + (double)columnGradient * columnGradient);
                // skimage sums each cell's magnitudes in a C float, in this (row-major) order.
                ref float sum = ref histograms[(rowOfCells + x / cellWidth) * orientations + bin];
                sum = (float)(sum + magnitude);
            }
        }
        float cellArea = cellHeight * cellWidth;
        foreach (ref float sum in histograms) sum /= cellArea;
    }

    /// <summary>
    /// The bin of the unsigned orientation of a gradient, or -1 for an orientation in no bin. The angle is computed in
    /// double exactly as numpy's rad2deg(arctan2(g_row, g_col)) % 180 and compared with the same bin edges, so that
    /// gradients at exactly 0°, 45°, 90° or 135° (common with integer pixels) land in skimage's bin, the one starting there.
    /// skimage 0.19 works in double here whatever the image's dtype: it casts the float32 gradients to float64 before
    /// its histogram loop, whose edges 180/n·(i+1) and 180/n·i are doubles. Which gradients lie exactly on an edge is
    /// thus decided by the float32 pixels alone: the same digit scaled as x / 255f or as x · (float)(1/255) (ScalePixels)
    /// puts some gradients on different sides of 45° or 135°, and so does skimage when it is handed float64 pixels.
    /// </summary>
    private int OrientationBin(float rowGradient, float columnGradient)
    {
        double orientation = Math.Atan2(rowGradient, columnGradient) * DegreesPerRadian % 180.0;
        if (orientation < 0) orientation += 180.0; // numpy's % takes the sign of the divisor
        var edges = _binEdges;
        int last = edges.Length - 2;
        int bin = Math.Min((int)(orientation / edges[1]), last);
        while (bin > 0 && orientation < edges[bin]) bin--;
        while (bin < last && orientation >= edges[bin + 1]) bin++;
        return orientation >= edges[bin] && orientation < edges[bin + 1] ? bin : -1;
    }

    /// <summary>Copies each block's cell histograms into <paramref name="features"/> and normalizes them there.</summary>
    private void NormalizeBlocks(Span<float> features)
    {
        var (blockHeight, blockWidth) = Options.CellsPerBlock;
        int blockRowLength = blockWidth * Options.Orientations; // one row of a block's cells, contiguous in the histograms
        int blockLength = blockHeight * blockRowLength;
        int offset = 0;
        for (int r = 0; r < _blocks.Rows; r++)
        {
            for (int c = 0; c < _blocks.Columns; c++)
            {
                var block = features.Slice(offset, blockLength);
                for (int i = 0; i < blockHeight; i++)
                {
                    int start = ((r + i) * _cells.Columns + c) * Options.Orientations;
                    _cellHistograms.AsSpan(start, blockRowLength).CopyTo(block.Slice(i * blockRowLength));
                }
                Normalize(block, Options.BlockNorm);
                offset += blockLength;
            }
        }
    }

    /// <summary>skimage's _hog_normalize_block, in double.</summary>
    private static void Normalize(Span<float> block, HogBlockNorm norm)
    {
        switch (norm)
        {
            case HogBlockNorm.L1:
            {
                double denominator = SumOfAbsolutes(block) + Epsilon;
                foreach (ref float v in block) v = (float)(v / denominator);
                break;
            }
            case HogBlockNorm.L1Sqrt:
            {
                double denominator = SumOfAbsolutes(block) + Epsilon;
                foreach (ref float v in block) v = (float)Math.Sqrt(v / denominator);
                break;
            }
            case HogBlockNorm.L2:
            {
                double denominator = Math.Sqrt(SumOfSquares(block) + Epsilon * Epsilon);
                foreach (ref float v in block) v = (float)(v / denominator);
                break;
            }
            case HogBlockNorm.L2Hys:
            {
                double denominator = Math.Sqrt(SumOfSquares(block) + Epsilon * Epsilon);
                double clippedSumOfSquares = 0;
                foreach (float v in block)
                {
                    double clipped = Math.Min(v / denominator, HysteresisClip);
                    clippedSumOfSquares += clipped * clipped;
                }
                double renormalizer = Math.Sqrt(clippedSumOfSquares + Epsilon * Epsilon);
                foreach (ref float v in block) v = (float)(Math.Min(v / denominator, HysteresisClip) / renormalizer);
                break;
            }
            default:
                throw new UnreachableException($"HogOptions.Validate admits no block normalization {norm}.");
        }
    }

    private static double SumOfAbsolutes(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values) sum += Math.Abs(v);
        return sum;
    }

    private static double SumOfSquares(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values) sum += (double)v * v;
        return sum;
    }
}

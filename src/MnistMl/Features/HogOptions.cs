namespace MnistMl.Features;

/// <summary>
/// Parameters of a histogram of oriented gradients, named and defaulted as in skimage.feature.hog:
/// the image is cut into cells of <see cref="PixelsPerCell"/>, each cell gets a histogram of <see cref="Orientations"/>
/// unsigned gradient-orientation bins over [0°, 180°), and every position of a block of <see cref="CellsPerBlock"/>
/// cells (stride one cell) contributes its normalized histograms to the feature vector.
/// </summary>
public sealed record HogOptions
{
    /// <summary>Number of orientation bins per cell histogram.</summary>
    public int Orientations { get; init; } = 9;

    /// <summary>Size of a cell in pixels; pixels beyond the last full cell are ignored.</summary>
    public (int Height, int Width) PixelsPerCell { get; init; } = (8, 8);

    /// <summary>Size of a block in cells.</summary>
    public (int Height, int Width) CellsPerBlock { get; init; } = (3, 3);

    public HogBlockNorm BlockNorm { get; init; } = HogBlockNorm.L2Hys;

    /// <summary>Replaces each pixel by its square root first (power-law compression); pixels must then be at least 0.</summary>
    public bool TransformSqrt { get; init; }

    /// <summary>Cells along each axis: pixels beyond the last full cell are not part of any cell.</summary>
    public (int Rows, int Columns) CellCounts(int imageHeight, int imageWidth) =>
        (imageHeight / PixelsPerCell.Height, imageWidth / PixelsPerCell.Width);

    /// <summary>Block positions along each axis (blocks overlap, moving by one cell).</summary>
    public (int Rows, int Columns) BlockCounts(int imageHeight, int imageWidth)
    {
        var cells = CellCounts(imageHeight, imageWidth);
        return (cells.Rows - CellsPerBlock.Height + 1, cells.Columns - CellsPerBlock.Width + 1);
    }

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> for a parameter or image size that is not positive (or an unknown
    /// <see cref="BlockNorm"/>), and <see cref="ArgumentException"/> naming imageHeight or imageWidth when the image holds
    /// fewer cells along that axis than a block has: skimage has no block position to compute then.
    /// </summary>
    public void Validate(int imageHeight, int imageWidth)
    {
        if (Orientations <= 0)
            throw new ArgumentOutOfRangeException(nameof(Orientations), Orientations, "The number of orientation bins must be positive.");
        if (PixelsPerCell.Height <= 0 || PixelsPerCell.Width <= 0)
            throw new ArgumentOutOfRangeException(nameof(PixelsPerCell), PixelsPerCell, "A cell must be at least one pixel in each direction.");
        if (CellsPerBlock.Height <= 0 || CellsPerBlock.Width <= 0)
            throw new ArgumentOutOfRangeException(nameof(CellsPerBlock), CellsPerBlock, "A block must be at least one cell in each direction.");
        if (!Enum.IsDefined(BlockNorm))
            throw new ArgumentOutOfRangeException(nameof(BlockNorm), BlockNorm, "Unknown block normalization.");
        if (imageHeight <= 0)
            throw new ArgumentOutOfRangeException(nameof(imageHeight), imageHeight, "The image height must be positive.");
        if (imageWidth <= 0)
            throw new ArgumentOutOfRangeException(nameof(imageWidth), imageWidth, "The image width must be positive.");
        var cells = CellCounts(imageHeight, imageWidth);
        if (cells.Rows < CellsPerBlock.Height)
            throw new ArgumentException(
                $"An image of height {imageHeight} holds {cells.Rows} rows of {PixelsPerCell.Height}-pixel cells, fewer than the {CellsPerBlock.Height} of one block.",
                nameof(imageHeight));
        if (cells.Columns < CellsPerBlock.Width)
            throw new ArgumentException(
                $"An image of width {imageWidth} holds {cells.Columns} columns of {PixelsPerCell.Width}-pixel cells, fewer than the {CellsPerBlock.Width} of one block.",
                nameof(imageWidth));
    }

    /// <summary>
    /// Length of the feature vector of an image of this size: block rows × block columns × cells per block × orientations,
    /// the length of skimage's hog(..., feature_vector=True).
    /// </summary>
    public int FeatureLength(int imageHeight, int imageWidth)
    {
        Validate(imageHeight, imageWidth);
        var blocks = BlockCounts(imageHeight, imageWidth);
        return blocks.Rows * blocks.Columns * CellsPerBlock.Height * CellsPerBlock.Width * Orientations;
    }
}

using Microsoft.ML;
using MnistMl.Data;

// Catalog extensions live in the root namespace, as ML.NET's live in Microsoft.ML: `using MnistMl;` reaches them all.
namespace MnistMl;

/// <summary>Loaders of labelled image data into ML.NET views, as <c>mlContext.Data.Load…</c> methods.</summary>
public static class ImageLoadersCatalog
{
    /// <summary>
    /// Loads a CSV file in OpenML's mnist_784 layout (a header row; pixel columns such as pixel1..pixel784 in row-major
    /// order, and a label column anywhere, found by its header name) through ML.NET's text loader. The view is lazy:
    /// only the label column is read at load time, once, to find the classes.
    /// Columns: <c>Image</c>, <c>Vector&lt;Single, C, H, W&gt;</c> of the raw pixel values (0–255 for MNIST),
    /// channels first; <c>Label</c>, <c>Key&lt;UInt32, K&gt;</c> (raw values 1..K, 0 = missing) with a KeyValues
    /// annotation naming the K classes: the distinct label texts in ascending order, numerically when all are numbers
    /// ("2" &lt; "9" &lt; "10"), else ordinally.
    /// </summary>
    /// <param name="catalog">The data catalog of an <see cref="MLContext"/>.</param>
    /// <param name="path">The CSV file (',' separated, double quotes allowed).</param>
    /// <param name="labelColumnName">The header name of the label column.</param>
    /// <param name="imageHeight">The image height; with neither size given, a square pixel count s² makes [1, s, s].</param>
    /// <param name="imageWidth">The image width; the channel count is the pixel count over height × width.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The header has no <paramref name="labelColumnName"/>, or the sizes do not divide the pixel count.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is empty, has no rows, a row has another field count than the header or an empty label, or the pixel
    /// count is not square without sizes. A pixel that is no number is reported (file, line, column) when a cursor
    /// reads that row's Image.
    /// </exception>
    public static IDataView LoadOpenMlCsv(this DataOperationsCatalog catalog, string path, string labelColumnName = "class", int? imageHeight = null, int? imageWidth = null)
        => OpenMlCsv.Load(Context(catalog), path, labelColumnName, imageHeight, imageWidth);

    /// <summary>
    /// Loads a folder with one sub-folder of images per class (Keras' image_dataset_from_directory layout): classes
    /// are the sub-folder names in ordinal order, images the .png, .jpg, .jpeg, .bmp and .gif files in each, in
    /// ordinal order. Images are decoded lazily, as a cursor reads them, by Microsoft.ML.ImageAnalytics (SkiaSharp).
    /// Without a target size every image must have the first image's size; with one, each image is stretched to it
    /// by ImageAnalytics' <c>ResizeImages</c> in <c>Fill</c> mode (the aspect ratio is not kept; in ML.NET 5.0 that is
    /// SkiaSharp's nearest-neighbour resize). Grayscale is ImageAnalytics' <c>ConvertToGrayscale</c>,
    /// 0.3 R + 0.59 G + 0.11 B.
    /// Columns: <c>ImagePath</c>, <c>String</c>, the image file; <c>Label</c>, <c>Key&lt;UInt32, K&gt;</c> (raw
    /// values 1..K) with a KeyValues annotation naming the K classes; <c>Image</c>, <c>Vector&lt;Single, C, H, W&gt;</c>
    /// of pixel values 0–255, channels first (C = 1 for grayscale, 3 for RGB in the order red, green, blue).
    /// </summary>
    /// <param name="catalog">The data catalog of an <see cref="MLContext"/>.</param>
    /// <param name="folder">The folder holding one sub-folder per class.</param>
    /// <param name="colorMode">One gray channel or three RGB channels; alpha is dropped.</param>
    /// <param name="imageHeight">The target height; give both sizes or neither.</param>
    /// <param name="imageWidth">The target width; give both sizes or neither.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// There are no class sub-folders, a class folder holds no images, a file is no image SkiaSharp recognises, or
    /// (without a target size) an image's size differs from the first's. A file that fails to decode later, when a
    /// cursor reads its Image, is reported then, with its path.
    /// </exception>
    public static IDataView LoadImageFolder(this DataOperationsCatalog catalog, string folder, ImageColorMode colorMode = ImageColorMode.Grayscale, int? imageHeight = null, int? imageWidth = null)
        => ImageFolderView.Load(Context(catalog), folder, colorMode, imageHeight, imageWidth);

    /// <summary>
    /// Image files (PNG, JPEG, BMP, GIF), decoded and resized to <paramref name="imageHeight"/> × <paramref name="imageWidth"/>
    /// through Microsoft.ML.ImageAnalytics as <see cref="LoadImageFolder"/> does, in the order given: columns "ImagePath"
    /// (text) and "Image" (<c>Vector&lt;Single, channels, height, width&gt;</c>, 0–255). For predicting unlabeled images.
    /// </summary>
    public static IDataView LoadImageFiles(this DataOperationsCatalog catalog, IReadOnlyList<string> paths, ImageColorMode colorMode, int imageHeight, int imageWidth)
    {
        foreach (var path in paths)
            if (!File.Exists(path)) throw new FileNotFoundException($"Image file '{path}' does not exist.", path);
        var ml = Context(catalog);
        var layout = new ImageFolderLayout(["unlabeled"], paths.Select(p => (Path.GetFullPath(p), 0)).ToArray());
        var images = ImageFolderView.Load(ml, layout, colorMode, imageHeight, imageWidth);
        return ml.Transforms.DropColumns("Label").Fit(images).Transform(images);
    }

    /// <summary>
    /// The most pixels an image file may have (default 64 megapixels, 8,192×8,192); larger ones are refused from
    /// their header, before any memory is spent decoding them.
    /// </summary>
    public static long MaximumImagePixels { get; set; } = 1L << 26;

    // DataOperationsCatalog keeps its environment internal; a fresh context is equivalent for these loaders, which
    // hold no random state and train nothing.
    private static MLContext Context(DataOperationsCatalog catalog) => new();
}

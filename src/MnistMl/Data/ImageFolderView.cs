using Microsoft.ML;
using Microsoft.ML.Data;
using SkiaSharp;
using static Microsoft.ML.Transforms.Image.ImagePixelExtractingEstimator;
using static Microsoft.ML.Transforms.Image.ImageResizingEstimator;

namespace MnistMl.Data;

/// <summary>
/// An image folder as a lazy ML.NET view: an in-memory list of (ImagePath, Label) rows fed through ImageAnalytics'
/// LoadImages → ConvertToGrayscale → ResizeImages → ExtractPixels, so images are decoded only when a cursor reads the
/// Image column. At load time only the image headers are read (SkiaSharp's codec, the library ImageAnalytics decodes
/// with), because ExtractPixels needs the size up front and mismatched sizes or non-images should fail at once.
/// </summary>
internal static class ImageFolderView
{
    private const string LoadedImage = "LoadedImage";

    public static IDataView Load(MLContext ml, string folder, ImageColorMode colorMode, int? imageHeight, int? imageWidth)
    {
        if (imageHeight is null != imageWidth is null)
            throw new ArgumentException("Give both the image height and width, or neither.", imageHeight is null ? nameof(imageHeight) : nameof(imageWidth));
        if (imageHeight is <= 0 || imageWidth is <= 0)
            throw new ArgumentOutOfRangeException(imageHeight is <= 0 ? nameof(imageHeight) : nameof(imageWidth), "Image sizes must be positive.");
        return Load(ml, ImageFolderLayout.Scan(folder), colorMode, imageHeight, imageWidth);
    }

    /// <summary>The images of <paramref name="layout"/>; a target size resizes them, without one they must share the first one's size.</summary>
    public static IDataView Load(MLContext ml, ImageFolderLayout layout, ImageColorMode colorMode, int? imageHeight, int? imageWidth)
    {
        var (height, width) = CheckHeaders(layout, imageHeight is null);
        if (imageHeight is { } h && imageWidth is { } w) (height, width) = (h, w);

        int classCount = layout.ClassNames.Length;
        var definition = SchemaDefinition.Create(typeof(FileRow));
        definition[nameof(FileRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), classCount);
        var classNames = new VBuffer<ReadOnlyMemory<char>>(classCount, layout.ClassNames.Select(name => name.AsMemory()).ToArray());
        definition[nameof(FileRow.Label)].AddAnnotation("KeyValues", classNames, new VectorDataViewType(TextDataViewType.Instance, classCount));
        // LoadFromEnumerable takes a key member as 0-based and adds 1 itself, so the column holds 1..K (0 = missing).
        var files = ml.Data.LoadFromEnumerable(layout.Files.Select(f => new FileRow { ImagePath = f.Path, Label = (uint)f.Label }).ToArray(), definition);

        bool gray = colorMode == ImageColorMode.Grayscale;
        IEstimator<ITransformer> pipeline = ml.Transforms.LoadImages(LoadedImage, imageFolder: "", inputColumnName: nameof(FileRow.ImagePath));
        if (gray) pipeline = pipeline.Append(ml.Transforms.ConvertToGrayscale(LoadedImage));
        // Same-size images pass through ResizeImages untouched; others are stretched (Fill, no aspect kept).
        pipeline = pipeline
            .Append(ml.Transforms.ResizeImages(LoadedImage, width, height, resizing: ResizingKind.Fill))
            .Append(ml.Transforms.ExtractPixels("Image", LoadedImage, gray ? ColorBits.Red : ColorBits.Rgb, ColorsOrder.ARGB,
                interleavePixelColors: false, outputAsFloatArray: true));
        var pixels = pipeline.Fit(files).Transform(files);

        // ExtractPixels with interleave false already types the column [channels, height, width]; the wrapper keeps
        // that shape and adds the file path to decoding errors, which ImageAnalytics reports without it.
        var imageType = new VectorDataViewType(NumberDataViewType.Single, gray ? 1 : 3, height, width);
        var named = new ImageShapeDataView(pixels, "Image", imageType, [nameof(FileRow.ImagePath)], NamePathOnError);
        return ml.Transforms.DropColumns(LoadedImage).Fit(named).Transform(named);
    }

    /// <summary>
    /// Reads each file's header: a file SkiaSharp recognises no image in fails here, and without a target size every
    /// image must have the first one's size. Returns the first image's (height, width).
    /// </summary>
    private static (int Height, int Width) CheckHeaders(ImageFolderLayout layout, bool sameSize)
    {
        (int Height, int Width)? first = null;
        foreach (var (path, _) in layout.Files)
        {
            using var codec = SKCodec.Create(path, out var result)
                ?? throw new InvalidDataException($"Image file '{path}' could not be decoded: SkiaSharp says '{result}'.");
            var size = (codec.Info.Height, codec.Info.Width);
            // Decided from the header alone: a 682 KB PNG can declare 26,500×26,500 pixels (2.8 GB decoded).
            if ((long)size.Width * size.Height > ImageLoadersCatalog.MaximumImagePixels)
                throw new InvalidDataException($"Image file '{path}' is {size.Width}×{size.Height} pixels, above the limit of {ImageLoadersCatalog.MaximumImagePixels:N0} (ImageLoadersCatalog.MaximumImagePixels); it is not decoded.");
            first ??= size;
            if (sameSize && size != first)
                throw new InvalidDataException($"Image file '{path}' is {size.Width}×{size.Height}, but '{layout.Files[0].Path}' is {first.Value.Width}×{first.Value.Height}; give a target size to resize them all.");
        }
        return first!.Value;
    }

    /// <summary>ImageAnalytics decodes at cursor time and throws without naming the file (e.g. a truncated PNG).</summary>
    private static ValueGetter<VBuffer<float>> NamePathOnError(DataViewRow row, ValueGetter<VBuffer<float>> pixels)
    {
        var getPath = row.GetGetter<ReadOnlyMemory<char>>(row.Schema[nameof(FileRow.ImagePath)]);
        return (ref VBuffer<float> value) =>
        {
            try
            {
                pixels(ref value);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
            {
                ReadOnlyMemory<char> path = default;
                getPath(ref path);
                throw new InvalidDataException($"Image file '{path}' could not be decoded by ImageAnalytics: {e.Message}", e);
            }
        };
    }

    private sealed class FileRow
    {
        public string ImagePath { get; set; } = "";
        public uint Label { get; set; }
    }
}

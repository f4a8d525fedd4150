using MnistMl.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistMl.Data;

/// <summary>
/// Loads a folder with one sub-folder per class (Keras' image_dataset_from_directory layout) as columns Image
/// ([channels, height, width]) and Label (key named after the sub-folders). Without a target size every image must
/// have the first image's size and the pixels stay bytes; with one, each image is resized bilinearly (PyTorch's
/// interpolate, align_corners=False) to float32 0–255.
/// </summary>
public static class ImageFolderLoader
{
    public static InMemoryDataView Load(string root, ImageColorMode mode = ImageColorMode.Grayscale, (int Height, int Width)? size = null)
    {
        if (size is { } s && (s.Height <= 0 || s.Width <= 0))
            throw new ArgumentOutOfRangeException(nameof(size), size, "The target image size must be positive.");
        var folder = ImageFolder.Scan(root);
        int channels = mode == ImageColorMode.Grayscale ? 1 : 3;
        var labels = new long[folder.Files.Count];
        byte[]? bytePixels = null;
        float[]? floatPixels = null;
        (int Height, int Width)? first = null;
        for (int i = 0; i < folder.Files.Count; i++)
        {
            var file = folder.Files[i];
            var image = ImageFile.Read(file.Path, mode);
            labels[i] = file.Label;
            var chw = ToChannelsFirst(image);
            if (size is { } target)
            {
                int length = channels * target.Height * target.Width;
                floatPixels ??= new float[folder.Files.Count * length];
                Resize(chw, image, target).CopyTo(floatPixels.AsSpan(i * length, length));
            }
            else
            {
                first ??= (image.Height, image.Width);
                if ((image.Height, image.Width) != first)
                    throw new InvalidDataException($"Image '{file.Path}' is {image.Width}×{image.Height}, but '{folder.Files[0].Path}' is {first.Value.Width}×{first.Value.Height}; give a target size to resize them all.");
                bytePixels ??= new byte[folder.Files.Count * chw.Length];
                chw.CopyTo(bytePixels.AsSpan(i * chw.Length, chw.Length));
            }
        }
        var (height, width) = size ?? first!.Value;
        var imageType = ColumnType.Image(size is null ? ScalarType.Byte : ScalarType.Float32, channels, height, width);
        var schema = new DataViewSchema([new("Image", imageType), new("Label", ColumnType.Key(folder.ClassNames.Count), folder.ClassNames)]);
        return InMemoryDataView.FromArrays(schema, size is null ? bytePixels! : floatPixels!, labels);
    }

    /// <summary>HWC interleaved bytes → CHW planes.</summary>
    private static byte[] ToChannelsFirst(DecodedImage image)
    {
        int plane = image.Height * image.Width;
        var chw = new byte[plane * image.Channels];
        for (int p = 0; p < plane; p++)
            for (int c = 0; c < image.Channels; c++)
                chw[c * plane + p] = image.Pixels[p * image.Channels + c];
        return chw;
    }

    private static float[] Resize(byte[] chw, DecodedImage image, (int Height, int Width) target)
    {
        using var scope = torch.NewDisposeScope();
        var bytes = torch.tensor(chw, [1, image.Channels, image.Height, image.Width]);
        var resized = nn.functional.interpolate(bytes.to_type(ScalarType.Float32), [target.Height, target.Width], mode: InterpolationMode.Bilinear, align_corners: false);
        return resized.data<float>().ToArray();
    }
}

namespace MnistMl.Imaging;

/// <summary>An 8-bit image: <see cref="Pixels"/> holds rows top to bottom, each pixel's channels interleaved (height × width × channels).</summary>
public sealed class DecodedImage
{
    public DecodedImage(int width, int height, int channels, byte[] pixels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"Image size {width}×{height} must be positive.");
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), $"Images have 1 (grayscale) or 3 (RGB) channels, not {channels}.");
        if (pixels.Length != (long)width * height * channels)
            throw new ArgumentException($"A {width}×{height} image with {channels} channels needs {(long)width * height * channels} bytes; {pixels.Length} were given.", nameof(pixels));
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }
    public byte[] Pixels { get; }
}

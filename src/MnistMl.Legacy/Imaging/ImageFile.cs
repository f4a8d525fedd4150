using MnistMl.IO;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MnistMl.Imaging;

/// <summary>
/// Reads PNG, JPEG and BMP (and whatever else stb_image decodes: GIF, TGA, PNM, ...) into 8-bit pixels, and writes PNG,
/// BMP and JPEG, through Debian's libstb. 16-bit files are reduced to 8 bits and alpha is dropped (not composited), as
/// Pillow's <c>convert("RGB")</c> does. stb reads past the end of a BMP as zeros, so uncompressed BMPs are checked here
/// for the pixel rows their header declares.
/// Grayscale is computed here, not by stb: ITU-R 601 luma 0.299 R + 0.587 G + 0.114 B in 16-bit fixed point, rounded,
/// which is exactly Pillow's <c>convert("L")</c> (used by keras.utils.load_img). stb's own conversion truncates with
/// weights 77/256, 150/256, 29/256 and gives 149 rather than 150 for pure green.
/// </summary>
public static unsafe class ImageFile
{
    // ITU-R 601 weights scaled by 2^16 (they sum to 65536, so gray stays gray) and a half for rounding: Pillow's L24.
    private const int RedWeight = 19595, GreenWeight = 38470, BlueWeight = 7471, Half = 1 << 15;

    /// <summary>Decodes the image file at <paramref name="path"/> into one (grayscale) or three (RGB) channels.</summary>
    public static DecodedImage Read(string path, ImageColorMode mode)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Image file '{path}' does not exist.", path);
        return Decode(File.ReadAllBytes(path), mode, path);
    }

    /// <summary>Decodes an image file's bytes; <paramref name="source"/> names the origin in error messages.</summary>
    public static DecodedImage Decode(ReadOnlySpan<byte> content, ImageColorMode mode, string source)
    {
        if (content.IsEmpty) throw new InvalidDataException($"Image file '{source}' is empty.");
        if (MissingBmpRows(content) is { } shortfall) throw new InvalidDataException($"Image file '{source}' is a truncated BMP: {shortfall}.");
        int width, height;
        byte[] rgb;
        fixed (byte* encoded = content)
        {
            // Always ask for RGB: stb expands gray and drops alpha, and the grayscale conversion stays ours.
            byte* decoded = StbImage.stbi_load_from_memory(encoded, content.Length, out width, out height, out _, 3);
            if (decoded is null)
            {
                var reason = Marshal.PtrToStringUTF8(StbImage.stbi_failure_reason());
                // stb builds some reasons from the file's bytes and can hand back an empty string.
                throw new InvalidDataException(
                    $"Image file '{source}' could not be decoded: {(string.IsNullOrEmpty(reason) ? "stb_image gave no reason" : $"stb_image says '{reason}'")}.");
            }
            try
            {
                // stb rejects images whose byte count would overflow an int, so this length fits.
                rgb = new ReadOnlySpan<byte>(decoded, width * height * 3).ToArray();
            }
            finally
            {
                StbImage.stbi_image_free(decoded);
            }
        }
        return mode == ImageColorMode.Rgb
            ? new DecodedImage(width, height, 3, rgb)
            : new DecodedImage(width, height, 1, Luma(rgb));
    }

    /// <summary>Writes a lossless PNG, atomically (a temporary sibling renamed over <paramref name="path"/>).</summary>
    public static void WritePng(string path, DecodedImage image) => Write(path, image, FileFormat.Png, quality: 0);

    /// <summary>Writes an uncompressed 24-bit BMP, atomically; a grayscale image is stored as equal R, G and B.</summary>
    public static void WriteBmp(string path, DecodedImage image) => Write(path, image, FileFormat.Bmp, quality: 0);

    /// <summary>Writes a baseline JPEG (lossy; <paramref name="quality"/> 1 to 100), atomically.</summary>
    public static void WriteJpeg(string path, DecodedImage image, int quality = 90)
    {
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), $"JPEG quality {quality} is outside 1 to 100.");
        Write(path, image, FileFormat.Jpeg, quality);
    }

    /// <summary>Why an uncompressed BMP lacks pixel rows its header declares, or null (also for anything else).</summary>
    private static string? MissingBmpRows(ReadOnlySpan<byte> content)
    {
        const int FileHeaderSize = 14, Os2InfoSize = 12;
        if (content.Length < 2 || content[0] != 'B' || content[1] != 'M') return null;
        if (content.Length < FileHeaderSize + 4) return $"{content.Length} bytes do not hold its headers";
        bool os2 = BinaryPrimitives.ReadUInt32LittleEndian(content[FileHeaderSize..]) == Os2InfoSize;
        if (content.Length < (os2 ? 26 : 34)) return $"{content.Length} bytes do not hold its headers";
        long pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(content[10..]);
        long width = os2 ? BinaryPrimitives.ReadUInt16LittleEndian(content[18..]) : BinaryPrimitives.ReadInt32LittleEndian(content[18..]);
        long height = os2 ? BinaryPrimitives.ReadUInt16LittleEndian(content[20..]) : BinaryPrimitives.ReadInt32LittleEndian(content[22..]);
        int bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(content[(os2 ? 24 : 28)..]);
        uint compression = os2 ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(content[30..]);
        // 0: plain rows, 3 and 6: plain rows with channel masks; run-length encoded rows have no fixed size.
        if (compression is not (0 or 3 or 6)) return null;
        long rowBytes = (Math.Abs(width) * bitsPerPixel + 31) / 32 * 4; // rows are padded to 4 bytes
        long rows = Math.Abs(height);
        // Dividing rather than multiplying keeps absurd header values from overflowing.
        long available = content.Length - pixelOffset;
        if (rowBytes == 0 || (available >= 0 && rows <= available / rowBytes)) return null;
        return $"{rows} rows of {rowBytes} bytes from offset {pixelOffset} need more than the file's {content.Length} bytes";
    }

    private static byte[] Luma(byte[] rgb)
    {
        var gray = new byte[rgb.Length / 3];
        for (int i = 0, j = 0; i < gray.Length; i++, j += 3)
            gray[i] = (byte)((RedWeight * rgb[j] + GreenWeight * rgb[j + 1] + BlueWeight * rgb[j + 2] + Half) >> 16);
        return gray;
    }

    private enum FileFormat { Png, Bmp, Jpeg }

    /// <summary>Encodes into memory through stb's callback interface, then writes the file with .NET's own errors.</summary>
    private static void Write(string path, DecodedImage image, FileFormat format, int quality)
    {
        var sink = new EncodedBytes();
        var handle = GCHandle.Alloc(sink);
        int succeeded;
        try
        {
            void* context = (void*)GCHandle.ToIntPtr(handle);
            int width = image.Width, height = image.Height, channels = image.Channels;
            fixed (byte* pixels = image.Pixels)
            {
                succeeded = format switch
                {
                    FileFormat.Png => StbImage.stbi_write_png_to_func(&Append, context, width, height, channels, pixels, width * channels),
                    FileFormat.Bmp => StbImage.stbi_write_bmp_to_func(&Append, context, width, height, channels, pixels),
                    _ /* Jpeg */ => StbImage.stbi_write_jpg_to_func(&Append, context, width, height, channels, pixels, quality),
                };
            }
        }
        finally
        {
            handle.Free();
        }
        if (sink.Failure is not null) throw new IOException($"Encoding '{path}' as {format} failed: {sink.Failure.Message}", sink.Failure);
        if (succeeded == 0) throw new IOException($"stb_image_write could not encode the {image.Width}×{image.Height} image for '{path}' as {format}.");
        AtomicFile.WriteAllBytes(path, sink.Bytes.GetBuffer().AsMemory(0, (int)sink.Bytes.Length));
    }

    /// <summary>What the encoder callback collected; an exception must not cross back into native code, so it is kept here.</summary>
    private sealed class EncodedBytes
    {
        public MemoryStream Bytes { get; } = new();
        public Exception? Failure { get; set; }
    }

    [UnmanagedCallersOnly]
    private static void Append(void* context, void* data, int size)
    {
        var sink = (EncodedBytes)GCHandle.FromIntPtr((IntPtr)context).Target!;
        if (sink.Failure is not null) return;
        try
        {
            sink.Bytes.Write(new ReadOnlySpan<byte>(data, size));
        }
        catch (Exception e)
        {
            sink.Failure = e;
        }
    }
}

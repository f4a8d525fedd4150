using System.Runtime.InteropServices;

namespace MnistMl.Imaging;

/// <summary>
/// The parts of Debian's libstb (stb_image 2.27 and stb_image_write) that <see cref="ImageFile"/> uses.
/// Decoded buffers belong to stb and go back through <see cref="stbi_image_free"/>; the failure reason is thread-local
/// in this build, so it is read on the thread whose call failed.
/// </summary>
internal static unsafe class StbImage
{
    private const string Lib = "libstb.so.0";

    [DllImport(Lib)]
    internal static extern byte* stbi_load_from_memory(byte* buffer, int length, out int width, out int height, out int channelsInFile, int desiredChannels);

    [DllImport(Lib)] internal static extern void stbi_image_free(void* pixels);

    [DllImport(Lib)] internal static extern IntPtr stbi_failure_reason();

    // The encoders hand the file to `write(context, data, size)` in one or more chunks and return 0 on failure.
    [DllImport(Lib)]
    internal static extern int stbi_write_png_to_func(delegate* unmanaged<void*, void*, int, void> write, void* context, int width, int height, int channels, byte* pixels, int rowBytes);

    [DllImport(Lib)]
    internal static extern int stbi_write_bmp_to_func(delegate* unmanaged<void*, void*, int, void> write, void* context, int width, int height, int channels, byte* pixels);

    [DllImport(Lib)]
    internal static extern int stbi_write_jpg_to_func(delegate* unmanaged<void*, void*, int, void> write, void* context, int width, int height, int channels, byte* pixels, int quality);
}

using SkiaSharp;

namespace MnistMl.Reports;

/// <summary>Images of a <see cref="ScoredImages"/> as PNG data URIs (drawn with SkiaSharp, ScottPlot's renderer), enlarged without smoothing.</summary>
public static class ImageTiles
{
    /// <summary>The row's image, <paramref name="scale"/> screen pixels per image pixel, as a data: URI.</summary>
    public static string DataUri(ScoredImages images, int row, int scale = 3)
    {
        var pixels = images.Images[row];
        int h = images.Height, w = images.Width, plane = h * w;
        // Raw pixels are 0-255 for the IDX and CSV data sets; 0-1 when already scaled.
        float max = pixels.Length == 0 ? 1 : pixels.Max();
        float factor = max > 1.0f ? 1f : 255f;
        using var bitmap = new SKBitmap(w * scale, h * scale, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                byte Channel(int c) => (byte)Math.Clamp(pixels[c * plane + y * w + x] * factor, 0, 255);
                var color = images.Channels == 3 ? new SKColor(Channel(0), Channel(1), Channel(2)) : new SKColor(Channel(0), Channel(0), Channel(0));
                for (int dy = 0; dy < scale; dy++)
                    for (int dx = 0; dx < scale; dx++) bitmap.SetPixel(x * scale + dx, y * scale + dy, color);
            }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return "data:image/png;base64," + Convert.ToBase64String(data.ToArray());
    }
}

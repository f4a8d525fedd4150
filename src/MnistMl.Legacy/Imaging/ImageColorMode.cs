namespace MnistMl.Imaging;

/// <summary>The channels <see cref="ImageFile.Read"/> returns, whatever the file stores.</summary>
public enum ImageColorMode
{
    /// <summary>One channel: ITU-R 601 luma of the colour (see <see cref="ImageFile"/>).</summary>
    Grayscale,

    /// <summary>Three channels, red, green, blue; grayscale files repeat their value in each.</summary>
    Rgb,
}

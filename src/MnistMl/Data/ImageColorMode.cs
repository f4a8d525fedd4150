namespace MnistMl.Data;

/// <summary>How <see cref="ImageLoadersCatalog.LoadImageFolder"/> turns decoded images into channels.</summary>
public enum ImageColorMode
{
    /// <summary>One channel, through ImageAnalytics' <c>ConvertToGrayscale</c>.</summary>
    Grayscale,

    /// <summary>Three channels, planes in the order red, green, blue; alpha is dropped.</summary>
    Rgb,
}

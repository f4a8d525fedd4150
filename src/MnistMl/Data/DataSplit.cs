namespace MnistMl.Data;

/// <summary>Which part of a named data set to load.</summary>
public enum DataSplit
{
    /// <summary>The training images (60,000 for MNIST and Fashion-MNIST).</summary>
    Train,

    /// <summary>The test images (10,000).</summary>
    Test,
}

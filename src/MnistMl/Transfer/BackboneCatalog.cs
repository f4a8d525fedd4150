using Microsoft.ML;
using Microsoft.ML.Transforms.Onnx;
using MnistMl.Transfer;

namespace MnistMl;

/// <summary>Frozen pretrained backbones as ML.NET transforms (<c>ml.Transforms.ApplyBackbone</c>).</summary>
public static class BackboneCatalog
{
    /// <summary>
    /// ML.NET's <c>ApplyOnnxModel</c> on the backbone cut at its features: <paramref name="inputColumnName"/>, images
    /// <c>Vector&lt;Single, 3, H, W&gt;</c> already resized and normalized as the backbone expects (see
    /// <see cref="OnnxBackbone.Mean"/>), becomes <paramref name="outputColumnName"/>, the globally average-pooled
    /// features <c>Vector&lt;Single, C&gt;</c>. ONNX Runtime runs it, on the CPU or, with <paramref name="gpuDeviceId"/>,
    /// on a CUDA device (which needs the Microsoft.ML.OnnxRuntime.Gpu.Linux build; <paramref name="fallbackToCpu"/>
    /// runs on the CPU where CUDA is missing instead of failing). The features of a row are computed when it is
    /// read: cache the output (<c>ml.Data.Cache</c>) to compute them once for several epochs or fits.
    /// </summary>
    public static OnnxScoringEstimator ApplyBackbone(this TransformsCatalog catalog, string outputColumnName, OnnxBackbone backbone,
        string inputColumnName = "Image", int? gpuDeviceId = null, bool fallbackToCpu = false)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        if (outputColumnName == inputColumnName)
            throw new ArgumentException($"ApplyBackbone writes a new column: the output column '{outputColumnName}' must differ from the input column.", nameof(outputColumnName));
        return catalog.ApplyFeatureModel(outputColumnName, backbone.FeatureModel(inputColumnName, outputColumnName), inputColumnName, gpuDeviceId, fallbackToCpu);
    }

    /// <summary>ApplyOnnxModel on an already cut feature model (<see cref="OnnxBackbone.FeatureModel"/>, or one a model file carries).</summary>
    internal static OnnxScoringEstimator ApplyFeatureModel(this TransformsCatalog catalog, string outputColumnName, byte[] featureModel,
        string inputColumnName, int? gpuDeviceId, bool fallbackToCpu)
    {
        var device = CudaCheck.Resolve(gpuDeviceId, fallbackToCpu, featureModel, "ApplyBackbone");
        return catalog.ApplyOnnxModel([outputColumnName], [inputColumnName], new MemoryStream(featureModel), device, fallbackToCpu: false);
    }

    /// <summary><see cref="ApplyBackbone(TransformsCatalog, string, OnnxBackbone, string, int?, bool)"/> on the backbone file <paramref name="backbonePath"/>.</summary>
    public static OnnxScoringEstimator ApplyBackbone(this TransformsCatalog catalog, string outputColumnName, string backbonePath,
        string inputColumnName = "Image", BackboneOptions? options = null, int? gpuDeviceId = null, bool fallbackToCpu = false) =>
        catalog.ApplyBackbone(outputColumnName, OnnxBackbone.Load(backbonePath, options), inputColumnName, gpuDeviceId, fallbackToCpu);
}

#!/usr/bin/python3
"""A MobileNetV2 ONNX file as torchvision writes one, for the backbone tests, and the numbers they check.

Writes tests/MnistMl.Tests/Fixtures/MobileNetV2/torchvision_mobilenet_v2_w025_10.onnx: torchvision 0.14's
`mobilenet_v2(width_mult=0.25, num_classes=10)`, seeded, its BatchNorm statistics and affine parameters set to
non-trivial values (so that folding them into the convolutions matters), exported in eval mode by
`torch.onnx.export` (opset 13, input "input" [N, 3, 32, 32] with a dynamic batch, output "output" [N, 10]; the
exporter folds every BatchNorm into its convolution and names most initializers "onnx::Conv_…"). Prints, as C#
to paste into MobileNetV2BackboneTests, every 40th of the pooled features (global average of `model.features`,
[1280]) and their sum, and the logits for the test input x[0, c, h, w] = sin(0.3 c + 0.11 h - 0.07 w) + 0.5 cos(0.05 h w) (float32), plus the
file's SHA-256.

Run with Debian's interpreter (python3-torch 1.13, python3-torchvision 0.14):

    /usr/bin/python3 tests/reference/make_mobilenet_v2_fixture.py
"""
import hashlib
import os

import numpy as np
import torch
import torchvision

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "MnistMl.Tests", "Fixtures", "MobileNetV2",
                   "torchvision_mobilenet_v2_w025_10.onnx")


def test_input():
    c, h, w = np.meshgrid(np.arange(3), np.arange(32), np.arange(32), indexing="ij")
    return (np.sin(0.3 * c + 0.11 * h - 0.07 * w) + 0.5 * np.cos(0.05 * h * w)).astype(np.float32)[None]


def main():
    torch.manual_seed(7)
    model = torchvision.models.mobilenet_v2(width_mult=0.25, num_classes=10)
    generator = torch.Generator().manual_seed(11)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                n = module.num_features
                module.running_mean.copy_(0.1 * torch.randn(n, generator=generator))
                module.running_var.copy_(0.5 + torch.rand(n, generator=generator))
                module.weight.copy_(1 + 0.2 * torch.randn(n, generator=generator))
                module.bias.copy_(0.1 * torch.randn(n, generator=generator))
            elif isinstance(module, torch.nn.Linear):
                module.weight.copy_(0.05 * torch.randn(module.weight.shape, generator=generator))
    model.eval()
    x = torch.from_numpy(test_input())
    torch.onnx.export(model, x, OUT, opset_version=13, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, do_constant_folding=True)
    with torch.no_grad():
        features = torch.nn.functional.adaptive_avg_pool2d(model.features(x), 1).flatten(1)[0]
        logits = model(x)[0]
    digest = hashlib.sha256(open(OUT, "rb").read()).hexdigest()
    print(f'    private const string FixtureSha256 = "{digest}";')
    print(f"    // features[0], features[40], … of the {len(features)} pooled features, and their sum")
    print("    private static readonly float[] ExpectedFeatureSample = [" + ", ".join(f"{v:.9g}f" for v in features[::40].tolist()) + "];")
    print(f"    private const double ExpectedFeatureSum = {features.double().sum().item():.12g};")
    print("    private static readonly float[] ExpectedLogits = [" + ", ".join(f"{v:.9g}f" for v in logits.tolist()) + "];")


if __name__ == "__main__":
    main()

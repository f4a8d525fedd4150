"""Reference values for the data-transform tests of MnistMl (tests/MnistMl.Tests/DataTransformTests.cs).

Run with Debian's interpreter (it has scikit-learn 1.2 and torch 1.13):
    /usr/bin/python3 tests/reference/data_transforms.py
and paste the printed arrays into the tests. Inputs are formulas mirrored in the C# tests:
    train[r][c] = 100 * sin(0.37 * (r * 4 + c) + 0.5) + 7 * c,  rows 0..5, columns 0..3 (float32)
    test[r][c]  = 80 * cos(0.29 * (r * 4 + c)) + 3 * c,         rows 0..2
    image[i]    = 255 * (0.5 + 0.5 * sin(0.37 * i + 0.11))      one [1, 5, 7] image, row-major
"""
import math
import numpy as np
import torch
import torch.nn.functional as F
from sklearn.preprocessing import MinMaxScaler, StandardScaler

train = np.array([[100 * math.sin(0.37 * (r * 4 + c) + 0.5) + 7 * c for c in range(4)] for r in range(6)], dtype=np.float32)
test = np.array([[80 * math.cos(0.29 * (r * 4 + c)) + 3 * c for c in range(4)] for r in range(3)], dtype=np.float32)

def show(name, values):
    print(f"{name} = [{', '.join(repr(float(v)) for v in np.asarray(values, dtype=np.float64).ravel())}];")

show("MinMaxPerElement", MinMaxScaler().fit(train.astype(np.float64)).transform(test.astype(np.float64)))
show("MeanVariancePerElement", StandardScaler().fit(train.astype(np.float64)).transform(test.astype(np.float64)))
flat = train.astype(np.float64).reshape(-1, 1)
show("MinMaxGlobal", MinMaxScaler().fit(flat).transform(test.astype(np.float64).reshape(-1, 1)))
show("MeanVarianceGlobal", StandardScaler().fit(flat).transform(test.astype(np.float64).reshape(-1, 1)))

image = torch.tensor([255 * (0.5 + 0.5 * math.sin(0.37 * i + 0.11)) for i in range(35)], dtype=torch.float32).reshape(1, 1, 5, 7)
show("Resize5x7To9x4", F.interpolate(image, size=(9, 4), mode="bilinear", align_corners=False))
show("Resize5x7To3x3", F.interpolate(image, size=(3, 3), mode="bilinear", align_corners=False))
rgb = image.expand(1, 3, 5, 7) / 255
mean = torch.tensor([0.485, 0.456, 0.406]).reshape(1, 3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225]).reshape(1, 3, 1, 1)
show("ImageNetNormalized", (rgb - mean) / std)

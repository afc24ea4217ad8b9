#!/usr/bin/python3
"""Expected outputs of Pillow's Image.resize for tests/inference/models/dpt (pil_resize_test.cpp).

DPT's image processor resizes uint8 images through PIL (BICUBIC); Atelier reimplements that
arithmetic, and this fixture pins it to Pillow's own numbers. Run with Debian 12's python3-pil
(Pillow 9.4.0, the reference environment's) and numpy: /usr/bin/python3 generate_pil_resize.py
Writes pil_resize.safetensors: `input` [23,37,3] uint8 and `<filter>_<W>x<H>` [H,W,3] uint8.
"""
import json
import struct

import numpy as np
from PIL import Image

rng = np.random.default_rng(20261201)
image = rng.integers(0, 256, size=(23, 37, 3), dtype=np.uint8)
# A hard edge and a flat area so clamping (overshoot past 0/255) is exercised.
image[:, 18:, :] = 255
image[:, 18:20, 0] = 0
tensors = {"input": image}
for name, code in (("bicubic", Image.BICUBIC), ("bilinear", Image.BILINEAR)):
    for w, h in ((16, 16), (64, 48), (37, 11), (10, 23), (96, 80)):
        out = np.asarray(Image.fromarray(image, "RGB").resize((w, h), resample=code))
        tensors[f"{name}_{w}x{h}"] = out

header, offset, blobs = {}, 0, []
for key in sorted(tensors):
    data = np.ascontiguousarray(tensors[key]).tobytes()
    header[key] = {"dtype": "U8", "shape": list(tensors[key].shape),
                   "data_offsets": [offset, offset + len(data)]}
    offset += len(data)
    blobs.append(data)
header["__metadata__"] = {"generator": "generate_pil_resize.py", "pillow": Image.__version__}
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * ((8 - len(text) % 8) % 8)
with open("pil_resize.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)))
    f.write(text)
    for blob in blobs:
        f.write(blob)

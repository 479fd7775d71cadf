"""Gzipped IDX files (the format of MNIST and Fashion-MNIST) for the bench's PyTorch sides, torch_step.py and
torch_epoch.py: the bytes after the header, the magic number checked."""
import gzip

import numpy as np
import torch

IMAGES, LABELS = 0x803, 0x801
HEADER = {IMAGES: 16, LABELS: 8}


def idx_values(path, magic, count=None, item=1):
    """The unsigned bytes after the header of a gzipped IDX file: all of them, or the first `count` items of `item` bytes."""
    header = HEADER[magic]
    with gzip.open(path, "rb") as f:
        raw = f.read() if count is None else f.read(header + count * item)
    if len(raw) < header or int.from_bytes(raw[:4], "big") != magic or (count is not None and len(raw) < header + count * item):
        wanted = "" if count is None else f" with {count} items"
        raise ValueError(f"{path}: not an IDX file of magic {magic:#x}{wanted}")
    return np.frombuffer(raw, np.uint8, offset=header)


def idx_images(path, count=None):
    """Images of 28×28 as float32 rows of 784 in [0, 1] (pixel / 255, as the vib CLI scales them)."""
    return torch.from_numpy(idx_values(path, IMAGES, count, 784).reshape(-1, 784).astype(np.float32) / 255)

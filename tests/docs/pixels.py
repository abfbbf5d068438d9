"""Screenshots compared by their pixels: a small PNG reader (8-bit RGB or RGBA, as Chromium
writes them) and the share of pixels that differ."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np


def read_png(path: Path) -> np.ndarray:
    """The image as a height x width x channels array of bytes."""
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), f"{path} is not a PNG"
    pos, chunks, header = 8, [], b""
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    depth, colour, interlace = header[8], header[9], header[12]
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"{path}: not an 8-bit RGB(A) PNG"
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows: list[bytes | bytearray] = []
    previous: bytes | bytearray = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], raw[start + 1 : start + 1 + stride]
        if kind == 0:
            row: bytes | bytearray = line
        elif kind == 2:  # up: one vector addition
            up = np.frombuffer(previous, dtype=np.uint8)
            row = (np.frombuffer(line, dtype=np.uint8) + up).tobytes()  # uint8 wraps, as PNG's mod 256
        else:  # sub, average, Paeth: each byte depends on the one to its left
            out = bytearray(stride)
            for x in range(stride):
                left = out[x - channels] if x >= channels else 0
                up_ = previous[x]
                if kind == 1:
                    pred = left
                elif kind == 3:
                    pred = (left + up_) >> 1
                else:
                    corner = previous[x - channels] if x >= channels else 0
                    p = left + up_ - corner
                    pa, pb, pc = abs(p - left), abs(p - up_), abs(p - corner)
                    pred = left if pa <= pb and pa <= pc else up_ if pb <= pc else corner
                out[x] = (line[x] + pred) & 0xFF
            row = out
        rows.append(row)
        previous = row
    out_ = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(height, width, channels)
    return out_[:, :, :3]


def differing_share(a: Path, b: Path, tolerance: int = 48) -> float:
    """The share of pixels (0 to 1) where some colour channel differs by more than ``tolerance``."""
    x, y = read_png(a), read_png(b)
    if x.shape != y.shape:
        return 1.0
    far = np.abs(x.astype(np.int16) - y.astype(np.int16)).max(axis=2) > tolerance
    return float(far.mean())

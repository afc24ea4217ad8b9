"""A small pure-Python safetensors reader (the Rust `safetensors` package is not packaged in Debian).

Format: an unsigned 64-bit little-endian header length N, N bytes of JSON mapping each tensor name to
{"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to the end of the header), then
the data. Each tensor is read on its own with os.pread, as Atelier reads weights, so peak memory is
the network plus one tensor, not the whole file.
"""
import json
import os
import struct

import torch

_DTYPES = {
    "F64": (torch.float64, 8),
    "F32": (torch.float32, 4),
    "F16": (torch.float16, 2),
    "BF16": (torch.bfloat16, 2),
    "I64": (torch.int64, 8),
    "I32": (torch.int32, 4),
    "I16": (torch.int16, 2),
    "I8": (torch.int8, 1),
    "U8": (torch.uint8, 1),
    "BOOL": (torch.bool, 1),
}

# A header this large is a damaged file, not a model (real SD2 headers are ~200 KB).
_MAX_HEADER_BYTES = 100 * 1024 * 1024


class SafetensorsError(ValueError):
    """A file that is not a readable safetensors file; the message names the file."""


class SafetensorsFile:
    def __init__(self, path):
        self.path = path
        self._fd = os.open(path, os.O_RDONLY)
        try:
            self._read_header()
        except Exception:
            os.close(self._fd)
            raise

    def close(self):
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _fail(self, what):
        raise SafetensorsError(f"{self.path}: {what}")

    def _read_header(self):
        size = os.fstat(self._fd).st_size
        prefix = os.pread(self._fd, 8, 0)
        if len(prefix) < 8:
            self._fail(f"{size} bytes is too short for a safetensors header")
        (header_len,) = struct.unpack("<Q", prefix)
        if header_len > _MAX_HEADER_BYTES or 8 + header_len > size:
            self._fail(f"header length {header_len} does not fit the file ({size} bytes)")
        try:
            header = json.loads(os.pread(self._fd, header_len, 8))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            self._fail(f"header is not JSON ({e})")
        if not isinstance(header, dict):
            self._fail("header is not a JSON object")
        self.metadata = header.pop("__metadata__", {}) or {}
        data_start = 8 + header_len
        data_size = size - data_start
        self._entries = {}
        for name, entry in header.items():
            try:
                dtype, width = _DTYPES[entry["dtype"]]
                shape = [int(d) for d in entry["shape"]]
                begin, end = (int(o) for o in entry["data_offsets"])
            except (KeyError, TypeError, ValueError) as e:
                self._fail(f"tensor '{name}' has an unreadable entry {entry!r} ({e})")
            count = 1
            for d in shape:
                if d < 0:
                    self._fail(f"tensor '{name}' has a negative dimension in {shape}")
                count *= d
            if not 0 <= begin <= end <= data_size:
                self._fail(f"tensor '{name}' lies at [{begin}, {end}) past the data ({data_size} bytes)")
            if end - begin != count * width:
                self._fail(f"tensor '{name}' {entry['dtype']} {shape} needs {count * width} bytes, "
                           f"the file gives it {end - begin}")
            self._entries[name] = (dtype, shape, data_start + begin, end - begin)

    def keys(self):
        return list(self._entries)

    def shape(self, name):
        return list(self._entries[name][1])

    def tensor(self, name):
        """The tensor `name`, read from disk now (a fresh, writable CPU tensor)."""
        if name not in self._entries:
            self._fail(f"has no tensor '{name}'")
        dtype, shape, offset, nbytes = self._entries[name]
        buffer = bytearray(nbytes)
        view = memoryview(buffer)
        done = 0
        while done < nbytes:
            got = os.preadv(self._fd, [view[done:]], offset + done)
            if got <= 0:
                self._fail(f"ended while reading tensor '{name}' (truncated while open?)")
            done += got
        if nbytes == 0:
            return torch.empty(shape, dtype=dtype)
        return torch.frombuffer(buffer, dtype=dtype).reshape(shape)


def load_prefixed(path, prefix):
    """{name without prefix: tensor} for every tensor whose name starts with prefix."""
    with SafetensorsFile(path) as f:
        return {k[len(prefix):]: f.tensor(k) for k in f.keys() if k.startswith(prefix)}

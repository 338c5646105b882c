"""Reading input files for the loaders: size limit, I/O errors and text decoding."""

from __future__ import annotations

import os
from pathlib import Path

from microgov.errors import DataFormatError

MAX_BYTES = 512 * 1024 * 1024
"""The largest input file a loader reads (512 MiB)."""


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a file for a loader, turning I/O failures into :class:`DataFormatError`."""
    source = os.fspath(path)
    try:
        size = os.path.getsize(source)
        if size > MAX_BYTES:
            raise DataFormatError(
                f"{source}: {size} bytes is larger than the {MAX_BYTES} bytes allowed.",
                f"{source}：文件过大（{size} 字节，上限 {MAX_BYTES} 字节）。",
                code="data.too_large",
                source=source,
            )
        return Path(source).read_bytes()
    except OSError as err:
        raise DataFormatError(
            f"{source}: cannot read the file: {err.strerror}.",
            f"{source}：无法读取文件：{err.strerror}。",
            code="data.unreadable",
            source=source,
        ) from None


def decode_text(text: str | bytes, source: str) -> str:
    """UTF-8 text without a byte-order mark, or a :class:`DataFormatError`."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise DataFormatError(
                f"{source}: not UTF-8 text (byte {err.start}).",
                f"{source}：不是 UTF-8 编码的文本（第 {err.start} 字节）。",
                code="data.encoding",
                source=source,
            ) from None
    return text.removeprefix("\ufeff")

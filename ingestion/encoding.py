"""One streaming pass over a file's bytes: its sha256, its format and (for text) its encoding.

Format comes from the bytes, never the file name: a ZIP is XLSX, an OLE2 compound file is a legacy XLS (BIFF),
text that opens with `<` and holds an html or table element is an HTML export (web systems save those as .xls), other text is
CSV. Encoding of text also comes from the bytes: a UTF-8 byte-order mark, else a strict UTF-8 decode of the
whole file, else a strict GB18030 decode (a superset of GBK and GB2312). DuckDB 1.4's CSV reader knows only
UTF-8/UTF-16/Latin-1 without the `encodings` extension (which cannot be installed here), so GB18030 files are
transcoded to a temporary UTF-8 file in 4 MiB chunks.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

CHUNK = 4 * 1024 * 1024
UTF8_BOM = codecs.BOM_UTF8
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: Excel 97-2003 workbooks (BIFF)


class UnreadableFile(Exception):
    """The file's bytes are not a format or encoding ingestion accepts."""


@dataclass(frozen=True)
class Sniffed:
    sha256: str
    format: str  # csv / xlsx / xls / html
    encoding: str | None  # utf-8 / utf-8-sig / gb18030 (None for xlsx and xls)
    size: int


def sniff(path: Path) -> Sniffed:
    """Hash the file and detect its format and encoding in one read."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        first = fh.read(CHUNK)
        if not first:
            raise UnreadableFile("the file is empty")
        digest.update(first)
        size += len(first)
        if first.startswith((ZIP_MAGIC, OLE2_MAGIC)):
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
            return Sniffed(digest.hexdigest(), "xlsx" if first.startswith(ZIP_MAGIC) else "xls", None, size)
        if first.startswith(OLE2_MAGIC[:4]):
            raise UnreadableFile("a damaged Excel 97-2003 file (.xls)")
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise UnreadableFile("UTF-16 text; save it as UTF-8 or GBK CSV")
        utf8 = codecs.getincrementaldecoder("utf-8")("strict")
        is_utf8 = True
        chunk = first
        while chunk:
            if is_utf8:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    is_utf8 = False
            chunk = fh.read(CHUNK)
            digest.update(chunk)
            size += len(chunk)
        if is_utf8:
            try:
                utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                is_utf8 = False
    if b"\x00" in first:
        raise UnreadableFile("binary data, not a CSV, XLSX or XLS export")
    fmt = "html" if is_html(first) else "csv"
    if not is_utf8:
        return Sniffed(digest.hexdigest(), fmt, "gb18030", size)
    return Sniffed(digest.hexdigest(), fmt, "utf-8-sig" if first.startswith(UTF8_BOM) else "utf-8", size)


def is_html(first: bytes) -> bool:
    """An HTML page: markup from the first character (after a byte-order mark and blanks) with an html or table
    element."""
    head = first.removeprefix(UTF8_BOM).lstrip()
    if not head.startswith(b"<"):
        return False
    lower = first.lower()
    return b"<table" in lower or b"<html" in lower


def python_codec(encoding: str) -> str:
    return {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "gb18030": "gb18030"}[encoding]


def copy_as_utf8(src: Path, dst: Path, encoding: str, start: int = 0) -> None:
    """Stream `src` from byte `start` to `dst` in UTF-8 (strict: an undecodable byte raises UnreadableFile)."""
    decoder = codecs.getincrementaldecoder("utf-8" if encoding.startswith("utf-8") else encoding)("strict")
    offset = start
    with src.open("rb") as fin, dst.open("wb") as fout:
        fin.seek(start)
        try:
            for chunk in iter(lambda: fin.read(CHUNK), b""):
                fout.write(decoder.decode(chunk).encode("utf-8"))
                offset += len(chunk)
            fout.write(decoder.decode(b"", final=True).encode("utf-8"))
        except UnicodeDecodeError as err:
            raise UnreadableFile(
                f"neither UTF-8 nor GB18030/GBK: undecodable bytes near byte {offset + err.start}"
            ) from None


def read_head(path: Path, encoding: str, max_bytes: int = 256 * 1024) -> tuple[bytes, str]:
    """The first bytes of a text file and their decoded text (an incomplete character at the cut is dropped;
    a UTF-8 byte-order mark is left out of the text)."""
    with path.open("rb") as fh:
        raw = fh.read(max_bytes)
        at_end = not fh.read(1)
    decoder = codecs.getincrementaldecoder(python_codec(encoding))("strict")
    try:
        return raw, decoder.decode(raw, final=at_end)
    except UnicodeDecodeError as err:
        raise UnreadableFile(f"undecodable bytes near byte {err.start}") from None

"""Shared types for the protocol parsers."""

from __future__ import annotations

import struct
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ParseAnomaly:
    """A named oddity met while parsing: malformed traffic is evidence, not an error.

    ``name`` is a stable snake_case identifier (``dns_compression_loop``); ``detail`` says
    what exactly was seen; ``offset`` is the byte offset in the parsed buffer, when known.
    """

    name: str
    detail: str = ""
    offset: int | None = None


class Short(Exception):
    """Internal to the parsers: a read ran past the end of the current bounded view."""


_U16 = struct.Struct("!H")
_U32 = struct.Struct("!I")
_U64 = struct.Struct("!Q")
_U8U16 = struct.Struct("!BH")


class Cursor:
    """A bounded big-endian reader over ``buf[pos:end]``; every read checks the bound and
    raises :class:`Short` instead of IndexError or struct.error."""

    __slots__ = ("buf", "end", "pos")

    def __init__(self, buf: bytes, pos: int = 0, end: int | None = None) -> None:
        self.buf = buf
        self.pos = pos
        self.end = len(buf) if end is None else min(end, len(buf))

    def remaining(self) -> int:
        return self.end - self.pos

    def _need(self, n: int) -> None:
        if n < 0 or self.pos + n > self.end:
            raise Short

    def u8(self) -> int:
        self._need(1)
        v = self.buf[self.pos]
        self.pos += 1
        return v

    def u16(self) -> int:
        self._need(2)
        v: int = _U16.unpack_from(self.buf, self.pos)[0]
        self.pos += 2
        return v

    def u24(self) -> int:
        self._need(3)
        hi, lo = _U8U16.unpack_from(self.buf, self.pos)
        self.pos += 3
        return int(hi) << 16 | int(lo)

    def u32(self) -> int:
        self._need(4)
        v: int = _U32.unpack_from(self.buf, self.pos)[0]
        self.pos += 4
        return v

    def varint(self) -> int:
        """RFC 9000 §16 variable-length integer."""
        self._need(1)
        prefix = self.buf[self.pos] >> 6
        if prefix == 0:
            v = self.buf[self.pos] & 0x3F
            self.pos += 1
            return v
        n = 1 << prefix
        self._need(n)
        if n == 2:
            v = _U16.unpack_from(self.buf, self.pos)[0] & 0x3FFF
        elif n == 4:
            v = _U32.unpack_from(self.buf, self.pos)[0] & 0x3FFFFFFF
        else:
            v = _U64.unpack_from(self.buf, self.pos)[0] & 0x3FFFFFFFFFFFFFFF
        self.pos += n
        return int(v)

    def take(self, n: int) -> bytes:
        self._need(n)
        v = self.buf[self.pos : self.pos + n]
        self.pos += n
        return v

    def rest(self) -> bytes:
        v = self.buf[self.pos : self.end]
        self.pos = self.end
        return v

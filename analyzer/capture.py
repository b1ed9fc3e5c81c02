"""Streaming readers for pcap and pcapng (plain, gzip-compressed, or standard input).

The readers walk the file in large chunks and hand out *batches*: one buffer plus a list of
record tuples ``(offset, caplen, wirelen, ts, linktype)`` pointing into it. Frame numbers are
implicit: every record is one frame, numbered from 1 in file order, exactly as Wireshark
numbers them: pcap records; pcapng EPB, SPB, OPB, and the custom and systemd-journal blocks
that Wireshark also shows as frames (these carry link type ``LT_RECORD`` and no packet).

Formats: libpcap (both byte orders, microsecond and nanosecond, and the 24-byte-record
"modified" variant), pcapng (several sections of either byte order, per-interface link type,
``if_tsresol`` and ``if_tsoffset``). A damaged file yields everything before the damage and a
named anomaly; only an input that is not a capture at all raises :class:`CaptureError`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import struct
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, Final

from .anomalies import AnomalyLog
from .errors import CaptureError

#: Wireshark's limit for one record (WTAP_MAX_PACKET_SIZE_STANDARD).
MAX_RECORD: Final = 262_144
#: A pcapng block larger than this is taken as a lie about its length.
MAX_BLOCK: Final = 16 * 1024 * 1024
CHUNK = 4 * 1024 * 1024
#: Reads at least this large start the hashing thread (small captures hash inline).
ASYNC_HASH_MIN = 1024 * 1024

Record = tuple[int, int, int, float, int]
#: Link type given to non-packet records that Wireshark still numbers as frames.
LT_RECORD: Final = -3
#: pcapng block types shown by Wireshark as frames without being packets: custom blocks
#: (copiable and not) and systemd journal export blocks.
NUMBERED_BLOCKS = frozenset((0x00000BAD, 0x40000BAD, 0x00000009))
Batch = tuple[bytes, list[Record]]

LINKTYPE_NAMES: dict[int, str] = {
    0: "NULL",
    1: "EN10MB",
    9: "PPP",
    12: "RAW",
    14: "RAW",
    50: "PPP_HDLC",
    51: "PPP_ETHER",
    101: "RAW",
    105: "IEEE802_11",
    108: "LOOP",
    113: "LINUX_SLL",
    127: "IEEE802_11_RADIO",
    228: "IPV4",
    229: "IPV6",
    276: "LINUX_SLL2",
}


def linktype_name(lt: int) -> str:
    return LINKTYPE_NAMES.get(lt, f"LINKTYPE_{lt}")


@dataclass(slots=True)
class CaptureInfo:
    """Facts about one input, filled in while it is read."""

    path: str
    format: str = "unknown"
    compressed: bool = False
    size: int = 0
    sha256: str = ""
    packets: int = 0
    link_types: list[int] = field(default_factory=list)
    first_ts: float | None = None
    last_ts: float | None = None
    truncated: bool = False
    snapped: int = 0
    sections: int = 0
    interfaces: int = 0


class _HashingReader:
    """A raw byte source that hashes and counts what passes through it.

    Large reads are hashed by a helper thread: hashlib releases the GIL, so on a big
    capture the SHA-256 (about 0.2 s per 270 MB) runs on another core while the packets are
    decoded. Updates keep their order (one thread, one queue, nothing hashed here once it
    started); :meth:`hexdigest` waits for it.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.hash = hashlib.sha256()
        self.size = 0
        self._queue: queue.Queue[bytes | None] | None = None
        self._worker: threading.Thread | None = None

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        if data:
            self.size += len(data)
            if self._queue is None and len(data) >= ASYNC_HASH_MIN:
                self._queue = queue.Queue(maxsize=4)  # bounded: drain() reads fast
                self._worker = threading.Thread(target=self._hash_queued, args=(self._queue,),
                                                name="capture-sha256", daemon=True)
                self._worker.start()
            if self._queue is not None:
                self._queue.put(data)
            else:
                self.hash.update(data)
        return data

    def _hash_queued(self, q: queue.Queue[bytes | None]) -> None:
        update = self.hash.update
        while True:
            data = q.get()
            if data is None:
                return
            update(data)

    def hexdigest(self) -> str:
        """The SHA-256 of everything read so far (ends the helper thread: read no more)."""
        if self._queue is not None and self._worker is not None:
            self._queue.put(None)
            self._worker.join()
            self._queue = None
            self._worker = None
        return self.hash.hexdigest()

    def drain(self) -> None:
        """Read to the end so the hash covers the whole input even if parsing stopped."""
        while self.read(CHUNK):
            pass


class _Source:
    """Chunked, optionally gunzipped byte source with a push-back for the first bytes."""

    def __init__(self, path: str) -> None:
        self.path = path
        raw: BinaryIO
        if path == "-":
            raw = sys.stdin.buffer
        else:
            try:
                raw = open(path, "rb")  # noqa: SIM115 - closed in close()
            except FileNotFoundError:
                raise CaptureError(f"{path}: no such file") from None
            except IsADirectoryError:
                raise CaptureError(f"{path}: is a directory, not a capture") from None
            except PermissionError:
                raise CaptureError(f"{path}: permission denied") from None
            except OSError as e:
                raise CaptureError(f"{path}: cannot open: {e.strerror or e}") from None
        self._raw = raw
        self.hashing = _HashingReader(raw)
        head = self._read_raw(2)
        self.compressed = head == b"\x1f\x8b"
        self._gz: _Gunzip | None = None
        self._pending = head
        if self.compressed:
            self._gz = _Gunzip(head, self._read_raw)
            self._pending = b""

    def _read_raw(self, n: int) -> bytes:
        try:
            return self.hashing.read(n)
        except OSError as e:
            raise CaptureError(f"{self.path}: read error: {e.strerror or e}") from None

    def read(self, n: int) -> tuple[bytes, bool]:
        """Return up to ``n`` bytes and whether the gzip stream was cut short."""
        if self._gz is not None:
            return self._gz.read(n)
        if self._pending:
            data = self._pending + self._read_raw(max(0, n - len(self._pending)))
            self._pending = b""
            return data, False
        return self._read_raw(n), False

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.hashing.drain()
        if self._raw is not sys.stdin.buffer:
            self._raw.close()


class _Gunzip:
    """Incremental gzip decompression (several members allowed) that keeps every byte it
    could decompress when the stream is cut short or damaged."""

    def __init__(self, head: bytes, read_raw: Callable[[int], bytes]) -> None:
        self._read_raw = read_raw
        self._d = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        self._raw = head
        self._out = b""
        self._done = False
        self._cut = False

    def read(self, n: int) -> tuple[bytes, bool]:
        """Up to ``n`` bytes; the flag says the stream was found cut short or damaged."""
        while len(self._out) < n and not self._done:
            raw = self._raw or self._read_raw(CHUNK)
            self._raw = b""
            if not raw:
                self._done = True
                self._cut = not self._d.eof
                break
            try:
                self._out += self._d.decompress(raw)
            except zlib.error:
                self._done = self._cut = True
                break
            if self._d.eof:
                rest = self._d.unused_data
                self._d = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
                if rest.strip(b"\0"):
                    self._raw = rest
                elif not rest:
                    more = self._read_raw(CHUNK)
                    if not more:
                        self._done = True
                        break
                    self._raw = more
                else:
                    self._done = True  # zero padding after the last member
        out, self._out = self._out[:n], self._out[n:]
        return out, self._cut and not out


PCAP_MAGICS: dict[bytes, tuple[str, float, int]] = {
    # magic bytes as on disk -> (byte order, timestamp unit, record header length)
    b"\xd4\xc3\xb2\xa1": ("<", 1e-6, 16),
    b"\xa1\xb2\xc3\xd4": (">", 1e-6, 16),
    b"\x4d\x3c\xb2\xa1": ("<", 1e-9, 16),
    b"\xa1\xb2\x3c\x4d": (">", 1e-9, 16),
    b"\x34\xcd\xb2\xa1": ("<", 1e-6, 24),  # Kuznetzov's modified pcap
    b"\xa1\xb2\xcd\x34": (">", 1e-6, 24),
}
PCAPNG_SHB = b"\x0a\x0d\x0d\x0a"


def read_capture(path: str, anomalies: AnomalyLog) -> tuple[CaptureInfo, Iterator[Batch]]:
    """Open ``path`` (or ``-``) and return its info and a batch iterator.

    Raises CaptureError at once when the input is empty or not a capture. The info object is
    completed (packet count, hash, time span) when the iterator is exhausted.
    """
    src = _Source(path)
    info = CaptureInfo(path=path, compressed=src.compressed)
    first, cut = src.read(CHUNK)
    if not first:
        src.close()
        if cut:
            raise CaptureError(f"{path}: gzip data is corrupt")
        raise CaptureError(f"{path}: empty file")
    magic = first[:4]
    if magic in PCAP_MAGICS:
        info.format = "pcap"
        it = _pcap_batches(src, first, info, anomalies)
    elif magic == PCAPNG_SHB:
        info.format = "pcapng"
        it = _pcapng_batches(src, first, info, anomalies)
    else:
        src.close()
        what = "gzip-compressed data" if src.compressed else "file"
        start = first[:4].hex() or "nothing"
        raise CaptureError(f"{path}: not a pcap or pcapng capture ({what} starts with {start})")
    return info, _finishing(it, src, info)


def _finishing(it: Iterator[Batch], src: _Source, info: CaptureInfo) -> Iterator[Batch]:
    try:
        yield from it
    finally:
        src.close()
        info.sha256 = src.hashing.hexdigest()
        info.size = src.hashing.size


def _refill(src: _Source, buf: bytes, off: int, info: CaptureInfo,
            anomalies: AnomalyLog) -> tuple[bytes, bool]:
    """Keep ``buf[off:]`` and append the next chunk. Returns (buffer, at_eof)."""
    more, cut = src.read(CHUNK)
    info.size = src.hashing.size
    if cut:
        info.truncated = True
        anomalies.add("capture_truncated_tail", info.packets or None, None,
                      "gzip stream ends early")
    if not more:
        return buf[off:], True
    return buf[off:] + more, False


def _u32le(b: bytes, o: int) -> int:
    return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)


def _u32be(b: bytes, o: int) -> int:
    return (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]


def _record_header(b: bytes, o: int, little: bool) -> tuple[int, int, int, int]:
    """The four words of a pcap record header. Compiled, a direct native call returning an
    unboxed tuple (a call through a variable holding a reader would box every argument)."""
    if little:
        return _u32le(b, o), _u32le(b, o + 4), _u32le(b, o + 8), _u32le(b, o + 12)
    return _u32be(b, o), _u32be(b, o + 4), _u32be(b, o + 8), _u32be(b, o + 12)


def _pcap_batches(src: _Source, buf: bytes, info: CaptureInfo,
                  anomalies: AnomalyLog) -> Iterator[Batch]:
    while len(buf) < 24:
        more, _ = src.read(CHUNK)
        if not more:
            raise CaptureError(f"{info.path}: truncated pcap file header")
        buf += more
    order, unit, rhl = PCAP_MAGICS[buf[:4]]
    _vmaj, _vmin, _zone, _sigfigs, _snaplen, network = struct.unpack_from(order + "HHiIII", buf, 4)
    linktype = network & 0x03FF_FFFF
    info.link_types.append(linktype)
    little = order == "<"
    off = 24
    n = 0
    first_ts: float | None = None
    ts = 0.0
    eof = False
    stop = False
    while True:
        end = len(buf)
        recs: list[Record] = []
        append = recs.append
        while off + rhl <= end:
            sec, frac, caplen, wirelen = _record_header(buf, off, little)
            if caplen > MAX_RECORD:
                anomalies.add("pcap_record_too_long", n + 1, None,
                              f"caplen {caplen} in the record after frame {n}")
                info.truncated = True
                stop = True
                break
            p = off + rhl
            if p + caplen > end:
                break
            n += 1
            ts = sec + frac * unit
            if caplen < wirelen:
                info.snapped += 1
            elif caplen > wirelen:
                anomalies.add("pcap_caplen_exceeds_len", n, None, f"{caplen} > {wirelen}")
            append((p, caplen, wirelen, ts, linktype))
            off = p + caplen
        if recs:
            if first_ts is None:
                first_ts = recs[0][3]
            yield buf, recs
        if stop or eof:
            break
        buf, eof = _refill(src, buf, off, info, anomalies)
        off = 0
    if not stop and off < len(buf) and not info.truncated:
        info.truncated = True
        anomalies.add("capture_truncated_tail", n or None, None,
                      f"{len(buf) - off} bytes after frame {n} do not form a whole record")
    info.packets = n
    info.first_ts = first_ts
    info.last_ts = ts if n else None


@dataclass(slots=True)
class _Iface:
    linktype: int
    unit: float
    offset: int


def _tsresol(v: int) -> float:
    if v & 0x80:
        return 2.0 ** -(v & 0x7F)
    return 10.0 ** -(v & 0x7F)


def _idb_options(body: bytes, start: int, stop: int, order: str) -> tuple[float, int]:
    """Read if_tsresol (9) and if_tsoffset (14) from an IDB's options."""
    unit = 1e-6
    tsoff = 0
    o = start
    h = struct.Struct(order + "HH")
    while o + 4 <= stop:
        code, ln = h.unpack_from(body, o)
        o += 4
        if code == 0:
            break
        if o + ln > stop:
            break
        if code == 9 and ln >= 1:
            unit = _tsresol(body[o])
        elif code == 14 and ln >= 8:
            (tsoff,) = struct.unpack_from(order + "q", body, o)
        o += (ln + 3) & ~3
    return unit, tsoff


def _pcapng_batches(src: _Source, buf: bytes, info: CaptureInfo,
                    anomalies: AnomalyLog) -> Iterator[Batch]:
    off = 0
    n = 0
    first_ts: float | None = None
    ts = 0.0
    order = "<"
    hdr = struct.Struct("<II")
    u32 = struct.Struct("<I")
    epb = struct.Struct("<IIIII")
    opb = struct.Struct("<HHIIII")
    ifaces: list[_Iface] = []
    in_section = False
    eof = False
    seen_lt: set[int] = set()
    while True:
        end = len(buf)
        recs: list[Record] = []
        append = recs.append
        stop = False
        while off + 12 <= end:
            btype_raw = buf[off:off + 4]
            if btype_raw == PCAPNG_SHB:
                bom = buf[off + 8:off + 12]
                if bom == b"\x4d\x3c\x2b\x1a":
                    order = "<"
                elif bom == b"\x1a\x2b\x3c\x4d":
                    order = ">"
                else:
                    anomalies.add("pcapng_bad_byte_order_magic", n or None, None, bom.hex())
                    info.truncated = True
                    stop = True
                    break
                hdr = struct.Struct(order + "II")
                u32 = struct.Struct(order + "I")
                epb = struct.Struct(order + "IIIII")
                opb = struct.Struct(order + "HHIIII")
            btype, blen = hdr.unpack_from(buf, off)
            if blen < 12 or blen % 4 or blen > MAX_BLOCK:
                anomalies.add("pcapng_bad_block_length", n or None, None,
                              f"block type {btype:#x} length {blen} at byte {off}")
                info.truncated = True
                stop = True
                break
            if off + blen > end:
                break  # need more data
            (trailer,) = u32.unpack_from(buf, off + blen - 4)
            if trailer != blen:
                anomalies.add("pcapng_bad_block_length", n or None, None,
                              f"block type {btype:#x}: length {blen}, trailer {trailer}")
                info.truncated = True
                stop = True
                break
            body = off + 8
            bend = off + blen - 4
            if btype == 6 or btype == 2 or btype == 3:
                if not in_section:
                    anomalies.add("pcapng_packet_before_section", n + 1)
                if btype == 6:
                    if bend - body < 20:
                        anomalies.add("pcapng_bad_block_length", n + 1, None, "short EPB")
                        off += blen
                        continue
                    iid, hi, lo, caplen, wirelen = epb.unpack_from(buf, body)
                    data = body + 20
                elif btype == 2:
                    if bend - body < 20:
                        anomalies.add("pcapng_bad_block_length", n + 1, None, "short OPB")
                        off += blen
                        continue
                    iid, _drops, hi, lo, caplen, wirelen = opb.unpack_from(buf, body)
                    data = body + 20
                else:
                    iid, hi, lo = 0, 0, 0
                    (wirelen,) = u32.unpack_from(buf, body)
                    data = body + 4
                    caplen = min(wirelen, bend - data)
                n += 1
                if data + caplen > bend:
                    anomalies.add("pcapng_bad_block_length", n, None,
                                  f"caplen {caplen} beyond its block")
                    caplen = max(0, bend - data)
                if iid < len(ifaces):
                    itf = ifaces[iid]
                    lt = itf.linktype
                    if btype != 3:  # an SPB has no time stamp: it keeps the previous one
                        ts = ((hi << 32) | lo) * itf.unit + itf.offset
                else:
                    anomalies.add("pcapng_unknown_interface", n, None, f"interface {iid}")
                    lt = -1
                if caplen < wirelen:
                    info.snapped += 1
                append((data, caplen, wirelen, ts, lt))
            elif btype in NUMBERED_BLOCKS:
                # Wireshark shows these records as frames of their own: number them too
                n += 1
                append((body, 0, 0, ts, LT_RECORD))
            elif btype == 1:
                lt, _res, _snap = struct.unpack_from(order + "HHI", buf, body)
                unit, tsoff = _idb_options(buf, body + 8, bend, order)
                ifaces.append(_Iface(lt, unit, tsoff))
                info.interfaces += 1
                if lt not in seen_lt:
                    seen_lt.add(lt)
                    info.link_types.append(lt)
            elif btype == 0x0A0D0D0A:
                ifaces = []
                in_section = True
                info.sections += 1
            else:
                anomalies.add("pcapng_skipped_block", n or None, None, f"type {btype:#x}")
            off += blen
        if recs:
            if first_ts is None:
                first_ts = recs[0][3]
            yield buf, recs
        if stop or eof:
            break
        buf, eof = _refill(src, buf, off, info, anomalies)
        off = 0
    if not stop and off < len(buf) and not info.truncated:
        info.truncated = True
        anomalies.add("capture_truncated_tail", n or None, None,
                      f"{len(buf) - off} bytes after frame {n} do not form a whole block")
    info.packets = n
    info.first_ts = first_ts
    info.last_ts = ts if n else None


def file_size(path: str) -> int | None:
    """Size in bytes of a regular file, or None (standard input, pipes)."""
    if path == "-":
        return None
    try:
        return os.stat(path).st_size
    except OSError:
        return None

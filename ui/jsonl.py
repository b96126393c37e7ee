"""Append-only JSON Lines files that survive any Unicode, a kill and a full disk.

- Written with `ensure_ascii=True`: every non-ASCII character is escaped, so a line holds
  no U+2028, U+0085 or other character some readers take for a line break.
- Read back by splitting on "\\n" only (never `str.splitlines`), skipping a torn or
  corrupt line instead of failing on it (its number is reported).
- One `os.write` per record on an O_APPEND descriptor; a write that fails half-way (disk
  full) is truncated back, so the file holds whole records only; a torn last line left by
  a killed process is ended before the next record is appended.
- Rotated past a size: `feedback.jsonl` becomes `feedback.<UTC time>.jsonl`; only the
  newest `keep` rotated files are kept (bounded disk use)."""

from __future__ import annotations

import errno
import json
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


class DiskFull(OSError):
    """The record was not written: no space left (or quota exceeded)."""


def _lock_for(path: Path) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(str(path), threading.Lock())


def dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=True, separators=(",", ":"), allow_nan=False)


@dataclass
class Lines:
    records: list[dict] = field(default_factory=list)
    skipped: list[tuple[str, int]] = field(default_factory=list)  # (file name, line number) of unreadable lines


def rotated(path: Path) -> list[Path]:
    """The rotated files of `path`, oldest first."""
    return sorted(path.parent.glob(f"{path.stem}.*{path.suffix}")) if path.parent.is_dir() else []


def append(path: Path, record: dict, rotate_bytes: int | None = None, keep: int = 10) -> int:
    """Append one record; returns the bytes written. Raises DiskFull (nothing written) when
    the disk is full, OSError on other failures (nothing written either)."""
    line = (dumps(record) + "\n").encode("ascii")
    with _lock_for(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        if rotate_bytes and path.exists() and path.stat().st_size + len(line) > rotate_bytes and path.stat().st_size:
            _rotate(path, keep)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            size = os.fstat(fd).st_size
            if size and _last_byte(path, size) != b"\n":
                line = b"\n" + line  # a process killed mid-write left a torn line: close it first
            try:
                written = os.write(fd, line)
                if written != len(line):
                    raise OSError(errno.ENOSPC, "écriture partielle")
                os.fsync(fd)
            except OSError as exc:
                os.ftruncate(fd, size)  # whole records only
                if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                    raise DiskFull(exc.errno, os.strerror(exc.errno)) from None
                raise
            return written
        finally:
            os.close(fd)


def _last_byte(path: Path, size: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(size - 1)
        return fh.read(1)


def _rotate(path: Path, keep: int) -> None:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%f")
    os.replace(path, path.with_name(f"{path.stem}.{stamp}{path.suffix}"))
    for old in rotated(path)[: max(0, len(rotated(path)) - keep)]:
        old.unlink(missing_ok=True)


def read(path: Path, include_rotated: bool = True) -> Lines:
    """Every readable record, oldest first (rotated files, then the current one)."""
    out = Lines()
    files = (rotated(path) if include_rotated else []) + ([path] if path.exists() else [])
    for file in files:
        for number, raw in enumerate(file.read_bytes().split(b"\n"), start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                out.skipped.append((file.name, number))
                continue
            if isinstance(record, dict):
                out.records.append(record)
            else:
                out.skipped.append((file.name, number))
    return out

"""The administrators' journal: who did what, when, from where (settings.audit_path).

One JSON object per line: `time` (UTC, ISO 8601), `user`, `role`, `client` (address),
`action` ("upload", "reindex", "delete", "catalog", "refused"), `ok` and the action's
details (files with their sha256, document, labels before and after…). A reader's attempt
at an admin action is recorded as "refused". Written like the feedback file (ui/jsonl.py)
and also sent to the server log."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path

from . import jsonl
from .auth import Caller

log = logging.getLogger("pairs.audit")


class AuditLog:
    def __init__(self, path: Path, rotate_mb: float = 10.0, keep_files: int = 10):
        self.path = Path(path)
        self.rotate_bytes, self.keep_files = int(rotate_mb * 1024 * 1024), keep_files

    @classmethod
    def of(cls, settings) -> "AuditLog":
        return cls(settings.audit_path, settings.feedback_rotate_mb, max(settings.feedback_keep_files, 50))

    def record(self, caller: Caller, action: str, ok: bool = True, **details) -> dict:
        entry = {"time": datetime.now(timezone.utc).isoformat(timespec="seconds"), "user": caller.user or "(local)",
                 "role": caller.role or "", "client": caller.client, "action": action, "ok": ok, **details}
        log.info("%s by %s from %s: %s", action, entry["user"], caller.client, "ok" if ok else "refused/failed")
        try:
            jsonl.append(self.path, entry, self.rotate_bytes, self.keep_files)
        except OSError as exc:  # the action itself is not undone; the log says the journal missed it
            log.error("audit journal not written (%s): %s", type(exc).__name__, entry)
        return entry

    def read(self) -> list[dict]:
        return jsonl.read(self.path).records

"""Who may do what in the web UI and its API. Pure rules, no Gradio.

Two roles:

- reader: ask, check sources, search, list the corpus (with provenance), give feedback;
- admin: everything a reader does, plus add, delete and re-index documents and edit the
  catalogue; sees the sentences the injection detector flagged.

Accounts come from the settings: PAIRS_READER_USER/PASSWORD and PAIRS_ADMIN_USER/PASSWORD
(PAIRS_AUTH_USER/PASSWORD is the reader pair under its former name). Gradio's login
(`launch(auth=…)`) checks the password; every handler then reads `request.username` and
asks `role_of` on the server: hiding a button is never the check. With no account
configured, the single local user is admin, but only from a loopback address (a reverse
proxy on the same machine passes the real client address, which is then a reader)."""

from __future__ import annotations

import hmac
import ipaddress
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ingest import Settings

log = logging.getLogger(__name__)

Role = Literal["reader", "admin"]
READER: Role = "reader"
ADMIN: Role = "admin"
ROLE_LABELS = {READER: "lecteur", ADMIN: "administrateur"}
ADMIN_ONLY = "Action réservée aux administrateurs : votre compte est un compte lecteur."

MAX_FAILURES = 8  # failed logins for one user name within FAILURE_WINDOW…
FAILURE_WINDOW = 300.0  # …lock that name for LOCKOUT seconds (even with the right password)
LOCKOUT = 300.0


@dataclass(frozen=True)
class Account:
    user: str
    password: str
    role: Role


@dataclass(frozen=True)
class Caller:
    """Who is calling: the login name ("" without accounts), the role, the client address."""

    user: str
    role: Role | None
    client: str

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def label(self) -> str:
        """For provenance and logs: "alice (administrateur)", "utilisateur local"."""
        who = self.user or ("utilisateur local" if self.role == ADMIN else f"anonyme {self.client}")
        return f"{who} ({ROLE_LABELS[self.role]})" if self.user and self.role else who

    @property
    def rate_key(self) -> str:
        return f"{self.user or '-'}@{self.client}"


def is_loopback(host: str) -> bool:
    if (host or "").strip().lower() in {"localhost", "localhost.localdomain", "ip6-localhost"}:
        return True
    try:
        return ipaddress.ip_address((host or "").strip("[]")).is_loopback
    except ValueError:
        return False


def reader_pair(settings: Settings) -> tuple[str, str]:
    if settings.reader_user or settings.reader_password:
        return settings.reader_user, settings.reader_password
    return settings.auth_user, settings.auth_password


def accounts(settings: Settings) -> list[Account]:
    """The configured accounts (complete pairs only; `account_problem` reports the others)."""
    found = []
    user, password = reader_pair(settings)
    if user and password:
        found.append(Account(user, password, READER))
    if settings.admin_user and settings.admin_password:
        found.append(Account(settings.admin_user, settings.admin_password, ADMIN))
    return found


def account_problem(settings: Settings) -> str:
    """Why the accounts cannot be used ("" when they can), in French."""
    pairs = [("PAIRS_READER_USER", "PAIRS_READER_PASSWORD", settings.reader_user, settings.reader_password),
             ("PAIRS_ADMIN_USER", "PAIRS_ADMIN_PASSWORD", settings.admin_user, settings.admin_password),
             ("PAIRS_AUTH_USER", "PAIRS_AUTH_PASSWORD", settings.auth_user, settings.auth_password)]
    for user_name, password_name, user, password in pairs:
        if bool(user) != bool(password):
            return f"Authentification incomplète : définissez à la fois {user_name} et {password_name} (ou aucun des deux)."
    if (settings.reader_user or settings.reader_password) and (settings.auth_user or settings.auth_password):
        return ("Deux comptes lecteurs : PAIRS_AUTH_USER est l'ancien nom de PAIRS_READER_USER ; "
                "n'en définissez qu'un.")
    users = [a.user for a in accounts(settings)]
    if len(users) != len(set(users)):
        return "Le compte lecteur et le compte administrateur doivent avoir des noms différents."
    return ""


def role_of(settings: Settings, username: str | None, client_host: str) -> Role | None:
    """The role of a caller: the account's when logged in; without any account, admin from a
    loopback address and reader otherwise; None for an unknown name (no access)."""
    configured = accounts(settings)
    if not configured:
        return ADMIN if is_loopback(client_host) else READER
    return next((a.role for a in configured if a.user == username), None)


def caller_of(settings: Settings, username: str | None, client_host: str) -> Caller:
    return Caller(username or "", role_of(settings, username, client_host), client_host or "?")


class PasswordCheck:
    """Gradio's `auth` callable: constant-time comparison with the configured accounts, and a
    user name locked for a while after repeated failures (slows down password guessing)."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic):
        self.accounts = {a.user: a for a in accounts(settings)}
        self.clock = clock
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def __call__(self, username: str, password: str) -> bool:
        now = self.clock()
        key = (username or "")[:200]
        with self._lock:
            if self._locked_until.get(key, 0.0) > now:
                log.warning("login refused: %r is locked after repeated failures", key)
                return False
        account = self.accounts.get(key)
        # compare even for an unknown name, so timing does not tell names apart
        expected = account.password if account else "\0" * 32
        ok = hmac.compare_digest(str(password or "").encode(), expected.encode()) and account is not None
        with self._lock:
            if ok:
                self._failures.pop(key, None)
                return True
            recent = [t for t in self._failures.get(key, []) if now - t < FAILURE_WINDOW] + [now]
            self._failures[key] = recent[-MAX_FAILURES:]
            if len(self._failures) > 10_000:  # bounded memory under a flood of invented names
                self._failures.pop(next(iter(self._failures)))
            if len(recent) >= MAX_FAILURES:
                self._locked_until[key] = now + LOCKOUT
                log.warning("login: %r locked for %.0f s after %d failures", key, LOCKOUT, len(recent))
            else:
                log.warning("login failed for %r", key)
        return False

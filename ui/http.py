"""HTTP guard around the Gradio app (an ASGI middleware given to FastAPI at launch):

- request bodies are bounded before anything reads them: `max_request_kb` for every
  request, `max_upload_mb` × `max_upload_files` for Gradio's upload route (which also
  checks each file against `max_file_size`); a larger body gets 413 with a French message;
- Gradio's upload route (which any logged-in user may call, and which writes to the
  server's temporary folder) is for administrators only: a reader gets 403;
- every response carries a Content-Security-Policy that lets the page load nothing from
  another host (no remote image, font, script, frame or connection: a document or a model
  output cannot make the browser call out), plus nosniff, no referrer, no framing."""

from __future__ import annotations

import json
from http.cookies import SimpleCookie

from .auth import ADMIN, role_of

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",  # Gradio's front end evaluates the app's js
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "media-src 'self' data: blob:",
    "frame-src 'none'",
    "child-src 'none'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]
TOO_LARGE = "Requête trop volumineuse : {size} Ko au plus."
UPLOAD_FORBIDDEN = "Dépôt de fichiers réservé aux administrateurs."


def _username(scope) -> str | None:
    """The login Gradio attached to this request's cookie (None when there is none)."""
    app = scope.get("app")
    tokens, cookie_id = getattr(app, "tokens", None), getattr(app, "cookie_id", None)
    if not tokens or not cookie_id:
        return None
    cookies = SimpleCookie()
    try:
        cookies.load(dict(scope.get("headers") or []).get(b"cookie", b"").decode("latin-1"))
    except Exception:  # noqa: BLE001 - a malformed cookie header is no login
        return None
    for name in (f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}"):
        if name in cookies and cookies[name].value in tokens:
            return tokens[cookies[name].value]
    return None


class RequestGuard:
    def __init__(self, app, max_body: int, max_upload: int, settings=None):
        self.app, self.max_body, self.max_upload, self.settings = app, max_body, max_upload, settings

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        upload = scope.get("path", "").rstrip("/").endswith("/upload")
        limit = self.max_upload if upload else self.max_body
        if upload and self.settings is not None and scope.get("method") == "POST":
            client = (scope.get("client") or ("", 0))[0]
            if role_of(self.settings, _username(scope), client) != ADMIN:
                return await self._refuse(send, 0, status=403, message=UPLOAD_FORBIDDEN)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message = {**message, "headers": list(message.get("headers", [])) + [h for h in SECURITY_HEADERS if h[0] not in names]}
            await send(message)

        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return await self._refuse(send_with_headers, limit)
        received = 0
        refused = False

        async def bounded_receive():
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    raise BodyTooLarge()
            return message

        try:
            await self.app(scope, bounded_receive, send_with_headers)
        except BodyTooLarge:
            if refused:
                await self._refuse(send_with_headers, limit)

    @staticmethod
    async def _refuse(send, limit: int, status: int = 413, message: str = "") -> None:
        body = json.dumps({"detail": message or TOO_LARGE.format(size=limit // 1024)}, ensure_ascii=False).encode()
        headers = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers + SECURITY_HEADERS})
        await send({"type": "http.response.body", "body": body})


class BodyTooLarge(Exception):
    pass


def middleware(settings) -> list:
    """What `launch(app_kwargs={"middleware": …})` takes."""
    from starlette.middleware import Middleware

    max_body = int(settings.max_request_kb) * 1024
    max_upload = int(settings.max_upload_mb) * 1024 * 1024 * int(settings.max_upload_files) + 1024 * 1024
    return [Middleware(RequestGuard, max_body=max_body, max_upload=max_upload, settings=settings)]

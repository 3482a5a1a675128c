"""One local origin: the built SPA at `/` and the Chalice app at `/api/v1`.

The API goes through Chalice's own LocalGateway (what `chalice local` uses), so
the same app object answers here and behind API Gateway. Chalice keeps the
current request on the app object, as Lambda runs one request at a time per
container; API calls are therefore serialised with a lock, while static files
are served concurrently.
"""
from __future__ import annotations

import base64
import logging
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from chalice.config import Config
from chalice.local import LocalGateway, LocalGatewayException

from app import app

log = logging.getLogger("hes.local.server")
DIST = Path(__file__).resolve().parent.parent / "frontend" / "dist"
MAX_BODY = 64 * 1024 * 1024
NO_ROUTE = b'{"error": {"code": "not_found", "message": "no such API route", "details": []}}'
NOT_BUILT = b"<h1>HES Core</h1><p>The web app is not built yet: run <code>make run</code>.</p>"


class Handler(BaseHTTPRequestHandler):
    server_version = "hes-core-local"
    gateway: LocalGateway
    lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def _api(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(413, {"Content-Type": "application/json"},
                       b'{"error": {"code": "payload_too_large", "message": "request body too large", "details": []}}')
            return
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            with self.lock:
                res = self.gateway.handle_request(self.command, self.path, headers, body)
            status, out_headers, payload = res["statusCode"], res.get("headers", {}), res.get("body") or b""
            if res.get("isBase64Encoded"):
                payload = base64.b64decode(payload)
        except (LocalGatewayException, ValueError):
            # we use no API Gateway authorizers, so the gateway only refuses paths no route matches
            status, out_headers, payload = 404, {"Content-Type": "application/json"}, NO_ROUTE
        self._send(status, out_headers, payload if isinstance(payload, bytes) else payload.encode())

    def _static(self) -> None:
        path = urlsplit(self.path).path
        target = (DIST / path.lstrip("/")).resolve()
        if not target.is_relative_to(DIST) or not target.is_file():
            target = DIST / "index.html"  # the SPA routes everything else itself
        if not target.is_file():
            self._send(503, {"Content-Type": "text/html"}, NOT_BUILT)
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        cache = "public, max-age=31536000, immutable" if "/assets/" in path else "no-cache"
        self._send(200, {"Content-Type": kind, "Cache-Control": cache}, target.read_bytes(),
                   head=self.command == "HEAD")

    def _send(self, status: int, headers: dict[str, str], payload: bytes, head: bool = False) -> None:
        self.send_response(status)
        for key, value in headers.items():
            if key.lower() not in ("content-length", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if not head:
            self.wfile.write(payload)

    def _dispatch(self) -> None:
        if self.path.startswith("/api/"):
            self._api()
        elif self.command in ("GET", "HEAD"):
            self._static()
        else:
            self._send(405, {"Content-Type": "text/plain"}, b"method not allowed")

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _dispatch


def make_server(host: str, port: int) -> ThreadingHTTPServer:
    Handler.gateway = LocalGateway(app, Config.create(chalice_stage="local", chalice_app=app, app_name="hes-core"))
    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server

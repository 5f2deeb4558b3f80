"""A LibreTranslate-compatible HTTP server on 127.0.0.1 for tests and benchmarks (no network).

It answers ``POST /translate`` (parameters in the query string, as deep-translator sends them, or in a
form or JSON body) and ``GET /languages``. Its "translation" upper-cases the text and prefixes ``ca:``,
leaving tokens and white space alone, so tests can tell a draft from its source. Failures are injected
through :class:`Behaviour`: latency per request, a number of 429 answers with ``Retry-After``, 500
answers, garbage bodies, dropped placeholders (tokens removed from the answer), a required API key (403).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_TOKEN = re.compile(r"⟦\s*\d+\s*⟧")


@dataclass
class Behaviour:
    """What the server does; tests change it between requests (counters count down)."""

    latency: float = 0.0
    rate_limited: int = 0
    """How many of the next requests get 429 with ``Retry-After: retry_after``."""
    retry_after: str = "0"
    errors: int = 0
    """How many of the next requests get a 500."""
    garbage: int = 0
    """How many of the next requests get a 200 with a body that is not JSON."""
    drop_placeholders: bool = False
    api_key: str | None = None
    """When set, requests without this ``api_key`` get 403."""
    requests: int = 0
    texts: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, name: str) -> bool:
        with self.lock:
            left = int(getattr(self, name))
            if left > 0:
                setattr(self, name, left - 1)
                return True
            return False


def fake_translation(text: str, drop: bool = False) -> str:
    """What the server returns for ``text``: ``ca:`` + upper case, tokens kept (or dropped)."""
    parts = _TOKEN.split(text)
    tokens = _TOKEN.findall(text)
    out = [parts[0].upper()]
    for token, part in zip(tokens, parts[1:], strict=True):
        out.append("" if drop else token)
        out.append(part.upper())
    return "ca:" + "".join(out)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # As LibreTranslate's server (waitress) does: TCP_NODELAY on each connection. Without it the body,
    # written after the headers, waits for the client's delayed ACK (~40 ms on Linux) on every answer
    # over a kept-alive connection: a stall of the fake server's, which a client that opens a fresh
    # connection per request does not see, and a real server does not have.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None,
                kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        behaviour = self.server.behaviour
        if urlsplit(self.path).path == "/_stats":  # for benchmarks that run the server in another process
            self._answer(200, json.dumps({"requests": behaviour.requests}).encode())
        elif urlsplit(self.path).path == "/_reset":
            with behaviour.lock:
                behaviour.requests = 0
            self._answer(200, b"{}")
        elif urlsplit(self.path).path.rstrip("/") == "/languages":
            codes = [{"code": c, "name": c, "targets": ["ca", "es", "eu", "gl"]} for c in ("en", "ca", "es")]
            self._answer(200, json.dumps(codes).encode())
        else:
            self._answer(404, b'{"error": "not found"}')

    def do_POST(self) -> None:
        behaviour = self.server.behaviour
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8") if length else ""
        params = {k: v[0] for k, v in parse_qs(split.query).items()}
        if body:
            if body.lstrip().startswith("{"):
                params.update(json.loads(body))
            else:
                params.update({k: v[0] for k, v in parse_qs(body).items()})
        with behaviour.lock:
            behaviour.requests += 1
        if behaviour.latency:
            time.sleep(behaviour.latency)
        if split.path.rstrip("/") != "/translate":
            self._answer(404, b'{"error": "not found"}')
            return
        if behaviour.api_key is not None and params.get("api_key") != behaviour.api_key:
            self._answer(403, b'{"error": "Invalid API key"}')
            return
        if behaviour.take("rate_limited"):
            self._answer(429, b'{"error": "Slowdown: 1 per 1 second"}', {"Retry-After": behaviour.retry_after})
            return
        if behaviour.take("errors"):
            self._answer(500, b'{"error": "internal error"}')
            return
        if behaviour.take("garbage"):
            self._answer(200, b"<html>Bad gateway</html>", kind="text/html")
            return
        text = str(params.get("q", ""))
        with behaviour.lock:
            behaviour.texts.append(text)
        answer = fake_translation(text, behaviour.drop_placeholders)
        self._answer(200, json.dumps({"translatedText": answer}, ensure_ascii=False).encode("utf-8"))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, behaviour: Behaviour) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour = behaviour


@dataclass(frozen=True)
class FakeServer:
    """A running server: its base ``url`` (ending in ``/``) and its :class:`Behaviour`."""

    url: str
    behaviour: Behaviour


@contextmanager
def serve(behaviour: Behaviour | None = None) -> Iterator[FakeServer]:
    """Run a fake LibreTranslate server in a thread for the duration of the ``with`` block."""
    behaviour = behaviour or Behaviour()
    server = _Server(behaviour)
    thread = threading.Thread(target=server.serve_forever, name="fake-libretranslate", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield FakeServer(f"http://{host!s}:{port}/", behaviour)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def main(argv: list[str] | None = None) -> int:
    """Serve until killed (``python -m tests.fake_libretranslate --latency 0.1``); prints the URL first."""
    parser = argparse.ArgumentParser(description="a fake LibreTranslate server on 127.0.0.1")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds to wait before each answer")
    args = parser.parse_args(argv)
    server = _Server(Behaviour(latency=args.latency))
    host, port = server.server_address[:2]
    print(f"http://{host!s}:{port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

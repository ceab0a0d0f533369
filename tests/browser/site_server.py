"""A static server for the built site on 127.0.0.1, with the MIME types Pyodide needs.

Used by the browser tests and by bench/browser.py.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with correct types for .mjs and .wasm, and no log lines."""

    extensions_map = {  # noqa: RUF012 - class attribute read by the base class
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".zip": "application/zip",
    }
    extra_pages: dict[str, str] = {}  # noqa: RUF012 - path -> HTML served from memory

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/sitemap.xml":
            self.send_sitemap()
            return
        page = self.extra_pages.get(path)
        if page is None:
            super().do_GET()
            return
        self.send_body(page.encode(), "text/html; charset=utf-8")

    def send_sitemap(self) -> None:
        """The sitemap as if the site were published here: Material's instant navigation only
        follows links listed in it, and the build lists them under the site_url."""
        text = (Path(self.directory) / "sitemap.xml").read_text(encoding="utf-8")
        locs = re.findall(r"<loc>([^<]*)</loc>", text)
        if locs:
            prefix = locs[0][: locs[0].rfind("/") + 1]
            while not all(loc.startswith(prefix) for loc in locs):
                prefix = prefix[: prefix.rstrip("/").rfind("/") + 1]
            text = text.replace(f"<loc>{prefix}", f"<loc>http://{self.headers['Host']}/")
        self.send_body(text.encode(), "application/xml")

    def send_body(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a browser closing a connection early is not an error here


def serve(directory: Path, extra_pages: dict[str, str] | None = None) -> tuple[SiteServer, str]:
    """Serve ``directory`` on a free port of 127.0.0.1 in a daemon thread; return (server, url).

    ``extra_pages`` maps paths such as ``/bare.html`` to HTML served from memory.
    """
    handler_class = type("Handler", (SiteHandler,), {"extra_pages": dict(extra_pages or {})})
    handler = functools.partial(handler_class, directory=str(directory))
    server = SiteServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"

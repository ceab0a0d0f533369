"""A static server for the built site on 127.0.0.1, for the browser tests and the benchmarks.

It is the offline copy's launcher (``offline/launch.py``: Pyodide's MIME types, a sitemap rebased
on the server's own address so instant navigation works on loopback), plus pages served from
memory, such as the benchmark's bare Pyodide page.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "offline"))

from launch import Handler


class SiteHandler(Handler):
    """The launcher's handler, with extra pages served from memory."""

    extra_pages: dict[str, str] = {}  # noqa: RUF012 - path -> HTML served from memory

    def do_GET(self) -> None:
        page = self.extra_pages.get(self.path.split("?")[0])
        if page is None:
            super().do_GET()
            return
        body = page.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


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

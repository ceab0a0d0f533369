#!/usr/bin/env python3
"""Serve this offline copy of the course on localhost and open it in the browser.

Opened straight from the folder (file://), the pages run their code boxes only in browsers that
allow it (Chromium-based ones and Firefox do, Safari does not); from a web server they run
everywhere. This launcher is that server: standard library only, listening on the loopback
address, so nothing leaves the machine.

    python3 launch.py              # serves on a free port and opens the browser
    python3 launch.py --port 8000 --no-browser
"""

from __future__ import annotations

import argparse
import functools
import http.server
import mimetypes
import re
import sys
import threading
import webbrowser
from pathlib import Path
from typing import ClassVar

SITE = Path(__file__).resolve().parent / "site"
TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm"}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types Pyodide needs, and a quiet log."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        **TYPES,
    }

    def do_GET(self) -> None:
        if self.path.split("?")[0] == "/sitemap.xml":
            self.send_sitemap()
        else:
            super().do_GET()

    def send_sitemap(self) -> None:
        """The sitemap with this server's address in place of the published one.

        Material's instant navigation follows only the links its sitemap lists; rewritten, pages
        here load without a full reload, and the Python started on one page stays warm.
        """
        text = (Path(self.directory) / "sitemap.xml").read_text(encoding="utf-8")
        body = rebase_sitemap(text, f"http://{self.headers['Host']}/").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def rebase_sitemap(text: str, base: str) -> str:
    """Replace the common prefix of every ``<loc>`` in ``text`` with ``base``.

    >>> rebase_sitemap("<loc>https://a.io/c/x.html</loc><loc>https://a.io/c/</loc>", "http://h/")
    '<loc>http://h/x.html</loc><loc>http://h/</loc>'
    """
    locs = re.findall(r"<loc>([^<]*)</loc>", text)
    if not locs:
        return text
    prefix = locs[0][: locs[0].rfind("/") + 1]
    while not all(loc.startswith(prefix) for loc in locs):
        prefix = prefix[: prefix.rstrip("/").rfind("/") + 1]
    return text.replace(f"<loc>{prefix}", f"<loc>{base}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: any free)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    args = parser.parse_args(argv)
    if not (SITE / "index.html").is_file():
        print(f"No site found at {SITE}: keep launch.py beside the site/ folder.", file=sys.stderr)
        return 1
    for suffix, kind in TYPES.items():
        mimetypes.add_type(kind, suffix)
    handler = functools.partial(Handler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    print(f"Serving the course at {url}  (Ctrl+C to stop)", flush=True)
    if not args.no_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

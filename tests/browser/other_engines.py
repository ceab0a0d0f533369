"""Firefox and WebKit, driven the same way, for the cross-browser tests and the benchmark.

- **Firefox:** Debian's ``firefox-esr`` through ``puppeteer-core`` over WebDriver BiDi
  (``firefox_bridge.mjs``, one JSON command a line). Every request of a page is recorded.
- **WebKit:** Debian's ``webkit2gtk-driver`` starting ``MiniBrowser --automation`` under
  ``xvfb-run``, through Selenium's WebDriver client. It has no request log, so the session is
  given a proxy that answers nothing and records what reaches it: any request outside loopback.

Both offer the few verbs the tests need: ``goto``, ``js`` (a function's source, awaited),
``wait``, ``click``, ``press``, ``reload``, ``foreign()`` and ``fresh()`` (empty storage).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
NODE = shutil.which("node") or "node"
WAIT_S = 300  # WebKit compiles Pyodide afresh for every worker: a minute or more on a busy machine


class EngineError(AssertionError):
    """The page's script threw, or the engine refused a command."""


def local(url: str, origin: str) -> bool:
    """Whether ``url`` stays on the site: its own origin, or blob:/data:/about:."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    if origin == "file://":
        return parts.scheme == "file"
    return f"{parts.scheme}://{parts.netloc}" == origin


class Engine:
    """The verbs shared by both engines; subclasses implement ``_js`` and the rest."""

    name = ""
    version = ""

    def js(self, source: str, *args):
        """Call the JavaScript function ``source`` with ``args`` in the page; await its result."""
        raise NotImplementedError

    def wait(self, source: str, *args, timeout: float = WAIT_S):
        """Poll the function ``source`` until it returns something truthy; return that."""
        end = time.monotonic() + timeout
        while True:
            value = self.js(source, *args)
            if value:
                return value
            if time.monotonic() > end:
                raise TimeoutError(f"{self.name}: still false after {timeout} s: {source}")
            time.sleep(0.1)

    def label(self) -> str:
        return f"{self.name} {self.version}"


class Firefox(Engine):
    name = "Firefox"

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [NODE, str(HERE / "firefox_bridge.mjs")],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "FIREFOX": FIREFOX},
        )
        self.version = self.call("version").removeprefix("firefox/")

    def call(self, op: str, *args):
        self.process.stdin.write(json.dumps({"op": op, "args": list(args)}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise EngineError(f"Firefox's driver ended (exit {self.process.wait()})")
        answer = json.loads(line)
        if "error" in answer:
            raise EngineError(answer["error"])
        return answer["ok"]

    def fresh(self) -> None:
        self.call("fresh")

    def goto(self, url: str) -> None:
        self.call("goto", url)

    def reload(self) -> None:
        self.call("reload")

    def url(self) -> str:
        return self.call("url")

    def js(self, source: str, *args):
        return self.call("js", source, list(args))

    def click(self, selector: str) -> None:
        self.call("click", selector)

    def press(self, key: str) -> None:
        self.call("press", key)

    def requests(self) -> list[str]:
        """The requests of the page since the last call."""
        return self.call("requests")

    def errors(self) -> list[str]:
        return self.call("errors")

    def foreign(self, origin: str) -> list[str]:
        """Requests outside ``origin`` since the last call."""
        return [url for url in self.requests() if not local(url, origin)]

    def close(self) -> None:
        try:
            self.process.stdin.write(json.dumps({"op": "quit"}) + "\n")
            self.process.stdin.close()
            self.process.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


class TrapProxy(socketserver.ThreadingTCPServer):
    """A proxy on loopback that forwards nothing: it records each request line, then hangs up."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        self.asked: list[str] = []
        trap = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                line = self.rfile.readline(8192).decode("latin-1").strip()
                if line:
                    trap.asked.append(line)  # "GET http://host/path HTTP/1.1", "CONNECT host:443 …"

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WebKit(Engine):
    name = "WebKit"

    def __init__(self) -> None:
        from selenium import webdriver
        from selenium.webdriver.common.proxy import Proxy
        from selenium.webdriver.remote.client_config import ClientConfig
        from selenium.webdriver.remote.remote_connection import RemoteConnection
        from selenium.webdriver.webkitgtk.options import Options

        self.trap = TrapProxy()
        port = free_port()
        env = dict(os.environ)
        if os.geteuid() == 0:
            env["WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS"] = "1"
        # xvfb-run gives MiniBrowser a display; its own session, so it can be ended as a group.
        self.driver_process = subprocess.Popen(
            ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", WEBKIT_DRIVER, f"--port={port}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.wait_for_port(port)
        options = Options()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        options.proxy = Proxy(
            {
                "proxyType": "manual",
                "httpProxy": self.trap.address,
                "sslProxy": self.trap.address,
                "noProxy": ["127.0.0.1"],
            }
        )
        # A connection made from a client configuration: an address string is deprecated.
        config = ClientConfig(remote_server_addr=f"http://127.0.0.1:{port}")
        connection = RemoteConnection(client_config=config)
        self.driver = webdriver.Remote(command_executor=connection, options=options)
        self.driver.set_script_timeout(WAIT_S)
        self.driver.set_page_load_timeout(WAIT_S)
        self.version = self.driver.capabilities.get("browserVersion", "")

    def wait_for_port(self, port: int) -> None:
        end = time.monotonic() + 30
        while time.monotonic() < end:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    return
            if self.driver_process.poll() is not None:
                raise EngineError("WebKitWebDriver did not start (xvfb-run and xauth installed?)")
            time.sleep(0.1)
        raise EngineError("WebKitWebDriver did not answer")

    def fresh(self) -> None:
        """Empty storage for the next test (one WebKit session holds one browsing context)."""
        if self.driver.current_url.startswith(("http", "file")):
            self.driver.execute_script("localStorage.clear(); sessionStorage.clear();")

    def goto(self, url: str) -> None:
        self.driver.get(url)

    def reload(self) -> None:
        self.driver.refresh()

    def url(self) -> str:
        return self.driver.current_url

    def js(self, source: str, *args):
        answer = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"Promise.resolve().then(() => ({source})(...arguments[0]))"
            ".then((ok) => done({ok: ok === undefined ? null : ok}),"
            " (e) => done({error: String(e && e.message || e)}));",
            list(args),
        )
        if "error" in answer:
            raise EngineError(answer["error"])
        return answer["ok"]

    def click(self, selector: str) -> None:
        """Click as a reader would, with the element mid-screen: WebKit's driver scrolls it just
        into view, where Material's sticky header or back-to-top button may cover it."""
        from selenium.webdriver.common.by import By

        element = self.driver.find_element(By.CSS_SELECTOR, selector)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def press(self, key: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        # the key names of Puppeteer and Playwright ("ArrowRight"), as Selenium spells them
        name = {"ArrowRight": "ARROW_RIGHT", "ArrowLeft": "ARROW_LEFT"}.get(key, key)
        ActionChains(self.driver).send_keys(getattr(Keys, name.upper(), key)).perform()

    def requests(self) -> list[str]:
        return self.js(
            "() => performance.getEntriesByType('resource').map((e) => e.name)"
            ".concat([location.href])"
        )

    def errors(self) -> list[str]:
        return []  # WebKit's WebDriver has no console log

    def foreign(self, origin: str) -> list[str]:
        """Requests outside ``origin`` by the current page, and any since the last call."""
        seen = [url for url in self.requests() if not local(url, origin)]
        asked, self.trap.asked = self.trap.asked, []
        return seen + [f"via proxy: {line}" for line in asked]

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            self.trap.shutdown()
            self.trap.server_close()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.driver_process.pid, signal.SIGTERM)
            self.driver_process.wait(timeout=30)


ENGINES = {"firefox": Firefox, "webkit": WebKit}

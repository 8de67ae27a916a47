"""A minimal Chrome DevTools Protocol client for the browser check (aiohttp's websocket client).

Only what `browser_screenshot.py` needs: start headless Chromium on a loopback DevTools port,
attach to its page, call protocol methods and evaluate JavaScript. Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import time
from pathlib import Path
from typing import Any

import aiohttp

# Chromium resolves no host name except the loopback one: textual-serve's page links Google
# Fonts, and the check must not leave the machine (the terminal falls back to a local monospace).
LOOPBACK_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"


class CdpError(Exception):
    """Chromium or the protocol failed; the message says what happened."""


def start_chromium(chromium: str, user_data_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    """Headless Chromium on about:blank; the DevTools port is chosen by Chromium (port 0, no race)."""
    args = [
        chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
        LOOPBACK_ONLY, f"--user-data-dir={user_data_dir}", "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0", "--window-size=1280,800", "about:blank",
    ]  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)


async def devtools_port(browser: subprocess.Popen[bytes], user_data_dir: Path, deadline: float) -> int:
    """The port Chromium wrote to DevToolsActivePort (first line) once its DevTools server listens."""
    active = user_data_dir / "DevToolsActivePort"
    while time.monotonic() < deadline:
        if browser.poll() is not None:
            raise CdpError(f"Chromium exited with {browser.returncode} before DevTools was up")
        lines = active.read_text().splitlines() if active.is_file() else []
        if lines and lines[0].isdigit():
            return int(lines[0])
        await asyncio.sleep(0.1)  # another process starting: poll, bounded by the deadline
    raise CdpError("Chromium did not open its DevTools port within the deadline")


async def page_websocket_url(http: aiohttp.ClientSession, port: int, deadline: float) -> str:
    """webSocketDebuggerUrl of the first page target listed at http://127.0.0.1:<port>/json."""
    while time.monotonic() < deadline:
        try:
            async with http.get(f"http://127.0.0.1:{port}/json") as response:
                targets = await response.json(content_type=None)
        except aiohttp.ClientError:
            targets = []
        pages = [t for t in targets if t.get("type") == "page" and t.get("webSocketDebuggerUrl")]
        if pages:
            return str(pages[0]["webSocketDebuggerUrl"])
        await asyncio.sleep(0.1)  # the first tab may not be listed yet
    raise CdpError("Chromium listed no page target within the deadline")


class CdpPage:
    """One page target: `call` sends a command and returns its result; events are ignored."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self._ws = ws
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def attach(cls, http: aiohttp.ClientSession, url: str) -> CdpPage:
        return cls(await http.ws_connect(url, max_msg_size=0))  # screenshots exceed the 4 MB default

    async def _read(self) -> None:
        try:
            async for message in self._ws:
                if message.type != aiohttp.WSMsgType.TEXT:
                    continue
                data = message.json()
                future = self._pending.pop(data.get("id", -1), None)
                if future is not None and not future.done():
                    future.set_result(data)
        finally:
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(CdpError("the DevTools connection closed"))

    async def call(self, method: str, timeout: float = 30.0, **params: Any) -> dict[str, Any]:
        if self._reader.done():
            raise CdpError("the DevTools connection is closed")
        message_id = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[message_id] = future
        await self._ws.send_json({"id": message_id, "method": method, "params": params})
        try:
            async with asyncio.timeout(timeout):
                data = await future
        except TimeoutError:
            raise CdpError(f"{method}: no answer within {timeout:.0f} s") from None
        finally:
            self._pending.pop(message_id, None)
        if "error" in data:
            raise CdpError(f"{method}: {data['error'].get('message', data['error'])}")
        return dict(data.get("result", {}))

    async def evaluate(self, expression: str, await_promise: bool = False) -> Any:
        """The expression's value (JSON-serialisable); a page-side exception becomes a CdpError."""
        result = await self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=await_promise
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise CdpError(f"page script failed: {details.get('exception', {}).get('description', details)}")
        return result.get("result", {}).get("value")

    async def close(self) -> None:
        await self._ws.close()
        self._reader.cancel()
        await asyncio.gather(self._reader, return_exceptions=True)

"""`make browser-test`: the demo served by `tuiconsole serve --demo`, loaded in headless Chromium.

Not part of `make test` (no test_ prefix): it needs Debian's chromium package. Everything
runs in a temporary folder; the server and Chromium use 127.0.0.1 only and are stopped at the end.

textual-serve first shows its intro splash, then spawns one console process per browser session
and streams the terminal over a websocket; xterm.js paints it on a canvas, so the page has no
text to wait for. A script injected before the page loads decodes the websocket's terminal
bytes; the check waits (bounded) until the console's first screen has arrived and the stream is
quiet, then takes the screenshot through the DevTools protocol (cdp.py):
build/browser/serve-demo.png (or the path in $SCREENSHOT).
Exit 0 = passed or skipped (the reason is printed), 1 = failed.
"""

from __future__ import annotations

import asyncio
import base64
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from cdp import CdpError, CdpPage, devtools_port, page_websocket_url, start_chromium

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")  # Debian's package
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = Path(os.environ.get("SCREENSHOT", ROOT / "build" / "browser" / "serve-demo.png"))
START_DEADLINE = 60.0  # the server answering GET /
RENDER_DEADLINE = 60.0  # Chromium up, session spawned, first screen streamed
QUIET_MS = 1_000  # no terminal bytes for this long = the first screen is complete
# The demo opens signed in as the trainer on the customer list, under the demo banner.
FIRST_SCREEN_MARKERS = ("Demo data", "Customers")

# Runs in the page before textual.js: every websocket also feeds the decoded terminal stream
# (bounded) into window.__tuiconsoleProbe, so the check can see what the console has drawn.
PROBE_SCRIPT = """
(() => {
  const NativeWebSocket = window.WebSocket;
  const probe = { text: "", bytes: 0, lastMessageAt: 0 };
  const decoder = new TextDecoder();
  window.__tuiconsoleProbe = probe;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (!(event.data instanceof ArrayBuffer)) return;
        probe.bytes += event.data.byteLength;
        probe.lastMessageAt = performance.now();
        if (probe.text.length < 4000000) probe.text += decoder.decode(event.data, { stream: true });
      });
    }
  };
})();
"""

STATE_EXPRESSION = f"""
(() => {{
  const probe = window.__tuiconsoleProbe || {{ text: "", bytes: 0, lastMessageAt: 0 }};
  const body = document.body;
  return {{
    firstByte: !!body && body.classList.contains("-first-byte"),
    closed: !!body && body.classList.contains("-closed"),
    splashShown: !!document.querySelector(".intro-dialog")
      && getComputedStyle(document.querySelector(".intro-dialog")).display !== "none",
    bytes: probe.bytes,
    quietMs: probe.lastMessageAt ? performance.now() - probe.lastMessageAt : 0,
    missing: {json.dumps(FIRST_SCREEN_MARKERS)}.filter((m) => !probe.text.includes(m)),
  }};
}})()
"""

# xterm.js tells the console it has focus when its input field (inside .xterm-screen) is focused.
FOCUS_TERMINAL_EXPRESSION = """
(() => {
  const input = document.querySelector(".textual-terminal .xterm-helper-textarea");
  if (!input) throw new Error("no xterm input field on the page");
  input.focus();
  return document.activeElement === input;
})()
"""

# Two animation frames: xterm.js paints the written bytes on its next frame.
PAINTED_EXPRESSION = "new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_page(port: int, server: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + START_DEADLINE
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CdpError(f"the server exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            status = conn.getresponse().status
            conn.close()
            return status
        except OSError:
            time.sleep(0.2)  # a server starting in another process: poll, bounded by the deadline
    raise CdpError("the server did not answer within the deadline")


async def wait_until_drawn(page: CdpPage, deadline: float, what: str, more_than: int = 0) -> dict[str, object]:
    """The probe's state once the console has streamed the first screen (more than `more_than`
    terminal bytes) and then gone quiet; CdpError when the session ends or the deadline passes."""
    state: dict[str, object] = {}
    while time.monotonic() < deadline:
        state = await page.evaluate(STATE_EXPRESSION) or {}
        if state.get("closed"):
            raise CdpError(f"the console session ended before {what} ({state})")
        drawn = (
            state.get("firstByte")
            and not state.get("splashShown")
            and not state.get("missing")
            and int(state.get("bytes", 0)) > more_than
        )
        if drawn and int(state.get("quietMs", 0)) >= QUIET_MS:
            return state
        await asyncio.sleep(0.25)  # the console process is working: poll, bounded by the deadline
    raise CdpError(f"{what} did not arrive within {RENDER_DEADLINE:.0f} s (last state {state})")


async def screenshot_served_console(url: str, tmp: Path) -> dict[str, object]:
    """Load `url` in headless Chromium, wait for the console, save SCREENSHOT; always stops Chromium."""
    deadline = time.monotonic() + RENDER_DEADLINE
    profile, log = tmp / "chromium", tmp / "chromium.log"
    browser = start_chromium(CHROMIUM, profile, log)
    try:
        async with aiohttp.ClientSession() as http:
            port = await devtools_port(browser, profile, deadline)
            page = await CdpPage.attach(http, await page_websocket_url(http, port, deadline))
            try:
                await page.call("Page.enable")
                await page.call("Emulation.setFocusEmulationEnabled", enabled=True)  # headless: focus counts
                await page.call("Page.addScriptToEvaluateOnNewDocument", source=PROBE_SCRIPT)
                await page.call(
                    "Emulation.setDeviceMetricsOverride", width=1280, height=800, deviceScaleFactor=1, mobile=False
                )
                navigation = await page.call("Page.navigate", url=url)
                if navigation.get("errorText"):
                    raise CdpError(f"navigating to {url} failed: {navigation['errorText']}")
                state = await wait_until_drawn(page, deadline, "the console's first screen")
                # Textual's footer lists the keys only while the app has focus, as after a click.
                await page.evaluate(FOCUS_TERMINAL_EXPRESSION)
                state = await wait_until_drawn(page, deadline, "the focused footer", more_than=int(state["bytes"]))
                await page.evaluate(PAINTED_EXPRESSION, await_promise=True)
                shot = await page.call("Page.captureScreenshot", format="png")
            finally:
                await page.close()
        SCREENSHOT.write_bytes(base64.b64decode(shot["data"]))
        return state
    except CdpError as error:
        # Chromium's log without the noise of a machine with no D-Bus.
        lines = log.read_text(errors="replace").splitlines() if log.is_file() else []
        tail = "\n".join(line for line in lines if "dbus" not in line)[-1500:]
        raise CdpError(f"{error}\n{tail}".rstrip()) from None
    finally:
        stop(browser)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


def main() -> int:
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        print(f"SKIPPED: no Chromium at {CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM=...)")
        return 0
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="tuiconsole-browser-") as tmp_dir:
        tmp = Path(tmp_dir)
        env = {k: v for k, v in os.environ.items() if not k.startswith("TUICONSOLE_")}
        env.update(TUICONSOLE_DATA_DIR=f"{tmp}/data", TUICONSOLE_CONFIG_DIR=f"{tmp}/config")
        port = free_port()
        server_log = tmp / "server.log"
        with server_log.open("wb") as out:
            server = subprocess.Popen(
                [sys.executable, "-m", "tuiconsole", "serve", "--demo", "--port", str(port)],
                env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            status = wait_for_page(port, server)
            if status != 200:
                raise CdpError(f"GET / answered {status}")
            state = asyncio.run(screenshot_served_console(f"http://127.0.0.1:{port}/", tmp))
        except (CdpError, aiohttp.ClientError, OSError) as error:
            server_tail = server_log.read_text(errors="replace")[-1500:]
            print(f"FAILED: {error}\n--- server output ---\n{server_tail}")
            return 1
        finally:
            stop(server)
        if not SCREENSHOT.is_file() or SCREENSHOT.stat().st_size < 2_000:
            print("FAILED: Chromium produced no usable screenshot")
            return 1
        print(
            f"PASSED: the demo's customer list loads in Chromium ({state['bytes']} terminal bytes); "
            f"screenshot {SCREENSHOT} ({SCREENSHOT.stat().st_size} bytes)"
        )
        return 0


if __name__ == "__main__":
    sys.exit(main())

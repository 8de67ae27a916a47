"""`tuiconsole portal` and `tuiconsole serve` as a user runs them (subprocesses, temp folders)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from click.testing import CliRunner

from clikit import assert_clean_failure, cli_env, run_cli
from tuiconsole import cli_portal
from tuiconsole.cli import main

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")
SERVE_DEADLINE = 90.0  # seconds: start the server, start a console behind the websocket


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A demo database built once by `tuiconsole demo --build-only`."""
    env = cli_env(tmp_path_factory.mktemp("demo"))
    result = run_cli("demo", "--build-only", env=env)
    assert result.returncode == 0, result.stderr
    return env


def test_demo_build_counts_the_synthetic_customers_it_adds(tmp_path):
    env = cli_env(tmp_path)
    built = run_cli("demo", "--build-only", "--customers", "25", env=env)
    assert built.returncode == 0, built.stderr
    assert "330 customers" in built.stderr and "plus 25 synthetic customers" in built.stderr
    topped = run_cli("demo", "--build-only", "--customers", "40", env=env)
    assert topped.returncode == 0, topped.stderr
    assert "Added 15 synthetic customers to the demo database." in topped.stderr
    again = run_cli("demo", "--build-only", "--customers", "40", env=env)
    assert "synthetic" not in again.stderr and "is ready" in again.stderr


def test_portal_demo_is_ready_for_a_known_site(demo_env):
    result = run_cli("portal", "--site", "acme-us", "--demo", "--check", env=demo_env)
    assert result.returncode == 0, result.stderr
    assert "The portal of acme-us is ready." in result.stderr


def test_portal_unknown_site_fails_before_the_app_starts(demo_env):
    result = run_cli("portal", "--site", "nope", "--demo", env=demo_env)
    assert assert_clean_failure(result, 1) == "Unknown site 'nope'."


def test_portal_demo_without_a_demo_database_says_how_to_build_it(tmp_path):
    result = run_cli("portal", "--site", "acme-us", "--demo", env=cli_env(tmp_path))
    assert "tuiconsole demo --build-only" in assert_clean_failure(result, 2)


def test_portal_needs_a_site(tmp_path):
    result = run_cli("portal", env=cli_env(tmp_path))
    assert result.returncode == 2 and "--site" in result.stderr and "Traceback" not in result.stderr


def test_outbox_of_the_demo_is_what_the_demo_build_made(demo_env):
    result = run_cli("outbox", "list", "--demo", "--json", env=demo_env)
    assert result.returncode == 0, result.stderr
    emails = json.loads(result.stdout)
    assert sorted(e["template"] for e in emails) == ["membership_welcome", "password_changed"]
    failed = [e for e in emails if e["status"] == "failed"]
    assert [e["to"] for e in failed] == ["kwame.mensah@example.net"]


# --- serve: host, command and the --public warning, without opening a socket ----------------


class FakeServer:
    made: list[FakeServer] = []

    def __init__(self, command: str, host: str, port: int, title: str | None = None) -> None:
        self.command, self.host, self.port = command, host, port
        FakeServer.made.append(self)

    def serve(self) -> None:
        pass


@pytest.fixture
def fake_server(monkeypatch, tmp_path):
    import textual_serve.server

    FakeServer.made.clear()
    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    for key, value in cli_env(tmp_path).items():
        if key.startswith("TUICONSOLE_"):
            monkeypatch.setenv(key, value)
    return FakeServer.made


def test_serve_listens_on_localhost_and_serves_the_login_screen(fake_server, sqlite_url):
    result = CliRunner().invoke(main, ["--database-url", sqlite_url, "serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    (server,) = fake_server
    assert (server.host, server.port) == ("127.0.0.1", 8123)
    assert server.command == cli_portal.served_command(False, None)
    assert server.command.endswith("-m tuiconsole") and sys.executable in server.command
    assert "WARNING" not in result.output


def test_serve_public_warns_that_it_is_plain_http(fake_server, sqlite_url):
    result = CliRunner().invoke(main, ["--database-url", sqlite_url, "serve", "--public", "--port", "8124"])
    assert result.exit_code == 0, result.output
    assert fake_server[0].host == "0.0.0.0"
    assert "plain HTTP" in result.output and "unencrypted" in result.output


def test_serve_demo_builds_the_demo_then_serves_it(fake_server):
    result = CliRunner().invoke(main, ["serve", "--demo"])
    assert result.exit_code == 0, result.output
    assert fake_server[0].command.endswith("-m tuiconsole demo")
    assert Path(os.environ["TUICONSOLE_DATA_DIR"], "demo", "demo.db").is_file()


def test_serve_on_an_unmigrated_database_fails_before_serving(fake_server, tmp_path):
    result = CliRunner().invoke(main, ["--database-url", f"sqlite:///{tmp_path}/empty.db", "serve"])
    assert result.exit_code == 2 and "db upgrade" in result.output
    assert fake_server == []


# --- serve for real: HTTP 200 and the console's first screen over the websocket ---------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _first_screen(port: int, proc: subprocess.Popen[bytes]) -> tuple[int, str]:
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=SERVE_DEADLINE)) as http:
        for _ in range(200):  # the port opens just after the server prints its banner
            assert proc.poll() is None, "the server exited"
            try:
                async with http.get(base + "/") as response:
                    status, page = response.status, await response.text()
                break
            except aiohttp.ClientConnectorError:
                await asyncio.sleep(0.05)
        else:
            raise AssertionError("the server never answered")
        assert "ws://127.0.0.1" in page
        seen = ""
        async with http.ws_connect(base + "/ws?width=100&height=30") as ws:
            async for message in ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += message.data.decode("utf-8", "replace")
                elif message.type == aiohttp.WSMsgType.TEXT:
                    seen += message.data
                else:
                    break
                if "console login" in ANSI.sub("", seen):
                    break
        return status, ANSI.sub("", seen)


def test_serve_answers_on_localhost_with_the_login_screen(tmp_path):
    env = cli_env(tmp_path, database_url=f"sqlite:///{tmp_path}/console.db")
    assert run_cli("db", "upgrade", env=env).returncode == 0
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tuiconsole", "serve", "--port", str(port)],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        status, screen = asyncio.run(asyncio.wait_for(_first_screen(port, proc), SERVE_DEADLINE))
    finally:
        proc.terminate()
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
    assert status == 200
    assert "console login" in screen
    assert b"Traceback" not in err

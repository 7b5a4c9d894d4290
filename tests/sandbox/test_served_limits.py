"""`seam-tui sandbox serve` against greedy and slow clients, over real sockets.

Raw sockets send what no HTTP library would: a 50 MB Content-Length with no body, a body that
stalls, half a request head, nothing at all. The server must answer or drop each of them and
keep answering everyone else. Nothing here is timed: a socket timeout is only a fail-safe, so a
server that never drops a connection fails the test instead of hanging it.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from seam_tui.core import SeamApiError, SeamClient
from seam_tui.core.retry import RetryPolicy
from seam_tui.sandbox.limits import MAX_BODY_BYTES
from tests.sandbox.test_serve import serving

FAIL_SAFE_S = 60.0
Served = tuple[subprocess.Popen[str], dict[str, Any]]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    options = ("--body-timeout", "1", "--keep-alive-timeout", "1")
    with serving(tmp_path / "limits.sqlite3", *options) as result:
        yield result


def connect(info: dict[str, Any]) -> socket.socket:
    url = urlsplit(info["url"])
    assert url.hostname is not None
    assert url.port is not None
    return socket.create_connection((url.hostname, url.port), timeout=FAIL_SAFE_S)


def head(info: dict[str, Any], path: str, *lines: str) -> bytes:
    key = info["workspaces"][0]["api_key"]
    fields = ["Host: sandbox", f"Authorization: Bearer {key}", *lines]
    return "\r\n".join([f"POST {path} HTTP/1.1", *fields, "", ""]).encode()


def create_head(info: dict[str, Any], *lines: str) -> bytes:
    """The head of a JSON POST to /user_identities/create, with `lines` after the usual ones."""
    return head(info, "/user_identities/create", "Content-Type: application/json", *lines)


def until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk


def parse(response: bytes) -> tuple[int, dict[str, str], Any]:
    raw_head, _, body = response.partition(b"\r\n\r\n")
    status_line, *header_lines = raw_head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), headers, json.loads(body)


def others_answered(info: dict[str, Any], times: int = 3) -> None:
    key = info["workspaces"][0]["api_key"]
    for _ in range(times):
        response = httpx.post(
            f"{info['url']}/user_identities/list",
            json={"limit": 1},
            headers={"authorization": f"Bearer {key}"},
            timeout=FAIL_SAFE_S,
        )
        assert response.status_code == 200, response.text


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=FAIL_SAFE_S) == 0
    assert process.stderr is not None
    assert "Traceback" not in process.stderr.read()


def test_a_declared_50_mb_body_is_refused_before_a_byte_of_it_is_sent(served: Served) -> None:
    process, info = served
    with connect(info) as sock:
        sock.sendall(create_head(info, f"Content-Length: {50 * 1024 * 1024}"))
        status, headers, body = parse(until_closed(sock))
    assert status == 413
    assert body["ok"] is False
    assert body["error"]["type"] == "request_too_large"
    assert body["error"]["request_id"] == headers["seam-request-id"]
    others_answered(info)
    stop(process)


def test_a_streamed_body_is_refused_once_it_passes_the_cap(served: Served) -> None:
    process, info = served
    with connect(info) as sock:
        sock.sendall(create_head(info, "Transfer-Encoding: chunked"))
        chunk = b"x" * 65536
        for _ in range(MAX_BODY_BYTES // len(chunk)):
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        sock.sendall(b"1\r\nx\r\n")  # one byte over; no end chunk: the server must not wait
        status, _, body = parse(until_closed(sock))
    assert status == 413
    assert body["error"]["type"] == "request_too_large"
    others_answered(info)
    stop(process)


def test_stalled_bodies_get_408_while_everyone_else_is_answered(served: Served) -> None:
    process, info = served
    stalled = [connect(info) for _ in range(20)]
    try:
        for sock in stalled:
            sock.sendall(create_head(info, "Content-Length: 100") + b'{"full_')
        others_answered(info)
        for sock in stalled:
            status, headers, body = parse(until_closed(sock))
            assert status == 408
            assert headers["connection"] == "close"
            assert body["error"]["type"] == "request_timeout"
    finally:
        for sock in stalled:
            sock.close()
    others_answered(info)
    stop(process)


def test_half_a_head_and_a_silent_connection_are_dropped(served: Served) -> None:
    process, info = served
    with connect(info) as half, connect(info) as silent, connect(info) as idle:
        half.sendall(b"POST /user_identities/list HTTP/1.1\r\nHost: sandbox\r\nX-Slow: ")
        idle.sendall(head(info, "/user_identities/list", "Content-Length: 0"))
        others_answered(info)
        assert until_closed(half) == b""
        assert until_closed(silent) == b""
        status, _, body = parse(until_closed(idle))  # answered, then closed once idle
        assert status == 200
        assert body["ok"] is True
    others_answered(info)
    stop(process)


def test_requests_beyond_the_concurrency_limit_get_503(tmp_path: Path) -> None:
    options = ("--keep-alive-timeout", "1", "--limit-concurrency", "4")
    with serving(tmp_path / "busy.sqlite3", *options) as (process, info):
        silent = [connect(info) for _ in range(4)]
        try:
            busy = httpx.post(f"{info['url']}/user_identities/list", timeout=FAIL_SAFE_S)
            assert busy.status_code == 503
            for sock in silent:
                assert until_closed(sock) == b""  # dropped after the keep-alive timeout
        finally:
            for sock in silent:
                sock.close()
        others_answered(info)
        stop(process)


async def test_the_client_gets_one_413_for_a_50_mb_name(served: Served) -> None:
    process, info = served
    workspace = info["workspaces"][0]
    async with SeamClient(
        api_key=workspace["api_key"], endpoint=info["url"], retry=RetryPolicy(backoff_factor=0)
    ) as seam:
        before = len((await seam.user_identities.list(limit=1000)).items)
        for is_write in (True, False):
            with pytest.raises(SeamApiError) as caught:
                await seam.request(
                    "/user_identities/create", {"full_name": "x" * 50_000_000}, is_write=is_write
                )
            assert caught.value.status == 413
            assert caught.value.type == "request_too_large"
        assert len((await seam.user_identities.list(limit=1000)).items) == before
    stop(process)

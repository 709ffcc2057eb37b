"""The self-test's checks, each one pass / warn / fail with a one-line reason and its duration.

No Qt here (the device listing is seat_app/selftest/qt_devices.py): the checks run from the command line,
from the bundle, and in a worker thread of the seat's self-test window alike. Each check is a plain
function of :class:`SelfTestConfig` that returns ``(status, reason)`` or raises; :func:`run_check` times
it and turns an exception into a fail whose reason is the exception's message.

What is checked: the OCR models load and read the bundled samples (a plate and a 驾驶证, whose truth is
samples.json); aiortc completes a loopback call between two peer connections in this process with a few
frames decoded; a recording segment is written and read back; and, with a server, that it answers over
TLS valid against the configured CA bundle, that the ICE servers answer (STUN binding, TURN allocation),
and, with credentials, which role the user has.
"""
from __future__ import annotations

import asyncio
import json
import os
import ssl
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from seat_app import paths

PASS, WARN, FAIL = "pass", "warn", "fail"
LOOPBACK_FRAMES = 5
LOOPBACK_TIMEOUT_S = 20.0
ICE_TIMEOUT_S = 8.0


@dataclass(frozen=True)
class SelfTestConfig:
    server_url: str = ""  # "" = no server configured: the server checks are not run
    tls_verify: bool | str = True  # requests' verify: True, False or the CA bundle's path
    ice_servers: list[dict[str, Any]] = field(default_factory=list)
    username: str = ""
    password: str = ""
    token: str = ""  # a logged-in seat's session, instead of a password (the self-test window)
    timeout_s: float = 5.0
    settings_problems: tuple[str, ...] = ()
    settings_files: tuple[str, ...] = ()

    @property
    def credentials(self) -> bool:
        return bool(self.token or (self.username and self.password))


@dataclass(frozen=True)
class Check:
    name: str
    title: str
    run: Callable[[SelfTestConfig], tuple[str, str]]
    needs: str = ""  # "server" or "credentials": left out without them
    qt: bool = False  # runs on the Qt main thread (seat_app/selftest/qt_devices.py)


@dataclass(frozen=True)
class CheckResult:
    name: str
    title: str
    status: str
    reason: str
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def run_check(check: Check, config: SelfTestConfig) -> CheckResult:
    started = time.perf_counter()
    try:
        status, reason = check.run(config)
    except Exception as exc:  # noqa: BLE001 - every failure is a report line, never a traceback
        status, reason = FAIL, _one_line(exc)
    return CheckResult(check.name, check.title, status, reason, time.perf_counter() - started)


def plan(config: SelfTestConfig, checks: Iterable[Check], only: Iterable[str] = ()) -> tuple[list[Check], list[str]]:
    """The checks to run, and a line for each left out (no server, no credentials, not asked for)."""
    chosen, left_out = [], []
    wanted = set(only)
    for check in checks:
        if wanted and check.name not in wanted:
            continue
        if check.needs == "server" and not config.server_url:
            left_out.append(f"{check.name}: no server configured (--server URL or server_url in seat.json)")
        elif check.needs == "credentials" and not (config.server_url and config.credentials):
            left_out.append(f"{check.name}: no credentials (--user NAME and KUAICHU_SEAT_PASSWORD)")
        else:
            chosen.append(check)
    return chosen, left_out


# --- settings ---------------------------------------------------------------------------------------------
def check_settings(config: SelfTestConfig) -> tuple[str, str]:
    files = ", ".join(config.settings_files) or "none"
    if config.settings_problems:
        more = f" (+{len(config.settings_problems) - 1} more)" if len(config.settings_problems) > 1 else ""
        return WARN, f"{config.settings_problems[0]}{more}"
    return PASS, f"settings read from {files}"


# --- OCR ----------------------------------------------------------------------------------------------------
def check_ocr(config: SelfTestConfig) -> tuple[str, str]:
    import cv2
    import numpy as np

    from seat_app.services.ocr.reader import OcrReader

    truth = json.loads((paths.samples_dir() / "samples.json").read_text(encoding="utf-8"))
    try:
        reader = OcrReader()
        reader.warm_up()
    except Exception as exc:  # noqa: BLE001
        raise RuntimeError(f"OCR models do not load: {_one_line(exc)}") from exc
    read, wrong = [], []
    for name, expected in truth.items():
        data = np.fromfile(str(paths.samples_dir() / name), dtype=np.uint8)
        image = cv2.imdecode(data, cv2.IMREAD_COLOR)
        if image is None:
            raise RuntimeError(f"sample {name} cannot be decoded")
        result = reader.read(image, expected["kind"])
        for plate in expected.get("plates", []):
            got = [p.text for p in result.plates]
            (read if plate in got else wrong).append(f"{name} plate {plate}" + ("" if plate in got else f" read as {got or 'nothing'}"))
        for key, value in expected.get("fields", {}).items():
            got = result.fields.get(key)
            text = got.text if got else None
            (read if text == value else wrong).append(f"{name} {key} {value}" + ("" if text == value else f" read as {text!r}"))
    if wrong:
        return FAIL, "misread: " + "; ".join(wrong)
    return PASS, f"models load; read {len(read)} sample fields right (" + ", ".join(r.split(' ', 1)[1] for r in read) + ")"


# --- aiortc loopback -----------------------------------------------------------------------------------
def check_loopback(config: SelfTestConfig) -> tuple[str, str]:
    return asyncio.run(_loopback())


async def _loopback() -> tuple[str, str]:
    from aiortc import RTCConfiguration, RTCPeerConnection

    quiet = RTCConfiguration(iceServers=[])  # aiortc's default asks a public STUN server
    caller, callee = RTCPeerConnection(quiet), RTCPeerConnection(quiet)
    received: asyncio.Queue = asyncio.Queue()

    @callee.on("track")
    def on_track(track) -> None:
        received.put_nowait(track)

    try:
        caller.addTrack(_PatternTrack())
        await caller.setLocalDescription(await caller.createOffer())
        await callee.setRemoteDescription(caller.localDescription)
        await callee.setLocalDescription(await callee.createAnswer())
        await caller.setRemoteDescription(callee.localDescription)
        codec = next((line.split()[1] for line in callee.localDescription.sdp.splitlines()
                      if line.startswith("a=rtpmap:")), "?")
        track = await asyncio.wait_for(received.get(), LOOPBACK_TIMEOUT_S)
        frames = []
        deadline = time.monotonic() + LOOPBACK_TIMEOUT_S
        while len(frames) < LOOPBACK_FRAMES:
            left = deadline - time.monotonic()
            if left <= 0:
                return FAIL, f"only {len(frames)} of {LOOPBACK_FRAMES} frames decoded in {LOOPBACK_TIMEOUT_S:.0f} s"
            frames.append(await asyncio.wait_for(track.recv(), left))
        last = frames[-1]
        return PASS, (f"offer/answer done, ICE {caller.iceConnectionState}, {len(frames)} frames decoded "
                      f"({last.width}x{last.height}, {codec.split('/')[0]})")
    finally:
        await caller.close()
        await callee.close()


def _pattern_frame(index: int, size: tuple[int, int] = (320, 240)):
    import av
    import numpy as np

    width, height = size
    picture = np.zeros((height, width, 3), np.uint8)
    picture[:, :, 0] = (np.arange(width) + index * 8) % 256
    picture[:, :, 1] = np.arange(height)[:, None] % 256
    picture[:, :, 2] = 128
    return av.VideoFrame.from_ndarray(picture, format="rgb24")


def _track_class():
    from aiortc import VideoStreamTrack

    class PatternTrack(VideoStreamTrack):
        """A moving colour pattern, so the encoder has something to send."""

        def __init__(self) -> None:
            super().__init__()
            self.index = 0

        async def recv(self):
            pts, time_base = await self.next_timestamp()
            frame = _pattern_frame(self.index)
            self.index += 1
            frame.pts, frame.time_base = pts, time_base
            return frame

    return PatternTrack


def _PatternTrack():  # noqa: N802 - a factory, so aiortc is imported only when the check runs
    return _track_class()()


# --- recording -------------------------------------------------------------------------------------------
def check_recording(config: SelfTestConfig) -> tuple[str, str]:
    return asyncio.run(_recording())


async def _recording() -> tuple[str, str]:
    import av
    import numpy as np

    from seat_app.services.call.recorder import SegmentRecorder

    with tempfile.TemporaryDirectory(prefix="kuaichu-selftest-") as directory:
        recorder = SegmentRecorder(directory, prefix="selftest")
        start, frames = time.time(), 30
        for i in range(frames):
            recorder.add_video(_pattern_frame(i, (640, 360)), at=start + i / 30)
            audio = av.AudioFrame.from_ndarray(np.zeros((1, 960), np.int16), format="s16", layout="mono")
            audio.sample_rate = 48_000
            recorder.add_audio(audio, at=start + i / 30)
        await recorder.stop()
        if not recorder.finished:
            return FAIL, "no segment was closed"
        segment = recorder.finished[0]
        if not segment.path.is_file() or segment.path.stat().st_size == 0:
            return FAIL, f"segment {segment.path.name} was not written"
        with av.open(str(segment.path)) as container:
            streams = {s.type for s in container.streams}
            decoded = sum(1 for _ in container.decode(video=0))
        size_kb = segment.path.stat().st_size / 1024
    if decoded < frames * 0.9:
        return FAIL, f"wrote {frames} frames, read back {decoded}"
    kinds = "+".join(sorted(streams))
    return PASS, f"MP4 segment written ({size_kb:.0f} KB, {kinds}) and read back: {decoded} of {frames} frames"


# --- server ---------------------------------------------------------------------------------------------
def check_server(config: SelfTestConfig) -> tuple[str, str]:
    import requests

    url = config.server_url.rstrip("/")
    try:
        response = requests.get(url + "/healthz", timeout=config.timeout_s, verify=config.tls_verify)
    except requests.exceptions.SSLError as exc:
        return FAIL, f"TLS certificate of {url} not valid against {_trust(config)}: {_ssl_reason(exc)}"
    except requests.exceptions.ConnectionError as exc:
        return FAIL, f"cannot reach {url}: {_connection_reason(exc)}"
    except requests.exceptions.Timeout:
        return FAIL, f"{url} did not answer within {config.timeout_s:.0f} s"
    except requests.RequestException as exc:
        return FAIL, f"cannot reach {url}: {_one_line(exc)}"
    if response.status_code != 200:
        return FAIL, f"{url}/healthz answered HTTP {response.status_code}"
    try:
        version = response.json().get("version", "?")
    except ValueError:
        return FAIL, f"{url}/healthz did not answer JSON: is this a Kuaichu server?"
    ms = response.elapsed.total_seconds() * 1000
    if urlparse(url).scheme != "https":
        return WARN, f"server {version} answers in {ms:.0f} ms, but over plain HTTP: nothing is encrypted"
    if config.tls_verify is False:
        return WARN, f"server {version} answers in {ms:.0f} ms; certificate NOT checked (verify_tls is false)"
    return PASS, f"server {version} answers in {ms:.0f} ms; TLS valid against {_trust(config)}"


def _trust(config: SelfTestConfig) -> str:
    return f"the CA bundle {config.tls_verify}" if isinstance(config.tls_verify, str) else "the system's CAs"


def _ssl_reason(exc: Exception) -> str:
    while exc is not None:
        if isinstance(exc, ssl.SSLCertVerificationError):
            return exc.verify_message or str(exc)
        if isinstance(exc, ssl.SSLError):
            return exc.reason or str(exc)
        exc = exc.__context__ or (exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else None)
    return "handshake failed"


def _connection_reason(exc: Exception) -> str:
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "No route to host", "timed out",
                   "Network is unreachable", "nodename nor servname", "getaddrinfo failed"):
        if marker in text:
            return marker.lower()
    return _one_line(exc)


# --- ICE ----------------------------------------------------------------------------------------------------
def check_ice(config: SelfTestConfig) -> tuple[str, str]:
    if not config.ice_servers:
        return WARN, "no ICE servers configured (ice_servers in seat.json): calls only work where seat and phone see each other"
    return asyncio.run(_ice(config.ice_servers))


async def _ice(servers: list[dict[str, Any]]) -> tuple[str, str]:
    results = await asyncio.gather(*(_probe(url, server) for server in servers for url in _urls(server)))
    failed = [line for ok, line in results if not ok]
    return (FAIL if failed else PASS), "; ".join(failed or [line for _, line in results])


def _urls(server: dict[str, Any]) -> list[str]:
    urls = server.get("urls", [])
    return [urls] if isinstance(urls, str) else list(urls)


async def _probe(url: str, server: dict[str, Any]) -> tuple[bool, str]:
    from aioice import Connection

    scheme, rest = url.split(":", 1)
    rest, _, query = rest.partition("?")
    host, _, port = rest.rpartition(":")
    if not port.isdigit():
        host, port = rest, ""
    host = host.strip("[]")
    port_number = int(port) if port else (5349 if scheme in ("turns", "stuns") else 3478)
    if scheme.startswith("stun"):
        connection = Connection(ice_controlling=True, stun_server=(host, port_number), use_ipv6=False)
        wanted, what = "srflx", "STUN binding answered"
    else:
        transport = "tcp" if "transport=tcp" in query else "udp"
        connection = Connection(ice_controlling=True, turn_server=(host, port_number), use_ipv6=False,
                                turn_username=server.get("username"), turn_password=server.get("credential"),
                                turn_ssl=scheme == "turns", turn_transport=transport)
        wanted, what = "relay", "TURN allocation made"
    try:
        await asyncio.wait_for(connection.gather_candidates(), ICE_TIMEOUT_S)
        found = [c for c in connection.local_candidates if c.type == wanted]
    except (asyncio.TimeoutError, OSError, ValueError) as exc:
        return False, f"{url}: no answer ({_one_line(exc) or 'timeout'})"
    finally:
        await connection.close()
    if not found:
        return False, f"{url}: no {wanted} candidate ({'no STUN answer' if wanted == 'srflx' else 'TURN allocation refused or unanswered'})"
    return True, f"{url}: {what} ({found[0].host}:{found[0].port})"


# --- role -------------------------------------------------------------------------------------------------
def check_role(config: SelfTestConfig) -> tuple[str, str]:
    from seat_app.services.api_client import ApiClient, ApiError

    client = ApiClient(config.server_url, timeout=config.timeout_s, verify=config.tls_verify)
    try:
        if config.token:
            client.token = config.token
        else:
            client.login(config.username, config.password)
        me = client.me()
    except ApiError as exc:
        return FAIL, f"{'session' if config.token else 'login as ' + config.username} refused: {exc.message}"
    finally:
        if not config.token:
            try:
                client.logout()
            except ApiError:
                pass
    role = me.get("role") or ""
    if not role:
        return FAIL, f"{me.get('username', '?')} has no role on the server"
    return PASS, f"{me.get('username')} ({me.get('display_name') or '-'}) has the role {role}"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


CHECKS: list[Check] = [
    Check("settings", "settings files", check_settings),
    Check("ocr", "OCR reads the sample plate and licence", check_ocr),
    # "devices" is inserted by seat_app/selftest/qt_devices.py, the one part that needs Qt
    Check("loopback", "aiortc loopback call", check_loopback),
    Check("recording", "recording segment written and read back", check_recording),
    Check("server", "server reachable, TLS valid", check_server, needs="server"),
    Check("ice", "ICE servers reachable", check_ice, needs="server"),
    Check("role", "logged-in user's role", check_role, needs="credentials"),
]


def all_checks() -> list[Check]:
    """Every check in report order, the Qt device listing included."""
    from seat_app.selftest.qt_devices import DEVICES_CHECK

    out = list(CHECKS)
    out.insert(2, DEVICES_CHECK)
    return out


def config_from_settings(settings, server_url: str | None = None, username: str | None = None,
                         password: str | None = None, problems: Iterable[object] = (),
                         files: Iterable[str] = ()) -> SelfTestConfig:
    """The self-test's view of the seat's settings (seat_app/core/seat_settings.py)."""
    from seat_app.core.seat_settings import SeatSettings

    configured = server_url or (settings.server_url if settings.server_url != SeatSettings().server_url else "")
    return SelfTestConfig(
        server_url=configured or "", tls_verify=settings.tls_verify, ice_servers=list(settings.ice_servers),
        username=username or settings.username,
        password=password if password is not None else os.environ.get("KUAICHU_SEAT_PASSWORD", ""),
        timeout_s=min(settings.request_timeout_s, 10.0),
        settings_problems=tuple(str(p) for p in problems), settings_files=tuple(files))


def summary(results: list[CheckResult]) -> tuple[int, int, int]:
    counts = {status: sum(r.status == status for r in results) for status in (PASS, WARN, FAIL)}
    return counts[PASS], counts[WARN], counts[FAIL]


def report_text(results: list[CheckResult], left_out: list[str], version: str) -> str:
    lines = [f"kuaichu-seat {version} self-test (快处坐席自检)"]
    for r in results:
        lines.append(f"{r.status.upper():4}  {r.name:<9} {r.reason}  [{r.seconds:.2f} s]")
    for line in left_out:
        lines.append(f"----  {line}")
    passed, warned, failed = summary(results)
    verdict = "FAILED" if failed else "OK"
    lines.append(f"{verdict}: {passed} passed, {warned} warnings, {failed} failed, {len(left_out)} not run")
    return "\n".join(lines)


def report_json(results: list[CheckResult], left_out: list[str], version: str) -> dict[str, Any]:
    passed, warned, failed = summary(results)
    return {"version": version, "ok": not failed, "passed": passed, "warnings": warned, "failed": failed,
            "checks": [r.to_json() for r in results], "not_run": left_out}


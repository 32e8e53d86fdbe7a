"""Run the simulator on uvicorn: blocking (CLI), in a background thread (tests), or in a subprocess.

Port 0 picks a free port; the base URL is known once the socket is bound and the server reports it
has started, which is when :meth:`SimulatorServer.start` returns and when ``serve`` calls ``on_ready``.
"""

from __future__ import annotations

import asyncio
import gc
import os
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import IO, Self

from criteo_catalog_sdk.simulator.app import SimulatorApp, create_app
from criteo_catalog_sdk.simulator.config import SimulatorConfig


def base_url(host: str, port: int) -> str:
    """``http://host:port`` (IPv6 hosts bracketed)."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP: asyncio only disables Nagle (TCP_NODELAY) on sockets whose proto is IPPROTO_TCP,
    # and a response written in two parts would otherwise wait ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def _uvicorn_server(app: SimulatorApp, config: SimulatorConfig) -> object:
    import uvicorn

    uv_config = uvicorn.Config(
        app,
        # httptools (a dependency of the simulator extra) when installed, else h11.
        http="auto",
        lifespan="off",
        access_log=config.access_log,
        log_level=config.log_level,
        # Under h11: the batch endpoint takes bodies of up to 16 MB; the default event cap (16 KB) is for headers.
        h11_max_incomplete_event_size=64 * 1024,
        timeout_keep_alive=30,
    )
    return uvicorn.Server(uv_config)


async def _serve(server: object, sock: socket.socket, on_ready: Callable[[], None]) -> None:
    import uvicorn

    if not isinstance(server, uvicorn.Server):  # pragma: no cover - built by _uvicorn_server
        raise TypeError("expected a uvicorn server")
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not task.done():
        await asyncio.sleep(0.005)
    if server.started:
        on_ready()
    await task


def tune_gc() -> None:
    """Make the cyclic garbage collector cheap for a process that parses large JSON bodies all day.

    Only for a process of its own (the CLI): a parsed batch is tens of thousands of containers that
    reference counting frees, so frequent young collections only cost time; and the start-up heap
    (modules, the compiled spec) never needs scanning again.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def serve(config: SimulatorConfig, on_ready: Callable[[str], None] | None = None) -> None:
    """Run until interrupted (Ctrl-C / SIGTERM); ``on_ready(base_url)`` once accepting connections.

    Meant for a process of its own: it tunes the garbage collector (:func:`tune_gc`).
    """
    app = create_app(config)
    tune_gc()
    sock = bind(config.host, config.port)
    url = base_url(config.host, sock.getsockname()[1])
    server = _uvicorn_server(app, config)
    try:
        asyncio.run(_serve(server, sock, lambda: on_ready(url) if on_ready else None))
    finally:
        app.service.store.close()
        sock.close()


class SimulatorServer:
    """A simulator on a background thread, for tests: ``with SimulatorServer(config) as sim: sim.base_url``."""

    def __init__(self, config: SimulatorConfig | None = None) -> None:
        self.config = config or SimulatorConfig(port=0)
        self.app: SimulatorApp | None = None
        self._server: object = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None
        self._error: BaseException | None = None

    @property
    def base_url(self) -> str:
        """The URL the simulator answers on."""
        if self._url is None:
            raise RuntimeError("the simulator is not running")
        return self._url

    def start(self, timeout: float = 15.0) -> str:
        """Start serving; return the base URL once the server accepts connections."""
        if self._thread is not None:
            return self.base_url
        self.app = create_app(self.config)
        sock = bind(self.config.host, self.config.port)
        url = base_url(self.config.host, sock.getsockname()[1])
        self._server = _uvicorn_server(self.app, self.config)
        ready = threading.Event()

        def run() -> None:
            try:
                asyncio.run(_serve(self._server, sock, ready.set))
            except BaseException as exc:  # surfaced by start() or stop()
                self._error = exc
            finally:
                sock.close()
                ready.set()

        self._thread = threading.Thread(target=run, name="criteo-simulator", daemon=True)
        self._thread.start()
        if not ready.wait(timeout) or self._error is not None or not self._thread.is_alive():
            self.stop()
            raise RuntimeError(f"the simulator did not start: {self._error!r}")
        self._url = url
        return url

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and release the port."""
        server, thread = self._server, self._thread
        if server is not None:
            server.should_exit = True  # type: ignore[attr-defined]
        if thread is not None:
            thread.join(timeout)
        if self.app is not None:
            self.app.service.store.close()
        self._thread = None
        self._server = None
        self._url = None

    def __enter__(self) -> SimulatorServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


class ServerProcess:
    """A server in a child process that prints its base URL as the first line of its stdout, when ready.

    ``command`` is run as is (no shell), with ``env`` (default: this process's, unbuffered) in ``cwd``.
    """

    def __init__(
        self, command: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: str | os.PathLike[str] | None = None
    ) -> None:
        self.command = list(command)
        self.env = dict(env) if env is not None else {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.cwd = cwd
        self.process: subprocess.Popen[str] | None = None
        self._stderr: IO[str] | None = None
        self.base_url = ""

    def start(self, timeout: float = 30.0) -> str:
        """Start the process and wait for the URL it prints when ready."""
        # stderr goes to a file, not a pipe nobody reads (a full pipe would block the server).
        self._stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(  # noqa: S603 - the caller's command, no shell
            self.command, stdout=subprocess.PIPE, stderr=self._stderr, text=True, env=self.env, cwd=self.cwd
        )
        found: list[str] = []

        def read() -> None:
            if self.process is not None and self.process.stdout is not None:
                found.append(self.process.stdout.readline().strip())

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(timeout)
        if not found or not found[0].startswith("http"):
            self.stop()
            message = f"{self.command} did not report its URL: {self.stderr()[-2000:]}"
            self.close()  # __exit__ will not run: release the stderr file here
            raise RuntimeError(message)
        self.base_url = found[0]
        return self.base_url

    def stop(self, timeout: float = 10.0) -> int | None:
        """Terminate the process (SIGTERM, then SIGKILL) and return its exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode

    def close(self) -> None:
        """Stop the process and release its stderr file."""
        self.stop()
        if self._stderr is not None:
            self._stderr.close()

    def stderr(self) -> str:
        """What the process wrote to stderr so far."""
        if self._stderr is None or self._stderr.closed:
            return ""
        self._stderr.seek(0)
        return self._stderr.read()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class SimulatorProcess(ServerProcess):
    """A simulator in a child process (``python -m criteo_catalog_sdk.simulator ARGS``); reads its URL."""

    def __init__(self, args: Sequence[str] = (), python: str | None = None) -> None:
        self.args = ["--port", "0", *args] if "--port" not in args else list(args)
        self.python = python or sys.executable
        super().__init__([self.python, "-m", "criteo_catalog_sdk.simulator", *self.args])

"""Start and stop the servers the slow tests and benchmarks talk to, on free loopback ports.

Every server here listens on 127.0.0.1 only, is started as a child process with its output in a
log file, is waited for with a bounded deadline, and is stopped by its own process id (SIGTERM,
then SIGKILL). Used by the slow tests (Chroma and llama.cpp servers, the nginx token proxy, the
HTTP API) and by ``eval/bench_load.py`` and ``eval/bench_api.py``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    """A TCP port that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def closed_port() -> int:
    """A port that refuses connections: a free port, bound and released, with no listener."""
    return free_port()


@dataclass
class Service:
    """A server running as a child process: its port, its log and how to stop it."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM, then SIGKILL after ``grace`` seconds; waits for the process to go."""
        stop_process(self.process, grace)


def stop_process(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """End one child process we started (by its pid), politely first."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait(timeout=grace)


def port_open(port: int, host: str = HOST) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def http_status(url: str, headers: dict[str, str] | None = None, timeout: float = 2.0) -> int | None:
    """The HTTP status of a GET (None when nothing answers)."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, OSError, TimeoutError):
        return None


def wait_until(
    ready: Callable[[], bool],
    service: Service,
    timeout: float,
    interval: float = 0.25,
) -> None:
    """Poll ``ready()`` until it is true; raise with the server's log when it dies or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise RuntimeError(f"{service.name} exited with status {service.process.returncode}:\n{service.log_tail()}")
        if ready():
            return
        time.sleep(interval)
    service.stop()
    raise TimeoutError(f"{service.name} was not ready within {timeout:.0f} s:\n{service.log_tail()}")


def _spawn(name: str, args: Sequence[str], log_dir: Path, port: int, env: dict[str, str] | None = None) -> Service:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}-{port}.log"
    log = log_path.open("wb")
    try:
        process = subprocess.Popen(
            list(args),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            start_new_session=True,  # a Ctrl-C in the test runner does not reach it twice
        )
    finally:
        log.close()
    return Service(name, process, port, log_path)


# ----- Chroma -----
def start_chroma(data_dir: Path, log_dir: Path, port: int | None = None, timeout: float = 60.0) -> Service:
    """``chroma run --path DATA --host 127.0.0.1 --port P``, ready when its heartbeat answers."""
    port = port or free_port()
    chroma = shutil.which("chroma", path=str(VENV_BIN)) or "chroma"
    service = _spawn(
        "chroma",
        [chroma, "run", "--path", str(data_dir), "--host", HOST, "--port", str(port)],
        log_dir,
        port,
        env={"ANONYMIZED_TELEMETRY": "False"},
    )
    wait_until(lambda: http_status(f"{service.url}/api/v2/heartbeat") == 200, service, timeout)
    return service


# ----- nginx token proxy -----
NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size 64m;
    map $http_authorization $token_ok {{
        default 0;
        "Bearer {token}" 1;
    }}
    upstream chroma {{
        server {upstream_host}:{upstream_port};
        keepalive 16;
    }}
    server {{
        listen {host}:{port};
        location / {{
            if ($token_ok = 0) {{
                return 401 '{{"error":"Unauthorized","message":"missing or wrong bearer token"}}';
            }}
            proxy_pass http://chroma;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            # Stream both ways: a worker running as 'nobody' never needs the (root-owned) temp folders.
            proxy_request_buffering off;
            proxy_buffering off;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


def nginx_config(prefix: Path, port: int, upstream_port: int, token: str, upstream_host: str = HOST) -> str:
    """An nginx.conf: a reverse proxy on ``port`` that lets through only ``Authorization: Bearer <token>``."""
    if any(ch in token for ch in "\"'\\;{}$\n\r "):
        raise ValueError("the token must not contain quotes, spaces, braces, '$', ';' or backslashes")
    return NGINX_CONF.format(
        prefix=prefix, port=port, host=HOST, upstream_host=upstream_host, upstream_port=upstream_port, token=token
    )


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).is_file()), None
    )


def start_token_proxy(upstream_port: int, token: str, work_dir: Path, timeout: float = 20.0) -> Service:
    """nginx in the foreground with its config, pid, logs and temp folders under ``work_dir``."""
    binary = nginx_binary()
    if binary is None:
        raise FileNotFoundError("nginx is not installed (make system-deps, or apt-get install nginx-light)")
    port = free_port()
    prefix = work_dir / f"nginx-{port}"
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_config(prefix, port, upstream_port, token), encoding="utf-8")
    args = [binary, "-c", str(conf), "-p", str(prefix), "-e", str(prefix / "error.log")]
    service = _spawn("nginx", args, prefix, port)
    # 401 without the token means nginx itself answers.
    wait_until(lambda: http_status(f"http://{HOST}:{port}/api/v2/heartbeat") == 401, service, timeout)
    return service


# ----- llama.cpp OpenAI-compatible server -----
def start_llama_server(
    model_path: Path,
    log_dir: Path,
    alias: str = "qwen",
    n_ctx: int = 4096,
    threads: int = 2,
    api_key: str | None = None,
    timeout: float = 180.0,
) -> Service:
    """``python -m llama_cpp.server`` on a free port, ready when ``/v1/models`` answers."""
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model_path),
        "--host",
        HOST,
        "--port",
        str(port),
        "--n_ctx",
        str(n_ctx),
        "--n_threads",
        str(threads),
        "--model_alias",
        alias,
    ]
    if api_key:
        args += ["--api_key", api_key]
    service = _spawn("llama-server", args, log_dir, port)
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    wait_until(lambda: http_status(f"{service.url}/v1/models", headers) == 200, service, timeout, interval=0.5)
    return service


# ----- this project's HTTP API -----
def start_api_server(
    log_dir: Path, args: Sequence[str] = (), env: dict[str, str] | None = None, timeout: float = 600.0
) -> Service:
    """``python -m rag serve ARGS`` on a free port, ready when ``/healthz`` answers 200 (models loaded)."""
    port = free_port()
    command = [sys.executable, "-m", "rag", "serve", "--host", HOST, "--port", str(port), *args]
    service = _spawn("rag-serve", command, log_dir, port, env)
    wait_until(lambda: http_status(f"{service.url}/healthz") == 200, service, timeout, interval=0.5)
    return service


@contextlib.contextmanager
def running(service: Service) -> Iterator[Service]:
    """Stop ``service`` on leaving the block, whatever happens inside."""
    try:
        yield service
    finally:
        service.stop()

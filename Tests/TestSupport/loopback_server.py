#!/usr/bin/env python3
"""Loopback HTTP/1.1 (and HTTPS) test server for peering-probe's test suites.

Python 3 standard library only. One thread per connection, so delays injected with
time.sleep land exactly where they are stated and never queue behind other clients.
Serves loopback addresses only; it never opens an outgoing connection.

Startup: once listening, prints exactly one JSON line `{"port": N}` to stdout, then
nothing more on stdout. Exits cleanly on SIGTERM (and, with --exit-on-stdin-eof, when
its standard input reaches end of file, so a crashed parent never leaks the server).

Per-request behaviour comes from the query string of any path:
  wait_ms=N        sleep N ms after the whole request was read, before the first response byte
  status=N         response status (default 200)
  bytes=N          body size (default 2: the body is "ok"; otherwise N bytes of "x")
  body_delay_ms=N  send headers + first body byte, sleep N ms, then the rest (bytes < 2 count as 2)
  reset_after=N    send headers (Content-Length = bytes) and N body bytes, then reset (RST)
  hang=1           read the request, never answer, hold the socket until the client closes
  header=Name:Value  extra response header (repeatable, URL-encoded)
  long_header=Name:N  extra response header whose value is N bytes of "a" (a long header line)
The path /echo-ip answers with the client's source address as the body.
HEAD gets the headers only (Content-Length still the full size).

With --log, each request is logged as soon as it has been read; once its answer is sent, a second line
{"served": {...}} says how long the server really took (time.monotonic, microseconds), for tests that
compare a client's phases with what the server did rather than with the delays asked for:
  handshake_us    from accepting the connection to the end of the TLS handshake (HTTPS only)
  wait_us         from reading the whole request to sending the first response byte
  body_delay_us   from sending the first body byte to sending the rest (body_delay_ms only)
"""

import argparse
import random
import errno
import json
import os
import select
import signal
import socket
import ssl
import struct
import sys
import threading
import time
from urllib.parse import parse_qsl, urlsplit

MAX_HEADER_BYTES = 64 * 1024
REASONS = {
    100: "Continue", 200: "OK", 201: "Created", 202: "Accepted", 204: "No Content",
    301: "Moved Permanently", 302: "Found", 304: "Not Modified", 307: "Temporary Redirect",
    308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
    404: "Not Found", 405: "Method Not Allowed", 408: "Request Timeout", 429: "Too Many Requests",
    500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
    504: "Gateway Timeout",
}


class Config:
    """Immutable server settings shared by every connection thread."""

    def __init__(self, args):
        self.tls_context = None
        if args.tls_cert:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(args.tls_cert, args.tls_key)
            ctx.set_alpn_protocols(["http/1.1"])
            ctx.sni_callback = _remember_sni
            self.tls_context = ctx
        self.handshake_delay_ms = max(0.0, float(args.handshake_delay_ms))
        self.blackhole = args.blackhole
        self.profiles = {}
        if args.profiles:
            with open(args.profiles, "r", encoding="utf-8") as f:
                raw = json.load(f)
            if not isinstance(raw, dict):
                raise ValueError("--profiles must hold a JSON object keyed by client IP")
            for ip, profile in raw.items():
                self.profiles[_normalise_ip(ip)] = {
                    "handshake_delay_ms": float(profile.get("handshake_delay_ms", 0) or 0),
                    "wait_ms": float(profile.get("wait_ms", 0) or 0),
                    "headers": [(str(k), str(v)) for k, v in (profile.get("headers") or {}).items()],
                    # Demo realism: an exponential extra wait (mean, ms), a share of requests answered by a
                    # reset instead (loss), and header sets picked at random per request (a PoP mix).
                    "jitter_ms": float(profile.get("jitter_ms", 0) or 0),
                    "loss": float(profile.get("loss", 0) or 0),
                    "header_choices": [[(str(k), str(v)) for k, v in choice.items()]
                                       for choice in (profile.get("header_choices") or [])],
                }
        self.log_lock = threading.Lock()
        self.log_file = open(args.log, "a", encoding="utf-8") if args.log else None

    def profile_for(self, ip):
        return self.profiles.get(ip)

    def log(self, entry):
        if self.log_file is None:
            return
        line = json.dumps(entry, separators=(",", ":")) + "\n"
        with self.log_lock:
            self.log_file.write(line)
            self.log_file.flush()


def _remember_sni(ssl_socket, server_name, _context):
    # Called during the handshake; keep the requested name for the request log.
    try:
        ssl_socket.pp_sni = server_name
    except Exception:  # pragma: no cover - never fail a handshake over logging
        pass


def _normalise_ip(ip):
    ip = ip.strip()
    if ip.startswith("::ffff:") and "." in ip:
        return ip[len("::ffff:"):]
    return ip


def _sleep_until(deadline):
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        time.sleep(remaining)


def _close(sock):
    try:
        sock.close()
    except OSError:
        pass


def _wait_for_peer_close(sock):
    """Holds a connection open, never reading or writing, until the peer closes or resets it."""
    poller = select.poll()
    poller.register(sock.fileno(), getattr(select, "POLLRDHUP", 0x2000))
    while True:
        events = poller.poll()
        for _, mask in events:
            if mask & (getattr(select, "POLLRDHUP", 0x2000) | select.POLLHUP | select.POLLERR | select.POLLNVAL):
                return


def _drain_until_close(sock):
    """Reads and discards whatever the peer sends until it closes the connection."""
    while True:
        try:
            data = sock.recv(65536)
        except (OSError, ssl.SSLError):
            return
        if not data:
            return


def _wait_send_queue_empty(sock, limit_s=0.5):
    """Waits until the kernel has sent (and the peer acknowledged) everything written so far."""
    try:
        import fcntl
        import termios
    except ImportError:  # pragma: no cover
        return
    deadline = time.monotonic() + limit_s
    buf = bytearray(4)
    while time.monotonic() < deadline:
        try:
            fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, buf)
        except OSError:
            return
        if struct.unpack("i", bytes(buf))[0] == 0:
            return
        time.sleep(0.0005)


def _reset(sock):
    """Closes with an RST instead of a FIN (SO_LINGER on, timeout 0)."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    _close(sock)


class ConnectionClosed(Exception):
    pass


class Reader:
    """Buffered reader for one connection (plain or TLS)."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionClosed()
        self.buf += data

    def read_head(self):
        while b"\r\n\r\n" not in self.buf:
            if len(self.buf) > MAX_HEADER_BYTES:
                raise ValueError("request head too large")
            self._fill()
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        return head

    def read_line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, _, self.buf = self.buf.partition(b"\r\n")
        return line

    def read_exact(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def read_chunked(self):
        total = 0
        while True:
            size = int(self.read_line().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.read_line():  # trailers until the empty line
                    pass
                return total
            self.read_exact(size)
            self.read_line()
            total += size


def _query_num(params, name, default):
    """The last value of a numeric query item (milliseconds may have a fraction), else default."""
    result = default
    for key, value in params:
        if key == name:
            try:
                result = float(value)
            except ValueError:
                pass
    return result


def _query_int(params, name, default):
    return int(_query_num(params, name, default))


def handle_connection(config, raw_sock, addr, accepted_at):
    client_ip = _normalise_ip(addr[0])
    client_port = addr[1]
    profile = config.profile_for(client_ip)
    sock = raw_sock
    try:
        raw_sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if config.blackhole:
            _wait_for_peer_close(raw_sock)
            return
        tls_info = None
        handshake_us = None
        if config.tls_context is not None:
            sock = config.tls_context.wrap_socket(raw_sock, server_side=True, do_handshake_on_connect=False)
            delay_ms = config.handshake_delay_ms + (profile["handshake_delay_ms"] if profile else 0)
            if delay_ms > 0:
                _sleep_until(accepted_at + delay_ms / 1000.0)
            try:
                sock.do_handshake()
            except (ssl.SSLError, OSError):
                return
            handshake_us = int((time.monotonic() - accepted_at) * 1e6)
            tls_info = {
                "sni": getattr(sock, "pp_sni", None),
                "alpn": sock.selected_alpn_protocol(),
                "version": sock.version(),
            }
        serve_request(config, sock, client_ip, client_port, profile, tls_info, handshake_us)
    except (ConnectionClosed, OSError, ssl.SSLError, ValueError):
        pass
    finally:
        _close(sock)


def serve_request(config, sock, client_ip, client_port, profile, tls_info, handshake_us=None):
    reader = Reader(sock)
    head = reader.read_head()
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) < 2:
        raise ValueError("bad request line")
    method, target = parts[0], parts[1]
    headers = {}
    for line in lines[1:]:
        if ":" not in line:
            continue
        name, _, value = line.partition(":")
        name, value = name.strip(), value.strip()
        headers[name] = headers[name] + ", " + value if name in headers else value
    lower = {k.lower(): v for k, v in headers.items()}

    if lower.get("expect", "").lower() == "100-continue":
        sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
    body_bytes = 0
    if "chunked" in lower.get("transfer-encoding", "").lower():
        body_bytes = reader.read_chunked()
    elif lower.get("content-length"):
        body_bytes = int(lower["content-length"])
        reader.read_exact(body_bytes)
    request_read_at = time.monotonic()

    entry = {"client": client_ip, "port": client_port, "method": method, "path": target, "headers": headers}
    if body_bytes:
        entry["body_bytes"] = body_bytes
    if tls_info is not None:
        entry["tls"] = tls_info
    config.log(entry)

    split = urlsplit(target)
    params = parse_qsl(split.query, keep_blank_values=True)
    if _query_int(params, "hang", 0):
        _drain_until_close(sock)
        return

    wait_ms = max(0.0, _query_num(params, "wait_ms", 0)) + (profile["wait_ms"] if profile else 0)
    if profile and profile["jitter_ms"] > 0:
        wait_ms += random.expovariate(1.0 / profile["jitter_ms"])
    if profile and profile["loss"] > 0 and random.random() < profile["loss"]:
        _reset(sock)
        return
    status = _query_int(params, "status", 200)
    size = max(0, _query_int(params, "bytes", 2))
    body_delay_ms = max(0.0, _query_num(params, "body_delay_ms", 0))
    reset_after = _query_int(params, "reset_after", -1)

    if split.path == "/echo-ip":
        body = client_ip.encode("ascii")
    else:
        if body_delay_ms > 0 and size < 2:
            size = 2
        body = b"ok" if size == 2 else b"x" * size

    extra = list(profile["headers"]) if profile else []
    if profile and profile["header_choices"]:
        extra += random.choice(profile["header_choices"])
    for key, value in params:
        if key == "header" and ":" in value:
            name, _, val = value.partition(":")
            extra.append((name.strip(), val.strip()))
        if key == "long_header" and ":" in value:
            name, _, count = value.partition(":")
            extra.append((name.strip(), "a" * max(0, int(count))))

    head_lines = ["HTTP/1.1 %d %s" % (status, REASONS.get(status, "Status"))]
    content_type = "text/plain; charset=utf-8"
    head_lines.append("Content-Type: " + content_type)
    head_lines.append("Content-Length: %d" % len(body))
    head_lines.append("Connection: close")
    for name, value in extra:
        head_lines.append("%s: %s" % (name, value))
    response_head = ("\r\n".join(head_lines) + "\r\n\r\n").encode("latin-1")

    if wait_ms > 0:
        _sleep_until(request_read_at + wait_ms / 1000.0)

    served = {"client": client_ip, "port": client_port, "handshake_us": handshake_us}
    head_at = time.monotonic()
    served["wait_us"] = int((head_at - request_read_at) * 1e6)
    if method.upper() == "HEAD":
        sock.sendall(response_head)
    elif reset_after >= 0:
        sock.sendall(response_head + body[: min(reset_after, len(body))])
        _wait_send_queue_empty(sock)
        _reset(sock)
        return
    elif body_delay_ms > 0 and len(body) >= 2:
        sock.sendall(response_head + body[:1])
        _sleep_until(time.monotonic() + body_delay_ms / 1000.0)
        rest_at = time.monotonic()
        sock.sendall(body[1:])
        served["body_delay_us"] = int((rest_at - head_at) * 1e6)
    else:
        sock.sendall(response_head + body)
    config.log({"served": served})
    _finish(sock)


def _finish(sock):
    """Ends the response politely: TLS close_notify where possible, then FIN."""
    try:
        if isinstance(sock, ssl.SSLSocket):
            sock = sock.unwrap()
    except (ssl.SSLError, OSError, ValueError):
        pass
    try:
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def main():
    parser = argparse.ArgumentParser(description="peering-probe loopback test server")
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--handshake-delay-ms", type=float, default=0)
    parser.add_argument("--profiles")
    parser.add_argument("--blackhole", action="store_true")
    parser.add_argument("--log")
    parser.add_argument("--exit-on-stdin-eof", action="store_true",
                        help="exit when stdin reaches EOF (the parent died or closed the pipe)")
    args = parser.parse_args()
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")

    # A parent may start us with signals blocked (Swift Testing's worker threads block SIGTERM and
    # Foundation's Process passes the mask on): unblock them, or SIGTERM would never arrive.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    config = Config(args)

    family = socket.AF_INET6 if ":" in args.bind else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((args.bind, args.port))
    listener.listen(512)

    if args.exit_on_stdin_eof:
        def watch_stdin():
            try:
                while os.read(0, 4096):
                    pass
            except OSError:
                pass
            os._exit(0)
        threading.Thread(target=watch_stdin, name="stdin-watch", daemon=True).start()

    sys.stdout.write(json.dumps({"port": listener.getsockname()[1]}) + "\n")
    sys.stdout.flush()

    while True:
        try:
            conn, addr = listener.accept()
        except OSError as e:
            if e.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                time.sleep(0.01)
                continue
            if e.errno in (errno.ECONNABORTED, errno.EINTR):
                continue
            raise
        accepted_at = time.monotonic()
        threading.Thread(target=handle_connection, args=(config, conn, addr, accepted_at), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass

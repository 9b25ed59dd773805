#!/usr/bin/env python3
"""Time from process start to its first connection attempt (Scripts/bench, startup).

    first_connect.py [--runs 20] [--target-ms 20] [--label TEXT] -- COMMAND [ARG...]

Opens its own listening socket on 127.0.0.1 (a free port) and, for each run, records
time.monotonic_ns() just before subprocess.Popen(COMMAND) and again when a blocking accept()
in a helper thread returns the command's first connection. Every "{url}" in the arguments
becomes http://127.0.0.1:PORT/ and every "{port}" the port. Each connection is answered with a
minimal HTTP 200 so the command finishes. Prints the median over the runs in ms and a PASS/FAIL
line against the target. Standard library only; loopback only.
"""
import argparse
import socket
import statistics
import subprocess
import sys
import threading
import time

RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
            b"Connection: close\r\n\r\nok\n")


class Server:
    """Accepts connections forever; remembers when the first one of the current run arrived."""

    def __init__(self):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.first_accept_ns = None
        self.accepted = threading.Event()
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def reset(self):
        with self.lock:
            self.first_accept_ns = None
            self.accepted.clear()

    def _accept_loop(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            now = time.monotonic_ns()  # read first: the thread is already woken, this is the arrival
            with self.lock:
                if self.first_accept_ns is None:
                    self.first_accept_ns = now
                    self.accepted.set()
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    @staticmethod
    def _answer(connection):
        """Reads the request head, answers 200, closes."""
        try:
            connection.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                data += chunk
            if data:
                connection.sendall(RESPONSE)
        except OSError:
            pass
        finally:
            connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--target-ms", type=float, default=20.0)
    parser.add_argument("--label", default="startup: first connection after process start")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("a command to run is required after --")

    server = Server()
    url = f"http://127.0.0.1:{server.port}/"
    argv = [part.replace("{url}", url).replace("{port}", str(server.port)) for part in command]

    delays_ms, problems = [], 0
    for _ in range(args.runs):
        server.reset()
        start_ns = time.monotonic_ns()
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        arrived = server.accepted.wait(timeout=10)
        try:
            code = process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            code = "killed"
        if not arrived or server.first_accept_ns is None:
            problems += 1
            print(f"  run: no connection arrived (exit status {code})", file=sys.stderr)
            continue
        if code != 0:
            problems += 1
        delays_ms.append((server.first_accept_ns - start_ns) / 1e6)

    if not delays_ms:
        print(f"FAIL: {args.label}: no connection in {args.runs} runs")
        return 0
    p50 = statistics.median(delays_ms)
    print(f"  {' '.join(argv)}")
    print(f"  first connection after start: median {p50:.2f} ms, min {min(delays_ms):.2f}, "
          f"max {max(delays_ms):.2f} over {len(delays_ms)} runs"
          + (f" ({problems} runs failed or exited non-zero)" if problems else ""))
    verdict = "PASS" if p50 < args.target_ms and not problems else "FAIL"
    print(f"{verdict}: {args.label}: median {p50:.2f} ms (target < {args.target_ms:g} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

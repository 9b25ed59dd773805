#!/usr/bin/env python3
"""The continuous agent's speed and memory, measured from outside (Scripts/bench, agent).

    agent.py idle     --probe BIN --url URL --work DIR [--seconds 300] [--targets 100] [--count 3]
    agent.py soak     --probe BIN --url URL --work DIR [--probes 200000] [--targets 40] [--count 5]
    agent.py overload --probe BIN --bench BIN --url URL --work DIR [--seconds 20] [--rounds 3]
                      [--targets 400] [--count 10] [--concurrency 50] [--oneshot-probes 20000 (warm-up)]

Each part writes a config of loopback targets (URL?i=N, one path), starts `peering-probe run --log-format
json` on a fresh output folder with its log on a file, reads the process's CPU time from /proc/PID/stat
(utime + stime) and its memory from /proc/PID/status (VmRSS, VmHWM) about once a second, stops it with
SIGTERM, follows VmHWM until the process exits and takes its exit status from wait4(). (Not the peak RSS
that wait4() reports: Linux counts in it the forking parent's, this Python's, before exec.) It prints its
figures and PASS/FAIL lines against the bars:
  idle      TARGETS x COUNT samples (the default spacing, 100 ms) every 60 s for SECONDS: average CPU
            (user + system, from process start to SIGTERM) under 0.5 % of one core. Samples written
            against the rounds that the start line's first-round times call for.
  soak      TARGETS x COUNT (10 ms apart) every 100 ms until PROBES samples, metrics on 127.0.0.1:0 scraped
            every second: VmRSS growth after warm-up (the first 10 % of the samples) under 2 MiB, peak RSS
            under 40 MiB, exit status 0 and the `stopped` line's written count equal to the lines on disk.
  overload  TARGETS x COUNT (spacing 0) every 100 ms, CONCURRENCY in flight: far more than the machine can
            do. Raced against `peering-probe-bench throughput` (the one-shot engine, as the throughput
            section runs it), alternating one-shot and agent for ROUNDS rounds after a one-shot warm-up:
            the median agent rate (samples that started in the steady part of the run, from 25 % of it to
            SIGTERM, by their `ts`; cancelled ones left out) at least 90 % of the median one-shot rate;
            overruns counted in every run; VmRSS at the end within 2 MiB of VmRSS at 25 % of the run.
Standard library only; loopback only.
"""
import argparse
import calendar
import json
import os
import re
import shutil
import signal
import math
import statistics
import subprocess
import sys
import time
import urllib.request

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def mib(kib):
    return kib / 1024


# ---------------------------------------------------------------------------------------------
# The agent process
# ---------------------------------------------------------------------------------------------
def write_config(path, url, targets, count, spacing, interval, concurrency=None, metrics=False, timeout="2s"):
    """A config of TARGETS loopback targets t001.. on URL?i=N (one implicit path)."""
    lines = ["agent: bench-agent", "schedule:", f"  interval: {interval}", "defaults:", f"  count: {count}"]
    if spacing is not None:
        lines.append(f"  spacing: {spacing}")
    if timeout is not None:
        lines.append(f"  timeout: {timeout}")
    if concurrency is not None:
        lines.append(f"  concurrency: {concurrency}")
    if metrics:
        lines += ["metrics:", "  listen: 127.0.0.1:0"]
    lines.append("targets:")
    separator = "&" if "?" in url else "?"
    for i in range(1, targets + 1):
        lines += [f"  - name: t{i:03d}", f"    url: {url}{separator}i={i}"]
    with open(path, "w") as file:
        file.write("\n".join(lines) + "\n")


class Agent:
    """One `peering-probe run` process, its log on a file, measured through /proc."""

    def __init__(self, probe, work, name, config):
        self.dir = os.path.join(work, name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.out = os.path.join(self.dir, "out")
        self.log_path = os.path.join(self.dir, "agent.log")
        self.config = config
        self.probe = probe
        self.process = None
        self.status = None
        self.rusage = None

    def start(self):
        log = open(self.log_path, "wb")
        self.started_wall = time.time()
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [self.probe, "run", "--config", self.config, "--out", self.out, "--log-format", "json"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
        log.close()
        self.pid = self.process.pid

    def alive(self):
        return self.status is None and self.process.poll() is None

    def log(self):
        """Every JSON log line so far (other lines are skipped)."""
        entries = []
        try:
            with open(self.log_path, "rb") as file:
                for raw in file:
                    try:
                        entries.append(json.loads(raw))
                    except ValueError:
                        pass
        except FileNotFoundError:
            pass
        return entries

    def wait_for(self, message, timeout=30):
        """The first log line with MESSAGE, waiting for it; None when the agent exits or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for entry in self.log():
                if entry.get("message") == message:
                    return entry
            if self.process.poll() is not None:
                return None
            time.sleep(0.05)
        return None

    def cpu_seconds(self):
        """utime + stime so far, in seconds, from /proc/PID/stat."""
        with open(f"/proc/{self.pid}/stat") as file:
            fields = file.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS   # fields 14 and 15 of stat(5)

    def memory_kib(self):
        """(VmRSS, VmHWM) in KiB from /proc/PID/status."""
        rss = hwm = 0
        with open(f"/proc/{self.pid}/status") as file:
            for line in file:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
        return rss, hwm

    def stop(self, timeout=60):
        """SIGTERM, then wait4(): sets status (exit code, or -signal), rusage and peak_kib (the last VmHWM
        read while it shut down); SIGKILL after TIMEOUT s."""
        self.peak_kib = self.memory_kib()[1]
        self.stopped_wall = time.time()
        self.stopped = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.peak_kib = max(self.peak_kib, self.memory_kib()[1])
            except (OSError, ValueError):
                pass
            pid, status, rusage = os.wait4(self.pid, os.WNOHANG)
            if pid == self.pid:
                break
            if time.monotonic() > deadline:
                print(f"  the agent did not stop within {timeout} s of SIGTERM: killed")
                self.process.kill()
                pid, status, rusage = os.wait4(self.pid, 0)
                break
            time.sleep(0.01)
        self.process.returncode = os.waitstatus_to_exitcode(status)
        self.status = self.process.returncode
        self.rusage = rusage
        self.exited = time.monotonic()

    def kill(self):
        if self.process is not None and self.status is None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stopped_line(self):
        for entry in self.log():
            if entry.get("message") == "stopped":
                return entry
        return None

    def batch_files(self):
        """Finished batches (*.ndjson) and open temporary ones (.*.ndjson.tmp-*) under the output folder."""
        files = []
        for folder, _, names in os.walk(self.out):
            for name in names:
                if name.endswith(".ndjson") or ".ndjson.tmp-" in name:
                    files.append(os.path.join(folder, name))
        return files

    def lines_on_disk(self):
        total = 0
        for path in self.batch_files():
            with open(path, "rb") as file:
                while chunk := file.read(1 << 20):
                    total += chunk.count(b"\n")
        return total

    def tail(self, lines=5):
        try:
            with open(self.log_path, "rb") as file:
                return [raw.decode(errors="replace").rstrip() for raw in file.readlines()[-lines:]]
        except FileNotFoundError:
            return []


def wall_seconds(stamp, cache={}):
    """RFC 3339 UTC with fractional seconds ("2026-12-01T03:00:00.123456Z") as Unix seconds."""
    minute = stamp[:16]
    base = cache.get(minute)
    if base is None:
        base = calendar.timegm(time.strptime(minute, "%Y-%m-%dT%H:%M"))
        cache[minute] = base
    return base + float(stamp[17:].rstrip("Z"))


def verdict(ok, text):
    print(("PASS: " if ok else "FAIL: ") + text)


def report_failure(agent, what):
    print(f"FAIL: agent {what}: `peering-probe run` did not start or stopped early; last log lines:")
    for line in agent.tail():
        print("    " + line)


def scrape(address):
    """Sum of peering_probe_samples_total over every series, or None when the scrape fails."""
    try:
        with urllib.request.urlopen(f"http://{address}/metrics", timeout=5) as response:
            text = response.read().decode()
    except OSError:
        return None
    total = 0.0
    for line in text.splitlines():
        if line.startswith("peering_probe_samples_total{") or line.startswith("peering_probe_samples_total "):
            total += float(line.rsplit(" ", 1)[1])
    return int(total)


def time_wait_sockets():
    try:
        output = subprocess.run(["ss", "-tan", "state", "time-wait"], capture_output=True, text=True).stdout
        return max(0, len(output.splitlines()) - 1)
    except OSError:
        return "?"


def load():
    with open("/proc/loadavg") as file:
        return file.read().split()[0]


# ---------------------------------------------------------------------------------------------
# idle
# ---------------------------------------------------------------------------------------------
def idle(args):
    interval = 60
    config = os.path.join(args.work, "idle.yaml")
    write_config(config, args.url, args.targets, args.count, None, f"{interval}s", timeout=None)
    agent = Agent(args.probe, args.work, "idle", config)
    print(f"idle: {args.targets} targets x 1 path x count {args.count} (100 ms apart) every {interval} s (HTTP, "
          f"{args.url}), "
          f"for {args.seconds} s; CPU from /proc/PID/stat")
    agent.start()
    try:
        started = agent.wait_for("started")
        if started is None:
            return report_failure(agent, "idle")
        cpu_at_start, wall_at_start = agent.cpu_seconds(), time.monotonic()
        rss_series = []
        deadline = agent.started + args.seconds
        next_report = agent.started + 60
        while time.monotonic() < deadline and agent.alive():
            time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
            if not agent.alive():
                break
            rss, hwm = agent.memory_kib()
            rss_series.append(rss)
            if time.monotonic() >= next_report:
                next_report += 60
                elapsed = time.monotonic() - agent.started
                cpu = agent.cpu_seconds()
                print(f"  {elapsed:5.0f} s: CPU {cpu:.2f} s ({100 * cpu / elapsed:.3f} %), VmRSS {mib(rss):.1f} MiB, "
                      f"lines {agent.lines_on_disk()}  (load {load()})")
        if not agent.alive():
            return report_failure(agent, "idle")
        cpu = agent.cpu_seconds()
        rss, hwm = agent.memory_kib()
        wall = time.monotonic() - agent.started
        agent.stop()
    finally:
        agent.kill()

    # The rounds due before SIGTERM: first slot from the start line, then one every interval.
    expected = 0
    for item in str(started.get("first_rounds", "")).split():
        _, _, stamp = item.rpartition("@")
        first = wall_seconds(stamp)
        if first < agent.stopped_wall:
            expected += int((agent.stopped_wall - first) // interval) + 1
    expected *= args.count
    stopped = agent.stopped_line() or {}
    lines = agent.lines_on_disk()
    total_cpu = agent.rusage.ru_utime + agent.rusage.ru_stime
    percent = 100 * cpu / wall
    steady = 100 * (cpu - cpu_at_start) / (agent.stopped - wall_at_start)
    print(f"  CPU (user + system) {cpu:.2f} s over {wall:.1f} s wall from process start = {percent:.3f} % of one core"
          f"  (with shutdown: {total_cpu:.2f} s; start-up {cpu_at_start:.2f} s, after it {steady:.3f} %)")
    print(f"  VmRSS {mib(rss):.1f} MiB at the end (min {mib(min(rss_series or [rss])):.1f}, "
          f"max {mib(max(rss_series or [rss])):.1f}), VmHWM {mib(hwm):.1f} MiB; exit status {agent.status}")
    print(f"  samples: {lines} lines in the batches, `stopped` says samples={stopped.get('samples')} "
          f"written={stopped.get('written')} rounds={stopped.get('rounds')}; expected {expected} "
          f"(rounds due before SIGTERM x count {args.count})")
    verdict(percent < 0.5 and agent.status == 0,
            f"agent idle: {percent:.3f} % of one core on average ({cpu:.2f} s CPU in {wall:.0f} s, "
            f"{args.targets} targets x count {args.count} every 60 s, {lines} samples; target < 0.5 %)")


# ---------------------------------------------------------------------------------------------
# soak
# ---------------------------------------------------------------------------------------------
def soak(args):
    per_second = args.targets * args.count * 10
    config = os.path.join(args.work, "soak.yaml")
    write_config(config, args.url, args.targets, args.count, "10ms", "100ms", metrics=True)
    agent = Agent(args.probe, args.work, "soak", config)
    print(f"soak: {args.targets} targets x count {args.count} (10 ms apart) every 100 ms = {per_second} probes/s "
          f"(HTTP, {args.url}) until {args.probes} samples; metrics on 127.0.0.1:0, scraped every second")
    agent.start()
    warm_at = args.probes // 10
    series = []            # (seconds since start, samples per metrics, VmRSS KiB)
    scrapes = failed_scrapes = 0
    try:
        serving = agent.wait_for("serving metrics")
        if serving is None:
            return report_failure(agent, "soak")
        address = serving.get("address")
        print(f"  metrics at http://{address}/metrics")
        deadline = agent.started + 2 * args.probes / per_second + 60
        warm = None
        samples = 0
        next_report = agent.started + 10
        while samples < args.probes:
            time.sleep(1.0)
            if not agent.alive() or time.monotonic() > deadline:
                break
            rss, hwm = agent.memory_kib()
            scraped = scrape(address)
            scrapes += 1
            if scraped is None:
                failed_scrapes += 1
                continue
            samples = scraped
            elapsed = time.monotonic() - agent.started
            series.append((elapsed, samples, rss))
            if warm is None and samples >= warm_at:
                warm = (elapsed, samples, rss)
            if time.monotonic() >= next_report:
                next_report += 10
                print(f"  {elapsed:5.0f} s: {samples:7d} samples, VmRSS {mib(rss):.1f} MiB, VmHWM {mib(hwm):.1f} "
                      f"MiB  (load {load()})")
        if not agent.alive() or samples < args.probes:
            if agent.alive():
                agent.stop()
            print(f"  stopped early: {samples} samples after {time.monotonic() - agent.started:.0f} s")
            return report_failure(agent, "soak")
        final_rss, final_hwm = agent.memory_kib()
        cpu = agent.cpu_seconds()
        wall = time.monotonic() - agent.started
        agent.stop()
    finally:
        agent.kill()

    stopped = agent.stopped_line() or {}
    lines = agent.lines_on_disk()
    peak = max(final_hwm, agent.peak_kib)
    if warm is None:   # fewer scrapes than it takes to see 10 % (a very small --probes): the first one
        warm = series[0] if series else (0.0, 0, final_rss)
    growth = final_rss - warm[2]
    after = [point for point in series if point[1] >= warm_at] or [warm]
    slope = ""
    if len(after) >= 3 and after[-1][1] > after[0][1]:
        xs = [point[1] for point in after]
        ys = [point[2] for point in after]
        mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
        beta = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
        slope = f"; trend after warm-up {beta * 100_000 / 1024:+.2f} MiB per 100,000 samples"
    print(f"  {lines} samples on disk in {wall:.0f} s ({lines / wall:.0f}/s), CPU {cpu:.1f} s = "
          f"{1e6 * cpu / max(1, lines):.1f} µs per sample; {scrapes} scrapes ({failed_scrapes} failed)")
    print(f"  VmRSS after warm-up ({warm[1]} samples, {warm[0]:.0f} s) {mib(warm[2]):.2f} MiB, at the end "
          f"{mib(final_rss):.2f} MiB: growth {mib(growth):+.2f} MiB (max after warm-up "
          f"{mib(max(point[2] for point in after)):.2f} MiB){slope}")
    print(f"  peak RSS: VmHWM {mib(final_hwm):.2f} MiB before SIGTERM, {mib(agent.peak_kib):.2f} MiB "
          f"with the shutdown")
    print(f"  exit status {agent.status} ({agent.exited - agent.stopped:.2f} s after SIGTERM); `stopped`: "
          + " ".join(f"{key}={stopped.get(key)}" for key in ("rounds", "samples", "written", "overruns", "dropped")))
    verdict(growth < 2 * 1024,
            f"agent soak: VmRSS grew {mib(growth):+.2f} MiB over {lines - warm[1]} samples after warm-up "
            f"({mib(warm[2]):.1f} -> {mib(final_rss):.1f} MiB; target < 2 MiB)")
    verdict(peak < 40 * 1024,
            f"agent soak: peak RSS {mib(peak):.1f} MiB with the metrics server on and scraped (target < 40 MiB)")
    written = stopped.get("written")
    verdict(agent.status == 0 and written == lines,
            f"agent soak: exit status {agent.status} after SIGTERM, `stopped` written={written}, "
            f"{lines} lines on disk (target: 0, equal)")


# ---------------------------------------------------------------------------------------------
# overload
# ---------------------------------------------------------------------------------------------
TS = re.compile(rb'"ts":"([^"]+)"')
CANCELLED = b'"kind":"cancelled"'


def one_shot(args, probes):
    """One `peering-probe-bench throughput` run: its key=value fields, or {} when it failed."""
    result = subprocess.run(
        [args.bench, "throughput", "--url", args.url, "--probes", str(probes), "--concurrency", str(args.concurrency)],
        capture_output=True, text=True)
    for line in result.stdout.splitlines():
        if "probes_per_second=" in line:
            return dict(pair.split("=", 1) for pair in line.split() if "=" in pair), line
    return {}, f"failed: {result.stderr.strip()[-200:]}"


def overload_run(args, number, config):
    """One agent run: its figures as a dict, or None when it failed."""
    agent = Agent(args.probe, args.work, f"overload-{number}", config)
    agent.start()
    try:
        if agent.wait_for("started") is None:
            report_failure(agent, "overload")
            return None
        window_start = agent.started + 0.25 * args.seconds
        end = agent.started + args.seconds
        rss_quarter = cpu_quarter = None
        wall_quarter = None
        while time.monotonic() < end and agent.alive():
            time.sleep(min(0.25, max(0.0, end - time.monotonic())))
            if rss_quarter is None and time.monotonic() >= window_start and agent.alive():
                rss_quarter, _ = agent.memory_kib()
                cpu_quarter = agent.cpu_seconds()
                wall_quarter = time.time()
        if not agent.alive():
            report_failure(agent, "overload")
            return None
        rss_end, hwm_end = agent.memory_kib()
        cpu_end = agent.cpu_seconds()
        agent.stop()
    finally:
        agent.kill()

    # Samples that started in the steady window [25 % of the run, SIGTERM), cancelled ones left out.
    steady = lines = cancelled = 0
    first_ts = None
    for path in agent.batch_files():
        with open(path, "rb") as file:
            for raw in file:
                lines += 1
                if CANCELLED in raw:
                    cancelled += 1
                    continue
                match = TS.search(raw)
                if match is None:
                    continue
                stamp = wall_seconds(match.group(1).decode())
                first_ts = stamp if first_ts is None else min(first_ts, stamp)
                if wall_quarter <= stamp < agent.stopped_wall:
                    steady += 1
    window = agent.stopped_wall - wall_quarter
    stopped = agent.stopped_line() or {}
    overran = sum(1 for entry in agent.log() if entry.get("message") == "round overran its interval")
    result = {
        "rate": steady / window,
        "cpu_us": 1e6 * (cpu_end - cpu_quarter) / max(1, steady),
        "whole_rate": lines / (agent.stopped - agent.started),
        "lines": lines, "cancelled": cancelled, "overran_lines": overran,
        "overruns": stopped.get("overruns"), "written": stopped.get("written"), "samples": stopped.get("samples"),
        "rss_quarter": rss_quarter, "rss_end": rss_end, "hwm_end": hwm_end,
        "peak": max(hwm_end, agent.peak_kib),
        "status": agent.status,
    }
    shutil.rmtree(agent.out, ignore_errors=True)
    return result


def overload(args):
    scheduled = args.targets * args.count * 10
    config = os.path.join(args.work, "overload.yaml")
    write_config(config, args.url, args.targets, args.count, "0ms", "100ms", concurrency=args.concurrency)
    print(f"overload: {args.targets} targets x count {args.count} (spacing 0) every 100 ms = {scheduled} probes/s "
          f"scheduled, {args.concurrency} in flight (HTTP, {args.url}), {args.seconds} s per agent run; raced "
          f"against `peering-probe-bench throughput`, {args.rounds} rounds")
    warm, line = one_shot(args, args.oneshot_probes)
    print(f"  one-shot warm-up          {line}")
    # The one-shot runs as long as an agent run, so that both meet the same kernel state (a long run of fresh
    # connections is a few percent slower than a short one: TIME_WAIT sockets, socket caches).
    rate = float(warm["probes_per_second"]) if warm else 5_000.0
    probes = max(args.oneshot_probes, int(rate * args.seconds))
    print(f"  one-shot rounds: {probes} probes each (the warm-up's rate x {args.seconds} s)")
    shots, runs = [], []
    for number in range(1, args.rounds + 1):
        tw = time_wait_sockets()
        fields, line = one_shot(args, probes)
        print(f"  one-shot #{number}  {line}  (time-wait before: {tw}, load {load()})")
        if fields:
            shots.append(fields)
        tw = time_wait_sockets()
        run = overload_run(args, number, config)
        if run is None:
            return
        runs.append(run)
        print(f"  agent    #{number}  {run['rate']:.1f} probes/s in the steady part, {run['cpu_us']:.1f} µs CPU per "
              f"probe; whole run {run['whole_rate']:.0f}/s ({run['lines']} lines, {run['cancelled']} cancelled); "
              f"overruns={run['overruns']} ({run['overran_lines']} log lines); VmRSS {mib(run['rss_quarter']):.1f} "
              f"-> {mib(run['rss_end']):.1f} MiB, VmHWM {mib(run['hwm_end']):.1f} before SIGTERM, peak {mib(run['peak']):.1f} "
              f"with shutdown; exit {run['status']}  "
              f"(time-wait before: {tw}, load {load()})")
    if not shots:
        print("FAIL: agent overload: peering-probe-bench throughput did not run")
        return
    shot_rate = statistics.median(float(fields["probes_per_second"]) for fields in shots)
    shot_cpu = statistics.median(float(fields["cpu_us_per_probe"]) for fields in shots)
    agent_rate = statistics.median(run["rate"] for run in runs)
    agent_cpu = statistics.median(run["cpu_us"] for run in runs)
    percent = 100 * agent_rate / shot_rate
    growth = max(run["rss_end"] - run["rss_quarter"] for run in runs)
    print(f"  medians of {len(runs)}: agent {agent_rate:.0f} probes/s, {agent_cpu:.1f} µs CPU per probe; one-shot "
          f"{shot_rate:.0f} probes/s, {shot_cpu:.1f} µs CPU per probe")
    verdict(percent >= 90,
            f"agent overload: {agent_rate:.0f} probes/s = {percent:.1f} % of the one-shot engine's {shot_rate:.0f} "
            f"(medians of {len(runs)}, HTTP, {args.concurrency} in flight; target >= 90 %)")
    # Every overrun is counted; the log says so at most once a minute per target (a 20 s run: one line each).
    minutes = max(1, math.ceil(args.seconds / 60))
    overruns_ok = all(
        (run["overruns"] or 0) > 0 and 0 < run["overran_lines"] <= args.targets * minutes for run in runs)
    verdict(overruns_ok,
            "agent overload: overruns counted: " + ", ".join(
                f"{run['overruns']} (log lines {run['overran_lines']})" for run in runs)
            + f" (target: > 0, logged at most once a minute per target: <= {args.targets * minutes} lines)")
    verdict(growth < 2 * 1024 and all(run["status"] == 0 for run in runs),
            f"agent overload: VmRSS from 25 % of the run to the end grew at most {mib(growth):+.2f} MiB "
            f"(peak {mib(max(run['peak'] for run in runs)):.1f} MiB; target < 2 MiB, exit 0)")
    print(f"INFO: agent overload: CPU per probe {agent_cpu:.1f} µs in the agent vs {shot_cpu:.1f} µs one-shot")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", choices=["idle", "soak", "overload"])
    parser.add_argument("--probe", required=True)
    parser.add_argument("--bench")
    parser.add_argument("--url", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--targets", type=int)
    parser.add_argument("--count", type=int)
    parser.add_argument("--probes", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--oneshot-probes", type=int, default=20_000)
    args = parser.parse_args()
    defaults = {"idle": (300, 100, 3), "soak": (None, 40, 5), "overload": (20, 400, 10)}[args.part]
    if args.seconds is None:
        args.seconds = defaults[0]
    if args.targets is None:
        args.targets = defaults[1]
    if args.count is None:
        args.count = defaults[2]
    os.makedirs(args.work, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))   # so that `finally` stops the agent
    {"idle": idle, "soak": soak, "overload": overload}[args.part](args)


if __name__ == "__main__":
    main()

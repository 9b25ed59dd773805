#!/usr/bin/env bash
# End-to-end test of per-uplink tagging across real network namespaces (needs root and `ip netns`).
#
#   uplinks-netns.sh PEERING_PROBE_BINARY
#
# Builds, inside namespaces this script creates and always removes:
#   pp-site-PID  --veth ppaPID (203.0.113.10/24)-->  pp-edge-PID   (uplink a, provider isp-a, Peering Service)
#                --veth ppbPID (198.51.100.10/24)->                 (uplink b, provider isp-b, internet)
# The edge namespace runs the project's test server on 192.0.2.80:8080, answering uplink a after 5 ms with
# edge AMSEDGE0101 and uplink b after 40 ms with FRAEDGE0202. peering-probe runs in the site namespace,
# bound to each uplink by interface name, and the samples must carry each uplink's tags.
# Only documentation addresses inside these namespaces are used; nothing reaches the host's network.
set -euo pipefail

probe=${1:?usage: uplinks-netns.sh PEERING_PROBE_BINARY}
here=$(cd "$(dirname "$0")" && pwd)
server_script="$here/../TestSupport/loopback_server.py"
site="pp-site-$$"
edge="pp-edge-$$"
a="ppa$$"
b="ppb$$"
work=$(mktemp -d)
server_pid=""

cleanup() {
    # Kill everything inside the namespaces (`ip netns exec` may fork, so its own pid is not the server's),
    # with SIGKILL: a parent such as Foundation's Process may have started us with SIGTERM blocked.
    for namespace in "$site" "$edge"; do
        ip netns pids "$namespace" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    done
    [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    ip netns del "$site" 2>/dev/null || true
    ip netns del "$edge" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$site"
ip netns add "$edge"
in_site() { ip netns exec "$site" "$@"; }
in_edge() { ip netns exec "$edge" "$@"; }
in_site ip link set lo up
in_edge ip link set lo up

# Two uplinks: veth pairs with the site end in the site namespace and the far end in the edge namespace.
ip link add "$a" netns "$site" type veth peer name "${a}e" netns "$edge"
ip link add "$b" netns "$site" type veth peer name "${b}e" netns "$edge"
in_site ip addr add 203.0.113.10/24 dev "$a"
in_site ip addr add 198.51.100.10/24 dev "$b"
in_edge ip addr add 203.0.113.1/24 dev "${a}e"
in_edge ip addr add 198.51.100.1/24 dev "${b}e"
for link in "$a" "$b"; do in_site ip link set "$link" up; done
for link in "${a}e" "${b}e"; do in_edge ip link set "$link" up; done
in_edge ip addr add 192.0.2.80/32 dev lo

# The edge is reachable over either uplink: interface binding picks the device, and a route per device
# (policy routing by source address) lets the kernel send bound traffic out of it.
in_site ip route add 192.0.2.80/32 via 203.0.113.1 dev "$a"
in_site ip rule add from 198.51.100.10 table 102
in_site ip route add 192.0.2.80/32 via 198.51.100.1 dev "$b" table 102
in_site ip route add 192.0.2.80/32 via 198.51.100.1 dev "$b" metric 50 2>/dev/null || true

cat > "$work/profiles.json" <<JSON
{"203.0.113.10": {"wait_ms": 5, "headers": {"X-MSEdge-Ref": "Ref A: 0A1B Ref B: AMSEDGE0101 Ref C: x"}},
 "198.51.100.10": {"wait_ms": 40, "headers": {"X-MSEdge-Ref": "Ref A: 0C2D Ref B: FRAEDGE0202 Ref C: y"}}}
JSON
in_edge python3 "$server_script" --bind 192.0.2.80 --port 8080 --profiles "$work/profiles.json" \
    > "$work/server.out" 2>"$work/server.err" < /dev/null &
server_pid=$!
for _ in $(seq 50); do grep -q port "$work/server.out" 2>/dev/null && break; sleep 0.1; done

cat > "$work/config.yaml" <<YAML
agent: netns-e2e
site: lab
region: westeurope
providers:
  - name: isp-a
    asn: 64500
    peering_service: true
    prefixes: [203.0.113.0/24]
  - name: isp-b
    asn: 64501
    prefixes: [198.51.100.0/24]
paths:
  - name: uplink-a
    provider: isp-a
    bind: $a
  - name: uplink-b
    provider: isp-b
    bind: $b
    egress_discovery: http://192.0.2.80:8080/echo-ip
targets:
  - name: edge
    url: http://192.0.2.80:8080/
defaults:
  count: 5
  spacing: 10ms
YAML

# First run into a folder (uplink-a learns its local address), second run tags from that state.
in_site "$probe" probe --config "$work/config.yaml" --out "$work/out" > /dev/null
in_site "$probe" probe --config "$work/config.yaml" --out "$work/out" > /dev/null
latest=$(find "$work/out" -name '*.ndjson' | sort | tail -n 1)

python3 - "$latest" "$a" <<'PY'
import json, statistics, sys
samples = [json.loads(line) for line in open(sys.argv[1])]
failures = 0
def check(name, condition):
    global failures
    print(("PASS: " if condition else "FAIL: ") + name)
    failures += 0 if condition else 1
by = {p: [s for s in samples if s["path"] == p] for p in ("uplink-a", "uplink-b")}
check("10 samples, 5 per uplink", len(samples) == 10 and all(len(v) == 5 for v in by.values()))
check("every sample ok", all(s["ok"] for s in samples))
a, b = by["uplink-a"], by["uplink-b"]
check("uplink-a: isp-a, 64500, 203.0.113.0/24, peering-service",
      all((s["isp"], s["asn"], s["prefix"], s["path_type"]) == ("isp-a", 64500, "203.0.113.0/24", "peering-service") for s in a))
check("uplink-a: left from 203.0.113.10, edge AMS", all(s["local_ip"] == "203.0.113.10" and s["pop"] == "AMS" for s in a))
check("uplink-b: isp-b, 198.51.100.0/24, internet, discovered egress 198.51.100.10",
      all((s["isp"], s["prefix"], s["path_type"], s["egress_ip"]) == ("isp-b", "198.51.100.0/24", "internet", "198.51.100.10") for s in b))
check("uplink-b: left from 198.51.100.10, edge FRA", all(s["local_ip"] == "198.51.100.10" and s["pop"] == "FRA" for s in b))
gap = statistics.median(s["wait_ms"] for s in b) - statistics.median(s["wait_ms"] for s in a)
check(f"uplink-b waits 35 ms longer (measured {gap:.1f})", abs(gap - 35) <= 5)
sys.exit(1 if failures else 0)
PY

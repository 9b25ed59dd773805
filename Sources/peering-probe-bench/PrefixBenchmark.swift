import ProbeCore

/// Longest-prefix match speed of ``PrefixTable`` on one core: a table of `prefixes` random prefixes (seeded:
/// nine in ten IPv4 of length /8 to /32, one in ten IPv6 /32 to /64 inside 2000::/3), then `lookups` look-ups
/// over a precomputed array of addresses in the same family mix, about half inside some prefix and half outside
/// every prefix.
func runPrefixBenchmark(prefixes: Int, lookups: Int) -> String {
    var random = SplitMix64(seed: 0x0050_4545_5249_4E47)
    var entries: [(IPPrefix, Int)] = []
    entries.reserveCapacity(prefixes)
    for entry in 0..<prefixes {
        let address: IPAddress
        let length: Int
        if entry % 10 == 9 {
            address = .v6(0x2000_0000_0000_0000 | random.next() >> 3, random.next())
            length = Int.random(in: 32...64, using: &random)
        } else {
            address = .v4(UInt32(truncatingIfNeeded: random.next()))
            length = Int.random(in: 8...32, using: &random)
        }
        entries.append((IPPrefix(containing: address, length: length)!, entry))
    }

    let clock = ContinuousClock()
    let buildStart = clock.now
    let table = PrefixTable(entries)
    let buildSeconds = seconds(clock.now - buildStart)

    // Even positions: an address inside a random prefix; odd ones: a random address that no prefix holds
    // (given up after 64 tries, so the mix stays near half even when wide prefixes cover most addresses).
    let addressCount = max(1, min(lookups, 1 << 20))
    var addresses: [IPAddress] = []
    addresses.reserveCapacity(addressCount)
    for position in 0..<addressCount {
        if prefixes > 0, position & 1 == 0 {
            let prefix = entries[Int.random(in: 0..<prefixes, using: &random)].0
            switch (prefix.address, prefix.lastAddress) {
            case (.v4(let first), .v4(let last)):
                addresses.append(.v4(first | UInt32(truncatingIfNeeded: random.next()) & (first ^ last)))
            case (.v6(let firstHigh, let firstLow), .v6(let lastHigh, let lastLow)):
                addresses.append(
                    .v6(
                        firstHigh | random.next() & (firstHigh ^ lastHigh),
                        firstLow | random.next() & (firstLow ^ lastLow)))
            default:
                preconditionFailure("a prefix's first and last addresses differ in family")
            }
        } else {
            let ipv6 = position % 20 == 19
            var candidate = IPAddress.v4(0)
            for _ in 0..<64 {
                candidate =
                    ipv6
                    ? .v6(0x2000_0000_0000_0000 | random.next() >> 3, random.next())
                    : .v4(UInt32(truncatingIfNeeded: random.next()))
                if table.longestMatch(candidate) == nil { break }
            }
            addresses.append(candidate)
        }
    }

    var matched = 0
    var checksum = 0
    let lookupStart = clock.now
    var done = 0
    while done < lookups {
        let batch = min(addressCount, lookups - done)
        addresses.withUnsafeBufferPointer { addresses in
            for position in 0..<batch {
                if let match = table.longestMatch(addresses[position]) {
                    matched &+= 1
                    checksum &+= match.value
                }
            }
        }
        done += batch
    }
    let lookupSeconds = seconds(clock.now - lookupStart)
    let ipv6Prefixes = entries.count { $0.0.family == 6 }
    return """
        prefix_table_prefixes=\(prefixes)
        prefix_table_ipv6_prefixes=\(ipv6Prefixes)
        prefix_build_ms=\(Int(buildSeconds * 1_000 + 0.5))
        prefix_lookups=\(lookups)
        prefix_matched_percent=\(lookups > 0 ? matched * 100 / lookups : 0)
        prefix_lookups_per_second=\(lookupSeconds > 0 ? Int(Double(lookups) / lookupSeconds) : 0)
        prefix_checksum=\(checksum)
        """
}

/// A duration in seconds.
private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

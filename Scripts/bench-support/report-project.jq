# First half of the report's default tables in jq (Scripts/bench): one small array per sample with the group
# key, answered, ok and the eight metrics. Streamed; report-aggregate.jq slurps its output.
[.site, .target, .path_type, (.status != null), .ok, .total_ms, .ttfb_ms, .dns_ms, .connect_ms, .tls_ms,
 .request_ms, .wait_ms, .transfer_ms]

# Second half: per site x target x path type, sample/answered/ok counts and, per metric over answered samples,
# count, p10/p50/p90/p95/p99 (linear interpolation, as quantile_cont), min, max and mean.
def q($p): ((length - 1) * $p) as $h | ($h | floor) as $lo | ($h | ceil) as $hi
    | .[$lo] + ($h - $lo) * (.[$hi] - .[$lo]);
def stats: sort | {count: length, p10: q(0.1), p50: q(0.5), p90: q(0.9), p95: q(0.95), p99: q(0.99),
    min: .[0], max: .[-1], mean: (add / length)};
group_by(.[0:3])
| map({key: .[0][0:3], samples: length, answered: (map(select(.[3])) | length),
       ok: (map(select(.[4])) | length),
       metrics: (map(select(.[3])) as $a | [range(5; 13)]
                 | map(. as $i | $a | map(.[$i] | select(. != null)) | if length > 0 then stats else {count: 0} end))})

#!/usr/bin/env python3
"""Judge a baseline race: the same figures of two builds measured in alternating rounds (Scripts/bench --baseline).

    baseline.py --metrics METRICS.tsv --values VALUES.tsv [--keys KEY,KEY...] [--bar 5]
                [--base-label TEXT] [--new-label TEXT] [--title TEXT] [--no-verdicts]

METRICS.tsv has one line per figure: key, label, unit, better (lower|higher), decimals.
VALUES.tsv has one line per measurement: key, side (base|new), round, value. --keys picks
the figures to show (default: all, in METRICS.tsv order).

For each figure it prints both sides' medians, new/base, each side's scatter (half the width of
a distribution-free interval of at least 90 % confidence for its median, relative to the median:
from the k-th lowest to the k-th highest run: with 5 runs the whole range, with 9 the second
lowest to the second highest), new/base of the best runs (timing noise on a shared machine mostly slows a run down, so
the best runs are the steadier estimate when it is busy) and the range of the per-round ratios
new/base (both runs of a round saw about the same machine). Then one verdict line per figure against the bar:
  PASS  new/base within the bar, and neither side scatters more than the bar;
  FAIL  new worse beyond the bar and beyond both sides' scatter added up;
  INFO  the scatter is larger than the bar (not conclusive), or new is better beyond the bar;
  SKIP  a side has no measurement.
Standard library only.
"""
import argparse
import csv
import math
import statistics
import sys


def number(value, decimals):
    """A figure for people: thousands separators, the metric's decimals."""
    return f"{value:,.{decimals}f}"


def interval_rank(count):
    """The largest k such that the k-th lowest and k-th highest of `count` runs bound their median with at least
    90 % confidence (a distribution-free interval from the binomial law); at least 1."""
    best, below = 1, 0.0
    for k in range(1, count // 2 + 1):
        below += math.comb(count, k - 1) / 2**count    # P(at most k-1 runs fall below the median)
        if 1.0 - 2.0 * below >= 0.90:
            best = k
        else:
            break
    return best


def scatter(values):
    """Half the width of the 90 % interval for the runs' median, in percent of the median."""
    median = statistics.median(values)
    if median == 0:
        return 0.0
    ordered = sorted(values)
    k = interval_rank(len(ordered))
    return 100.0 * (ordered[-k] - ordered[k - 1]) / 2.0 / abs(median)


def judge(metric, base, new, bar):
    """The verdict line for one figure (base and new: {round: value})."""
    label, unit, better, decimals = metric["label"], metric["unit"], metric["better"], metric["decimals"]
    if not base or not new:
        missing = " and ".join(side for side, values in (("base", base), ("new", new)) if not values)
        return f"SKIP: baseline {label}: no measurement for {missing}"
    base_median = statistics.median(base.values())
    new_median = statistics.median(new.values())
    ratio = new_median / base_median if base_median else float("inf")
    noise = max(scatter(list(base.values())), scatter(list(new.values())))
    combined = scatter(list(base.values())) + scatter(list(new.values()))
    change = 100.0 * (ratio - 1.0)
    worse = change > 0 if better == "lower" else change < 0
    figures = (f"new {number(new_median, decimals)} {unit} vs base {number(base_median, decimals)} {unit} "
               f"(ratio {ratio:.3f}")
    scatter_note = (f"base scatters ±{scatter(list(base.values())):.1f}%, "
                    f"new ±{scatter(list(new.values())):.1f}%")
    if abs(change) <= bar:
        if noise <= bar:
            return f"PASS: baseline {label}: {figures}, within {bar:g}%)"
        return (f"INFO: baseline {label}: {figures}, within {bar:g}%, but {scatter_note}, more than the bar: "
                f"not conclusive)")
    direction = "worse" if worse else "better"
    if not worse:
        beyond = "and beyond the runs' scatter" if abs(change) > combined else "but within the runs' scatter"
        return (f"INFO: baseline {label}: {figures}, new {abs(change):.1f}% better, beyond {bar:g}% {beyond}; "
                f"{scatter_note})")

    if abs(change) > combined:
        return (f"FAIL: baseline {label}: {figures}, new {abs(change):.1f}% {direction}, beyond {bar:g}%; "
                f"{scatter_note})")
    return (f"INFO: baseline {label}: {figures}, new {abs(change):.1f}% {direction}, beyond {bar:g}% but within "
            f"the runs' scatter ({scatter_note}): not conclusive; rerun on a quieter machine or with more rounds)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--metrics", required=True)
    parser.add_argument("--values", required=True)
    parser.add_argument("--keys", default="")
    parser.add_argument("--bar", type=float, default=5.0)
    parser.add_argument("--base-label", default="base")
    parser.add_argument("--new-label", default="new")
    parser.add_argument("--title", default="")
    parser.add_argument("--no-verdicts", action="store_true")
    args = parser.parse_args()

    metrics = {}
    with open(args.metrics) as handle:
        for key, label, unit, better, decimals in csv.reader(handle, delimiter="\t"):
            metrics[key] = {"label": label, "unit": unit, "better": better, "decimals": int(decimals)}
    values = {}
    with open(args.values) as handle:
        for key, side, round_number, value in csv.reader(handle, delimiter="\t"):
            values.setdefault(key, {}).setdefault(side, {})[int(round_number)] = float(value)
    keys = [key for key in args.keys.split(",") if key] or list(metrics)

    if args.title:
        print(args.title)
    print(f"  base: {args.base_label}")
    print(f"  new:  {args.new_label}")
    header = ("figure", "unit", "base median", "new median", "new/base", "base ±", "new ±", "best n/b",
              "per round n/b")
    row_format = "  {:<30} {:<10} {:>13} {:>13} {:>8} {:>7} {:>7} {:>8}  {}"
    print(row_format.format(*header))
    verdicts = []
    for key in keys:
        metric = metrics[key]
        base = values.get(key, {}).get("base", {})
        new = values.get(key, {}).get("new", {})
        decimals = metric["decimals"]
        if base and new:
            base_median = statistics.median(base.values())
            new_median = statistics.median(new.values())
            ratio = f"{new_median / base_median:.3f}" if base_median else "-"
            paired = [new[r] / base[r] for r in sorted(base) if r in new and base[r]]
            rounds = f"{min(paired):.3f} .. {max(paired):.3f} over {len(paired)}" if paired else "-"
            pick = min if metric["better"] == "lower" else max
            best_base, best_new = pick(base.values()), pick(new.values())
            best = f"{best_new / best_base:.3f}" if best_base else "-"
            print(row_format.format(
                metric["label"], metric["unit"], number(base_median, decimals), number(new_median, decimals),
                ratio, f"{scatter(list(base.values())):.1f}%", f"{scatter(list(new.values())):.1f}%", best, rounds))
        else:
            print(row_format.format(
                metric["label"], metric["unit"],
                number(statistics.median(base.values()), decimals) if base else "-",
                number(statistics.median(new.values()), decimals) if new else "-", "-", "-", "-", "-", "-"))
        verdicts.append(judge(metric, base, new, args.bar))
    if not args.no_verdicts:
        for line in verdicts:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

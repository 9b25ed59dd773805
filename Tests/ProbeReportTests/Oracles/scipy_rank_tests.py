"""Oracle for RankTestTests: SciPy's Mann-Whitney U and Wilcoxon signed-rank tests, asymptotic.

Reads JSON on stdin: {"mannwhitneyu": [{"x": [...], "y": [...]}, ...], "wilcoxon": [{"d": [...]}, ...]}
Prints JSON: {"mannwhitneyu": [{"statistic": U1, "pvalue": p}, ...], "wilcoxon": [{"statistic": ..., "pvalue": ...},
...]}, from mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True) and
wilcoxon(d, zero_method="wilcox", correction=True, alternative="two-sided", method="asymptotic"). A NaN (SciPy's
answer when every difference is zero) is written as null.
"""
import json
import math
import sys
import warnings

import numpy as np
from scipy import stats


def number(value):
    """A float for JSON, None for NaN."""
    value = float(value)
    return None if math.isnan(value) else value


request = json.load(sys.stdin)
answer = {"mannwhitneyu": [], "wilcoxon": []}
with warnings.catch_warnings():
    # Small samples and all-zero differences warn; the values are what the tests compare.
    warnings.simplefilter("ignore")
    for case in request.get("mannwhitneyu", []):
        result = stats.mannwhitneyu(
            np.asarray(case["x"], dtype=np.float64), np.asarray(case["y"], dtype=np.float64),
            alternative="two-sided", method="asymptotic", use_continuity=True,
        )
        answer["mannwhitneyu"].append({"statistic": number(result.statistic), "pvalue": number(result.pvalue)})
    for case in request.get("wilcoxon", []):
        result = stats.wilcoxon(
            np.asarray(case["d"], dtype=np.float64),
            zero_method="wilcox", correction=True, alternative="two-sided", method="asymptotic",
        )
        answer["wilcoxon"].append({"statistic": number(result.statistic), "pvalue": number(result.pvalue)})
json.dump(answer, sys.stdout)

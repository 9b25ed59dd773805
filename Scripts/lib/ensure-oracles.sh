# Sourced by Scripts/test and Scripts/bench: the oracles the report tests and benchmarks compare against,
# DuckDB and SciPy from PyPI, installed into the first python3 on the PATH when missing.
# Exports PEERING_PROBE_ORACLE_PYTHON, the interpreter that has them.

ensure_oracles() {
    local python
    python="$(command -v python3)"
    if ! "$python" -c 'import duckdb, scipy' 2>/dev/null; then
        echo "installing from PyPI: duckdb scipy" >&2
        "$python" -m pip install -q --disable-pip-version-check duckdb scipy >&2
    fi
    export PEERING_PROBE_ORACLE_PYTHON="$python"
}

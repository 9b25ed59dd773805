# Sourced by the scripts in Scripts/: installs the Debian packages a step needs when they are missing.
# Usage: ensure_packages PACKAGE...   (runs apt-get update once, only when something is missing)

ensure_packages() {
    local missing=()
    local package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

# What building and running peering-probe needs: libcurl (OpenSSL flavour), libyaml and zlib headers, pkg-config.
BUILD_PACKAGES=(libcurl4-openssl-dev libyaml-dev zlib1g-dev pkg-config ca-certificates)

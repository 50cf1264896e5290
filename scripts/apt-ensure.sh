#!/usr/bin/env bash
# Make sure system programs exist, installing their Debian packages when we may.
#
#   scripts/apt-ensure.sh PACKAGE=PROGRAM [PACKAGE=PROGRAM ...]
#
# PROGRAM is a command name (`msgfmt`), an absolute path (`/usr/bin/chromium`) or a glob
# (`/usr/lib/postgresql/*/bin/initdb`). Packages whose program is missing are installed with one
# `apt-get update` + `apt-get install -y --no-install-recommends` when we are root and apt-get exists.
# Exit status: 0 when every program is present afterwards; 1 otherwise, with the missing ones on stderr.
set -euo pipefail

have() {
    local program=$1
    if [[ $program == */* ]]; then
        compgen -G "$program" >/dev/null
    else
        command -v "$program" >/dev/null 2>&1
    fi
}

missing=()
for spec in "$@"; do
    package=${spec%%=*} program=${spec#*=}
    have "$program" || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo ">>> installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo ">>> cannot install ${missing[*]}: not root or no apt-get" >&2
fi

status=0
for spec in "$@"; do
    package=${spec%%=*} program=${spec#*=}
    if ! have "$program"; then
        echo ">>> missing: $program (Debian package $package)" >&2
        status=1
    fi
done
exit $status

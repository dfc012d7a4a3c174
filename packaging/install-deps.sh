#!/bin/sh
# Installs the Debian 12 packages listed in packaging/deps.txt that are missing.
# As root it runs apt-get; otherwise sudo if it may; otherwise it prints the
# exact command to run and fails, so `make run` / `make test` never half-build.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
list="$here/deps.txt"

missing=""
for pkg in $(grep -v '^[[:space:]]*#' "$list" | tr -s ' \n' '\n' | grep -v '^$'); do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *"ok installed"*) ;;
        *) missing="$missing $pkg" ;;
    esac
done

[ -z "$missing" ] && exit 0

echo "kiosk: installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
    apt=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    apt="sudo"
else
    echo "kiosk: cannot install packages without root. Run:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have stale or empty package lists; update once and retry.
# shellcheck disable=SC2086
if ! $apt apt-get install -y --no-install-recommends $missing; then
    $apt apt-get update
    $apt apt-get install -y --no-install-recommends $missing
fi

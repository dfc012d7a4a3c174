#!/bin/sh
# run-ui-test.sh KIOSK SCRIPT DISPLAY_CONFIG OUT_DIR
# Runs one script headless on a fresh data directory, then checks the audit.
# A SCRIPT.toml beside the script adds its own settings (e.g. a staff PIN).
set -eu
kiosk=$1 script=$2 display=$3 out=$4
extra=""
[ -f "${script%.script}.toml" ] && extra="--config ${script%.script}.toml"
rm -rf "$out"
mkdir -p "$out"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT INT TERM
# shellcheck disable=SC2086
"$kiosk" --headless --demo --config "$display" $extra --data-dir "$data" \
    --script "$script" --screenshots "$out" --audit "$out/audit.jsonl"
"$kiosk" audit-check "$out/audit.jsonl"

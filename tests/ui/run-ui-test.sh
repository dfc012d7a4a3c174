#!/bin/sh
# run-ui-test.sh KIOSK SCRIPT DISPLAY_CONFIG OUT_DIR
# Runs one script headless on a fresh data directory, then checks the audit.
set -eu
kiosk=$1 script=$2 display=$3 out=$4
rm -rf "$out"
mkdir -p "$out"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT INT TERM
"$kiosk" --headless --demo --config "$display" --data-dir "$data" \
    --script "$script" --screenshots "$out" --audit "$out/audit.jsonl"
"$kiosk" audit-check "$out/audit.jsonl"

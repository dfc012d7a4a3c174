#!/bin/sh
# make bench: every figure issue #2 asks for. Results go to docs/benchmarks.md by hand.
set -u
cd "$(dirname "$0")/.."
bench=build/bin/kiosk_bench
status=0
step() { "$@" || status=1; echo; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
step $bench lookup
step $bench card-to-greeting
step $bench pickup-ticket
# Drivers: reader's last byte -> CardEvent, parsers, receipt and A4 rendering.
for driver_bench in ga467_bench hid_bench escpos_bench a4_bench; do
    step build/bin/$driver_bench
done
step $bench startup --headless --runs 10
step $bench idle --headless --seconds 5
if command -v xvfb-run >/dev/null 2>&1; then
    step xvfb-run -a -s "-screen 0 1920x1080x24" $bench startup --runs 10
    step xvfb-run -a -s "-screen 0 1920x1080x24" $bench idle --seconds 30
else
    echo "xvfb-run is missing: the full-screen figures need the xvfb package (make deps)"
    status=1
fi
exit $status

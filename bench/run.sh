#!/bin/sh
# make bench: every figure issues #2 and #4 ask for. Results go to docs/benchmarks.md by hand.
# KIOSK_BENCH_BIN picks another build's programs (default build/bin).
set -u
cd "$(dirname "$0")/.."
bin=${KIOSK_BENCH_BIN:-build/bin}
bench=$bin/kiosk_bench
status=0
step() { "$@" || status=1; echo; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
step $bench lookup
step $bench card-to-greeting
step $bench pickup-ticket
# Drivers: reader's last byte -> CardEvent, parsers, receipt and A4 rendering.
for driver_bench in ga467_bench hid_bench escpos_bench a4_bench; do
    step $bin/$driver_bench
done
# Canteen store: order commit with fsync, the day close over 1,000,000 orders
# (builds a ~1 GB database in the temp directory first: a few minutes).
step $bin/canteen_bench
step $bench startup --headless --runs 10
step $bench idle --headless --seconds 5
step $bench menu-photos --headless
if command -v xvfb-run >/dev/null 2>&1; then
    step xvfb-run -a -s "-screen 0 1920x1080x24" $bench startup --runs 10
    step xvfb-run -a -s "-screen 0 1920x1080x24" $bench idle --seconds 30
    step xvfb-run -a -s "-screen 0 1920x1080x24" $bench menu-photos
else
    echo "xvfb-run is missing: the full-screen figures need the xvfb package (make deps)"
    status=1
fi
exit $status

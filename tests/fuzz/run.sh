#!/bin/sh
# make fuzz: run every libFuzzer target for FUZZ_SECONDS each. New crashing
# inputs land in tests/fuzz/regressions/<target>/ (commit them: the regression
# tests replay them on every `make test`).
set -u
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-60}
status=0
for bin in build-fuzz/bin/fuzz_*; do
    [ -x "$bin" ] || continue
    name=${bin##*/fuzz_}
    corpus=build-fuzz/corpus/$name
    crashes=tests/fuzz/regressions/$name
    mkdir -p "$corpus" "$crashes"
    echo "== $name: ${seconds} s"
    if ! "$bin" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$crashes/" \
            "$corpus" "tests/fuzz/corpus/$name" 2>build-fuzz/$name.log; then
        echo "!! $name found a crash: see $crashes/ and build-fuzz/$name.log"
        status=1
    fi
    grep -E "stat::number_of_executed_units|cov:" build-fuzz/$name.log | tail -2
done
exit $status

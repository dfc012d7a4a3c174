# Thin wrappers over the CMake presets (CMakePresets.json).
#   make run    installs what is missing, builds, runs the kiosk on its demo defaults
#               (a window when there is a display, else the scripted demo, headless)
#   make test   installs, builds, runs every test (ctest)
#   make bench  the benchmarks (docs/benchmarks.md)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
KIOSK := build/bin/kiosk

.PHONY: all deps configure build run demo test test-asan bench fuzz clean

all: build

deps:
	@./packaging/install-deps.sh

configure: deps
	@cmake --preset dev > build.configure.log || (cat build.configure.log; exit 1)

build: configure
	@cmake --build --preset dev -j $(JOBS)

run: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "kiosk: opening the demo kiosk (F1: 张桂兰's card, F2: 王德福's ID card, F3: unknown card, F4: bad ID; Esc quits)"; \
		$(KIOSK) --demo --windowed --data-dir build/data; \
	else \
		$(MAKE) --no-print-directory demo; \
	fi

# The bundled demos, headless: screenshots of every screen in build/demo/
# (the service hall) and build/demo/canteen/ (the elder canteen).
demo: build
	@rm -rf build/demo build/demo-data build/demo-canteen-data
	@$(KIOSK) --headless --demo --data-dir build/demo-data --script assets/demo/demo.script \
		--screenshots build/demo --audit build/demo/audit.jsonl > build/demo.log
	@$(KIOSK) --headless --demo --config assets/demo/canteen.toml --data-dir build/demo-canteen-data \
		--script assets/demo/canteen.script --screenshots build/demo/canteen \
		--audit build/demo/canteen/audit.jsonl > build/demo-canteen.log
	@echo "kiosk: no display, so the demos ran headless. Screenshots: $(CURDIR)/build/demo/"
	@ls build/demo/*.png build/demo/canteen/*.png | sed 's|^|  |'

test: build
	@ctest --preset dev

# Unit tests under AddressSanitizer and UBSan.
test-asan: deps
	@cmake --preset asan > build-asan.configure.log || (cat build-asan.configure.log; exit 1)
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan

bench: build
	@./bench/run.sh

# libFuzzer on every parser for FUZZ_SECONDS each (default 60).
FUZZ_SECONDS ?= 60
fuzz: deps
	@cmake --preset fuzz > build-fuzz.configure.log || (cat build-fuzz.configure.log; exit 1)
	@cmake --build --preset fuzz -j $(JOBS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) ./tests/fuzz/run.sh

clean:
	rm -rf build build-asan build-release build-fuzz build.configure.log build-asan.configure.log build-fuzz.configure.log

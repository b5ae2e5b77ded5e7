# The two commands of the README:
#   make run   installs what is needed, builds, and runs a local server
#   make test  installs what is needed, builds, and runs every test
BUILD_DIR ?= build
JOBS ?= 2
PYTHON ?= /usr/bin/python3

.PHONY: setup build run test unit integration bench clean

setup:
	scripts/setup

build: setup
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	mkdir -p data
	$(BUILD_DIR)/coffer server -config=config/local.hcl

unit:
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS)

integration:
	COFFER_BIN=$(abspath $(BUILD_DIR))/coffer $(PYTHON) -m pytest -q -p no:cacheprovider tests/integration

test: build
	$(MAKE) unit
	$(MAKE) integration

# Benchmarks print figures (docs/performance.md); they never fail on timing.
# Every $(BUILD_DIR)/bench/*_bench, then the HTTP suite (bench/http/run.py)
# against $(BUILD_DIR)/coffer; pass options with BENCH_ARGS, e.g.
#   make bench BENCH_ARGS="--quick --scenarios kv_read"
BENCH_ARGS ?=
bench: build
	set -e; for b in $(BUILD_DIR)/bench/*_bench; do \
	  if [ -x "$$b" ] && [ -f "$$b" ]; then echo "== $$b"; (cd $(BUILD_DIR) && ./bench/$$(basename $$b)); fi; \
	done
	$(PYTHON) bench/http/run.py --coffer $(abspath $(BUILD_DIR))/coffer $(BENCH_ARGS)

clean:
	rm -rf $(BUILD_DIR)

# Ura: the two commands a new machine needs are `make demo` and `make test`.
# Both install missing Debian packages first (scripts/install-deps).

BUILD_TYPE ?= release
CTEST_FLAGS ?= --output-on-failure
JOBS ?= $(shell nproc)

.PHONY: all deps build web test test-release test-asan demo fuzz bench package clean

all: build

deps:
	@scripts/install-deps

build: deps web
	cmake --preset release >/dev/null
	cmake --build build/release -j $(JOBS)

# Every test: the release build (unit, fuzz-corpus replay, crash, corruption, fault injection,
# end-to-end), then the unit tests and corpus replays again under ASan+UBSan.
test: deps test-release test-asan
	@echo "make test: all suites passed"

# The web UI (web/dist), rebuilt only when its sources changed (scripts/build-web).
web: deps
	@scripts/build-web

test-release: deps web
	cmake --preset release >/dev/null
	cmake --build build/release -j $(JOBS)
	ctest --test-dir build/release $(CTEST_FLAGS) -j $(JOBS)

test-asan: deps
	cmake --preset asan-ubsan >/dev/null
	cmake --build build/asan-ubsan -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir build/asan-ubsan $(CTEST_FLAGS) -j $(JOBS) -L unit

demo: build
	@scripts/demo

# Coverage-guided fuzzing with libFuzzer (clang): `make fuzz FUZZ_SECONDS=60`.
FUZZ_SECONDS ?= 30
fuzz: deps
	cmake --preset fuzz >/dev/null
	cmake --build build/fuzz -j $(JOBS) --target segment_scan_fuzz tree_head_fuzz proof_parse_fuzz csv_reader_fuzz json_reader_fuzz mapping_fuzz audit_record_fuzz user_event_fuzz api_request_fuzz config_fuzz
	@for t in segment_scan tree_head proof_parse csv_reader json_reader mapping audit_record user_event api_request config; do \
	  mkdir -p build/fuzz/corpus-$$t; \
	  build/fuzz/fuzz/$${t}_fuzz -max_total_time=$(FUZZ_SECONDS) build/fuzz/corpus-$$t fuzz/corpus/$$t || exit 1; \
	done

# The Debian package (packaging/CMakeLists.txt): a release build, cpack, then the package is
# checked (scripts/check-package: contents, conffiles, dependencies, the unit). Install it with
# `apt install ./build/release/ura_*.deb` (docs/architecture.md "Deployment").
package: deps web
	cmake --preset release >/dev/null
	cmake --build build/release -j $(JOBS) --target ura
	cd build/release && cpack -G DEB
	scripts/check-package --latest build/release

bench: build
	build/release/bench/ura_append_bench
	bench/verify_bench.sh build/release/apps/ura

clean:
	rm -rf build ura-demo

# smtpscope: `make` builds, `make check` installs what is missing and runs
# every test (also under ASan+UBSan), `make demo` builds and runs on a capture.

PKGS     := libpcap json-c gmime-3.0 libcrypto
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CC       ?= cc
OPT      ?= -O2
CFLAGS   := -std=c11 -D_GNU_SOURCE -g $(OPT) -Wall -Wextra -Werror \
	    -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	    -Isrc -Isrc/message -Idissectors $(EXTRA_CFLAGS)
LDLIBS   := -lnids -pthread $(EXTRA_LDFLAGS)
# The program allocates through mimalloc (README, "Dependencies": json-c
# allocates every value of every event, and glibc's malloc made that a
# fifth of the analysis thread). Listed first, so that every library's
# malloc and free resolve to it. `make ALLOC_LIBS=` links glibc's malloc;
# the sanitizer builds do, as they bring their own.
ALLOC_LIBS ?= -lmimalloc

BUILD    ?= build/release
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -DSMTPSCOPE_JSON_CHECK_KEYS \
	     -fno-omit-frame-pointer

SRCS     := $(sort $(wildcard src/*.c src/message/*.c dissectors/*.c))
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
TESTS    := $(sort $(basename $(notdir $(wildcard tests/unit/test_*.c))))
TEST_BINS := $(TESTS:%=$(BUILD)/tests/%)

.PHONY: all deps test-deps check unit sanitize tsan integration demo fuzz bench \
	clean golden soak

all: smtpscope

smtpscope: $(BUILD)/smtpscope
	cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/smtpscope: $(BUILD)/src/main.o $(BUILD)/libsmtpscope.a
	$(CC) $(CFLAGS) -o $@ $^ $(ALLOC_LIBS) $(LDLIBS) $(PKG_LIBS)

$(BUILD)/libsmtpscope.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsmtpscope.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Wno-missing-prototypes -o $@ $< \
	    $(BUILD)/libsmtpscope.a -lcmocka $(ALLOC_LIBS) $(LDLIBS) $(PKG_LIBS)

-include $(LIB_OBJS:.o=.d) $(BUILD)/src/main.d

deps:
	@tools/install-deps.sh build

test-deps:
	@tools/install-deps.sh test

# The unit tests of one build ($(BUILD)).
unit: $(TEST_BINS)
	@set -e; for t in $(TEST_BINS); do echo "== $$t"; $$t; done

# The same build with ASan + UBSan, in its own directory.
sanitize:
	$(MAKE) BUILD=build/asan OPT=-O1 EXTRA_CFLAGS="$(SAN_FLAGS)" \
	    EXTRA_LDFLAGS="$(SAN_FLAGS)" ALLOC_LIBS= build/asan/smtpscope unit

# The digest thread under ThreadSanitizer: its unit test, then every
# capture giving what the release build gives without the thread.
tsan: build/release/smtpscope
	$(MAKE) BUILD=build/tsan OPT=-O1 EXTRA_CFLAGS=-fsanitize=thread \
	    EXTRA_LDFLAGS=-fsanitize=thread ALLOC_LIBS= build/tsan/smtpscope \
	    build/tsan/tests/test_hash
	build/tsan/tests/test_hash
	tests/threads.sh build/tsan/smtpscope build/release/smtpscope

integration: $(BUILD)/smtpscope
	tests/integration.sh $(BUILD)/smtpscope

# Everything a change must pass; .ci/run calls exactly this.
check: test-deps
	$(MAKE) all unit
	$(MAKE) sanitize
	$(MAKE) tsan
	$(MAKE) fuzz-regressions
	tests/integration.sh build/release/smtpscope
	SANITIZED=1 tests/integration.sh build/asan/smtpscope
	tests/reassembly.sh build/release/smtpscope
	SANITIZED=1 tests/reassembly.sh build/asan/smtpscope
	tests/adversarial.sh build/release/smtpscope
	tests/html.sh build/release/smtpscope
	tests/summary.sh build/release/smtpscope
	tests/bench/test_report.py
	tests/teach.sh build/release/smtpscope
	SANITIZED=1 tests/teach.sh build/asan/smtpscope
	tests/valgrind.sh build/release/smtpscope
	tests/rotate.sh build/release/smtpscope
	tests/live.sh build/release/smtpscope
	SOAK_SECONDS=20 tests/soak.sh build/release/smtpscope

# The soak test by hand: make soak SOAK_SECONDS=3600 (live, as root).
SOAK_SECONDS ?= 600
soak: $(BUILD)/smtpscope
	SOAK_SECONDS=$(SOAK_SECONDS) PROGRESS=60 tests/soak.sh $(BUILD)/smtpscope

golden: $(BUILD)/smtpscope
	UPDATE=1 tests/integration.sh $(BUILD)/smtpscope

demo: deps
	$(MAKE) all
	./smtpscope pcaps/multipart.pcap

# Fuzzing (libFuzzer, clang): one binary per tests/fuzz/fuzz_*.c in
# build/fuzz/, the library rebuilt with sanitizer coverage. `make fuzz
# FUZZ_SECONDS=N` runs each target N seconds on its corpus (seeded from the
# captures by tests/fuzz/make_corpus.py) and its dictionary; crashers land in
# build/fuzz/crashes-<target>/.
FUZZ_SECONDS ?= 60
FUZZ_FLAGS  ?=		# e.g. -fork=1 -ignore_crashes=1 to go on past a finding
FUZZ_CC     ?= clang
FUZZ_DIR    := build/fuzz
FUZZ_CFLAGS := $(filter-out -O2,$(CFLAGS)) -O1 -fno-omit-frame-pointer \
	       -DSMTPSCOPE_JSON_CHECK_KEYS -fsanitize=fuzzer-no-link,address,undefined
FUZZ_NAMES  := $(sort $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c))))
FUZZ_BINS   := $(FUZZ_NAMES:%=$(FUZZ_DIR)/%)

$(FUZZ_DIR)/lib/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(FUZZ_DIR)/libfuzz.a: $(LIB_SRCS:%.c=$(FUZZ_DIR)/lib/%.o)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(FUZZ_DIR)/libfuzz.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $< \
	    $(FUZZ_DIR)/libfuzz.a $(LDLIBS) $(PKG_LIBS)

.PHONY: fuzz-build fuzz-regressions
fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	@python3 tests/fuzz/make_corpus.py $(FUZZ_DIR) $(FUZZ_NAMES)
	@set -e; for t in $(FUZZ_NAMES); do \
	    d=tests/fuzz/dict/smtp.dict; \
	    case $$t in fuzz_message|fuzz_rfc2047|fuzz_address|fuzz_received) \
		d=tests/fuzz/dict/mime.dict;; esac; \
	    mkdir -p $(FUZZ_DIR)/crashes-$$t; \
	    echo "== $$t: $(FUZZ_SECONDS) s"; \
	    u=; [ $$t = fuzz_address ] && u=fast_unwind_on_malloc=0; \
	    ASAN_OPTIONS=$$u LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp \
	    $(FUZZ_DIR)/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		-dict=$$d -artifact_prefix=$(FUZZ_DIR)/crashes-$$t/ \
		-rss_limit_mb=2048 -timeout=10 $(FUZZ_FLAGS) \
		$(FUZZ_DIR)/corpus-$$t > $(FUZZ_DIR)/$$t.log 2>&1 \
		&& echo "   ok" || echo "   FINDING: see $(FUZZ_DIR)/$$t.log"; \
	    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' \
		$(FUZZ_DIR)/$$t.log | sed 's/^/   /' || true; \
	    ls $(FUZZ_DIR)/crashes-$$t | sed 's/^/   crasher: /'; \
	done

fuzz-regressions: $(FUZZ_BINS)
	tests/fuzz/run_regressions.sh $(FUZZ_DIR)

# The benchmark (bench/bench.sh, docs/performance.md): floors, smtpscope and
# tshark on generated captures. make bench BENCH_SIZES="50M 250M 1G"
BENCH_SIZES ?= 50M
bench: all
	bench/bench.sh $(BENCH_SIZES)

clean:
	rm -rf build smtpscope

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
LDLIBS   := -lnids $(EXTRA_LDFLAGS)

BUILD    ?= build/release
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer

SRCS     := $(sort $(wildcard src/*.c src/message/*.c dissectors/*.c))
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
TESTS    := $(sort $(basename $(notdir $(wildcard tests/unit/test_*.c))))
TEST_BINS := $(TESTS:%=$(BUILD)/tests/%)

.PHONY: all deps test-deps check unit sanitize integration demo fuzz bench \
	clean golden

all: smtpscope

smtpscope: $(BUILD)/smtpscope
	cp $< $@

$(BUILD)/smtpscope: $(BUILD)/src/main.o $(BUILD)/libsmtpscope.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS) $(PKG_LIBS)

$(BUILD)/libsmtpscope.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsmtpscope.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Wno-missing-prototypes -o $@ $< \
	    $(BUILD)/libsmtpscope.a -lcmocka $(LDLIBS) $(PKG_LIBS)

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
	    EXTRA_LDFLAGS="$(SAN_FLAGS)" build/asan/smtpscope unit

integration: $(BUILD)/smtpscope
	tests/integration.sh $(BUILD)/smtpscope

check: test-deps
	$(MAKE) all unit
	$(MAKE) sanitize
	tests/integration.sh build/release/smtpscope
	SANITIZED=1 tests/integration.sh build/asan/smtpscope
	tests/valgrind.sh build/release/smtpscope

golden: $(BUILD)/smtpscope
	UPDATE=1 tests/integration.sh $(BUILD)/smtpscope

demo: deps
	$(MAKE) all
	./smtpscope pcaps/postfix-multipart.pcap

# The benchmark (bench/bench.sh, docs/performance.md): floors, smtpscope and
# tshark on generated captures. make bench BENCH_SIZES="50M 250M 1G"
BENCH_SIZES ?= 50M
bench: all
	bench/bench.sh $(BENCH_SIZES)

clean:
	rm -rf build smtpscope

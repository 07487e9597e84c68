# SPDX-License-Identifier: MIT
# Hadir top-level build. Non-recursive: every directory's sources are found by
# wildcard, so a new module is a new file, never a Makefile edit.
#
#   make                 build/hadir-kiosk, build/hadir-collector
#   make check           every test, under ASan+UBSan (SANITIZE=0 to skip;
#                        SANITIZE=thread for ThreadSanitizer, in build/tsan)
#   make demo            collector + simulated kiosk, end to end
#   make bench | fuzz | install | clean | format | format-check | analyze

PREFIX   ?= /usr/local
DESTDIR  ?=
SYSCONFDIR ?= /etc
UNITDIR  ?= /lib/systemd/system
FUZZ_SECONDS ?= 60

ifeq ($(SANITIZE),1)
override SANITIZE := address,undefined
endif
ifeq ($(SANITIZE),0)
override SANITIZE :=
endif

ifeq ($(SANITIZE),thread)
BUILD ?= build/tsan
else ifneq ($(SANITIZE),)
BUILD ?= build/sanitize
else
BUILD ?= build
endif

CC      ?= gcc
PKGS    := sqlite3 libcurl libgpiod inih jansson libsystemd openssl
WARN    := -Wall -Wextra -Werror -Wpedantic -Wformat=2 -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wcast-qual -Wvla -Wundef -Wnull-dereference \
	   -Wimplicit-fallthrough
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)
CPPFLAGS += -DHADIR_VERSION=\"$(VERSION)\" -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -D_FORTIFY_SOURCE=2 -I. \
	    $(shell pkg-config --cflags $(PKGS))
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 $(WARN) -fstack-protector-strong -fPIE -MMD -MP
LDFLAGS += -pie -Wl,-z,relro,-z,now
LDLIBS  += $(shell pkg-config --libs $(PKGS)) -lmbedtls -lmbedx509 -lmbedcrypto \
	   -lhttp_parser -lxlsxwriter -lpq -lcsv -lm -lpthread

ifneq ($(SANITIZE),)
CFLAGS  += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
endif

COMMON_SRC   := $(wildcard common/*.c)
FIRMWARE_SRC := $(filter-out firmware/main.c,$(wildcard firmware/*.c))
SERVER_SRC   := $(filter-out server/main.c,$(wildcard server/*.c))
UNIT_SRC     := $(wildcard tests/unit/test_*.c)
HELPER_SRC   := $(wildcard tests/helpers/*.c)
FUZZ_SRC     := $(wildcard tests/fuzz/fuzz_*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

LIBCOMMON   := $(BUILD)/libcommon.a
LIBFIRMWARE := $(BUILD)/libfirmware.a
LIBSERVER   := $(BUILD)/libserver.a
KIOSK       := $(BUILD)/hadir-kiosk
COLLECTOR   := $(BUILD)/hadir-collector
UNIT_BINS   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
REPLAY_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/tests/replay_%,$(FUZZ_SRC))
HELPER_BINS := $(patsubst tests/helpers/%.c,$(BUILD)/tests/%,$(HELPER_SRC))

# Keep objects of tests and tools: they are not throwaway intermediates.
.SECONDARY:

.PHONY: all check unit deps deps-check demo bench fuzz install clean format format-check analyze
all: $(KIOSK) $(COLLECTOR)

deps:
	@scripts/deps.sh build
deps-check:
	@scripts/deps.sh check

# V=1 shows the full commands.
Q := $(if $(V),,@)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIBCOMMON): $(call obj,$(COMMON_SRC))
$(LIBFIRMWARE): $(call obj,$(FIRMWARE_SRC))
$(LIBSERVER): $(call obj,$(SERVER_SRC))
$(BUILD)/%.a:
	@mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(KIOSK): $(call obj,firmware/main.c) $(LIBFIRMWARE) $(LIBCOMMON)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(COLLECTOR): $(call obj,server/main.c) $(LIBSERVER) $(LIBCOMMON)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests link every library archive: the linker takes only what a test uses.
$(BUILD)/tests/test_%: $(call obj,tests/unit/test_%.c) $(LIBFIRMWARE) $(LIBSERVER) $(LIBCOMMON)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka
# Fuzz targets are replayed over their committed corpora by a plain main().
$(BUILD)/tests/replay_fuzz_%: $(call obj,tests/fuzz/fuzz_%.c tests/fuzz/replay.c) \
		$(LIBFIRMWARE) $(LIBSERVER) $(LIBCOMMON)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/tests/%: $(call obj,tests/helpers/%.c) $(LIBFIRMWARE) $(LIBSERVER) $(LIBCOMMON)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# check builds and tests the sanitizer build unless told SANITIZE=0.
ifeq ($(origin SANITIZE),undefined)
check:
	@scripts/deps.sh check
	@$(MAKE) --no-print-directory SANITIZE=1 check
else
check: $(KIOSK) $(COLLECTOR) $(UNIT_BINS) $(REPLAY_BINS) $(HELPER_BINS)
	@tests/run.sh $(BUILD)
endif

demo:
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh build

bench:
	@scripts/deps.sh check
	@$(MAKE) --no-print-directory all $(HELPER_BINS)
	@tests/bench/run.sh build

# libFuzzer needs clang; each target runs FUZZ_SECONDS over its corpus.
FUZZ_BUILD := build/fuzz
fuzz:
	@scripts/deps.sh check
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined" \
		$(FUZZ_BUILD)/libcommon.a $(FUZZ_BUILD)/libfirmware.a $(FUZZ_BUILD)/libserver.a
	@set -e; for src in $(FUZZ_SRC); do \
		t=$$(basename $$src .c); \
		clang $(CPPFLAGS) -std=c17 -O1 -g -fsanitize=fuzzer,address,undefined -o $(FUZZ_BUILD)/$$t $$src \
			$(FUZZ_BUILD)/libfirmware.a $(FUZZ_BUILD)/libserver.a $(FUZZ_BUILD)/libcommon.a $(LDLIBS); \
		mkdir -p tests/fuzz/corpus/$${t#fuzz_} $(FUZZ_BUILD)/new/$${t#fuzz_}; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s (new inputs in $(FUZZ_BUILD)/new, crashers in the corpus)"; \
		$(FUZZ_BUILD)/$$t -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=tests/fuzz/corpus/$${t#fuzz_}/crash- \
			$(FUZZ_BUILD)/new/$${t#fuzz_} tests/fuzz/corpus/$${t#fuzz_}; \
	done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(SYSCONFDIR)/hadir $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(PREFIX)/share/hadir/boards
	install -m 0755 $(KIOSK) $(COLLECTOR) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 boards/*.conf $(DESTDIR)$(PREFIX)/share/hadir/boards/
	install -d $(DESTDIR)$(PREFIX)/share/hadir/profiles
	install -m 0644 profiles/*.conf $(DESTDIR)$(PREFIX)/share/hadir/profiles/
	for f in config/*.conf; do \
		t=$(DESTDIR)$(SYSCONFDIR)/hadir/$$(basename $$f); \
		if [ ! -e $$t ]; then \
			sed 's|@DATADIR@|$(PREFIX)/share|g' $$f > $$t && chmod 0640 $$t; \
		fi; \
	done
	for u in packaging/systemd/*.service; do \
		sed 's|@BINDIR@|$(PREFIX)/bin|g' $$u > $(DESTDIR)$(UNITDIR)/$$(basename $$u); \
	done

clean:
	rm -rf build

CLANG_FORMAT_FILES = $(wildcard common/*.[ch] firmware/*.[ch] server/*.[ch] tests/*/*.[ch])
format:
	clang-format -i $(CLANG_FORMAT_FILES)
format-check:
	clang-format --dry-run --Werror $(CLANG_FORMAT_FILES)

analyze:
	$(MAKE) BUILD=build/analyze CFLAGS="-O1 -g -fanalyzer" all

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

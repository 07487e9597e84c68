# SPDX-License-Identifier: MIT
# Hadir top-level build. Non-recursive: every directory's sources are found by
# wildcard, so a new module is a new file, never a Makefile edit.
#
#   make                 build/hadir-kiosk, build/hadir-collector
#   make check           every test, under ASan+UBSan (SANITIZE=0 to skip;
#                        SANITIZE=thread for ThreadSanitizer, in build/tsan)
#   make demo            collector + simulated kiosk, end to end
#   make bench | fuzz | install | clean | format | format-check | analyze
#   make CROSS=aarch64-linux-gnu   the kiosk + its unit tests for a board, in build/<triplet>/
#   make check-cross     arm64 unit tests and kiosk smoke test under qemu-user
#   make deb             Debian packages (native + arm64 kiosk) in build/deb/

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

# CROSS=<gnu triplet> builds only the kiosk side (common/, firmware/) with the
# triplet's gcc and the target's multiarch -dev packages (scripts/deps.sh
# cross-arm64); no sanitizers, as the result runs on a board or under qemu-user.
# Where dpkg multiarch cannot install the target's libraries, scripts/deps.sh
# unpacks them into the sysroot build/sysroot/<triplet>, used when present.
ifneq ($(CROSS),)
override SANITIZE :=
BUILD ?= build/$(CROSS)
SYSROOT ?= $(abspath $(wildcard build/sysroot/$(CROSS)))
ifeq ($(origin CC),default)
CC := $(CROSS)-gcc $(if $(SYSROOT),--sysroot=$(SYSROOT))
endif
ifeq ($(origin AR),default)
AR := $(CROSS)-ar
endif
PKG_CONFIG := $(if $(SYSROOT),PKG_CONFIG_SYSROOT_DIR=$(SYSROOT)) \
	PKG_CONFIG_LIBDIR=$(SYSROOT)/usr/lib/$(CROSS)/pkgconfig:$(SYSROOT)/usr/share/pkgconfig pkg-config
endif
PKG_CONFIG ?= pkg-config

ifeq ($(SANITIZE),thread)
BUILD ?= build/tsan
else ifneq ($(SANITIZE),)
BUILD ?= build/sanitize
else
BUILD ?= build
endif

CC      ?= gcc
# The kiosk's libraries; a cross build asks only for these.
KIOSK_PKGS := sqlite3 libcurl libgpiod inih jansson libsystemd openssl
KIOSK_LIBS := -lmbedtls -lmbedx509 -lmbedcrypto -lhttp_parser -lcsv -lm -lpthread
PKGS    := $(KIOSK_PKGS)
COLLECTOR_LIBS := -lxlsxwriter -largon2
ifneq ($(CROSS),)
COLLECTOR_LIBS :=
# libhttp-parser-dev is not Multi-Arch: same (its :arm64 would replace the build
# machine's), so the target's runtime library is linked by its file name.
KIOSK_LIBS := $(patsubst -lhttp_parser,-l:$(firstword $(sort $(notdir \
	$(wildcard $(SYSROOT)/usr/lib/$(CROSS)/libhttp_parser.so.*)))),$(KIOSK_LIBS))
# Without the target's -dev packages (armhf on a mirror whose armhf index is
# broken) the kiosk's own sources are still compiled, warnings as errors, to
# objects: the target's libc headers, and for the few libraries whose headers
# are per-architecture (curl, openssl) the build machine's. Nothing is linked.
ifneq ($(shell $(PKG_CONFIG) --exists $(KIOSK_PKGS) && echo yes),yes)
CROSS_COMPILE_ONLY := 1
PKG_CONFIG := true
CPPFLAGS += -idirafter /usr/include/$(shell gcc -print-multiarch)
endif
endif
WARN    := -Wall -Wextra -Werror -Wpedantic -Wformat=2 -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wcast-qual -Wvla -Wundef -Wnull-dereference \
	   -Wimplicit-fallthrough
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)
CPPFLAGS += -DHADIR_VERSION=\"$(VERSION)\" -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64 \
	    -D_FORTIFY_SOURCE=2 -I. \
	    $(shell $(PKG_CONFIG) --cflags $(PKGS))
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 $(WARN) -fstack-protector-strong -fPIE -MMD -MP
# --as-needed: each binary records only the libraries it uses (the kiosk never needs libpq).
LDFLAGS += -pie -Wl,-z,relro,-z,now -Wl,--as-needed
LDLIBS  += $(shell $(PKG_CONFIG) --libs $(PKGS)) $(KIOSK_LIBS) $(COLLECTOR_LIBS)

ifneq ($(SANITIZE),)
CFLAGS  += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
endif

COMMON_SRC   := $(wildcard common/*.c)
FIRMWARE_SRC := $(filter-out firmware/main.c firmware/sync_main.c,$(wildcard firmware/*.c))
SERVER_SRC   := $(filter-out server/main.c,$(wildcard server/*.c))
UNIT_SRC     := $(wildcard tests/unit/test_*.c)
HELPER_SRC   := $(wildcard tests/helpers/*.c)
FUZZ_SRC     := $(wildcard tests/fuzz/fuzz_*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

LIBCOMMON   := $(BUILD)/libcommon.a
LIBFIRMWARE := $(BUILD)/libfirmware.a
LIBSERVER   := $(BUILD)/libserver.a
KIOSK       := $(BUILD)/hadir-kiosk
KIOSK_SYNC  := $(BUILD)/hadir-kiosk-sync
COLLECTOR   := $(BUILD)/hadir-collector
UNIT_BINS   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
REPLAY_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/tests/replay_%,$(FUZZ_SRC))
HELPER_BINS := $(patsubst tests/helpers/%.c,$(BUILD)/tests/%,$(HELPER_SRC))
TEST_LIBS   := $(LIBFIRMWARE) $(LIBSERVER) $(LIBCOMMON)

# A cross build's unit tests and corpus replays: those of a kiosk-side module
# (common/X.c or firmware/X.c).
KIOSK_MODULES := $(basename $(notdir $(COMMON_SRC) $(FIRMWARE_SRC)))
KIOSK_UNITS := $(foreach m,$(KIOSK_MODULES),$(filter tests/unit/test_$(m).c,$(UNIT_SRC)))
KIOSK_FUZZ  := $(foreach m,$(KIOSK_MODULES),$(filter tests/fuzz/fuzz_$(m).c,$(FUZZ_SRC)))
ifneq ($(CROSS),)
UNIT_BINS   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(KIOSK_UNITS))
REPLAY_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/tests/replay_%,$(KIOSK_FUZZ))
TEST_LIBS   := $(LIBFIRMWARE) $(LIBCOMMON)
endif

# Keep objects of tests and tools: they are not throwaway intermediates.
.SECONDARY:

.PHONY: all check unit deps deps-check demo bench fuzz install clean format format-check analyze \
	cross-arm64 cross-armhf cross-s390x check-cross deb
ifneq ($(CROSS_COMPILE_ONLY),)
all: $(call obj,$(COMMON_SRC) $(FIRMWARE_SRC) firmware/main.c firmware/sync_main.c \
	     $(KIOSK_UNITS) $(KIOSK_FUZZ))
	@echo "$(CROSS): compiled only, not linked: no $(CROSS) -dev packages" \
		"(scripts/deps.sh cross-armhf says why)"
else ifneq ($(CROSS),)
all: $(KIOSK) $(KIOSK_SYNC) $(UNIT_BINS) $(REPLAY_BINS)
else
all: $(KIOSK) $(KIOSK_SYNC) $(COLLECTOR)
endif

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

# The daemon links no libcurl (--as-needed drops it): sync runs in hadir-kiosk-sync.
$(KIOSK): $(call obj,firmware/main.c) $(LIBFIRMWARE) $(LIBCOMMON)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(KIOSK_SYNC): $(call obj,firmware/sync_main.c) $(LIBFIRMWARE) $(LIBCOMMON)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(COLLECTOR): $(call obj,server/main.c) $(LIBSERVER) $(LIBCOMMON)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests link every library archive: the linker takes only what a test uses.
$(BUILD)/tests/test_%: $(call obj,tests/unit/test_%.c) $(TEST_LIBS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka
# Fuzz targets are replayed over their committed corpora by a plain main().
$(BUILD)/tests/replay_fuzz_%: $(call obj,tests/fuzz/fuzz_%.c tests/fuzz/replay.c) $(TEST_LIBS)
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
check: $(KIOSK) $(KIOSK_SYNC) $(COLLECTOR) $(UNIT_BINS) $(REPLAY_BINS) $(HELPER_BINS) cross-arm64
	@tests/run.sh $(BUILD)
endif

# The arm64 kiosk and its unit tests; tests/integration/test_cross_arm64.sh runs
# them under qemu-user against this build's collector (make check does too).
# check-cross runs tests/cross/run.sh for arm64, armhf (32-bit) and s390x
# (big-endian: no byte order assumed).
CROSS_ARM64 := build/aarch64-linux-gnu
CROSS_ARMHF := build/arm-linux-gnueabihf
cross-arm64:
	@$(MAKE) --no-print-directory CROSS=aarch64-linux-gnu BUILD=$(CROSS_ARM64) all
cross-armhf:
	@$(MAKE) --no-print-directory CROSS=arm-linux-gnueabihf BUILD=$(CROSS_ARMHF) all
cross-s390x:
	@$(MAKE) --no-print-directory CROSS=s390x-linux-gnu BUILD=build/s390x-linux-gnu all
check-cross:
	@scripts/deps.sh cross-arm64
	@scripts/deps.sh cross-armhf
	@scripts/deps.sh cross-s390x
	@$(MAKE) --no-print-directory $(COLLECTOR) cross-arm64 cross-armhf cross-s390x
	@rm -f $(BUILD)/check-cross-*.tap
	@for t in aarch64-linux-gnu arm-linux-gnueabihf s390x-linux-gnu; do \
		HADIR_BUILD=$(abspath $(BUILD)) bash tests/cross/run.sh $$t | tee $(BUILD)/check-cross-$$t.tap; \
	done
	@! grep -q '^not ok' $(BUILD)/check-cross-*.tap

demo:
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh build

bench:
	@scripts/deps.sh check
	@$(MAKE) --no-print-directory all $(HELPER_BINS) cross-arm64
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
	install -d $(DESTDIR)$(PREFIX)/libexec/hadir
	install -m 0755 $(KIOSK_SYNC) $(DESTDIR)$(PREFIX)/libexec/hadir/
	install -m 0644 boards/*.conf $(DESTDIR)$(PREFIX)/share/hadir/boards/
	install -d $(DESTDIR)$(PREFIX)/share/hadir/profiles
	install -m 0644 profiles/*.conf $(DESTDIR)$(PREFIX)/share/hadir/profiles/
	install -d $(DESTDIR)$(PREFIX)/share/hadir/ui
	install -m 0644 firmware/ui/* $(DESTDIR)$(PREFIX)/share/hadir/ui/
	install -d $(DESTDIR)$(PREFIX)/share/hadir/web
	install -m 0644 server/web/* $(DESTDIR)$(PREFIX)/share/hadir/web/
	for f in config/*.conf; do \
		t=$(DESTDIR)$(SYSCONFDIR)/hadir/$$(basename $$f); \
		if [ ! -e $$t ]; then \
			sed 's|@DATADIR@|$(PREFIX)/share|g' $$f > $$t && chmod 0640 $$t; \
		fi; \
	done
	for u in packaging/systemd/*.service; do \
		sed 's|@BINDIR@|$(PREFIX)/bin|g' $$u > $(DESTDIR)$(UNITDIR)/$$(basename $$u); \
	done

# Debian packages in build/deb: kiosk and collector for this machine, the arm64
# kiosk, and the armhf kiosk unless it could only be compiled (no armhf libraries).
DEB_ARCH := $(shell dpkg --print-architecture)
deb:
	@scripts/deps.sh cross-arm64
	@scripts/deps.sh cross-armhf
	@$(MAKE) --no-print-directory SANITIZE=0 all cross-arm64 cross-armhf
	@rm -f build/deb/*.deb
	@scripts/deb.sh build/deb kiosk build/hadir-kiosk $(DEB_ARCH)
	@scripts/deb.sh build/deb collector build/hadir-collector $(DEB_ARCH)
	@scripts/deb.sh build/deb kiosk $(CROSS_ARM64)/hadir-kiosk arm64
	@if [ -x $(CROSS_ARMHF)/hadir-kiosk ]; then \
		scripts/deb.sh build/deb kiosk $(CROSS_ARMHF)/hadir-kiosk armhf; \
	else \
		echo "deb: no armhf package: the armhf kiosk was compiled but not linked"; \
	fi

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

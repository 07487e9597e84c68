#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the Debian packages Hadir needs to build, test and run its demo.
# Idempotent: packages already installed are not touched, so a second run takes
# a second. Usage: scripts/deps.sh [build|check|all|cross-arm64|cross-armhf|cross-s390x]
# (default: all). check and all include cross-arm64: make check runs the arm64
# kiosk under qemu-user. A cross set adds the target architecture to dpkg
# (multiarch) the first time, which costs one apt-get update; when apt cannot
# install the target's libraries that way, cross-armhf puts them into a sysroot
# (scripts/sysroot.sh) instead.
set -euo pipefail

# Build: compilers and the libraries the code links against.
build_pkgs=(
	build-essential pkg-config
	libsqlite3-dev          # kiosk and collector store
	libcurl4-openssl-dev    # kiosk sync client
	libssl-dev              # libcurl's TLS backend: clock-less boards skip the validity-date check
	libgpiod-dev            # kiosk GPIO (v1 API on bookworm)
	libmbedtls-dev          # crypto, collector TLS
	libinih-dev             # INI config
	libcsv-dev              # CSV imports (roster, staff, schedules…)
	libjansson-dev          # JSON wire format and reports
	libhttp-parser-dev      # collector HTTP/1.1 parsing
	libxlsxwriter-dev       # XLSX reports
	libsystemd-dev          # sd_notify, watchdog
	libargon2-dev           # collector: Argon2id password hashes
	tzdata                  # IANA zones for Asia/Jakarta, Makassar, Jayapura
)
# Tests: unit framework, real clients for integration tests, fuzzing toolchain.
check_pkgs=(
	libcmocka-dev
	clang libclang-rt-14-dev
	clang-format            # the layout check in make check
	curl openssl sqlite3 python3 procps iproute2 valgrind
	python3-openpyxl        # a real XLSX reader for the export tests (tests/helpers/xlsx_rows.py)
	faketime                # a kiosk whose clock starts at 1970
	chromium                # the kiosk screen's end-to-end test (tests/e2e, playwright-core)
)

# Cross builds of the kiosk (make CROSS=<triplet>): the triplet's gcc, the
# target's -dev packages of the kiosk's libraries, qemu-user to run the result.
# libhttp-parser-dev is not Multi-Arch: same (its :arm64 would replace the
# build machine's), so only the target's runtime library; the header is shared.
kiosk_target_pkgs=(
	libsqlite3-dev libcurl4-openssl-dev libssl-dev libgpiod-dev libmbedtls-dev libinih-dev
	libcsv-dev libjansson-dev libsystemd-dev libcmocka-dev libhttp-parser2.9
)

sysroot_armhf=$(cd "$(dirname "$0")/.." && pwd)/build/sysroot/arm-linux-gnueabihf

want=("${build_pkgs[@]}")
cross=
case "${1:-all}" in
build) ;;
check | all)
	want+=("${check_pkgs[@]}")
	# npm drives the screen test; Node may come from elsewhere than Debian, so ask only if absent.
	command -v npm >/dev/null || want+=(npm)
	cross=arm64
	;;
cross-arm64) cross=arm64 ;;
cross-armhf) cross=armhf ;;
cross-s390x) cross=s390x ;;
*)
	echo "deps: unknown set '$1' (build, check, all, cross-arm64, cross-armhf, cross-s390x)" >&2
	exit 2
	;;
esac

sudo=()
if ((EUID != 0)) && command -v sudo >/dev/null; then
	sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive

# has_arch ARCH: dpkg already installs packages of ARCH.
has_arch() {
	[ "$(dpkg --print-architecture)" = "$1" ] || dpkg --print-foreign-architectures | grep -qx "$1"
}

# add_arch ARCH PKG...: make ARCH's PKG... installable (dpkg multiarch + the
# package index). When the mirror's index for ARCH cannot be fetched, or the
# packages cannot be installed beside this machine's (Multi-Arch: same needs
# equal versions), ARCH is removed again so that apt keeps working for
# everyone else on this machine.
add_arch() {
	local arch=$1
	shift
	has_arch "$arch" && return 0
	echo "deps: adding architecture $arch (dpkg multiarch) and fetching its package index"
	"${sudo[@]}" dpkg --add-architecture "$arch" || return 1
	if "${sudo[@]}" apt-get update -qq &&
		apt-get install -s -qq --no-install-recommends "$@" >/dev/null 2>&1; then
		return 0
	fi
	echo "deps: apt cannot install the :$arch packages (the mirror's $arch index is broken," \
		"or its versions differ from this machine's); removing $arch again" >&2
	"${sudo[@]}" dpkg --remove-architecture "$arch" || true
	"${sudo[@]}" apt-get update -qq || true
	return 1
}

# make_sysroot ARCH DIR: the target's libraries (the -dev of http-parser too: no
# multiarch conflict there) unpacked into DIR for make CROSS=<triplet>.
make_sysroot() {
	"$(dirname "$0")/sysroot.sh" "$1" "$2" "${kiosk_target_pkgs[@]/%2.9/-dev}" libc6-dev
}

case "$cross" in
arm64)
	want+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user)
	if add_arch arm64 "${kiosk_target_pkgs[@]/%/:arm64}"; then
		want+=("${kiosk_target_pkgs[@]/%/:arm64}")
	else
		echo "deps: cannot install the :arm64 libraries; make check-cross will fail" >&2
		exit 1
	fi
	;;
armhf)
	want+=(gcc-arm-linux-gnueabihf libc6-dev-armhf-cross qemu-user)
	# Once made, the sysroot (below) is used without asking apt about armhf again.
	if [ ! -f "$sysroot_armhf/.packages" ] && add_arch armhf "${kiosk_target_pkgs[@]/%/:armhf}"; then
		want+=("${kiosk_target_pkgs[@]/%/:armhf}")
	else
		echo "deps: the :armhf libraries go into the sysroot $sysroot_armhf instead" \
			"(make CROSS=arm-linux-gnueabihf uses it)"
		make_sysroot armhf "$sysroot_armhf"
	fi
	;;
s390x)
	# Big-endian, only to show that no byte order is assumed: never added to dpkg.
	want+=(gcc-s390x-linux-gnu libc6-dev-s390x-cross qemu-user)
	make_sysroot s390x "${sysroot_armhf%/*}/s390x-linux-gnu"
	;;
esac

# installed PKG[:ARCH]: installed for ARCH (default: this machine's), or for all.
native=$(dpkg --print-architecture)
installed() {
	local name=${1%%:*} arch=${1#*:}
	[ "$arch" = "$1" ] && arch=$native
	dpkg-query -W -f='${Architecture} ${Status}\n' "$name" 2>/dev/null |
		grep -qE "^($arch|all) install ok installed$"
}

missing=()
for p in "${want[@]}"; do
	installed "$p" || missing+=("$p")
done

# The screen test's npm packages, pinned by tests/e2e/package-lock.json.
e2e_modules() {
	local e2e
	e2e=$(cd "$(dirname "$0")/../tests/e2e" && pwd)
	[[ "${1:-all}" == check || "${1:-all}" == all ]] || return 0
	if [[ ! -e "$e2e/node_modules/.package-lock.json" ||
		"$e2e/package-lock.json" -nt "$e2e/node_modules/.package-lock.json" ]]; then
		npm ci --prefix "$e2e" --no-audit --no-fund >/dev/null || {
			echo "deps: npm ci in tests/e2e failed: is the npm registry reachable?" >&2
			exit 1
		}
		echo "deps: tests/e2e npm packages installed"
	fi
}

if ((${#missing[@]} == 0)); then
	echo "deps: all ${#want[@]} packages present"
	e2e_modules "${1:-all}"
	exit 0
fi

echo "deps: installing ${missing[*]}"
if ((EUID != 0 && ${#sudo[@]} == 0)); then
	echo "deps: need root (or sudo) to install: ${missing[*]}" >&2
	exit 1
fi
if ! "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
	echo "deps: install failed; refreshing the package lists and retrying" >&2
	"${sudo[@]}" apt-get update -qq || {
		echo "deps: apt-get update failed: is a Debian mirror reachable?" >&2
		exit 1
	}
	"${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" || {
		echo "deps: could not install ${missing[*]}" >&2
		exit 1
	}
fi
echo "deps: installed ${#missing[@]} packages"
e2e_modules "${1:-all}"

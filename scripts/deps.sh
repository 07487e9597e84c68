#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the Debian packages Hadir needs to build, test and run its demo.
# Idempotent: packages already installed are not touched, so a second run takes
# a second. Usage: scripts/deps.sh [build|check|all]   (default: all)
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
	libpq-dev               # PostgreSQL store backend
	libsystemd-dev          # sd_notify, watchdog
	tzdata                  # IANA zones for Asia/Jakarta, Makassar, Jayapura
)
# Tests: unit framework, real clients for integration tests, fuzzing toolchain.
check_pkgs=(
	libcmocka-dev
	clang libclang-rt-14-dev
	curl openssl sqlite3 python3 procps iproute2 valgrind
	faketime                # a kiosk whose clock starts at 1970
	chromium                # the kiosk screen's end-to-end test (tests/e2e, playwright-core)
)

want=("${build_pkgs[@]}")
case "${1:-all}" in
build) ;;
check | all)
	want+=("${check_pkgs[@]}")
	# npm drives the screen test; Node may come from elsewhere than Debian, so ask only if absent.
	command -v npm >/dev/null || want+=(npm)
	;;
*)
	echo "deps: unknown set '$1' (build, check, all)" >&2
	exit 2
	;;
esac

missing=()
for p in "${want[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[[ "$status" == "install ok installed" ]] || missing+=("$p")
done

# The screen test's npm packages, pinned by tests/e2e/package-lock.json.
e2e_modules() {
	local e2e
	e2e=$(cd "$(dirname "$0")/../tests/e2e" && pwd)
	[[ "${1:-all}" == build ]] && return 0
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
sudo=()
if ((EUID != 0)); then
	command -v sudo >/dev/null || {
		echo "deps: need root (or sudo) to install: ${missing[*]}" >&2
		exit 1
	}
	sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
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

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The arm64 kiosk under qemu-user (tests/cross/run.sh): its unit tests, then
# the daemon enrolled to this build's collector, taps synced and read back.
# make check builds build/aarch64-linux-gnu for it.
exec bash "$(dirname "$0")/../cross/run.sh" aarch64-linux-gnu

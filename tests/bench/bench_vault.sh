#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fingerprint template vault: sealing uploads and opening a whole unit's
# templates for a roster (AES-256-GCM through mbedTLS, SQLite), 1,000 people
# with two templates each. Goal: a roster of a large unit is built in well
# under a second, an upload costs milliseconds.
set -eu
BUILD=${HADIR_BUILD:-$(cd "$(dirname "$0")/../../build" && pwd)}
"$BUILD/tests/bench_vault" "${PEOPLE:-1000}"

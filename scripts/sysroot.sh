#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A cross-build sysroot from Debian packages, for when dpkg multiarch cannot
# install the target's libraries (scripts/deps.sh cross-armhf falls back to it
# when the mirror's armhf index fails to download):
#   scripts/sysroot.sh ARCH DIR PACKAGE...
# apt-get, with its own state and cache under DIR.apt and only the target
# architecture, resolves and downloads PACKAGE... and everything they depend
# on from bookworm and bookworm-updates (not the security suite, whose index is
# the broken one), and each package is unpacked into DIR; nothing is installed
# on this machine. DIR/.files maps every unpacked file to "PATH PACKAGE VERSION"
# for scripts/deb.sh. Makes nothing when DIR/.packages already lists PACKAGE...
set -euo pipefail

(($# >= 3)) || {
	echo "usage: scripts/sysroot.sh ARCH DIR PACKAGE..." >&2
	exit 2
}
arch=$1 dir=$(realpath -m "$2") # apt takes its Dir:: options as absolute paths
shift 2
want="$arch $*"
if [ -f "$dir/.packages" ] && [ "$(cat "$dir/.packages")" = "$want" ]; then
	echo "sysroot: $dir is complete"
	exit 0
fi

apt=$dir.apt
rm -rf "$dir" "$apt"
mkdir -p "$apt/state/lists/partial" "$apt/cache/archives/partial" "$dir"
touch "$apt/status"
mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)\/*$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null |
	head -n 1)
for suite in bookworm bookworm-updates; do
	echo "deb [arch=$arch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
		"${mirror:-http://deb.debian.org/debian} $suite main"
done >"$apt/sources.list"
opts=(-o "Dir::State=$apt/state" -o "Dir::State::status=$apt/status" -o "Dir::Cache=$apt/cache"
	-o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/none"
	-o "APT::Architecture=$arch" -o "APT::Architectures::=$arch" -o Debug::NoLocking=1)

echo "sysroot: downloading $* and their dependencies for $arch into $dir"
apt-get "${opts[@]}" -qq update
apt-get "${opts[@]}" -qq install --download-only -y --no-install-recommends "$@" >/dev/null
for deb in "$apt"/cache/archives/*.deb; do
	dpkg-deb -x "$deb" "$dir"
	read -r pkg ver < <(dpkg-deb -W --showformat='${Package} ${Version}\n' "$deb")
	dpkg-deb -c "$deb" | awk -v p="$pkg" -v v="$ver" '$1 !~ /^d/ {sub(/^\./, "", $6); print $6, p, v}'
done >"$dir/.files"
echo "sysroot: $(find "$apt/cache/archives" -name '*.deb' | wc -l) packages, $(du -sh "$dir" | cut -f1)"
rm -rf "$apt"
echo "$want" >"$dir/.packages"

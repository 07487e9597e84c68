#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build one Debian package with dpkg-deb from an already built binary:
#   scripts/deb.sh OUTDIR kiosk|collector BINARY ARCH
# e.g. scripts/deb.sh build/deb kiosk build/aarch64-linux-gnu/hadir-kiosk arm64
# Depends is computed from the binary's real runtime libraries: each NEEDED
# soname is found in ARCH's multiarch library folder and mapped to its package
# with dpkg -S (>= the version installed here, which the binary was linked
# against). Files come from the same places as `make install`, with /usr as
# the prefix; the default kiosk.conf is a conffile. Prints the package's path.
set -euo pipefail

usage() {
	echo "usage: scripts/deb.sh OUTDIR kiosk|collector BINARY ARCH" >&2
	exit 2
}
(($# == 4)) || usage
out=$1 kind=$2 bin=$3 arch=$4
case "$kind" in kiosk | collector) ;; *) usage ;; esac
[ -x "$bin" ] || {
	echo "deb: no binary '$bin' (build it first)" >&2
	exit 1
}
repo=$(cd "$(dirname "$0")/.." && pwd)
triplet=$(dpkg-architecture -a "$arch" -qDEB_HOST_MULTIARCH 2>/dev/null)
name=hadir-$kind

# A Debian version must start with a digit; git describe may give a bare hash.
version=0.1+git$(git -C "$repo" log -1 --format=%cd --date=format:%Y%m%d%H%M 2>/dev/null || echo 0)
version+=.$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo local)

sysroot_files=$repo/build/sysroot/$triplet/.files

# lib_package SONAME: "package (>= version)" of ARCH's library SONAME, from
# dpkg's database or else from the sysroot scripts/deps.sh made for ARCH.
lib_package() {
	local so=$1 f pkg= ver=
	for f in "/usr/lib/$triplet/$so" "/lib/$triplet/$so"; do
		pkg=$(dpkg -S "$f" 2>/dev/null | head -n 1 | cut -d: -f1) || true
		[ -n "$pkg" ] && break
		if [ -f "$sysroot_files" ]; then
			read -r _ pkg ver < <(grep -F "$f " "$sysroot_files" | head -n 1) || true
			[ -n "$pkg" ] && break
		fi
	done
	if [ -z "$pkg" ]; then
		echo "deb: no installed $arch package holds $so" >&2
		return 1
	fi
	[ -n "$ver" ] ||
		ver=$(dpkg-query -W -f='${Version}' "$pkg:$arch" 2>/dev/null || dpkg-query -W -f='${Version}' "$pkg")
	ver=${ver#*:}     # epoch
	ver=${ver%-*}     # Debian revision: any rebuild of that upstream version will do
	echo "$pkg (>= $ver)"
}

# The kiosk's sync program (hadir-kiosk-sync) sits beside its binary and ships with it.
bins=("$bin")
if [ "$kind" = kiosk ]; then
	bins+=("$(dirname "$bin")/hadir-kiosk-sync")
	[ -x "${bins[1]}" ] || {
		echo "deb: no binary '${bins[1]}' (build it first)" >&2
		exit 1
	}
fi

depends() {
	local so deps=()
	for so in $(objdump -p "${bins[@]}" | awk '$1 == "NEEDED" {print $2}' | sort -u); do
		case "$so" in ld-linux*) continue ;; esac # libc6 names the loader
		deps+=("$(lib_package "$so")") || return 1
	done
	[ "$kind" = collector ] && deps+=(adduser)
	printf '%s\n' "${deps[@]}" | sort -u | paste -sd, | sed 's/,/, /g'
}

root=$(mktemp -d "${TMPDIR:-/tmp}/hadir-deb.XXXXXX")
trap 'rm -rf "$root"' EXIT
chmod 0755 "$root"
install -d "$root/DEBIAN" "$root/usr/bin" "$root/lib/systemd/system" "$root/usr/share/doc/$name"
strip_tool=$triplet-strip
command -v "$strip_tool" >/dev/null || strip_tool=strip
"$strip_tool" --strip-unneeded -o "$root/usr/bin/$name" "$bin"
chmod 0755 "$root/usr/bin/$name"
if [ "$kind" = kiosk ]; then
	install -d "$root/usr/libexec/hadir"
	"$strip_tool" --strip-unneeded -o "$root/usr/libexec/hadir/hadir-kiosk-sync" "${bins[1]}"
	chmod 0755 "$root/usr/libexec/hadir/hadir-kiosk-sync"
fi
sed -e 's|@BINDIR@|/usr/bin|g' -e "s|/usr/local/share/doc/hadir/|/usr/share/doc/$name/|g" \
	"$repo/packaging/systemd/$name.service" >"$root/lib/systemd/system/$name.service"
install -m 0644 "$repo/README.md" "$root/usr/share/doc/$name/README.md"
printf 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nFiles: *\nLicense: MIT\n' \
	>"$root/usr/share/doc/$name/copyright"

if [ "$kind" = kiosk ]; then
	install -d "$root/etc/hadir" "$root/usr/share/hadir/boards"
	install -m 0644 "$repo"/boards/*.conf "$root/usr/share/hadir/boards/"
	install -d "$root/usr/share/hadir/ui"
	install -m 0644 "$repo"/firmware/ui/* "$root/usr/share/hadir/ui/"
	sed 's|@DATADIR@|/usr/share|g' "$repo/config/kiosk.conf" >"$root/etc/hadir/kiosk.conf"
	chmod 0640 "$root/etc/hadir/kiosk.conf"
	echo /etc/hadir/kiosk.conf >"$root/DEBIAN/conffiles"
else
	install -d "$root/usr/share/hadir/profiles" "$root/usr/share/hadir/web"
	install -m 0644 "$repo"/profiles/*.conf "$root/usr/share/hadir/profiles/"
	install -m 0644 "$repo"/server/web/* "$root/usr/share/hadir/web/"
fi
install -m 0755 "$repo/packaging/deb/$kind.postinst" "$root/DEBIAN/postinst"
install -m 0755 "$repo/packaging/deb/$kind.prerm" "$root/DEBIAN/prerm"

deps=$(depends)
{
	echo "Package: $name"
	echo "Version: $version"
	echo "Architecture: $arch"
	echo "Maintainer: Hadir <hadir@localhost>"
	echo "Section: misc"
	echo "Priority: optional"
	echo "Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)"
	echo "Depends: $deps"
	echo "Description: $(cat "$repo/packaging/deb/$kind.description")"
} >"$root/DEBIAN/control"

mkdir -p "$out"
deb=$out/${name}_${version}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"

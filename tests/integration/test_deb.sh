#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/deb.sh: the kiosk and collector packages of this build, and the
# arm64 kiosk's when the cross build exists: control fields, Depends from the
# binaries' real libraries, contents, the conffile, maintainer scripts; the
# packaged binary and default configuration work once extracted. Nothing is
# installed on this machine (dpkg-deb -x into the test folder).
. "$(dirname "$0")/lib.sh"

DEB=$REPO/scripts/deb.sh
ARCH=$(dpkg --print-architecture)
XBUILD=${HADIR_CROSS_BUILD:-$REPO/build/aarch64-linux-gnu}

# field DEB NAME: one control field.
field() {
	dpkg-deb -f "$1" "$2"
}

kdeb=$("$DEB" "$T/out" kiosk "$KIOSK" "$ARCH" 2>"$T/err") || { fail "kiosk package: $(cat "$T/err")"; exit 1; }
cdeb=$("$DEB" "$T/out" collector "$COLLECTOR" "$ARCH" 2>"$T/err") || { fail "collector package: $(cat "$T/err")"; exit 1; }
ok "packages built: $(basename "$kdeb"), $(basename "$cdeb")"

check "kiosk: name, architecture, a version dpkg accepts" bash -c \
	"[ '$(field "$kdeb" Package)' = hadir-kiosk ] && [ '$(field "$kdeb" Architecture)' = '$ARCH' ] &&
	 dpkg --validate-version '$(field "$kdeb" Version)'"
kdep=$(field "$kdeb" Depends)
missing=
for p in libc6 libsqlite3-0 libcurl4 libgpiod2 libinih1 libjansson4 libsystemd0 libssl3 libmbedcrypto7; do
	grep -qE "(^|, )$p \(>= [0-9]" <<<"$kdep" || missing+=" $p"
done
if [ -z "$missing" ]; then ok "kiosk Depends names its runtime libraries with versions"; else fail "kiosk Depends lacks$missing: $kdep"; fi
if grep -q libpq <<<"$kdep"; then fail "kiosk depends on the collector's libpq"; else ok "kiosk Depends has no collector library"; fi
cdep=$(field "$cdeb" Depends)
if grep -q 'adduser' <<<"$cdep" && grep -qE 'libsqlite3-0 \(>= ' <<<"$cdep" && [ "$(field "$cdeb" Architecture)" = "$ARCH" ]; then
	ok "collector Depends: its libraries and adduser (for the hadir user)"
else
	fail "collector Depends: $cdep"
fi

dpkg-deb -c "$kdeb" | awk '{print $1, $NF}' >"$T/kiosk.list"
missing=
for f in ./usr/bin/hadir-kiosk ./usr/libexec/hadir/hadir-kiosk-sync ./etc/hadir/kiosk.conf ./lib/systemd/system/hadir-kiosk.service \
	./usr/share/hadir/boards/rpi4.conf ./usr/share/hadir/boards/rpi5.conf \
	./usr/share/hadir/boards/orangepi-zero3.conf ./usr/share/doc/hadir-kiosk/copyright; do
	grep -q " $f$" "$T/kiosk.list" || missing+=" $f"
done
if [ -z "$missing" ]; then ok "kiosk package holds binaries, config, board files, unit, copyright"; else fail "kiosk package lacks$missing"; fi
check "binary is executable, config not world-readable" bash -c \
	"grep -qx -- '-rwxr-xr-x ./usr/bin/hadir-kiosk' '$T/kiosk.list' && grep -qx -- '-rw-r----- ./etc/hadir/kiosk.conf' '$T/kiosk.list'"
dpkg-deb -e "$kdeb" "$T/kctl"
check "kiosk.conf is a conffile" grep -qx /etc/hadir/kiosk.conf "$T/kctl/conffiles"
check "maintainer scripts are valid sh" bash -c "sh -n '$T/kctl/postinst' && sh -n '$T/kctl/prerm'"
dpkg-deb -c "$cdeb" | awk '{print $NF}' >"$T/collector.list"
check "collector package holds binary, unit, rule profiles" bash -c \
	"grep -qx ./usr/bin/hadir-collector '$T/collector.list' && grep -qx ./lib/systemd/system/hadir-collector.service '$T/collector.list' && grep -qx ./usr/share/hadir/profiles/default.conf '$T/collector.list'"

R=$T/root
dpkg-deb -x "$kdeb" "$R"
dpkg-deb -x "$cdeb" "$R"
check "unit starts /usr/bin/hadir-kiosk" grep -qx 'ExecStart=/usr/bin/hadir-kiosk --config /etc/hadir/kiosk.conf' "$R/lib/systemd/system/hadir-kiosk.service"
check "packaged config names the packaged board file" grep -qx 'board = /usr/share/hadir/boards/rpi4.conf' "$R/etc/hadir/kiosk.conf"
check "the kiosk screen's page is packaged where the config points" bash -c \
	"grep -qx 'root = /usr/share/hadir/ui' '$R/etc/hadir/kiosk.conf' && test -s '$R/usr/share/hadir/ui/index.html' && test -s '$R/usr/share/hadir/ui/app.js' && test -s '$R/usr/share/hadir/ui/style.css'"
# ProtectSystem=strict keeps /etc read-only for the service: its control socket lives in /run/hadir.
check "control socket in the unit's RuntimeDirectory" bash -c \
	"grep -qx 'control_socket = /run/hadir/control.sock' '$R/etc/hadir/kiosk.conf' && grep -qx 'RuntimeDirectory=hadir' '$R/lib/systemd/system/hadir-kiosk.service'"
check "extracted hadir-kiosk runs" bash -c "'$R/usr/bin/hadir-kiosk' --version | grep -q '^hadir-kiosk '"
check "extracted hadir-collector runs" bash -c "'$R/usr/bin/hadir-collector' --help 2>&1 | grep -qi usage"
# The packaged kiosk.conf and board file, moved into the test folder, pass --check-config.
sed -e "s|/usr/share/hadir/boards|$R/usr/share/hadir/boards|" -e "s|/var/lib/hadir|$T|" \
	"$R/etc/hadir/kiosk.conf" >"$T/kiosk.conf"
check "packaged default config and rpi4 board file are valid" \
	"$R/usr/bin/hadir-kiosk" --check-config --config "$T/kiosk.conf"
check "postinst's db create makes the configured database" bash -c \
	"'$R/usr/bin/hadir-kiosk' db create --config '$T/kiosk.conf' && test -s '$T/kiosk.db'"
# enroll runs the packaged sync program (found in ../libexec/hadir from the binary), which
# reaches for the collector: nothing listens on port 1, so it fails saying so.
check "packaged enroll runs the packaged sync program" bash -c \
	"'$R/usr/bin/hadir-kiosk' enroll --url https://127.0.0.1:1 --token x --config '$T/kiosk.conf' 2>&1 | grep -q 'enrolment failed: .*refused'"

# deb_cross TRIPLET ARCH QEMU: the cross-built kiosk's package, run once extracted.
deb_cross() {
	local xbuild=$REPO/build/$1 arch=$2 qemu=$3 prefix=/ adeb
	[ "$1" = aarch64-linux-gnu ] && xbuild=$XBUILD
	[ -d "$REPO/build/sysroot/$1" ] && prefix=$REPO/build/sysroot/$1
	adeb=$("$DEB" "$T/out" kiosk "$xbuild/hadir-kiosk" "$arch" 2>"$T/err")
	if [ -n "$adeb" ] && [ "$(field "$adeb" Architecture)" = "$arch" ] &&
		grep -qE 'libgpiod2 \(>= ' <<<"$(field "$adeb" Depends)"; then
		ok "$arch kiosk package: Architecture $arch, Depends from its $arch libraries"
	else
		fail "$arch kiosk package: $(cat "$T/err")"
		return
	fi
	dpkg-deb -x "$adeb" "$T/$arch"
	check "extracted $arch hadir-kiosk runs under qemu" bash -c \
		"'$qemu' -L '$prefix' '$T/$arch/usr/bin/hadir-kiosk' --version | grep -q '^hadir-kiosk '"
}
if [ -x "$XBUILD/hadir-kiosk" ]; then
	deb_cross aarch64-linux-gnu arm64 qemu-aarch64
else
	fail "no arm64 build in $XBUILD (make CROSS=aarch64-linux-gnu)"
fi
# make check builds no armhf kiosk; make check-cross and make deb do.
if [ -x "$REPO/build/arm-linux-gnueabihf/hadir-kiosk" ]; then
	deb_cross arm-linux-gnueabihf armhf qemu-arm
else
	ok "# skip no armhf build (make CROSS=arm-linux-gnueabihf)"
fi

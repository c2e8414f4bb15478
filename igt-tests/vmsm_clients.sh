#!/bin/sh
# SPDX-License-Identifier: MIT
#
# vmsm_clients: real KMS clients on vmsm, run in the test VM with the same
# protocol as the C tests (--list-subtests, --run-subtest NAME; exit 0 pass,
# 77 skip, anything else fail):
#
#   modetest-list      libdrm's modetest lists vmsm's connectors, CRTCs and
#                      planes
#   modetest-setmode   modetest sets the preferred mode with its test pattern;
#                      the pattern is on the screen (framebuffer and CRCs)
#   kmscube            Mesa (GBM, EGL, GLES2 on llvmpipe through kms_swrast
#                      over dumb buffers) renders frames with kmscube; they
#                      change from frame to frame and are not black
#   weston-desktop     weston's DRM backend with the pixman renderer shows
#                      its desktop; a screenshot and the CRCs show it too
#
# The programs come from Debian's packages (libdrm-tests, kmscube, weston,
# libgl1-mesa-dri, ...), copied with their libraries into the initramfs by
# tools/vmsm-vm. A missing program fails its subtest.
# VMSM_CLIENTS_DRIVER picks another KMS driver (default vmsm; from the
# guest's environment, e.g. tools/vmsm-vm's VMSM_VM_APPEND).

SUBTESTS="modetest-list modetest-setmode kmscube weston-desktop"
DRV=${VMSM_CLIENTS_DRIVER:-vmsm}
CHECK=/vmsm/bin/vmsm-kmscheck
OUT=/tmp/vmsm_clients
export XDG_RUNTIME_DIR=/tmp/xdg-runtime PATH=$PATH:/usr/bin:/usr/sbin

fail() {
	echo "vmsm_clients: FAIL: $*"
	exit 1
}

# Clients started in the background end with their subtest, whatever
# happens: one left running would keep DRM master (and vmsm) from the rest.
BG=
bg_started() { BG="$BG $1"; }
cleanup() {
	for p in $BG; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
}
trap cleanup EXIT

need() {
	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 || [ -x "$p" ] ||
			fail "$p is not in the VM (is its Debian package installed on the host?)"
	done
}

show() { # file [lines]: a client's output, indented (its own warnings are
	 # no kernel's: keep them from looking like one to tools/vmsm-vm)
	sed 's/^/    /; s/WARNING:/warning:/g; s/BUG:/bug:/g' "$1" | head -${2:-40}
}

# modetest -c: "<id>\t<encoder>\tconnected\t<name>\t..." for the first
# connected connector that is not a writeback one; -p: CRTC ids
first_connector() {
	awk '/^Connectors:/ { c = 1; next } /^(Encoders|CRTCs|Planes|Frame)/ { c = 0 }
	     c && $3 == "connected" && $4 !~ /^Writeback/ { print $1; exit }' "$1"
}

first_crtc() {
	awk '/^CRTCs:/ { c = 1; next } c && $1 ~ /^[0-9]+$/ { print $1; exit }' "$1"
}

modetest_list() {
	need modetest
	modetest -M "$DRV" -c -p >$OUT/list 2>&1 || {
		show $OUT/list
		fail "modetest -M $DRV -c -p exited $?"
	}
	show $OUT/list 60
	for section in Connectors: CRTCs: Planes:; do
		grep -q "^$section" $OUT/list || fail "no $section in modetest's output"
	done
	conn=$(first_connector $OUT/list)
	crtc=$(first_crtc $OUT/list)
	[ -n "$conn" ] || fail "no connected connector"
	[ -n "$crtc" ] || fail "no CRTC"
	# every CRTC has a primary, overlays and a cursor plane
	planes=$(awk '/^Planes:/ { c = 1; next } /^Frame/ { c = 0 }
		      c && $1 ~ /^[0-9]+$/ && NF >= 6 && $4 ~ /,/ { n++ } END { print n + 0 }' $OUT/list)
	ncrtc=$(awk '/^CRTCs:/ { c = 1; next } /^Planes:/ { c = 0 }
		     c && $1 ~ /^[0-9]+$/ && $3 ~ /^\(/ { n++ } END { print n + 0 }' $OUT/list)
	echo "vmsm_clients: connector $conn, CRTC $crtc, $ncrtc CRTCs, $planes planes"
	[ "$ncrtc" -ge 1 ] || fail "no CRTC counted"
	[ "$planes" -ge "$ncrtc" ] || fail "$planes planes for $ncrtc CRTCs"
	if [ "$DRV" = vmsm ]; then
		[ "$planes" -ge $((ncrtc * 4)) ] ||
			fail "$planes planes: vmsm has a primary, 2 overlays and a cursor per CRTC"
	fi
	grep -q "1024x768" $OUT/list || fail "no 1024x768 mode listed"
}

# A client that shows something: its CRCs while it runs must not all be
# those of a black frame (vmsm only: CRC source "auto"), and the framebuffer
# on the primary plane must not be blank. $1: name for the PPM.
check_screen() {
	# the framebuffer first: it waits until the client drew something
	$CHECK -M "$DRV" -t 30 -o "$OUT/$1.ppm" grab || fail "$1 shows a blank screen"
	if [ "$DRV" = vmsm ]; then
		$CHECK -M "$DRV" crc -- sleep "${2:-2}" >$OUT/crc 2>&1
		rc=$?
		cat $OUT/crc
		# how the composer kept up (TCG is slow at composing frames)
		grep -hE 'composed|missed' /sys/kernel/debug/dri/*/vmsm_display 2>/dev/null |
			head -2 | sed 's/^/vmsm_display: /'
		[ $rc = 0 ] || fail "the CRCs while $1 ran are those of a black frame"
	fi
}

modetest_setmode() {
	need modetest "$CHECK"
	modetest -M "$DRV" -c -p >$OUT/list 2>&1 || fail "modetest -c -p exited $?"
	conn=$(first_connector $OUT/list)
	crtc=$(first_crtc $OUT/list)
	[ -n "$conn" ] && [ -n "$crtc" ] || fail "no connected connector or CRTC"
	# modetest keeps the mode until its stdin ends
	sleep 8 | modetest -M "$DRV" -s "$conn@$crtc:1024x768" >$OUT/setmode 2>&1 &
	pid=$!
	bg_started $pid
	sleep 2
	check_screen modetest 2
	wait $pid
	rc=$?
	show $OUT/setmode
	[ $rc = 0 ] || fail "modetest -s exited $rc"
	grep -q "setting mode 1024x768" $OUT/setmode || fail "modetest set no mode"
}

kmscube_frames() {
	need kmscube "$CHECK"
	card=$($CHECK -M "$DRV" card) || fail "no $DRV card"
	frames=${VMSM_KMSCUBE_FRAMES:-240}
	# kmscube stops when its stdin becomes readable: give it one that never does
	mkfifo $OUT/stdin
	GBM_ALWAYS_SOFTWARE=1 LP_NUM_THREADS=1 kmscube -D "$card" -c "$frames" \
		>$OUT/kmscube 2>&1 0<>$OUT/stdin &
	pid=$!
	bg_started $pid
	t0=$(date +%s)
	# wait for its first frame before looking: its framebuffer in DRM's
	# list, or its renderer in its output (which stdio holds back until a
	# page fills: on 16 KiB pages, often until kmscube ends)
	for _ in $(seq 60); do
		grep -q 'renderer' $OUT/kmscube && break
		grep -qs 'allocated by = kmscube' /sys/kernel/debug/dri/*/framebuffer && break
		kill -0 $pid 2>/dev/null || break
		sleep 1
	done
	sleep 2
	kill -0 $pid 2>/dev/null || {
		wait $pid
		show $OUT/kmscube
		fail "kmscube exited (status $?) before it was looked at"
	}
	# long enough for the composer to report CRCs of several frames
	( check_screen kmscube 8 ) || { show $OUT/kmscube; exit 1; }
	if [ "$DRV" = vmsm ]; then
		distinct=$(sed -n 's/^kmscheck: [0-9]* CRCs, \([0-9]*\) distinct.*/\1/p' $OUT/crc)
		[ "${distinct:-0}" -ge 2 ] || {
			show $OUT/kmscube
			fail "the cube did not move: ${distinct:-0} distinct CRCs"
		}
	fi
	wait $pid
	rc=$?
	t1=$(date +%s)
	show $OUT/kmscube
	[ $rc = 0 ] || fail "kmscube exited $rc"
	grep -qiE 'llvmpipe|softpipe' $OUT/kmscube || fail "kmscube did not render with Mesa's software path"
	! grep -q 'interrupted' $OUT/kmscube || fail "kmscube was interrupted"
	echo "vmsm_clients: kmscube rendered $frames frames in $((t1 - t0)) s"
}

weston_desktop() {
	need weston /usr/lib/*/weston-desktop-shell "$CHECK"
	card=$($CHECK -M "$DRV" card) || fail "no $DRV card"
	# Debian's weston 10 has no libseat launcher: its direct launcher (root)
	# takes a VT of its own; --debug lets weston-screenshooter in
	# no keyboard or mouse in the VM: start without input devices
	printf '[core]\nrequire-input=false\nidle-time=0\n' >$OUT/weston.ini
	weston --config=$OUT/weston.ini --backend=drm-backend.so --use-pixman --tty=2 \
		--drm-device="${card##*/}" --idle-time=0 --debug --socket=wayland-vmsm \
		--log=$OUT/weston.log </dev/null >$OUT/weston.out 2>&1 &
	pid=$!
	bg_started $pid
	# the desktop: its background and panel, drawn by weston-desktop-shell
	for _ in $(seq 90); do
		kill -0 $pid 2>/dev/null || break
		[ -S "$XDG_RUNTIME_DIR/wayland-vmsm" ] && grep -q 'weston-desktop-shell' $OUT/weston.log && break
		sleep 1
	done
	kill -0 $pid 2>/dev/null || {
		show $OUT/weston.out
		show $OUT/weston.log 80
		fail "weston did not start"
	}
	sleep 5
	ok=1
	( check_screen weston 2 ) || ok=0
	if command -v weston-screenshooter >/dev/null; then
		(cd $OUT && WAYLAND_DISPLAY=wayland-vmsm weston-screenshooter) >$OUT/shot 2>&1
		shot=$(ls $OUT/wayland-screenshot*.png 2>/dev/null | head -1)
		size=$(stat -c %s "$shot" 2>/dev/null || echo 0)
		echo "vmsm_clients: weston-screenshooter: ${shot:-no file}, $size bytes"
		# a blank 1024x768 PNG is about 3 KiB; the desktop's is larger
		[ "$size" -gt 8192 ] || { show $OUT/shot; ls -l "$XDG_RUNTIME_DIR"; ok=0; }
	fi
	kill $pid
	wait $pid
	show $OUT/weston.log 80
	[ $ok = 1 ] || fail "weston's desktop is not on the screen"
}

case $1 in
--list-subtests)
	for s in $SUBTESTS; do echo "$s"; done
	exit 0
	;;
--run-subtest)
	rm -rf $OUT "$XDG_RUNTIME_DIR"
	mkdir -p $OUT "$XDG_RUNTIME_DIR"
	chmod 0700 "$XDG_RUNTIME_DIR"
	echo "Starting subtest: $2"
	case $2 in
	modetest-list) modetest_list ;;
	modetest-setmode) modetest_setmode ;;
	kmscube) kmscube_frames ;;
	weston-desktop) weston_desktop ;;
	*) echo "unknown subtest $2"; exit 2 ;;
	esac
	echo "vmsm_clients: $2 passed"
	exit 0
	;;
*)
	echo "usage: $0 --list-subtests | --run-subtest NAME" >&2
	exit 2
	;;
esac

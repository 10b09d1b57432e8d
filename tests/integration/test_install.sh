#!/usr/bin/env bash
# meson install into a temp dir: the daemon, the client, the systemd unit,
# the man pages, the example config and the example notifier land where a
# CPTS's administrator and Debian expect them, the unit runs the snpd it
# installed, the man pages render, and nothing else is installed (no test,
# bench or fuzz binary).
# Needs from meson: MESON, BUILD_ROOT, PREFIX and the install directories
# BINDIR, SBINDIR, MANDIR, DATADIR, UNITDIR (absolute, before DESTDIR).
. "$(dirname "$0")/lib.sh"
trap 'finish; exit $?' EXIT

: "${MESON:?}" "${BUILD_ROOT:?}" "${PREFIX:?}" "${BINDIR:?}" "${SBINDIR:?}"
: "${MANDIR:?}" "${DATADIR:?}" "${UNITDIR:?}"

DEST=$T_DIR/root
UNIT=$UNITDIR/snpd.service
NOTIFIER=$DATADIR/snpd/notify-example.sh
EXAMPLE=$DATADIR/doc/snpd/examples/snpd.example.json
MANPAGES=("$MANDIR/man8/snpd.8" "$MANDIR/man1/snpctl.1"
    "$MANDIR/man5/snpd.json.5")
# What is installed, and whether it is a program (x) or data (-).
EXPECTED=("x $SBINDIR/snpd" "x $BINDIR/snpctl" "x $NOTIFIER" "- $UNIT"
    "- $EXAMPLE")
for m in "${MANPAGES[@]}"; do
	EXPECTED+=("- $m")
done

# comment FILE: its lines as TAP diagnostics.
comment() { sed 's/^/#   /' "$1"; }

if "$MESON" install --destdir "$DEST" --no-rebuild --quiet \
    -C "$BUILD_ROOT" >"$T_DIR/install.log" 2>&1; then
	ok "meson install --destdir succeeds"
else
	not_ok "meson install --destdir succeeds"
	comment "$T_DIR/install.log"
	exit 1
fi

# Files, and their modes: programs executable, data not.
for e in "${EXPECTED[@]}"; do
	kind=${e%% *}
	f=${e#* }
	if [ ! -f "$DEST$f" ]; then
		not_ok "$f is installed"
	elif [ "$kind" = x ] && [ ! -x "$DEST$f" ]; then
		not_ok "$f is installed executable"
	elif [ "$kind" = - ] && [ -x "$DEST$f" ]; then
		not_ok "$f is installed, not executable"
	elif [ "$kind" = x ]; then
		ok "$f is installed executable"
	else
		ok "$f is installed"
	fi
done
check "the installed snpd runs" \
    bash -c "'$DEST$SBINDIR/snpd' --version | grep -q '^snpd [0-9]'"
check "the installed snpctl runs" \
    bash -c "'$DEST$BINDIR/snpctl' --version | grep -q '^snpctl [0-9]'"

# Nothing else: every file in DEST is one of EXPECTED.
for e in "${EXPECTED[@]}"; do
	echo "${e#* }"
done | sort >"$T_DIR/want"
(cd "$DEST" && find . \( -type f -o -type l \) -printf '/%P\n') | sort \
    >"$T_DIR/got"
comm -13 "$T_DIR/want" "$T_DIR/got" >"$T_DIR/extra"
if [ -s "$T_DIR/extra" ]; then
	not_ok "nothing else is installed"
	comment "$T_DIR/extra"
else
	ok "nothing else is installed"
fi
check "no test, bench or fuzz binary is installed" \
    bash -c "! grep -Eq '/(test_|bench_|fuzz_|httpd\$|bookload\$|icsdump\$)' \
    '$T_DIR/got'"

# The unit runs the snpd just installed, with every placeholder filled.
u=$DEST$UNIT
exec_start=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$u")
check "the unit's ExecStart is the installed snpd ($exec_start)" \
    test "$exec_start" = "$SBINDIR/snpd"
# Every Exec*= command: snpd in DEST, others (kill) on this machine.
unit_commands_exist() {
	local p n=0

	while read -r p; do
		n=$((n + 1))
		case $p in
		"$SBINDIR/snpd") [ -x "$DEST$p" ] || return 1 ;;
		/*) [ -x "$p" ] || return 1 ;;
		*) return 1 ;;
		esac
	done < <(sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\([^ ]*\).*/\1/p' "$u")
	[ "$n" -gt 0 ]
}
check "every command of the unit is an absolute path that exists" \
    unit_commands_exist
check "no @placeholder@ is left in the unit" \
    bash -c "! grep -q '@[a-z_]*@' '$u'"
missing=
for d in User=snpd Group=snpd StateDirectory=snpd RuntimeDirectory=snpd \
    ConfigurationDirectory=snpd ProtectSystem=strict ProtectHome=yes \
    PrivateTmp=yes PrivateDevices=yes NoNewPrivileges=yes UMask=0027 \
    'CapabilityBoundingSet=' 'SystemCallFilter=@system-service' \
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' \
    'ExecReload=/bin/kill -HUP $MAINPID' Restart=on-failure; do
	grep -qxF -- "$d" "$u" || missing="$missing [$d]"
done
check "the unit keeps its sandbox and directories${missing:+ (missing:$missing)}" \
    test -z "$missing"
# systemd's own check, when this machine has systemd: the unit copied
# with its commands pointing into DEST, where the binary is.
if command -v systemd-analyze >/dev/null; then
	sed "s#$SBINDIR/snpd#$DEST$SBINDIR/snpd#g" "$u" >"$T_DIR/snpd.service"
	if systemd-analyze verify --man=no "$T_DIR/snpd.service" \
	    >"$T_DIR/verify.out" 2>&1 && ! [ -s "$T_DIR/verify.out" ]; then
		ok "systemd-analyze verify finds nothing wrong in the unit"
	else
		not_ok "systemd-analyze verify finds nothing wrong in the unit"
		comment "$T_DIR/verify.out"
	fi
else
	ok "systemd-analyze verify # SKIP systemd-analyze is not installed"
fi

# Each man page renders as man(1) would show it, without a groff warning.
for m in "${MANPAGES[@]}"; do
	page=$(basename "$m")
	out=$T_DIR/$page.txt
	err=$T_DIR/$page.err
	if LC_ALL=C.UTF-8 MANWIDTH=80 MANPAGER=cat PAGER=cat \
	    man --warnings -l "$DEST$m" >"$out" 2>"$err" &&
	    grep -q '^NAME' "$out" && grep -q "^ *${page%.*} - " "$out" &&
	    ! grep -qi 'warning\|error' "$err"; then
		ok "man -l renders $page with its NAME section"
	else
		not_ok "man -l renders $page with its NAME section"
		comment "$err"
		head -n 5 "$out" | sed 's/^/#   /'
	fi
done

# The example config's notifier is the one installed (the config names
# the path for --prefix=/usr; moved to this prefix, it must match).
cmd=$(sed -n 's/^ *"command": *"\([^"]*\)".*/\1/p' "$DEST$EXAMPLE")
check "the example config's notify.command ($cmd) is the installed notifier" \
    test "$PREFIX${cmd#/usr}" = "$NOTIFIER"
check "the installed notifier is a valid sh script" sh -n "$DEST$NOTIFIER"
# The installed example is valid but for its token files, which the
# administrator makes: snpd --check reports nothing else.
cp "$DEST$EXAMPLE" "$T_DIR/example.json"
chmod 600 "$T_DIR/example.json"
"$DEST$SBINDIR/snpd" --check -c "$T_DIR/example.json" >/dev/null \
    2>"$T_DIR/check.err"
status=$?
if [ "$status" -eq 2 ] && [ -s "$T_DIR/check.err" ] &&
    ! grep -Ev '^principals\[[0-9]+\]\.token_file: ' "$T_DIR/check.err" |
    grep -q .; then
	ok "the installed example config is valid but for its token files"
else
	not_ok "the installed example config is valid but for its token files"
	comment "$T_DIR/check.err"
fi

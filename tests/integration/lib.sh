# Shared helpers for the integration tests: a private snpd in a temp dir,
# TAP output, waiting for conditions with a deadline (never a fixed sleep).
# Needs SNPD and SNPCTL (paths to the binaries) in the environment.

set -uo pipefail

: "${SNPD:?SNPD must name the snpd binary}"
: "${SNPCTL:?SNPCTL must name the snpctl binary}"

T_N=0
T_FAILED=0
T_DIR=$(mktemp -d /tmp/snpd-it.XXXXXX)
SNPD_PID=
SNPD_LOG=$T_DIR/snpd.log

ADMIN_TOKEN=admin-token-0123456789abcdefghijklmnopqrstuv
COORD_TOKEN=coord-token-0123456789abcdefghijklmnopqrstuv
SECR_TOKEN=secr-token-0123456789abcdefghijklmnopqrstuvw
NURSE_TOKEN=nurse-token-0123456789abcdefghijklmnopqrstuv
GP_TOKEN=gp-dupont-token-0123456789abcdefghijklmnopqr

REP=ipc://$T_DIR/snpd.sock
PUB=ipc://$T_DIR/events.sock

ok() { T_N=$((T_N + 1)); echo "ok $T_N - $*"; }
not_ok() {
	T_N=$((T_N + 1))
	T_FAILED=$((T_FAILED + 1))
	echo "not ok $T_N - $*"
}

# check DESCRIPTION COMMAND...: one TAP line from the command's status.
check() {
	local desc=$1
	shift
	if "$@" >/dev/null; then ok "$desc"; else not_ok "$desc"; fi
}

# wait_for SECONDS COMMAND...: retry every 50 ms until it succeeds.
wait_for() {
	local deadline=$(($(date +%s%N) / 1000000 + $1 * 1000))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $(($(date +%s%N) / 1000000)) -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# The test config: two sectors, two GPs, one principal per role.
# write_config [FILE [SECOND_GP_NAME [EXTRA_SERVER_KEYS]]]
write_config() {
	local file=${1:-$T_DIR/snpd.json} gp2name=${2:-Dr Hélène Bérard}
	local server_extra=${3:-}
	cat >"$file" <<JSON
{
  "territory": {"name": "CPTS Test", "timezone": "Europe/Paris"},
  "sectors": [
    {"id": "nord", "name": "Nord", "neighbours": ["sud"],
     "communes": ["63285"], "target": {"default": 2}},
    {"id": "sud", "name": "Sud", "neighbours": ["nord"],
     "communes": ["63164"]}
  ],
  "gps": [
    {"id": "gp-dupont", "name": "Dr Claire Dupont", "sector": "nord",
     "teleconsult": true, "feed": "feeds/dupont.ics"},
    {"id": "gp-berard", "name": "$gp2name", "sector": "sud"}
  ],
  "feeds": {"max_bytes": 1024},
  "server": {"rep": "$REP", "pub": "$PUB", "max_message_bytes": 4096,
             "linger_ms": 100 $server_extra},
  "store": {"path": "$T_DIR/snpd.db"},
  "export_dir": "$T_DIR/export",
  "principals": [
    {"name": "admin", "role": "admin", "token": "$ADMIN_TOKEN"},
    {"name": "coord", "role": "coordinator", "token": "$COORD_TOKEN"},
    {"name": "secr", "role": "secretariat", "token": "$SECR_TOKEN"},
    {"name": "ide-roux", "role": "nurse", "token": "$NURSE_TOKEN"},
    {"name": "dupont", "role": "gp", "gp": "gp-dupont",
     "token": "$GP_TOKEN"}
  ]
}
JSON
	chmod 600 "$file"
}

# snpctl with the test endpoint; the token is the first argument.
ctl() {
	local token=$1
	shift
	SNP_TOKEN=$token "$SNPCTL" --endpoint "$REP" --timeout 5 "$@"
}

# Hold the database's write lock from outside (sqlite3 on a fifo), so that
# snpd's next write waits in its store; db_unlock releases it.
db_lock() {
	mkfifo "$T_DIR/lock.in"
	sqlite3 "$T_DIR/snpd.db" <"$T_DIR/lock.in" >"$T_DIR/lock.out" 2>&1 &
	LOCK_PID=$!
	exec 7>"$T_DIR/lock.in"
	echo "BEGIN IMMEDIATE; SELECT 'locked';" >&7
	wait_for 5 grep -q locked "$T_DIR/lock.out"
}
db_unlock() {
	echo "COMMIT;" >&7
	exec 7>&-
	wait "$LOCK_PID"
	rm -f "$T_DIR/lock.in" "$T_DIR/lock.out"
}

# How many lines of snpd's log hold this text.
log_count() { grep -cF -- "$1" "$SNPD_LOG"; }

# One request through nanocat, the reference peer; prints the reply.
nc_req() {
	nanocat --req --connect "$REP" --recv-timeout 5 --send-timeout 5 \
	    --raw "$@" 2>/dev/null
}

start_snpd() {
	"$SNPD" -c "$T_DIR/snpd.json" --now 2026-11-30T13:45:00+01:00 \
	    --log-level info "$@" 2>>"$SNPD_LOG" &
	SNPD_PID=$!
	wait_for 10 ctl "$ADMIN_TOKEN" ping
}

snpd_alive() { kill -0 "$SNPD_PID" 2>/dev/null; }

# Wait for snpd to exit (15 s at most); its status goes in SNPD_STATUS.
# Not in a $(...) subshell: only snpd's parent shell can wait for it.
wait_snpd_exit() {
	if ! wait_for 15 bash -c "! kill -0 $SNPD_PID 2>/dev/null"; then
		SNPD_STATUS=timeout
		return 1
	fi
	wait "$SNPD_PID"
	SNPD_STATUS=$?
	SNPD_PID=
}

log_has() { grep -qF -- "$1" "$SNPD_LOG"; }

finish() {
	if [ -n "$SNPD_PID" ] && snpd_alive; then
		kill -KILL "$SNPD_PID" 2>/dev/null
		wait "$SNPD_PID" 2>/dev/null
	fi
	if [ "$T_FAILED" -gt 0 ]; then
		echo "# snpd log:"
		sed 's/^/#   /' "$SNPD_LOG" 2>/dev/null
	fi
	echo "1..$T_N"
	rm -rf "$T_DIR"
	[ "$T_FAILED" -eq 0 ]
}

# Feeds in $T_DIR/feeds (the tests' configs name feeds/<uid>.ics).
# A calendar offering SNP time every day from 14:00 to $2; on each date
# after (YYYYMMDD), a consultation makes 15:00-16:00 busy.
# calendar UID END [DATE...]
calendar() {
	local uid=$1 end=$2 busy
	shift 2
	printf '%s\r\n' "BEGIN:VCALENDAR" "VERSION:2.0" \
	    "PRODID:-//snpd//tests//EN" "BEGIN:VEVENT" "UID:snp-$uid@test" \
	    "DTSTAMP:20261101T000000Z" \
	    "DTSTART;TZID=Europe/Paris:20261102T140000" \
	    "DTEND;TZID=Europe/Paris:20261102T$end" "RRULE:FREQ=DAILY" \
	    "CATEGORIES:SNP" "SUMMARY:Créneaux SNP" "END:VEVENT"
	for busy in "$@"; do
		printf '%s\r\n' "BEGIN:VEVENT" "UID:busy-$uid-$busy@test" \
		    "DTSTAMP:20261101T000000Z" \
		    "DTSTART;TZID=Europe/Paris:${busy}T150000" \
		    "DTEND;TZID=Europe/Paris:${busy}T160000" \
		    "SUMMARY:Consultation" "END:VEVENT"
	done
	printf '%s\r\n' "END:VCALENDAR"
}
# Replace a GP's feed file the way editors save: write, then rename.
# feed_save UID END [DATE...]
feed_save() {
	calendar "$@" >"$T_DIR/feeds/.new.ics"
	mv "$T_DIR/feeds/.new.ics" "$T_DIR/feeds/$1.ics"
}

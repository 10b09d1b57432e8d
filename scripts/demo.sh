#!/usr/bin/env bash
# Run snpd on the demo territory (conf/demo) and show it answering.
#
#   scripts/demo.sh          install what is missing, build, (re)start snpd
#                            in the background, and query it with snpctl
#   scripts/demo.sh stop     stop the demo snpd
#
# The clock is pinned to Monday 30 November 2026, 13:45 in Paris, so that
# the demo agendas always show the same afternoon; DEMO_NOW=real uses the
# real clock, DEMO_NOW=<RFC 3339 time> another moment. Each start begins
# with a fresh store; DEMO_KEEP=1 keeps the previous one.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
demo=conf/demo
state=$demo/state
pidfile=$state/snpd.pid
log=$state/snpd.log
now=${DEMO_NOW:-2026-11-30T13:45:00+01:00}

# The demo's principals, from its config (one principal per line there).
token_of() {
	sed -n "s/.*\"name\": \"$1\".*\"token\": \"\([^\"]*\)\".*/\1/p" \
	    "$demo/snpd.json"
}

stop_demo() {
	local pid deadline
	[ -f "$pidfile" ] || return 0
	pid=$(cat "$pidfile")
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"
		deadline=$((SECONDS + 10))
		while kill -0 "$pid" 2>/dev/null; do
			if [ $SECONDS -ge $deadline ]; then
				echo "demo: snpd ($pid) did not stop in 10 s" >&2
				return 1
			fi
			sleep 0.1
		done
		echo "demo: stopped snpd ($pid)"
	fi
	rm -f "$pidfile"
}

# Print a command, as the user would type it, then run it.
show() {
	echo
	echo "\$ $*"
	"$@"
}

case ${1:-start} in
stop)
	stop_demo
	exit 0
	;;
start) ;;
*)
	echo "usage: scripts/demo.sh [start|stop]" >&2
	exit 2
	;;
esac

scripts/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null

# git keeps no file modes: the config holds tokens, snpd wants it private.
chmod 600 "$demo/snpd.json"
mkdir -p "$state"
stop_demo
# With its clock pinned, the demo starts from a fresh store each time (a
# store kept from an earlier run would hold times "after" now), unless
# DEMO_KEEP=1.
[ "${DEMO_KEEP:-0}" = 1 ] || rm -f "$state"/snpd.db "$state"/snpd.db-*

# A Unix socket path holds at most 107 bytes, and the demo's sockets are
# under conf/demo/state: from a deep clone, reach conf/demo through a
# short symlink (snpd keeps the config's path as named).
cfgdir=$top/$demo
longest=/state/events.sock
if [ $((${#cfgdir} + ${#longest})) -gt 107 ]; then
	cfgdir=${XDG_RUNTIME_DIR:-/tmp}/snpd-demo-$(id -u)
	ln -sfn "$top/$demo" "$cfgdir"
fi

clock=(--now "$now")
[ "$now" = real ] && clock=()
: >"$log"
setsid build/daemon/snpd -c "$cfgdir/snpd.json" "${clock[@]}" \
    </dev/null >/dev/null 2>>"$log" &
echo $! >"$pidfile"

export SNP_ENDPOINT=ipc://$cfgdir/state/snpd.sock
export SNP_TOKEN
SNP_TOKEN=$(token_of secretariat-martine)
snpctl=build/client/snpctl
deadline=$((SECONDS + 10))
until "$snpctl" --timeout 0.5 ping >/dev/null 2>&1; do
	if ! kill -0 "$(cat "$pidfile")" 2>/dev/null ||
	    [ $SECONDS -ge $deadline ]; then
		echo "demo: snpd did not start; its log ($log):" >&2
		cat "$log" >&2
		exit 1
	fi
	sleep 0.1
done

# The agendas are read in the first seconds: wait for them all.
coord=$(token_of coord-faure)
deadline=$((SECONDS + 15))
until SNP_TOKEN=$coord "$snpctl" --json status 2>/dev/null |
    grep -q '"ok": *12'; do
	[ $SECONDS -ge $deadline ] && break
	sleep 0.2
done

echo "snpd runs on the demo territory (pid $(cat "$pidfile"), log $log)."
echo "As the CPTS secretariat (token of secretariat-martine):"
show build/client/snpctl ping
show build/client/snpctl status
show build/client/snpctl gps --sector volcans
echo
echo "As the coordinator (token of coord-faure): the GPs' agendas, read"
echo "from conf/demo/feeds/, and what one of them offers this week."
SNP_TOKEN=$coord
show build/client/snpctl feeds
show build/client/snpctl avail --gp gp-tixier --from 2026-12-07 \
    --to 2026-12-10
echo
echo "The SNP slots snpd reserved across the territory today, per sector"
echo "and hour (target/reserved/booked; !N: slots missing):"
deadline=$((SECONDS + 15))
until "$snpctl" --json plan --from 2026-11-30 2>/dev/null |
    grep -q '"ready": *true'; do
	[ $SECONDS -ge $deadline ] && break
	sleep 0.2
done
show build/client/snpctl plan --from 2026-11-30
SNP_TOKEN=$(token_of secretariat-martine)
echo
echo "The secretariat, on the phone with a patient of Pontgibaud: the free"
echo "slots of the sector (and its neighbours), then a booking in one go."
show build/client/snpctl search --commune 63285 --limit 5
first=$("$snpctl" --json search --commune 63285 --limit 1 2>/dev/null |
    sed -n 's/.*"start": *"\([^"]*\)".*/\1/p' | head -n 1)
first_sector=$("$snpctl" --json search --commune 63285 --limit 1 \
    2>/dev/null | sed -n 's/.*"sector": *"\([^"]*\)".*/\1/p' | head -n 1)
if [ -n "$first" ]; then
	show build/client/snpctl book --at "$first" --sector "$first_sector" \
	    --name "Jeanne Martin" --birth-year 1948 --reason "fièvre"
	show build/client/snpctl bookings --from 2026-11-30 --to 2026-12-01
fi

echo
echo "Teleconsultation on call (astreinte): the rota of the next days, shared"
echo "among the GPs whose agendas offer on-call time, and who is on call at"
echo "15:00 today."
deadline=$((SECONDS + 15))
until "$snpctl" --json rota 2>/dev/null | grep -q '"shift"'; do
	[ $SECONDS -ge $deadline ] && break
	sleep 0.2
done
show build/client/snpctl rota --from 2026-11-30 --to 2026-12-03
show build/client/snpctl oncall --at 2026-11-30T15:00:00+01:00

cat <<EOF

To go on by hand, in this shell:
  export SNP_ENDPOINT=$SNP_ENDPOINT
  export SNP_TOKEN=$SNP_TOKEN        # secretariat
  build/client/snpctl --help
Edit an agenda in conf/demo/feeds/ and snpd reads it at once:
  SNP_TOKEN=$coord build/client/snpctl avail --gp gp-dupont \\
      --from 2026-11-30 --to 2026-12-07
Other demo principals and their tokens are in $demo/snpd.json.
Each GP's agenda, with its reserved slots, booked patients and on-call
shifts, is written to $demo/state/export/<gp>.ics. A nurse's request:
  SNP_TOKEN=\$(sed -n 's/.*"ide-pradier".*"token": "\([^"]*\)".*/\1/p' \
      $demo/snpd.json) build/client/snpctl tc request --commune 63285 \
      --reason "plaie" --patient "Paul Roux"
and \`build/client/snpctl watch --pub ipc://$cfgdir/state/events.sock\`
shows the events as they happen.
Stop the demo with: scripts/demo.sh stop
EOF

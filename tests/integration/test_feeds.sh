#!/usr/bin/env bash
# Feeds end to end, with a real HTTP server on 127.0.0.1: 200 then 304,
# 500, a slow answer, a body too big, a truncated calendar, a redirect
# loop (each fails with its reason and keeps the last good calendar);
# a file picked up when saved; push (roles, E_FEED); events; secrets in
# URLs never logged; and a restart with the sources gone.
. "$(dirname "$0")/lib.sh"
: "${HTTPD:?HTTPD must name the test HTTP server}"
HTTPD_PID=
trap '[ -n "$HTTPD_PID" ] && kill "$HTTPD_PID" 2>/dev/null; finish; exit $?' EXIT

NOW=2026-11-30T13:45:00+01:00
mkdir -p "$T_DIR/feeds"

# A calendar offering SNP time every day from 14:00 to $1 (18:00).
calendar() {
	local end=${1:-180000}
	printf '%s\r\n' "BEGIN:VCALENDAR" "VERSION:2.0" \
	    "PRODID:-//snpd//tests//EN" "BEGIN:VEVENT" "UID:snp@test" \
	    "DTSTAMP:20261101T000000Z" \
	    "DTSTART;TZID=Europe/Paris:20261102T140000" \
	    "DTEND;TZID=Europe/Paris:20261102T$end" "RRULE:FREQ=DAILY" \
	    "CATEGORIES:SNP" "SUMMARY:Créneaux SNP" "END:VEVENT" \
	    "BEGIN:VEVENT" "UID:busy@test" "DTSTAMP:20261101T000000Z" \
	    "DTSTART;TZID=Europe/Paris:20261130T153000" \
	    "DURATION:PT30M" "SUMMARY:Consultation" "END:VEVENT" \
	    "END:VCALENDAR"
}
calendar >"$T_DIR/good.ics"
calendar 190000 >"$T_DIR/good-19h.ics"
head -c 300 "$T_DIR/good.ics" >"$T_DIR/truncated.ics"
# Over max_bytes (2 MB), which /slow's 1 MB must stay under.
for i in $(seq 150000); do echo "X-PADDING:$i"; done >"$T_DIR/big.ics"

# The server, on a free port.
"$HTTPD" "$T_DIR/good.ics" >"$T_DIR/httpd.out" 2>&1 &
HTTPD_PID=$!
wait_for 5 grep -q '^port=' "$T_DIR/httpd.out" || {
	not_ok "the test HTTP server starts"
	exit 1
}
PORT=$(sed -n 's/^port=//p' "$T_DIR/httpd.out")
H=http://127.0.0.1:$PORT
hset() { curl -fsS "$H/_set?path=$1&file=$2" >/dev/null; }
hits() { curl -fsS "$H/_hits?path=$1"; }
for p in a500 aslow abig atrunc aloop; do hset "/$p.ics" "$T_DIR/good.ics"; done

# GP feeds: one file, one per HTTP behaviour, one by push only. The ok
# feed's URL carries secrets that must never reach the log.
SECRET_PATH=private-abc123
gps_json() {
	local u500=$1 uslow=$2 uloop=$3
	cat <<JSON
    {"id": "gp-file", "name": "Dr Fichier", "sector": "nord", "feed": "feeds/file.ics"},
    {"id": "gp-ok", "name": "Dr Http", "sector": "nord", "feed": "webcal://127.0.0.1:$PORT/ok.ics?token=s3cr3t&$SECRET_PATH"},
    {"id": "gp-500", "name": "Dr Cinq", "sector": "nord", "feed": "$u500"},
    {"id": "gp-slow", "name": "Dr Lent", "sector": "nord", "feed": "$uslow"},
    {"id": "gp-big", "name": "Dr Gros", "sector": "sud", "feed": "$H/abig.ics"},
    {"id": "gp-trunc", "name": "Dr Tronque", "sector": "sud", "feed": "$H/atrunc.ics"},
    {"id": "gp-loop", "name": "Dr Boucle", "sector": "sud", "feed": "$uloop"},
    {"id": "gp-push", "name": "Dr Push", "sector": "sud"}
JSON
}
feeds_config() {
	cat >"$T_DIR/snpd.json" <<JSON
{
  "territory": {"name": "CPTS Feeds", "timezone": "Europe/Paris"},
  "sectors": [{"id": "nord", "neighbours": ["sud"]}, {"id": "sud"}],
  "gps": [
$(gps_json "$1" "$2" "$3")
  ],
  "feeds": {"refresh_s": 3600, "timeout_s": 2, "max_bytes": 2000000},
  "server": {"rep": "$REP", "pub": "$PUB", "max_message_bytes": 4096,
             "linger_ms": 100},
  "store": {"path": "$T_DIR/snpd.db"},
  "export_dir": "$T_DIR/export",
  "principals": [
    {"name": "admin", "role": "admin", "token": "$ADMIN_TOKEN"},
    {"name": "coord", "role": "coordinator", "token": "$COORD_TOKEN"},
    {"name": "secr", "role": "secretariat", "token": "$SECR_TOKEN"},
    {"name": "dr-file", "role": "gp", "gp": "gp-file", "token": "$GP_TOKEN"}
  ]
}
JSON
	chmod 600 "$T_DIR/snpd.json"
}
feeds_config "$H/a500.ics" "$H/aslow.ics" "$H/aloop.ics"
cp "$T_DIR/good.ics" "$T_DIR/feeds/file.ics"

# Events, as a subscriber sees them.
nanocat --sub --connect "$PUB" --ascii >"$T_DIR/events.txt" 2>/dev/null &
SUB_PID=$!

start_snpd || { not_ok "snpd starts"; exit 1; }
state_of() {
	ctl "$ADMIN_TOKEN" --json call feed.status "{\"gp\":\"$1\"}" |
	    sed -n 's/.*"state": *"\([a-z-]*\)".*/\1/p'
}
feed_is() { [ "$(state_of "$1")" = "$2" ]; }
check "every fetched feed becomes ok" wait_for 10 bash -c "
    $(declare -f ctl state_of feed_is); REP='$REP'; SNPCTL='$SNPCTL'
    ADMIN_TOKEN='$ADMIN_TOKEN'
    for g in gp-file gp-ok gp-500 gp-slow gp-big gp-trunc gp-loop; do
	    feed_is \$g ok || exit 1
    done"

avail() {
	ctl "${2:-$ADMIN_TOKEN}" --json call avail.get \
	    "{\"gp\":\"$1\",\"from\":\"2026-11-30\",\"to\":\"2026-12-01\"}"
}
out=$(avail gp-ok)
check "avail.get: SNP offered 14:00-18:00" \
    grep -q '"start": *"2026-11-30T14:00:00+01:00"' <<<"$out"
check "avail.get: free SNP time skips the 15:30 consultation" \
    bash -c "tr -d ' \n' <<<'$out' | grep -q '\"free_snp\":\[{\"start\":\"2026-11-30T14:00:00+01:00\",\"end\":\"2026-11-30T15:30:00+01:00\"},{\"start\":\"2026-11-30T16:00:00+01:00\",\"end\":\"2026-11-30T18:00:00+01:00\"}\]'"

# 200, then 304 with the ETag.
ctl "$ADMIN_TOKEN" call feed.refresh '{"gp":"gp-ok"}' >/dev/null
check "a refresh of an unchanged calendar gets 304" \
    wait_for 5 bash -c "curl -fsS '$H/_hits?path=/ok.ics' | grep -q 'not_modified=1'"
check "... and the feed stays ok" feed_is gp-ok ok
check "the ETag is recorded" bash -c \
    "SNP_TOKEN=$ADMIN_TOKEN '$SNPCTL' --endpoint '$REP' --json call feed.status '{\"gp\":\"gp-ok\"}' | grep -q '\"etag\"'"

# Each failure, with its reason; the last good calendar stays in use.
hset /abig.ics "$T_DIR/big.ics"
hset /atrunc.ics "$T_DIR/truncated.ics"
feeds_config "$H/500" "$H/slow" "$H/loop"
kill -HUP "$SNPD_PID"
wait_for 5 log_has 'config reloaded'
ctl "$ADMIN_TOKEN" call feed.refresh '{}' >/dev/null
for g in gp-500 gp-slow gp-big gp-trunc gp-loop; do
	wait_for 10 feed_is "$g" failing
done
error_of() {
	ctl "$ADMIN_TOKEN" --json call feed.status "{\"gp\":\"$1\"}" |
	    sed -n 's/.*"error": *"\(.*\)".*/\1/p'
}
check "HTTP 500 -> failing: $(error_of gp-500)" \
    bash -c "[[ '$(error_of gp-500)' == *'HTTP 500'* ]]"
check "a slow answer past timeout_s -> failing: $(error_of gp-slow)" \
    bash -c "[[ '$(error_of gp-slow)' == *'timed out'* ]]"
check "a body over max_bytes -> failing: $(error_of gp-big)" \
    bash -c "[[ '$(error_of gp-big)' == *'larger than'* ]]"
check "a truncated calendar -> failing: $(error_of gp-trunc)" \
    bash -c "[[ '$(error_of gp-trunc)' == *'END:VCALENDAR'* ]]"
check "a redirect loop -> failing: $(error_of gp-loop)" \
    bash -c "[[ '$(error_of gp-loop)' == *'redirects'* ]]"
for g in gp-500 gp-slow gp-big gp-trunc gp-loop; do
	check "$g keeps its last good availability" \
	    grep -q '"start": *"2026-11-30T14:00:00+01:00"' <<<"$(avail $g)"
done
check "feed.status says since when it fails" bash -c \
    "SNP_TOKEN=$ADMIN_TOKEN '$SNPCTL' --endpoint '$REP' --json call feed.status '{\"gp\":\"gp-500\"}' | grep -q '\"failing_since\"'"

# A saved file is picked up at once (editors write and rename).
cp "$T_DIR/good-19h.ics" "$T_DIR/feeds/.file.ics.tmp"
mv "$T_DIR/feeds/.file.ics.tmp" "$T_DIR/feeds/file.ics"
check "a saved file is read without a refresh" wait_for 5 bash -c \
    "SNP_TOKEN=$ADMIN_TOKEN '$SNPCTL' --endpoint '$REP' --json call avail.get '{\"gp\":\"gp-file\",\"from\":\"2026-11-30\",\"to\":\"2026-12-01\"}' | grep -q '2026-11-30T19:00:00+01:00'"

# Push: roles, a bad calendar, and one larger than max_message_bytes.
push() {
	local token=$1 gp=$2 file=$3
	SNP_TOKEN=$token "$SNPCTL" --endpoint "$REP" --timeout 5 call \
	    feed.push "$(printf '{"gp":"%s","ics":%s}' "$gp" \
	    "$(sed 's/\\/\\\\/g; s/"/\\"/g; s/\r/\\r/g' "$file" |
	    awk '{printf "%s\\n", $0}' | sed 's/^/"/; s/$/"/')")"
}
out=$(push "$ADMIN_TOKEN" gp-push "$T_DIR/good.ics" 2>&1)
check "an admin pushes a calendar for a push-only GP" \
    grep -q '"offered_s"' <<<"$out"
check "... and it is used" \
    grep -q '"start": *"2026-11-30T14:00:00+01:00"' <<<"$(avail gp-push)"
out=$(push "$GP_TOKEN" gp-push "$T_DIR/good.ics" 2>&1)
check "a GP cannot push another GP's calendar" grep -q E_FORBIDDEN <<<"$out"
out=$(push "$GP_TOKEN" gp-file "$T_DIR/good.ics" 2>&1)
check "a GP pushes its own calendar" grep -q '"events"' <<<"$out"
out=$(push "$ADMIN_TOKEN" gp-push "$T_DIR/truncated.ics" 2>&1)
check "a truncated push is refused with E_FEED" grep -q E_FEED <<<"$out"
check "... and the pushed calendar before it stays" \
    grep -q '"start": *"2026-11-30T14:00:00+01:00"' <<<"$(avail gp-push)"
{ head -n -1 "$T_DIR/good.ics"; for i in $(seq 300); do
	printf 'X-PAD:%s\r\n' "$i"; done; printf 'END:VCALENDAR\r\n'; } \
    >"$T_DIR/large.ics"
out=$(push "$ADMIN_TOKEN" gp-push "$T_DIR/large.ics" 2>&1)
check "a push over max_message_bytes (under the push limit) is taken" \
    grep -q '"offered_s"' <<<"$out"
out=$(ctl "$GP_TOKEN" call avail.get \
    '{"gp":"gp-ok","from":"2026-11-30","to":"2026-12-01"}' 2>&1)
check "a GP cannot read another GP's availability" \
    grep -q E_FORBIDDEN <<<"$out"
check "a GP reads its own" grep -q '"free_snp"' <<<"$(avail gp-file "$GP_TOKEN")"
ctl "$SECR_TOKEN" call feed.status '{}' >/dev/null 2>&1
check "the secretariat may not read feed status" test $? -eq 1

kill "$SUB_PID" 2>/dev/null
check "feed.updated events were published" grep -q '^feed.updated {' "$T_DIR/events.txt"
check "feed.error events were published" grep -q '^feed.error {"gp":"gp-500"' "$T_DIR/events.txt"
check "the feed URL's secrets never reach the log" \
    bash -c "! grep -q -e s3cr3t -e $SECRET_PATH '$SNPD_LOG'"
check "nor feed.status's answer" bash -c \
    "! SNP_TOKEN=$ADMIN_TOKEN '$SNPCTL' --endpoint '$REP' --json call feed.status '{}' | grep -q -e s3cr3t -e $SECRET_PATH"

# Restart with every source gone: the stored calendars still answer.
kill -TERM "$SNPD_PID"
wait_snpd_exit
check "snpd stops cleanly" test "$SNPD_STATUS" = 0
kill "$HTTPD_PID"
wait "$HTTPD_PID" 2>/dev/null
HTTPD_PID=
rm -f "$T_DIR/feeds/file.ics"
start_snpd || { not_ok "snpd restarts"; exit 1; }
check "after a restart, the HTTP feed answers from its stored copy" \
    wait_for 5 bash -c "SNP_TOKEN=$ADMIN_TOKEN '$SNPCTL' --endpoint '$REP' --json call avail.get '{\"gp\":\"gp-ok\",\"from\":\"2026-11-30\",\"to\":\"2026-12-01\"}' | grep -q '2026-11-30T14:00:00+01:00'"
check "... and so does the file feed, its file deleted" \
    grep -q '"start": *"2026-11-30T14:00:00+01:00"' <<<"$(avail gp-file)"
check "... and the pushed one" \
    grep -q '"start": *"2026-11-30T14:00:00+01:00"' <<<"$(avail gp-push)"
check "the unreachable sources are reported failing" \
    wait_for 10 feed_is gp-ok failing

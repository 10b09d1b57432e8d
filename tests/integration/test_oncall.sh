#!/usr/bin/env bash
# Teleconsultation on call end to end (doc/oncall.md): the rota published
# at start from the agendas' ASTREINTE time, oncall.now, rota.assign and
# who may use it; a nurse's request accepted by the primary, escalated
# to the backup then to every capable GP, unanswered, declined, cancelled;
# its deadline kept over a SIGKILL; the notifier (every offer in order,
# no patient data, a failing and a hanging one escalating at once);
# snpctl watch following one request's life; no patient data in events.
. "$(dirname "$0")/lib.sh"
WATCH_PID=
W9_PID=
cleanup() {
	local p
	for p in $WATCH_PID $W9_PID; do kill "$p" 2>/dev/null; done
}
trap 'cleanup; finish; exit $?' EXIT

NURSE2_TOKEN=nurse2-token-0123456789abcdefghijklmnopqrstuv
DB=$T_DIR/snpd.db
EVENTS=$T_DIR/events.txt
W9=$T_DIR/watch9.txt
NLOG=$T_DIR/notify.log
# The notifier runs from the test dir: a checkout may lose the x bit.
NOTIFIER=$T_DIR/notify_rec.sh
cp "$(dirname "$0")/notify_rec.sh" "$NOTIFIER" && chmod 700 "$NOTIFIER"
: >"$NLOG"

NOW=2026-11-30T14:30:00+01:00	# a Monday, inside the 14:00-17:00 shift
SHIFT=20261130T130000Z		# that shift
TOMORROW=20261201T130000Z	# Tuesday 14:00-17:00
PING_SHIFT=20261202T160000Z	# Wednesday 17:00-20:00, the last one
T0=$(date -d "$NOW" +%s)
# Patient data that must never reach an event, the notifier or the log.
NAME='Zoé Marqueurpatient'
PHONE=+33699887766
REASON='dyspnée marqueurmotif'
ELIG='gp-a gp-b gp-c gp-d'	# teleconsult, on call all afternoon
# gp-e teleconsults but is not on call (SNP time only): never in the
# rota, yet offered at stage all. gp-f is on call but does not
# teleconsult, gp-g is on call but away this week: never either.
CAPABLE='gp-a gp-b gp-c gp-d gp-e'

tok() { printf 'gp-%s-token-0123456789abcdefghijklmnopqrstu' "${1#gp-}"; }
name_of() {
	case $1 in
	gp-a) echo 'Dr Anne Aubert' ;;
	gp-b) echo 'Dr Bruno Bayle' ;;
	gp-c) echo 'Dr Chloé Chassaing' ;;
	gp-d) echo 'Dr Denis Dumas' ;;
	gp-e) echo 'Dr Emma Estival' ;;
	gp-f) echo 'Dr Fabien Faure' ;;
	gp-g) echo 'Dr Gaël Gauthier' ;;
	esac
}

# An agenda with one event every afternoon 14:00-20:00 of category $2;
# with $3, away (CONGES) from the 30th of November to the 3rd of December.
# calendar UID CATEGORY [AWAY]
calendar() {
	printf '%s\r\n' "BEGIN:VCALENDAR" "VERSION:2.0" \
	    "PRODID:-//snpd//tests//EN" "BEGIN:VEVENT" "UID:pm-$1@test" \
	    "DTSTAMP:20261101T000000Z" \
	    "DTSTART;TZID=Europe/Paris:20261102T140000" \
	    "DTEND;TZID=Europe/Paris:20261102T200000" "RRULE:FREQ=DAILY" \
	    "CATEGORIES:$2" "SUMMARY:$2 après-midi" "END:VEVENT"
	[ -n "${3:-}" ] && printf '%s\r\n' "BEGIN:VEVENT" \
	    "UID:away-$1@test" "DTSTAMP:20261101T000000Z" \
	    "DTSTART;VALUE=DATE:20261130" "DTEND;VALUE=DATE:20261204" \
	    "CATEGORIES:CONGES" "SUMMARY:Congés" "END:VEVENT"
	printf '%s\r\n' "END:VCALENDAR"
}
mkdir -p "$T_DIR/feeds"
for g in a b c d f; do calendar $g ASTREINTE >"$T_DIR/feeds/$g.ics"; done
calendar e SNP >"$T_DIR/feeds/e.ics"
calendar g ASTREINTE away >"$T_DIR/feeds/g.ics"

# One sector, seven GPs, one principal per role, a second nurse and one
# principal per GP.
# oncall_config ACK_S URGENT_ACK_S NOTIFY_TIMEOUT_S [MODE [DONE_TIMEOUT_S]]
oncall_config() {
	local g gps= pri=
	for g in a b c d e f g; do
		gps+="${gps:+,
}    {\"id\": \"gp-$g\", \"name\": \"$(name_of gp-$g)\", \"sector\": \"nord\",
     \"teleconsult\": $([ $g = f ] && echo false || echo true), \"feed\": \"feeds/$g.ics\"}"
		pri+=",
    {\"name\": \"dr-$g\", \"role\": \"gp\", \"gp\": \"gp-$g\", \"token\": \"$(tok gp-$g)\"}"
	done
	cat >"$T_DIR/snpd.json" <<JSON
{
  "territory": {"name": "CPTS Astreinte", "timezone": "Europe/Paris",
    "horizon_days": 3},
  "sectors": [{"id": "nord", "name": "Nord", "communes": ["63285"]}],
  "gps": [
$gps
  ],
  "oncall": {"horizon_days": 3, "ack_timeout_s": $1,
             "urgent_ack_timeout_s": $2, "mode": "${4:-sequential}",
             "done_timeout_s": ${5:-3600}},
  "notify": {"command": "$NOTIFIER", "timeout_s": $3},
  "server": {"rep": "$REP", "pub": "$PUB", "linger_ms": 100},
  "store": {"path": "$DB"},
  "export_dir": "$T_DIR/export",
  "principals": [
    {"name": "admin", "role": "admin", "token": "$ADMIN_TOKEN"},
    {"name": "coord", "role": "coordinator", "token": "$COORD_TOKEN"},
    {"name": "secr", "role": "secretariat", "token": "$SECR_TOKEN"},
    {"name": "ide-roux", "role": "nurse", "token": "$NURSE_TOKEN"},
    {"name": "ide-blanc", "role": "nurse", "token": "$NURSE2_TOKEN"}$pri
  ]
}
JSON
	chmod 600 "$T_DIR/snpd.json"
}

# The pinned clock runs on from NOW, also over restarts: snpd always
# starts at NOW plus the time since the first start (S0, ns).
S0=
clock_now() { echo $((T0 + ($(date +%s%N) - S0) / 1000000000)); }
at_local() { TZ=Europe/Paris date -d "@$1" +%Y-%m-%dT%H:%M:%S%:z; }
# snpd on the test store, the notifier in mode $1, answering.
snpd_start() {
	[ -z "$S0" ] && S0=$(date +%s%N)
	NOTIFY_LOG=$NLOG NOTIFY_MODE=$1 "$SNPD" -c "$T_DIR/snpd.json" \
	    --now "$(at_local "$(clock_now)")" --log-level info \
	    2>>"$SNPD_LOG" &
	SNPD_PID=$!
	wait_for 20 ctl "$ADMIN_TOKEN" --timeout 1 ping
}
snpd_stop() {
	kill -TERM "$SNPD_PID"
	wait_snpd_exit
}

# One request through nanocat: the compact reply. req OP ARGS [TOKEN]
req() {
	nc_req --data "$(printf '{"v":1,"id":"o","op":"%s","args":%s,"token":"%s"}' \
	    "$1" "$2" "${3:-$ADMIN_TOKEN}")"
}
code_of() { sed -n 's/.*"error":{"code":"\([A-Z_]*\)".*/\1/p' <<<"$1"; }
# The first "KEY":"value" of a reply (null: empty).
val() { grep -o "\"$1\":\"[^\"]*\"" <<<"$2" | head -1 | cut -d'"' -f4; }
expect() {
	check "$1 -> $2 ($(code_of "$3"))" test "$(code_of "$3")" = "$2"
}
# A request by ide-roux for the marker patient: prints its id (snpctl
# prints it alone on the first line). tc_new [--urgent]
tc_new() {
	local out

	out=$(ctl "$NURSE_TOKEN" tc request --commune 63285 \
	    --reason "$REASON" --patient "$NAME" --birth-year 1941 \
	    --callback "$PHONE" "$@") || return 1
	head -1 <<<"$out"
}
show() { req tc.show "{\"request\":\"$1\"}" "${2:-$ADMIN_TOKEN}"; }
state_of() { val state "$(show "$1")"; }
stage_of() { val stage "$(show "$1")"; }
is_state() { [ "$(state_of "$1")" = "$2" ]; }
is_stage() { [ "$(stage_of "$1")" = "$2" ]; }
# The GPs a request is offered to now, sorted, space separated.
offered_of() {
	sed -n 's/.*"offered_to":\[\([^]]*\)\].*/\1/p' <<<"$(show "$1")" |
	    tr -d '"' | tr ',' '\n' | sort | xargs
}
# A request's history, an event a line: AT|EVENT|GP|DETAIL.
hist() {
	show "$1" | grep -o '{"at":"[^"]*","event":"[^"]*"\(,"gp":"[^"]*"\)\?\(,"detail":"[^"]*"\)\?}' |
	    sed -E 's/^\{"at":"([^"]*)","event":"([^"]*)"(,"gp":"([^"]*)")?(,"detail":"([^"]*)")?\}$/\1|\2|\4|\6/'
}
# Its course, on one line: event[:gp][=stage], without the notices'
# outcomes and time-outs (they come when they come).
course() {
	hist "$1" | awk -F'|' '$2 != "notified" && $2 != "timeout" {
	    s = $2; if ($3 != "") s = s ":" $3
	    if ($2 == "escalated") s = s "=" $4
	    printf "%s%s", sep, s; sep = " " }'
}
# When the first history event EVENT[ with detail DETAIL] happened: UTC s.
hist_at() {
	local at
	at=$(hist "$1" | awk -F'|' -v e="$2" -v d="${3:-}" \
	    '$2 == e && (d == "" || $4 == d) { print $1; exit }')
	[ -n "$at" ] && date -d "$at" +%s
}
has_hist() { hist "$1" | grep -qF -- "$2"; }
offers_all() {
	local g
	for g in "$@"; do printf ' offered:%s' "$g"; done
}

# Events, as snpctl watch prints them, one a line.
n_events() { wc -l <"$EVENTS"; }
events_since() { tail -n "+$(($1 + 1))" "$EVENTS" | grep -F -- "$2"; }
# A harmless event: rota.assign of the last shift to its own primary
# gives rota.changed. ev_ping FILE [SINCE-LINE]
PING_GP=
ev_ping() {
	req rota.assign "{\"shift\":\"$PING_SHIFT\",\"primary\":\"$PING_GP\"}" \
	    >/dev/null
	tail -n "+$((${2:-0} + 1))" "$1" |
	    grep -qF "rota.changed {\"shift\":\"$PING_SHIFT\""
}

# The shifts of rota.get, a line each: SHIFT PRIMARY BACKUP OVERRIDE (-
# for null).
rota_rows() {
	req rota.get '{}' | grep -o '{"shift":"[^}]*}' | sed 's/":null/":"-"/g' |
	    sed -E 's/^\{"shift":"([^"]*)".*"primary":"([^"]*)","backup":"([^"]*)","override":([a-z]*)\}$/\1 \2 \3 \4/'
}
rota_published() { [ -n "$(rota_rows)" ]; }
# The notifier's messages about request $1, a line each: EVENT TO STAGE.
notices() {
	local l
	grep -F "\"request\":\"$1\"" "$NLOG" | while read -r l; do
		printf '%s %s %s\n' "$(val event "$l")" \
		    "$(grep -o '"to":{"[a-z]*":"[^"]*"' <<<"$l" | cut -d'"' -f6)" \
		    "$(val stage "$l")"
	done
}
n_notices() { [ "$(notices "$1" | grep -c .)" -ge "$2" ]; }

# --- start: the rota is published once the agendas are read -----------
oncall_config 8 2 10
snpd_start ok || { not_ok "snpd starts"; exit 1; }
"$SNPCTL" watch --pub "$PUB" >"$EVENTS" 2>/dev/null &
WATCH_PID=$!
check "the rota is published" wait_for 20 rota_published
ROTA=$(rota_rows)
echo "# rota:"
sed 's/^/#   /' <<<"$ROTA"
PING_GP=$(awk -v s="$PING_SHIFT" '$1 == s { print $2 }' <<<"$ROTA")
check "the event watcher is connected" wait_for 10 ev_ping "$EVENTS"

# --- 1. the rota ----------------------------------------------------------
check "six shifts, today's 14:00 one included, to the horizon's end" \
    test "$(awk '{print $1}' <<<"$ROTA" | xargs)" = \
    "$SHIFT 20261130T160000Z $TOMORROW 20261201T160000Z 20261202T130000Z $PING_SHIFT"
bad=$(awk -v e=" $ELIG " 'index(e, " " $2 " ") == 0 ||
    index(e, " " $3 " ") == 0 || $2 == $3' <<<"$ROTA")
check "each has a primary and another backup, both on call and teleconsulting${bad:+ (not: $bad)}" \
    test -z "$bad"
P0=$(awk -v s="$SHIFT" '$1 == s { print $2 }' <<<"$ROTA")
B0=$(awk -v s="$SHIFT" '$1 == s { print $3 }' <<<"$ROTA")
out=$(req oncall.now '{}' "$NURSE_TOKEN")
check "oncall.now: the current shift, its primary $P0, backup $B0 ($out)" \
    grep -q "\"result\":{\"shift\":\"$SHIFT\",\"start\":\"2026-11-30T14:00:00+01:00\",\"end\":\"2026-11-30T17:00:00+01:00\",\"primary\":\"$P0\",\"backup\":\"$B0\"}" \
    <<<"$out"
check "snpctl oncall names $P0" grep -q "^Primary *$P0\$" \
    <<<"$(ctl "$NURSE_TOKEN" oncall)"
# The two others take the shift: primary P, backup B.
set -- $(for g in $ELIG; do [ $g != "$P0" ] && [ $g != "$B0" ] && echo $g; done)
P=$1 B=$2
n=$(n_events)
out=$(req rota.assign "{\"shift\":\"$SHIFT\",\"primary\":\"$P\",\"backup\":\"$B\"}" \
    "$SECR_TOKEN")
check "the secretariat assigns the shift to $P and $B ($out)" grep -q \
    "\"result\":{\"shift\":\"$SHIFT\",[^}]*\"primary\":\"$P\",\"backup\":\"$B\",\"override\":true}" \
    <<<"$out"
check "rota.changed is published" wait_for 5 events_since "$n" \
    "rota.changed {\"shift\":\"$SHIFT\",\"start\":\"2026-11-30T14:00:00+01:00\",\"end\":\"2026-11-30T17:00:00+01:00\",\"primary\":\"$P\",\"backup\":\"$B\",\"reason\":\"assigned by secr\"}"
out=$(req oncall.now '{}' "$NURSE_TOKEN")
check "oncall.now: $P now, backup $B" test \
    "$(val primary "$out") $(val backup "$out")" = "$P $B"
check "rota.get: the shift is an override" grep -qx "$SHIFT $P $B true" \
    <<<"$(rota_rows)"
# The GPs' exported agendas follow: the shift's UID moves from P0 to P.
oncall_in_export() {
	grep -A6 "^UID:snp-oncall-$1-$SHIFT@snpd" "$T_DIR/export/$1.ics" |
	    grep -q "^SUMMARY:Astreinte téléconsultation ($2)"
}
check "$P's exported agenda has the shift as primary" \
    wait_for 5 oncall_in_export "$P" titulaire
check "$B's has it as backup" wait_for 5 oncall_in_export "$B" suppléant
check "$P0's no longer has it" wait_for 5 \
    bash -c "! grep -q '^UID:snp-oncall-$P0-$SHIFT@snpd' '$T_DIR/export/$P0.ics'"
for g in gp-e gp-f gp-g; do
	expect "assigning $g, not eligible, as backup" E_BAD_ARGS "$(req \
	    rota.assign "{\"shift\":\"$TOMORROW\",\"backup\":\"$g\"}" \
	    "$SECR_TOKEN")"
done
expect "the secretariat forcing it" E_FORBIDDEN "$(req rota.assign \
    "{\"shift\":\"$TOMORROW\",\"backup\":\"gp-e\",\"force\":true}" \
    "$SECR_TOKEN")"
expect "a nurse assigning a shift" E_FORBIDDEN "$(req rota.assign \
    "{\"shift\":\"$TOMORROW\",\"primary\":\"$P\"}" "$NURSE_TOKEN")"
expect "assigning an unknown shift" E_NOT_FOUND "$(req rota.assign \
    "{\"shift\":\"20261130T120000Z\",\"primary\":\"$P\"}" "$SECR_TOKEN")"
out=$(req rota.assign "{\"shift\":\"$TOMORROW\",\"backup\":\"gp-e\",\"force\":true}")
check "the admin forces gp-e in as tomorrow's backup" \
    test "$(val backup "$out")" = gp-e
check "... and rota.get has it" grep -q "^$TOMORROW [a-z-]* gp-e true\$" \
    <<<"$(rota_rows)"

# --- 2 and 9. accepted by the primary, watched with snpctl watch --------
# The watch prints the first ping, then the request's three events.
"$SNPCTL" watch --pub "$PUB" --count 4 --timeout 40 rota.changed \
    "tc.request/$P" tc.accepted tc.closed >"$W9" 2>&1 &
W9_PID=$!
# Pings a second apart, until the watch prints one: exactly one then.
w9_sync() {
	local i
	for ((i = 0; i < 20; i++)); do
		ev_ping "$W9" && break
		wait_for 1 grep -q '^rota.changed ' "$W9" && break
	done
	[ "$(grep -c '^rota.changed ' "$W9")" -eq 1 ]
}
check "snpctl watch --count 4 is subscribed (one ping printed)" w9_sync
n=$(n_events)
R2=$(tc_new)
check "tc request prints the id alone on its first line ($R2)" \
    grep -qx 't-[0-9a-f]\{16\}' <<<"$R2"
check "tc.request/$P is published: normal, stage primary" wait_for 5 \
    events_since "$n" "tc.request/$P {\"request\":\"$R2\",\"urgency\":\"normal\",\"commune\":\"63285\",\"sector\":\"nord\",\"stage\":\"primary\",\"deadline\":\"2026-11-30T14:"
check "... offered to $P alone" test "$(offered_of "$R2")" = "$P"
out=$(show "$R2" "$(tok "$P")")
check "$P reads it, with the patient" grep -qF \
    "\"patient\":{\"name\":\"$NAME\",\"birth_year\":1941},\"callback\":\"$PHONE\"" \
    <<<"$out"
check "$P acks it (snpctl tc ack)" ctl "$(tok "$P")" tc ack "$R2"
out=$(show "$R2")
check "... accepted by $P" test "$(val state "$out") $(val accepted_by "$out")" \
    = "accepted $P"
check "tc.accepted is published" wait_for 5 events_since "$n" \
    "tc.accepted {\"request\":\"$R2\",\"gp\":\"$P\",\"ack_s\":"
out=$(ctl "$(tok "$B")" tc ack "$R2" 2>&1)
st=$?
check "$B acks it too: snpctl exits 1, E_CONFLICT ($st: $out)" \
    test "$st" = 1 -a -n "$(grep E_CONFLICT <<<"$out")"
expect "$B closes it" E_CONFLICT "$(req tc.done "{\"request\":\"$R2\"}" \
    "$(tok "$B")")"
check "$P closes it (snpctl tc done)" \
    ctl "$(tok "$P")" tc done "$R2" --outcome 'conseil donné'
out=$(show "$R2")
check "... done, with its outcome" test \
    "$(val state "$out")|$(val outcome "$out")" = "done|conseil donné"
check "tc.closed state done is published" wait_for 5 events_since "$n" \
    "tc.closed {\"request\":\"$R2\",\"state\":\"done\"}"
c=$(course "$R2")
check "history: created, offered, accepted, done ($c)" \
    test "$c" = "created offered:$P accepted:$P done:$P"
wait "$W9_PID"
st=$?
W9_PID=
check "snpctl watch --count 4 ends with status 0 ($st)" test "$st" = 0
got=$(sed -n '2,$p' "$W9" | awk '{print $1}' | xargs)
check "9. it printed tc.request/$P, tc.accepted, tc.closed in order ($got)" \
    test "$got" = "tc.request/$P tc.accepted tc.closed"
check "... each of $R2" test "$(sed -n '2,$p' "$W9" |
    grep -cF "{\"request\":\"$R2\"")" -eq 3

# --- 3 and 4. silence: the backup, then every capable GP ----------------
# Urgent requests: 2 s a stage. R3 is taken at stage all; R4 by nobody.
n=$(n_events)
R3=$(tc_new --urgent)
R4=$(tc_new --urgent)
check "two urgent requests ($R3 $R4)" test -n "$R3" -a -n "$R4"
check "$R3 goes to the backup" wait_for 8 is_stage "$R3" backup
check "... offered to $B alone" test "$(offered_of "$R3")" = "$B"
check "tc.escalated stage backup is published" wait_for 5 events_since "$n" \
    "tc.escalated {\"request\":\"$R3\",\"stage\":\"backup\"}"
check "tc.request/$B stage backup is published" wait_for 5 events_since "$n" \
    "tc.request/$B {\"request\":\"$R3\",\"urgency\":\"urgent\",\"commune\":\"63285\",\"sector\":\"nord\",\"stage\":\"backup\""
check "$R3 goes to all" wait_for 8 is_stage "$R3" all
out=$(req tc.ack "{\"request\":\"$R3\"}" "$(tok gp-e)")
check "gp-e, not in the rota, acks first ($(val state "$out"))" \
    test "$(val state "$out") $(val accepted_by "$out")" = "accepted gp-e"
expect "$P acks it then" E_CONFLICT "$(req tc.ack \
    "{\"request\":\"$R3\"}" "$(tok "$P")")"
c=$(course "$R3")
check "history: $P, $B, then the capable GPs, gp-e accepts ($c)" test "$c" = \
    "created offered:$P escalated=backup offered:$B escalated=all$(offers_all $CAPABLE) accepted:gp-e"
t_c=$(hist_at "$R3" created)
t_b=$(hist_at "$R3" escalated backup)
t_a=$(hist_at "$R3" escalated all)
check "... each stage 1 to 4 s after the one before ($t_c $t_b $t_a)" \
    test $((t_b - t_c)) -ge 1 -a $((t_b - t_c)) -le 4 -a \
    $((t_a - t_b)) -ge 1 -a $((t_a - t_b)) -le 4
check "tc.request/gp-e stage all is published" wait_for 5 events_since "$n" \
    "tc.request/gp-e {\"request\":\"$R3\",\"urgency\":\"urgent\",\"commune\":\"63285\",\"sector\":\"nord\",\"stage\":\"all\""
check "tc.escalated stage all too" events_since "$n" \
    "tc.escalated {\"request\":\"$R3\",\"stage\":\"all\"}"
check "... never offered to gp-f nor gp-g" test -z "$(events_since "$n" \
    "{\"request\":\"$R3\"" | grep '^tc.request/gp-[fg] ')"
check "gp-e closes it" grep -q '"state":"done"' \
    <<<"$(req tc.done "{\"request\":\"$R3\"}" "$(tok gp-e)")"
check "4. $R4 is unanswered" wait_for 10 is_state "$R4" unanswered
check "tc.unanswered is published" wait_for 5 events_since "$n" \
    "tc.unanswered {\"request\":\"$R4\"}"
out=$(show "$R4")
check "... offered to nobody now, no deadline" grep -q \
    '"offered_to":\[\],"deadline":null' <<<"$out"
c=$(course "$R4")
check "history: $P, $B, all, unanswered ($c)" test "$c" = \
    "created offered:$P escalated=backup offered:$B escalated=all$(offers_all $CAPABLE) unanswered"
t_c=$(hist_at "$R4" created)
t_u=$(hist_at "$R4" unanswered)
check "... 3 to 10 s after it was made ($((t_u - t_c)) s)" \
    test $((t_u - t_c)) -ge 3 -a $((t_u - t_c)) -le 10
expect "acking it then" E_CONFLICT "$(req tc.ack "{\"request\":\"$R4\"}" \
    "$(tok "$P")")"

# --- 5. declined: on at once ------------------------------------------
n=$(n_events)
R5=$(tc_new)
out=$(req tc.decline "{\"request\":\"$R5\"}" "$(tok "$P")")
check "$P declines $R5: the reply says stage backup" \
    test "$(val state "$out") $(val stage "$out")" = "offered backup"
check "... offered to $B alone" test "$(offered_of "$R5")" = "$B"
t_c=$(hist_at "$R5" created)
t_b=$(hist_at "$R5" escalated backup)
check "... at once ($((t_b - t_c)) s)" test $((t_b - t_c)) -le 1
check "tc.declined is published" wait_for 5 events_since "$n" \
    "tc.declined {\"request\":\"$R5\",\"gp\":\"$P\"}"
check "... tc.request/$B stage backup" wait_for 5 events_since "$n" \
    "tc.request/$B {\"request\":\"$R5\",\"urgency\":\"normal\",\"commune\":\"63285\",\"sector\":\"nord\",\"stage\":\"backup\""
expect "$P acks it after declining" E_CONFLICT "$(req tc.ack \
    "{\"request\":\"$R5\"}" "$(tok "$P")")"
out=$(req tc.decline "{\"request\":\"$R5\"}" "$(tok "$B")")
REST=$(for g in $CAPABLE; do [ $g != "$P" ] && [ $g != "$B" ] && echo $g; done |
    xargs)
check "$B declines too: offered to all but them ($REST)" test \
    "$(val stage "$out")|$(offered_of "$R5")" = "all|$REST"
set -- $REST
check "$1 acks it" grep -q '"state":"accepted"' \
    <<<"$(req tc.ack "{\"request\":\"$R5\"}" "$(tok "$1")")"
check "... and closes it" grep -q '"state":"done"' \
    <<<"$(req tc.done "{\"request\":\"$R5\"}" "$(tok "$1")")"
c=$(course "$R5")
check "history ($c)" test "$c" = "created offered:$P declined:$P escalated=backup offered:$B declined:$B escalated=all$(offers_all $REST) accepted:$1 done:$1"

# --- 6. cancelled by the nurse; who may see it ---------------------------
n=$(n_events)
R6=$(tc_new)
expect "another nurse cancels $R6" E_FORBIDDEN \
    "$(req tc.cancel "{\"request\":\"$R6\"}" "$NURSE2_TOKEN")"
expect "another nurse reads it" E_NOT_FOUND "$(show "$R6" "$NURSE2_TOKEN")"
check "... nor lists it" test -z "$(req tc.list '{}' "$NURSE2_TOKEN" |
    grep -F "$R6")"
expect "gp-e, not offered it, reads it" E_NOT_FOUND \
    "$(show "$R6" "$(tok gp-e)")"
check "... nor lists it" test -z "$(req tc.list '{}' "$(tok gp-e)" |
    grep -F "$R6")"
check "$P, offered it, lists it" grep -qF "\"request\":\"$R6\"" \
    <<<"$(req tc.list '{"state":"offered"}' "$(tok "$P")")"
check "ide-roux cancels it (snpctl tc cancel)" \
    ctl "$NURSE_TOKEN" tc cancel "$R6"
check "... cancelled" is_state "$R6" cancelled
check "tc.closed state cancelled is published" wait_for 5 events_since "$n" \
    "tc.closed {\"request\":\"$R6\",\"state\":\"cancelled\"}"
expect "$P acks it then" E_CONFLICT "$(req tc.ack "{\"request\":\"$R6\"}" \
    "$(tok "$P")")"
c=$(course "$R6")
check "history: created, offered, cancelled ($c)" \
    test "$c" = "created offered:$P cancelled"

# --- 7. a SIGKILL: the stored deadlines still fire -----------------------
# R7a (normal, 8 s) is due after the restart, R7b (urgent, 2 s) while
# snpd is down: it must fire at start.
R7a=$(tc_new)
R7b=$(tc_new --urgent)
D7a=$(date -d "$(val deadline "$(show "$R7a")")" +%s)
D7b=$(date -d "$(val deadline "$(show "$R7b")")" +%s)
check "two requests at stage primary ($R7a $R7b)" test \
    "$(stage_of "$R7a") $(stage_of "$R7b")" = "primary primary"
kill -KILL "$SNPD_PID"
wait "$SNPD_PID" 2>/dev/null
SNPD_PID=
passed() { [ "$(clock_now)" -gt "$1" ]; }
check "$R7b's deadline passes while snpd is down" wait_for 10 passed "$D7b"
t_r=$(clock_now)
snpd_start ok || { not_ok "snpd restarts"; exit 1; }
echo "# restarted at $(at_local "$t_r"), $R7a due at $(at_local "$D7a")"
check "$R7b is escalated at start" wait_for 5 has_hist "$R7b" '|escalated||backup'
t=$(hist_at "$R7b" escalated backup)
check "... at once (${t:+$((t - t_r)) s after the restart})" \
    test -n "$t" -a "${t:-0}" -ge "$D7b" -a "${t:-0}" -le $((t_r + 3))
check "$R7a goes to the backup" wait_for 15 is_stage "$R7a" backup
t=$(hist_at "$R7a" escalated backup)
check "... by its stored deadline (${t:+$((t - D7a)) s after it})" \
    test -n "$t" -a "${t:-0}" -ge "$D7a" -a "${t:-0}" -le $((D7a + 3))
c=$(course "$R7a")
check "... shown with its whole history ($c)" \
    test "$c" = "created offered:$P escalated=backup offered:$B"
ctl "$NURSE_TOKEN" tc cancel "$R7a" >/dev/null
ctl "$NURSE_TOKEN" tc cancel "$R7b" >/dev/null 2>&1
check "$R7a is cancelled after it" is_state "$R7a" cancelled

# --- 8. the notifier ------------------------------------------------------
check "the notifier was told of $R2's offer and acceptance" \
    wait_for 5 n_notices "$R2" 2
check "... $R2: the offer to $P, then the acceptance to the nurse" test \
    "$(notices "$R2" | xargs)" = "tc.offer $P primary tc.accepted ide-roux"
check "... the offer names $P as the config does" grep -qF \
    "\"to\":{\"gp\":\"$P\",\"name\":\"$(name_of "$P")\"}" <<<"$(grep -F \
    "\"request\":\"$R2\"" "$NLOG")"
check "... $R2's history: notified $P, delivered" \
    has_hist "$R2" "|notified|$P|delivered"
check "$R3: eight messages" wait_for 5 n_notices "$R3" 8
N3=$(notices "$R3")
check "... first $P, then $B ($(xargs <<<"$N3"))" test \
    "$(head -2 <<<"$N3" | xargs)" = "tc.offer $P primary tc.offer $B backup"
check "... then each capable GP, stage all" test "$(awk \
    '$1 == "tc.offer" && $3 == "all" { print $2 }' <<<"$N3" | sort | xargs)" \
    = "$CAPABLE"
check "... and its acceptance to the nurse" \
    grep -qx 'tc.accepted ide-roux ' <<<"$N3"
check "$R4: unanswered, told to the nurse" wait_for 5 eval \
    "notices '$R4' | grep -qx 'tc.unanswered ide-roux '"
check "the notifier got $(wc -l <"$NLOG") messages, no patient name" \
    test "$(wc -l <"$NLOG")" -ge 20 -a "$(grep -cF "$NAME" "$NLOG")" -eq 0
check "... no callback phone" test "$(grep -cF -- "$PHONE" "$NLOG")" -eq 0
check "... no reason" test "$(grep -cF "$REASON" "$NLOG")" -eq 0

# A notifier that fails: the offer escalates at once (5 min to answer).
snpd_stop
check "snpd stops cleanly" test "$SNPD_STATUS" = 0
oncall_config 300 300 10
snpd_start fail || { not_ok "snpd starts with a failing notifier"; exit 1; }
R8=$(tc_new)
check "$R8, its notifier failing, goes to the backup" wait_for 10 eval \
    "! is_stage '$R8' primary"
check "... history: notified $P, failed: exit 1" \
    has_hist "$R8" "|notified|$P|failed: exit 1"
t_c=$(hist_at "$R8" created)
t_b=$(hist_at "$R8" escalated backup)
check "... escalated at once (${t_b:+$((t_b - t_c)) s, not 300})" \
    test -n "$t_b" -a $((${t_b:-0} - t_c)) -le 3
check "... unanswered once every notice failed" wait_for 15 \
    is_state "$R8" unanswered
c=$(course "$R8")
check "... through each stage ($c)" test "$c" = \
    "created offered:$P escalated=backup offered:$B escalated=all$(offers_all $CAPABLE) unanswered"

# A notifier that hangs: killed after notify.timeout_s, then escalated,
# and snpd answers meanwhile.
snpd_stop
check "snpd stops cleanly" test "$SNPD_STATUS" = 0
oncall_config 300 300 1
snpd_start hang || { not_ok "snpd starts with a hanging notifier"; exit 1; }
R8h=$(tc_new)
check "$R8h's notifier runs" wait_for 5 grep -qF "\"request\":\"$R8h\"" "$NLOG"
pings=0 lost=0
until has_hist "$R8h" "failed: timed out" || [ $pings -ge 100 ]; do
	if ctl "$ADMIN_TOKEN" --timeout 0.5 ping >/dev/null 2>&1; then
		pings=$((pings + 1))
	else
		lost=$((lost + 1))
	fi
done
check "snpd answers $pings pings while it hangs, misses $lost" \
    test $pings -ge 1 -a $lost -eq 0
check "... history: notified $P, failed: timed out" \
    has_hist "$R8h" "|notified|$P|failed: timed out"
check "... then the backup" wait_for 5 has_hist "$R8h" '|escalated||backup'
t_c=$(hist_at "$R8h" created)
t_b=$(hist_at "$R8h" escalated backup)
check "... 1 to 4 s after the request (${t_b:+$((t_b - t_c)) s})" \
    test -n "$t_b" -a $((${t_b:-0} - t_c)) -ge 1 -a \
    $((${t_b:-0} - t_c)) -le 4
check "... unanswered once every notifier was killed" wait_for 15 \
    is_state "$R8h" unanswered
check "snpd answers at the end" ctl "$ADMIN_TOKEN" ping

# --- 11. broadcast mode; an accepted request left open goes stale ------
snpd_stop
check "snpd stops cleanly" test "$SNPD_STATUS" = 0
oncall_config 300 300 10 broadcast 2
snpd_start ok || { not_ok "snpd starts in broadcast mode"; exit 1; }
n=$(n_events)
R11=$(tc_new)
check "broadcast: $R11 is offered to every capable GP at once" \
    test "$(offered_of "$R11")" = "$CAPABLE"
check "... at stage all, no escalation" test "$(course "$R11")" = \
    "created$(offers_all $CAPABLE)"
out=$(req tc.ack "{\"request\":\"$R11\"}" "$(tok gp-c)")
check "gp-c accepts it first" test "$(val accepted_by "$out")" = gp-c
expect "gp-a, second" E_CONFLICT "$(req tc.ack "{\"request\":\"$R11\"}" \
    "$(tok gp-a)")"
check "not closed within done_timeout_s (2 s): tc.stale for gp-c" \
    wait_for 6 events_since "$n" "tc.stale {\"request\":\"$R11\",\"gp\":\"gp-c\"}"
check "... in its history" has_hist "$R11" '|stale|gp-c|'
check "... still accepted" is_state "$R11" accepted
check "... and gp-c is reminded" wait_for 5 grep -qF \
    "\"event\":\"tc.stale\",\"request\":\"$R11\",\"to\":{\"gp\":\"gp-c\"" "$NLOG"
out=$(req tc.done "{\"request\":\"$R11\",\"outcome\":\"vu\"}" \
    "$(tok gp-c)")
check "gp-c closes it" test "$(val state "$out")" = done
R12=$(tc_new)
req tc.ack "{\"request\":\"$R12\"}" "$(tok gp-d)" >/dev/null
out=$(req tc.cancel "{\"request\":\"$R12\"}" "$NURSE_TOKEN")
check "a request accepted by gp-d, then cancelled by the nurse" \
    test "$(val state "$out")" = cancelled
check "... gp-d is told it is off" wait_for 5 grep -qF \
    "\"event\":\"tc.cancelled\",\"request\":\"$R12\",\"to\":{\"gp\":\"gp-d\"" "$NLOG"

# A reload that redefines the shifts: the published ones to come that
# the config no longer makes are dropped and announced; the running one
# stays; the new ones are published.
n=$(n_events)
sed -i 's/"oncall": {/"oncall": {"shifts": [{"start": "18:00", "end": "20:00"}], /' \
    "$T_DIR/snpd.json"
kill -HUP "$SNPD_PID"
check "tomorrow's 14:00 shift is dropped: rota.changed, shift removed" \
    wait_for 10 events_since "$n" \
    "rota.changed {\"shift\":\"$TOMORROW\",\"start\":\"2026-12-01T14:00:00+01:00\",\"end\":\"2026-12-01T17:00:00+01:00\",\"primary\":null,\"backup\":null,\"reason\":\"shift removed\"}"
new_shifts() {
	rota_rows | awk '{print $1}' | xargs
}
shifts_are() { [ "$(new_shifts)" = "$1" ]; }
WANT="$SHIFT 20261130T170000Z 20261201T170000Z 20261202T170000Z"
wait_for 10 shifts_are "$WANT"
check "rota.get: the running shift, then 18:00-20:00 ones ($(new_shifts))" \
    shifts_are "$WANT"

# The primary of tomorrow's shift goes away (a CONGES in its agenda):
# its backup moves up, another GP becomes backup, rota.changed says why.
T18=20261201T170000Z
p18=$(awk -v s=$T18 '$1 == s { print $2 }' <<<"$(rota_rows)")
b18=$(awk -v s=$T18 '$1 == s { print $3 }' <<<"$(rota_rows)")
n=$(n_events)
calendar "${p18#gp-}" ASTREINTE away >"$T_DIR/feeds/.new.ics"
mv "$T_DIR/feeds/.new.ics" "$T_DIR/feeds/${p18#gp-}.ics"
check "$p18 away: tomorrow's shift changes, reason ineligible" \
    wait_for 10 events_since "$n" "rota.changed {\"shift\":\"$T18\""
row=$(rota_rows | awk -v s=$T18 '$1 == s')
check "... its backup $b18 moves up, another GP is backup ($row)" \
    test "$(awk '{print $2}' <<<"$row")" = "$b18" -a \
    "$(awk '{print $3}' <<<"$row")" != "$p18" -a \
    "$(awk '{print $3}' <<<"$row")" != "$b18"
check "... announced as ineligible" grep -q \
    "rota.changed {\"shift\":\"$T18\",[^}]*\"primary\":\"$b18\",[^}]*\"reason\":\"ineligible\"}" \
    <<<"$(events_since "$n" "rota.changed")"

# --- 10. no patient data in events, nor in the log ------------------------
check "the watch saw the requests: $(grep -c '^tc\.' "$EVENTS") tc events" \
    test "$(grep -c '^tc\.request/' "$EVENTS")" -ge 10
for s in "$NAME" "$PHONE" "$REASON" '"patient"' '"callback"'; do
	check "no event carries $s" test "$(cat "$EVENTS" "$W9" |
	    grep -cF -- "$s")" -eq 0
done
check "no tc event has a reason" test "$(cat "$EVENTS" "$W9" |
    grep '^tc\.' | grep -cF '"reason"')" -eq 0
for s in "$NAME" "$PHONE" "$REASON"; do
	check "snpd's log has no $s" test "$(grep -cF -- "$s" "$SNPD_LOG")" -eq 0
done

# A SIGTERM while a notifier hangs (for 30 s): it is killed, and snpd
# stops cleanly (ASan: nothing of it leaks) and soon.
snpd_stop
check "snpd stops cleanly" test "$SNPD_STATUS" = 0
oncall_config 300 300 30
snpd_start hang || { not_ok "snpd starts, notify.timeout_s 30"; exit 1; }
R8s=$(tc_new)
check "$R8s's notifier runs" wait_for 5 grep -qF "\"request\":\"$R8s\"" "$NLOG"
t=$(date +%s%N)
snpd_stop
check "snpd stops cleanly at the end, its notifier hanging" \
    test "$SNPD_STATUS" = 0
check "... within 5 s ($((($(date +%s%N) - t) / 1000000)) ms)" \
    test $(($(date +%s%N) - t)) -lt 5000000000

#!/usr/bin/env bash
# Bookings end to end (doc/booking.md), over raw JSON (nanocat) and
# bookload, a client of one REQ socket per process: idempotency keys,
# holds (visibility, renewal, release, limit, expiry), cancel and rebook,
# who may do what and bad arguments, many clients racing for a few slots,
# plan.get counting bookings, conflicts made by a feed change, events
# without patient data, SIGKILLs under a steady load (and with the store
# locked from outside), the purge of old patient data at a later start,
# and a reload that removes a GP.
. "$(dirname "$0")/lib.sh"
: "${BOOKLOAD:?BOOKLOAD must name the bookload binary}"
SUB_PID=
LOCK_PID=
HOLDS=
LOAD_PIDS=()
cleanup() {
	local p
	for p in "${LOAD_PIDS[@]}" $LOCK_PID $SUB_PID; do
		kill "$p" 2>/dev/null
	done
}
trap 'cleanup; finish; exit $?' EXIT

SECR2_TOKEN=secr2-token-0123456789abcdefghijklmnopqrstuv
EVENTS=$T_DIR/events.txt
DB=$T_DIR/snpd.db
NOW=2026-11-30T10:00:00+01:00		# a Monday, before the window
# Patient data that must never leave in an event (bookload's own too).
NAME='Marie Curie'
PHONE=0601020304
PATIENT="{\"name\":\"$NAME\",\"phone\":\"$PHONE\",\"birth_year\":1967}"

skip() { T_N=$((T_N + 1)); echo "ok $T_N # SKIP $*"; }
HAVE_SQLITE=false
command -v sqlite3 >/dev/null && HAVE_SQLITE=true
# Read-only SQL on snpd's database, beside the running daemon (WAL).
sql() { sqlite3 -readonly "$DB" "$1"; }
# Hold the database's write lock from outside, so that snpd's writes wait
# in its store (busy timeout 5 s); store_unlock lets them go. As lib.sh's
# db_lock, but waiting for the lock: snpd may be writing at that moment.
store_lock() {
	mkfifo "$T_DIR/lock.in"
	sqlite3 "$DB" <"$T_DIR/lock.in" >"$T_DIR/lock.out" 2>&1 &
	LOCK_PID=$!
	exec 7>"$T_DIR/lock.in"
	printf '%s\n' ".timeout 5000" "BEGIN IMMEDIATE;" "SELECT 'locked';" >&7
	wait_for 6 grep -qx locked "$T_DIR/lock.out"
}
store_unlock() {
	echo "COMMIT;" >&7
	exec 7>&-
	wait "$LOCK_PID"
	LOCK_PID=
	rm -f "$T_DIR/lock.in" "$T_DIR/lock.out"
}

mkdir -p "$T_DIR/feeds"
GPS='dupont martin berard leroy l1 l2 l3 l4 l5 l6 l7 l8'
for g in $GPS; do calendar "$g" 200000 >"$T_DIR/feeds/$g.ics"; done

# No sector has a target: every free 30-minute slot of the window is
# reserved, 12 a GP and day. nord and sud for the hand-made bookings,
# est (eight GPs, 672 slots over the week) for the load.
cat >"$T_DIR/snpd.json" <<JSON
{
  "territory": {"name": "CPTS Booking", "timezone": "Europe/Paris",
    "horizon_days": 7, "slot_minutes": 30},
  "sectors": [
    {"id": "nord", "name": "Nord", "neighbours": ["sud"],
     "communes": ["63285"]},
    {"id": "sud", "name": "Sud", "neighbours": ["nord"],
     "communes": ["63164"]},
    {"id": "est", "name": "Est"}
  ],
  "gps": [
    {"id": "gp-dupont", "name": "Dr Claire Dupont", "sector": "nord",
     "teleconsult": true, "feed": "feeds/dupont.ics"},
    {"id": "gp-martin", "name": "Dr Paul Martin", "sector": "nord",
     "feed": "feeds/martin.ics"},
    {"id": "gp-berard", "name": "Dr Hélène Bérard", "sector": "sud",
     "feed": "feeds/berard.ics"},
    {"id": "gp-leroy", "name": "Dr Luc Leroy", "sector": "sud",
     "feed": "feeds/leroy.ics"},
    {"id": "gp-l1", "name": "Dr Un", "sector": "est", "feed": "feeds/l1.ics"},
    {"id": "gp-l2", "name": "Dr Deux", "sector": "est", "feed": "feeds/l2.ics"},
    {"id": "gp-l3", "name": "Dr Trois", "sector": "est", "feed": "feeds/l3.ics"},
    {"id": "gp-l4", "name": "Dr Quatre", "sector": "est", "feed": "feeds/l4.ics"},
    {"id": "gp-l5", "name": "Dr Cinq", "sector": "est", "feed": "feeds/l5.ics"},
    {"id": "gp-l6", "name": "Dr Six", "sector": "est", "feed": "feeds/l6.ics"},
    {"id": "gp-l7", "name": "Dr Sept", "sector": "est", "feed": "feeds/l7.ics"},
    {"id": "gp-l8", "name": "Dr Huit", "sector": "est", "feed": "feeds/l8.ics"}
  ],
  "booking": {"retention_days": 1},
  "server": {"rep": "$REP", "pub": "$PUB", "linger_ms": 100},
  "store": {"path": "$DB"},
  "export_dir": "$T_DIR/export",
  "principals": [
    {"name": "admin", "role": "admin", "token": "$ADMIN_TOKEN"},
    {"name": "coord", "role": "coordinator", "token": "$COORD_TOKEN"},
    {"name": "secr", "role": "secretariat", "token": "$SECR_TOKEN"},
    {"name": "secr2", "role": "secretariat", "token": "$SECR2_TOKEN"},
    {"name": "ide-roux", "role": "nurse", "token": "$NURSE_TOKEN"},
    {"name": "dupont", "role": "gp", "gp": "gp-dupont", "token": "$GP_TOKEN"}
  ]
}
JSON
chmod 600 "$T_DIR/snpd.json"

# One request through nanocat: the compact reply. req OP ARGS [TOKEN]
req() {
	nc_req --data "$(printf '{"v":1,"id":"t","op":"%s","args":%s,"token":"%s"}' \
	    "$1" "$2" "${3:-$SECR_TOKEN}")"
}
code_of() { sed -n 's/.*"error":{"code":"\([A-Z_]*\)".*/\1/p' <<<"$1"; }
# The first "KEY":"value" of a reply: for a booking, its own fields.
val() { grep -o "\"$1\":\"[^\"]*\"" <<<"$2" | head -1 | cut -d'"' -f4; }
# create TOKEN KEY SLOT [MORE-ARGS]: booking.create for $PATIENT.
create() {
	req booking.create "{\"slot\":\"$3\",\"idempotency_key\":\"$2\",\"patient\":$PATIENT${4:+,$4}}" "$1"
}
# The bookings of a list reply, one a line: "id slot status".
rows() {
	grep -o '{"booking":"[^"]*","slot":"[^"]*",[^{]*"status":"[a-z]*"' \
	    <<<"$1" | sed 's/{"booking":"\([^"]*\)","slot":"\([^"]*\)",.*"status":"\([a-z]*\)"/\1 \2 \3/'
}
list() { req booking.list "{\"from\":\"$1\",\"to\":\"$2\"${3:+,$3}}" "${4:-$ADMIN_TOKEN}"; }
# The slot ids of a slots.search reply, one a line.
ids() { grep -o '"slot":"[^"]*"' <<<"$1" | cut -d'"' -f4; }
search() {
	req slots.search "{\"from\":\"$1\",\"to\":\"$2\"${3:+,$3}}" \
	    "${4:-$SECR_TOKEN}"
}
# No patient name or phone of this test in a file.
not_in_file() { ! grep -q -e 'Curie' -e '0601020304' "$1"; }
# expect DESC CODE REPLY: one check on an error code.
expect() {
	check "$1 -> $2 ($(code_of "$3"))" test "$(code_of "$3")" = "$2"
}
# Lines of the event file after line $1 that match $2 (fixed string).
events_since() { tail -n "+$(($1 + 1))" "$EVENTS" | grep -F -- "$2"; }
n_events() { wc -l <"$EVENTS"; }

# snpd on the test database with its clock pinned at $1, answering.
snpd_at() {
	"$SNPD" -c "$T_DIR/snpd.json" --now "$1" --log-level info \
	    2>>"$SNPD_LOG" &
	SNPD_PID=$!
	wait_for 20 bash -c "nanocat --req --connect '$REP' --recv-timeout 2 \
	    --send-timeout 2 --raw --data '{\"v\":1,\"op\":\"sys.ping\",\"token\":\"$ADMIN_TOKEN\"}' \
	    2>/dev/null | grep -q '\"ok\":true'"
}
snpd_kill() {
	kill -KILL "$SNPD_PID"
	wait "$SNPD_PID" 2>/dev/null
	SNPD_PID=
}

# --- start: the plan of the week ----------------------------------------
snpd_at "$NOW" || { not_ok "snpd starts"; exit 1; }
planned() {
	[ "$(ids "$(search 2026-11-30 2026-12-07 '"limit":500' "$ADMIN_TOKEN")" |
	    wc -l)" -eq 500 ]
}
check "the plan is made: slots are searchable" wait_for 20 planned
nanocat --sub --connect "$PUB" --ascii >"$EVENTS" 2>/dev/null &
SUB_PID=$!
# The subscriber is connected once it saw an event: hold and release a
# spare slot until one arrives.
SPARE=gp-berard/20261130T183000Z
sub_ping() {
	local h
	h=$(val hold "$(req slot.hold "{\"slot\":\"$SPARE\"}" "$ADMIN_TOKEN")")
	req slot.release "{\"hold\":\"$h\"}" "$ADMIN_TOKEN" >/dev/null
	grep -qF "slot.released {\"slot\":\"$SPARE\"" "$EVENTS"
}
check "the event subscriber is connected" wait_for 10 sub_ping

# --- idempotency -----------------------------------------------------------
S1=gp-dupont/20261130T130000Z		# 14:00 local
S2=gp-dupont/20261130T133000Z
out=$(create "$SECR_TOKEN" k-one "$S1" '"reason":"fièvre"')
I1=$(val booking "$out")
check "booking.create answers a booking (${I1:-$out})" \
    grep -q '"ok":true,"result":{"booking":"b-[0-9a-f]\{16\}","slot":"'"$S1"'","gp":"gp-dupont","sector":"nord","start":"2026-11-30T14:00:00+01:00","end":"2026-11-30T14:30:00+01:00","status":"booked","modality":"in_person","patient":{"name":"Marie Curie","phone":"0601020304","birth_year":1967},"reason":"fièvre","created_at":"2026-11-30T10:0[0-9]:[0-9][0-9]+01:00","created_by":"secr"}' <<<"$out"
out=$(create "$SECR_TOKEN" k-one "$S1")
check "the same key again: the same booking ($(val booking "$out"))" \
    test "$(val booking "$out")" = "$I1" -a -n "$I1"
out=$(create "$SECR_TOKEN" k-one "$S2")
expect "the same key for another slot" E_CONFLICT "$out"
out=$(create "$SECR2_TOKEN" k-one "$S2")
I2=$(val booking "$out")
check "another principal's same key is its own: a new booking ($I2)" \
    test -n "$I2" -a "$I2" != "$I1" -a "$(val slot "$out")" = "$S2"
out=$(create "$SECR2_TOKEN" k-one "$S2")
check "... which its retry gets back" test "$(val booking "$out")" = "$I2"
out=$(create "$SECR2_TOKEN" k-one "$S1")
expect "... and its key used for another slot" E_CONFLICT "$out"
out=$(create "$SECR2_TOKEN" k-other "$S1")
expect "a booked slot, another key" E_SLOT_TAKEN "$out"
out=$(list 2026-11-30 2026-12-01 '"gp":"gp-dupont"')
check "booking.list: one booking each for S1 and S2, no more" test \
    "$(rows "$out")" = "$(printf '%s\n' "$I1 $S1 booked" "$I2 $S2 booked" |
    sort -k2)"

# --- holds ---------------------------------------------------------------
H1=gp-berard/20261130T130000Z		# 14:00 local
X=gp-berard/20261130T133000Z
LEROY1=gp-leroy/20261130T130000Z	# free, seen by everyone
win_search() { search 2026-11-30T14:00:00+01:00 2026-11-30T15:00:00+01:00 \
    '"sector":"sud"' "$1"; }
out=$(req slot.hold "{\"slot\":\"$H1\"}")
HA=$(val hold "$out")
check "secr holds H1 ($out)" grep -q \
    "\"ok\":true,\"result\":{\"hold\":\"h-[0-9a-f]\{16\}\",\"slot\":\"$H1\",\"expires_at\":\"2026-11-30T10:0[2-9]:[0-9][0-9]+01:00\"}" \
    <<<"$out"
out=$(req slot.hold "{\"slot\":\"$H1\"}")
check "holding it again renews the same hold" \
    test "$(val hold "$out")" = "$HA" -a -n "$HA"
out=$(win_search "$SECR2_TOKEN")
check "secr2's search does not see the held slot" \
    test -z "$(ids "$out" | grep -Fx "$H1")"
check "... but sees the others ($(ids "$out" | tr '\n' ' '))" \
    grep -qFx "$LEROY1" <<<"$(ids "$out")"
out=$(win_search "$SECR_TOKEN")
check "secr's own search shows it with its hold" grep -q \
    "{\"slot\":\"$H1\",[^}]*\"distance\":0,\"hold\":\"$HA\",\"expires_at\":" \
    <<<"$out"
out=$(req plan.get '{"from":"2026-11-30","to":"2026-12-01","sector":"sud"}')
check "plan.get: the slot is held" grep -q \
    "{\"slot\":\"$H1\",[^}]*\"state\":\"held\"}" <<<"$out"
expect "secr2 holds it" E_SLOT_TAKEN \
    "$(req slot.hold "{\"slot\":\"$H1\"}" "$SECR2_TOKEN")"
expect "secr2 books it without a hold" E_SLOT_TAKEN \
    "$(create "$SECR2_TOKEN" k-h1 "$H1")"
expect "secr2 books it with secr's hold" E_SLOT_TAKEN \
    "$(create "$SECR2_TOKEN" k-h1 "$H1" "\"hold\":\"$HA\"")"
expect "secr2 releases secr's hold" E_FORBIDDEN \
    "$(req slot.release "{\"hold\":\"$HA\"}" "$SECR2_TOKEN")"
out=$(req slot.release "{\"hold\":\"$HA\"}")
check "secr releases it ($out)" grep -q '"ok":true' <<<"$out"
expect "... once" E_NOT_FOUND "$(req slot.release "{\"hold\":\"$HA\"}")"
check "secr2 sees the slot again" \
    grep -qFx "$H1" <<<"$(ids "$(win_search "$SECR2_TOKEN")")"
out=$(req slot.hold "{\"slot\":\"$H1\"}" "$SECR2_TOKEN")
HB=$(val hold "$out")
check "secr2 holds it now ($HB)" test -n "$HB"
out=$(req slot.release "{\"hold\":\"$HB\"}" "$COORD_TOKEN")
check "a coordinator may release another's hold ($out)" \
    grep -q '"ok":true' <<<"$out"
out=$(req slot.hold "{\"slot\":\"$H1\"}")
HA=$(val hold "$out")
out=$(create "$SECR_TOKEN" k-h1 "$H1" "\"hold\":\"$HA\"")
IH=$(val booking "$out")
check "secr books with its hold ($IH)" \
    test -n "$IH" -a "$(val status "$out")" = booked
expect "the hold was used up" E_NOT_FOUND \
    "$(req slot.release "{\"hold\":\"$HA\"}")"
expect "holding a booked slot" E_SLOT_TAKEN \
    "$(req slot.hold "{\"slot\":\"$H1\"}" "$SECR2_TOKEN")"
expect "booking.create with a hold never given" E_HOLD_EXPIRED \
    "$(create "$SECR_TOKEN" k-x "$X" '"hold":"h-0000000000000000"')"
# At most 20 holds a principal: Thursday's slots of gp-berard and leroy.
THU=$(ids "$(search 2026-12-03 2026-12-04 \
    '"sector":"sud","neighbours":false,"limit":100' "$SECR2_TOKEN")")
held=0
for s in $(head -20 <<<"$THU"); do
	h=$(val hold "$(req slot.hold "{\"slot\":\"$s\"}" "$SECR2_TOKEN")")
	[ -n "$h" ] && held=$((held + 1)) && HOLDS+=" $h"
done
check "secr2 holds 20 slots" test "$held" -eq 20
S21=$(sed -n 21p <<<"$THU")
expect "... not a 21st" E_CONFLICT \
    "$(req slot.hold "{\"slot\":\"$S21\"}" "$SECR2_TOKEN")"
out=$(req slot.hold "{\"slot\":\"$S21\"}")
check "... which secr may hold" grep -q '"ok":true' <<<"$out"
req slot.release "{\"hold\":\"$(val hold "$out")\"}" >/dev/null
released=0
for h in $HOLDS; do
	req slot.release "{\"hold\":\"$h\"}" "$SECR2_TOKEN" |
	    grep -q '"ok":true' && released=$((released + 1))
done
check "secr2 releases its 20 holds" test "$released" -eq 20

# A one-second lease lapses by itself.
n=$(n_events)
out=$(req slot.hold "{\"slot\":\"$X\",\"ttl_s\":1}")
HX=$(val hold "$out")
check "secr holds X for 1 s ($HX)" test -n "$HX"
check "slot.released with reason expired arrives" wait_for 10 events_since \
    "$n" "slot.released {\"slot\":\"$X\",\"gp\":\"gp-berard\",\"sector\":\"sud\",\"start\":\"2026-11-30T14:30:00+01:00\",\"end\":\"2026-11-30T15:00:00+01:00\",\"reason\":\"expired\"}"
check "... after slot.held" events_since "$n" \
    "slot.held {\"slot\":\"$X\",\"gp\":\"gp-berard\""
expect "booking.create with the lapsed hold" E_HOLD_EXPIRED \
    "$(create "$SECR_TOKEN" k-x "$X" "\"hold\":\"$HX\"")"
check "secr2 sees X again" \
    grep -qFx "$X" <<<"$(ids "$(win_search "$SECR2_TOKEN")")"
x_audit() {
	[ "$(sql "SELECT group_concat(what, ' ') FROM (SELECT what FROM audit
	    WHERE ref = '$X' ORDER BY id)")" = "slot.hold slot.expire" ]
}
if $HAVE_SQLITE; then
	check "the audit has the hold and its expiry" wait_for 5 x_audit
else
	skip "sqlite3 CLI not found: audit of the hold not read"
fi

# --- cancel and rebook ------------------------------------------------------
S3=gp-martin/20261130T130000Z
out=$(create "$SECR_TOKEN" k-three "$S3")
I3=$(val booking "$out")
check "secr books S3 ($I3)" test -n "$I3"
check "... S3 is gone from searches" test -z "$(ids "$(search \
    2026-11-30T14:00:00+01:00 2026-11-30T14:30:00+01:00 '' \
    "$SECR2_TOKEN")" | grep -Fx "$S3")"
out=$(req booking.cancel "{\"booking\":\"$I3\",\"reason\":\"rappel\"}")
check "booking.cancel: cancelled, by secr ($(val status "$out"))" grep -q \
    "\"booking\":\"$I3\",.*\"status\":\"cancelled\",.*\"cancelled_at\":\"2026-11-30T10:[0-9:]*+01:00\",\"cancelled_by\":\"secr\"" \
    <<<"$out"
check "S3 is searchable again" grep -qFx "$S3" <<<"$(ids "$(search \
    2026-11-30T14:00:00+01:00 2026-11-30T14:30:00+01:00 '' \
    "$SECR2_TOKEN")")"
expect "a second cancel" E_CONFLICT \
    "$(req booking.cancel "{\"booking\":\"$I3\"}")"
expect "cancelling an unknown booking" E_NOT_FOUND \
    "$(req booking.cancel '{"booking":"b-0000000000000000"}')"
out=$(create "$SECR_TOKEN" k-three "$S3")
check "the first key again: the cancelled booking" \
    test "$(val booking "$out") $(val status "$out")" = "$I3 cancelled"
out=$(create "$SECR_TOKEN" k-three-again "$S3")
I4=$(val booking "$out")
check "S3 booked again: a new booking ($I4)" \
    test -n "$I4" -a "$I4" != "$I3" -a "$(val status "$out")" = booked
out=$(req booking.show "{\"booking\":\"$I3\"}")
check "the first stays cancelled" test "$(val status "$out")" = cancelled
out=$(list 2026-11-30 2026-12-01 '"gp":"gp-martin"')
check "booking.list shows both, by start then id" test "$(rows "$out")" = \
    "$(printf '%s\n' "$I3 $S3 cancelled" "$I4 $S3 booked" | sort)"
out=$(list 2026-11-30 2026-12-01 '"status":"cancelled"')
check "booking.list status=cancelled: only $I3" \
    test "$(rows "$out")" = "$I3 $S3 cancelled"

# --- who may, and bad arguments -----------------------------------------------
SB=gp-berard/20261130T140000Z
IB=$(val booking "$(create "$SECR_TOKEN" k-berard "$SB")")
check "a booking of gp-berard ($IB)" test -n "$IB"
out=$(req booking.show "{\"booking\":\"$I1\"}" "$GP_TOKEN")
check "the GP sees its own booking" test "$(val booking "$out")" = "$I1"
expect "the GP shows gp-berard's" E_NOT_FOUND \
    "$(req booking.show "{\"booking\":\"$IB\"}" "$GP_TOKEN")"
expect "the GP lists gp-berard's" E_FORBIDDEN \
    "$(list 2026-11-30 2026-12-07 '"gp":"gp-berard"' "$GP_TOKEN")"
out=$(list 2026-11-30 2026-12-07 '' "$GP_TOKEN")
check "the GP's list: its own only ($(rows "$out" | wc -l))" test \
    "$(grep -o '"gp":"[^"]*"' <<<"$out" | sort -u)" = '"gp":"gp-dupont"'
check "... all of them" test "$(rows "$out")" = "$(rows "$(list \
    2026-11-30 2026-12-07 '"gp":"gp-dupont"')")"
expect "the GP books" E_FORBIDDEN "$(create "$GP_TOKEN" k-gp "$S2")"
expect "the GP cancels its own" E_FORBIDDEN \
    "$(req booking.cancel "{\"booking\":\"$I1\"}" "$GP_TOKEN")"
expect "a nurse books" E_FORBIDDEN "$(create "$NURSE_TOKEN" k-n "$SB")"
expect "a nurse searches" E_FORBIDDEN \
    "$(search 2026-11-30 2026-12-01 '' "$NURSE_TOKEN")"
expect "a nurse holds" E_FORBIDDEN \
    "$(req slot.hold "{\"slot\":\"$SB\"}" "$NURSE_TOKEN")"
expect "a nurse shows a booking" E_FORBIDDEN \
    "$(req booking.show "{\"booking\":\"$IB\"}" "$NURSE_TOKEN")"
FREE=gp-berard/20261130T150000Z
bad() { expect "$1" E_BAD_ARGS "$(req booking.create "$2")"; }
bad "no idempotency_key" \
    "{\"slot\":\"$FREE\",\"patient\":$PATIENT}"
bad "an empty idempotency_key" \
    "{\"slot\":\"$FREE\",\"idempotency_key\":\"\",\"patient\":$PATIENT}"
bad "a 129-byte idempotency_key" \
    "{\"slot\":\"$FREE\",\"idempotency_key\":\"$(printf 'k%.0s' {1..129})\",\"patient\":$PATIENT}"
bad "no patient" "{\"slot\":\"$FREE\",\"idempotency_key\":\"k-bad\"}"
bad "a patient without name" \
    "{\"slot\":\"$FREE\",\"idempotency_key\":\"k-bad\",\"patient\":{\"phone\":\"$PHONE\"}}"
bad "a patient with an empty name" \
    "{\"slot\":\"$FREE\",\"idempotency_key\":\"k-bad\",\"patient\":{\"name\":\"\"}}"
bad "a birth year of 1800" \
    "{\"slot\":\"$FREE\",\"idempotency_key\":\"k-bad\",\"patient\":{\"name\":\"A\",\"birth_year\":1800}}"
bad "a slot id that is none" \
    "{\"slot\":\"gp-berard/2026-11-30T15:00\",\"idempotency_key\":\"k-bad\",\"patient\":$PATIENT}"
# 31 Nov would be 1 Dec: one slot, one spelling, or the store's unique
# index (on the GP and start) and the text kept would disagree.
bad "a slot id on 31 Nov" \
    "{\"slot\":\"gp-berard/20261131T150000Z\",\"idempotency_key\":\"k-bad\",\"patient\":$PATIENT}"
bad "a slot id with a blank for a digit" \
    "{\"slot\":\"gp-berard/202612 1T150000Z\",\"idempotency_key\":\"k-bad\",\"patient\":$PATIENT}"
bad "a slot id without GP" \
    "{\"slot\":\"20261130T140000Z\",\"idempotency_key\":\"k-bad\",\"patient\":$PATIENT}"
bad "teleconsultation with a GP who does not" \
    "{\"slot\":\"$FREE\",\"idempotency_key\":\"k-bad\",\"patient\":$PATIENT,\"modality\":\"teleconsultation\"}"
expect "a slot not reserved (03:00)" E_SLOT_UNAVAILABLE \
    "$(create "$SECR_TOKEN" k-bad gp-berard/20261201T020000Z)"
expect "a slot of yesterday" E_SLOT_UNAVAILABLE \
    "$(create "$SECR_TOKEN" k-bad gp-berard/20261129T130000Z)"
expect "a slot not on the grid (14:10)" E_SLOT_UNAVAILABLE \
    "$(create "$SECR_TOKEN" k-bad gp-berard/20261130T131000Z)"
expect "holding a slot not reserved" E_SLOT_UNAVAILABLE \
    "$(req slot.hold '{"slot":"gp-berard/20261201T020000Z"}')"
expect "a GP that does not exist" E_NOT_FOUND \
    "$(create "$SECR_TOKEN" k-bad gp-nobody/20261130T130000Z)"
check "none of them booked anything" \
    test "$(rows "$(list 2026-11-29 2026-12-02 '"gp":"gp-berard"')" |
    wc -l)" -eq 2
expect "k-bad left no trace: on a booked slot it is not E_CONFLICT" \
    E_SLOT_TAKEN "$(create "$SECR_TOKEN" k-bad "$S1")"

# --- many clients, a few slots, at once -----------------------------------
R='gp-dupont/20261201T140000Z gp-dupont/20261201T143000Z
gp-martin/20261201T140000Z gp-martin/20261201T143000Z'	# 15:00-16:00
RSAME=gp-dupont/20261201T150000Z
# launch NAME N [BOOKLOAD-ARGS]: N bookload processes reading NAME.$p.in,
# writing NAME.$p.out, released together once all are connected.
launch() {
	local name=$1 n=$2 p fifo=$T_DIR/$1.go
	shift 2
	mkfifo "$fifo"
	LOAD_PIDS=()
	for ((p = 0; p < n; p++)); do
		"$BOOKLOAD" -g "$fifo" -r "$T_DIR/$name.ready" "$@" "$REP" \
		    "$SECR_TOKEN" <"$T_DIR/$name.$p.in" \
		    >"$T_DIR/$name.$p.out" 2>>"$T_DIR/$name.err" &
		LOAD_PIDS+=($!)
	done
	wait_for 20 bash -c "[ \$(wc -l <'$T_DIR/$name.ready') -ge $n ]" ||
	    return 1
	echo go >"$fifo"
}
N=24
for ((p = 0; p < N; p++)); do
	# Each client tries every slot, from the (p mod 4)th on: six
	# clients start with each slot.
	i=0
	for s in $R; do
		echo "$(((i - p % 4 + 4) % 4)) race-$p-$i $s"
		i=$((i + 1))
	done | sort -n | cut -d' ' -f2- >"$T_DIR/race.$p.in"
done
t0=$(date +%s%N)
check "$N clients connected and released together" launch race $N
for p in "${LOAD_PIDS[@]}"; do wait "$p"; done
LOAD_PIDS=()
RACE=$(cat "$T_DIR"/race.*.out)
echo "# race of $N clients: $((($(date +%s%N) - t0) / 1000000)) ms"
check "every request got its reply ($(wc -l <<<"$RACE") of $((N * 4)))" \
    test "$(grep -c ' \(ok\|err\) ' <<<"$RACE")" -eq $((N * 4))
for s in $R; do
	check "$s: exactly one client booked it" \
	    test "$(grep -c " $s ok " <<<"$RACE")" -eq 1
done
check "every other got E_SLOT_TAKEN ($(grep -v ' ok ' <<<"$RACE" |
    awk '{print $4}' | sort | uniq -c | tr -s ' \n' ' '))" \
    test "$(grep -c ' err E_SLOT_TAKEN$' <<<"$RACE")" -eq $((N * 4 - 4))
WINNERS=$(grep ' ok ' <<<"$RACE" | awk '{print $4, $2, "booked"}' | sort)
out=$(list 2026-12-01 2026-12-02)
check "booking.list: the winners, one live booking a slot" test \
    "$(rows "$out" | grep -F -f <(printf '%s\n' $R) | sort)" = "$WINNERS"
if $HAVE_SQLITE; then
	out=$(sql "SELECT slot, count(*) FROM booking WHERE status<>'cancelled'
	    AND slot IN ('$(echo $R | sed "s/ /','/g")') GROUP BY slot")
	check "sqlite3 agrees: $(echo $out)" test "$(echo $out)" = \
	    "$(for s in $R; do echo "$s|1"; done | sort | tr '\n' ' ' |
	    sed 's/ $//')"
else
	skip "sqlite3 CLI not found: the store's count per slot not read"
fi
# The same key from 12 clients at once: one booking, every reply it.
for ((p = 0; p < 12; p++)); do echo "k-same $RSAME" >"$T_DIR/same.$p.in"; done
check "12 clients with one key released together" launch same 12
for p in "${LOAD_PIDS[@]}"; do wait "$p"; done
LOAD_PIDS=()
SAME=$(cat "$T_DIR"/same.*.out)
check "... all 12 got the same booking ($(awk '{print $4, $5}' <<<"$SAME" |
    sort | uniq -c | tr -s ' \n' ' '))" test "$(grep ' ok ' <<<"$SAME" |
    awk '{print $4}' | sort -u | wc -l)-$(grep -c ' ok ' <<<"$SAME")" = 1-12
check "... and the store has one" test "$(rows "$(list 2026-12-01 \
    2026-12-02 '"gp":"gp-dupont"')" | grep -c " $RSAME ")" -eq 1

# plan.get counts them.
out=$(req plan.get '{"from":"2026-12-01","to":"2026-12-02","sector":"nord"}')
check "plan.get: nord at 15h has 4 reserved, 4 booked" grep -q \
    '{"hour":15,"start":"2026-12-01T15:00:00+01:00","target":null,"reserved":4,"covered":[0-9]*,"booked":4,"gap":0}' \
    <<<"$out"
check "... 16h has 1 booked" grep -q '{"hour":16,[^}]*"booked":1,' <<<"$out"
check "... 17h none" grep -q '{"hour":17,[^}]*"booked":0,' <<<"$out"
for s in $R $RSAME; do
	check "... $s is booked" grep -q \
	    "{\"slot\":\"${s//\//\\/}\",[^}]*\"state\":\"booked\"}" <<<"$out"
done
check "... its other slots are reserved" test "$(grep -o \
    '"state":"[a-z]*"' <<<"$out" | sort | uniq -c | tr -s ' \n' ' ')" = \
    ' 5 "state":"booked" 19 "state":"reserved" '

# --- a feed change makes a booking a conflict ---------------------------------
C=gp-leroy/20261201T140000Z		# 15:00 local
CB=gp-leroy/20261201T143000Z		# 15:30
C2=gp-leroy/20261201T160000Z		# 17:00
C3=gp-leroy/20261204T140000Z		# Friday 15:00, for the reload below
IC=$(val booking "$(create "$SECR_TOKEN" k-c "$C")")
ICB=$(val booking "$(create "$SECR_TOKEN" k-cb "$CB")")
IC2=$(val booking "$(create "$SECR_TOKEN" k-c2 "$C2")")
IC3=$(val booking "$(create "$SECR_TOKEN" k-c3 "$C3")")
check "four bookings of gp-leroy ($IC $ICB $IC2 $IC3)" \
    test -n "$IC" -a -n "$ICB" -a -n "$IC2" -a -n "$IC3"
n=$(n_events)
feed_save leroy 200000 20261201
out=$(req feed.refresh '{"gp":"gp-leroy"}' "$ADMIN_TOKEN")
check "feed.refresh ($out)" grep -q '"ok":true' <<<"$out"
check "booking.conflict arrives for $IC" wait_for 10 events_since "$n" \
    "booking.conflict {\"booking\":\"$IC\",\"slot\":\"$C\",\"gp\":\"gp-leroy\",\"sector\":\"sud\",\"start\":\"2026-12-01T15:00:00+01:00\",\"end\":\"2026-12-01T15:30:00+01:00\",\"status\":\"conflict\",\"conflict\":\"busy\"}"
check "... and for $ICB" wait_for 10 events_since "$n" \
    "booking.conflict {\"booking\":\"$ICB\",\"slot\":\"$CB\""
out=$(req booking.show "{\"booking\":\"$IC\"}")
check "booking.show: status conflict, busy, patient kept" grep -q \
    "\"status\":\"conflict\",\"modality\":\"in_person\",\"patient\":{\"name\":\"$NAME\".*\"conflict_at\":\"[^\"]*\",\"conflict\":\"busy\"" \
    <<<"$out"
check "... the time of the conflict is set" \
    grep -q '"conflict_at":"2026-11-30T10:' <<<"$out"
check "the bookings in free time stay booked" test "$(val status "$(req \
    booking.show "{\"booking\":\"$IC2\"}")") $(val status "$(req \
    booking.show "{\"booking\":\"$IC3\"}")")" = "booked booked"
check "no other conflict event" test "$(events_since "$n" \
    booking.conflict | wc -l)" -eq 2
out=$(list 2026-12-01 2026-12-02 '"status":"conflict"')
check "booking.list status=conflict lists both" \
    test "$(rows "$out")" = "$(printf '%s\n' "$IC $C conflict" "$ICB $CB conflict")"
out=$(req plan.get '{"from":"2026-12-01","to":"2026-12-02","sector":"sud"}')
check "plan.get: their slots are kept, in conflict" test "$(grep -o \
    "{\"slot\":\"gp-leroy/20261201T14[0-9]*Z\",[^}]*\"state\":\"conflict\"}" \
    <<<"$out" | wc -l)" -eq 2
check "... and counted booked" \
    grep -q '{"hour":15,[^}]*"booked":2,' <<<"$out"
expect "holding one" E_SLOT_TAKEN "$(req slot.hold "{\"slot\":\"$C\"}")"
# The secretariat calls the patient and cancels: the GP is busy then.
out=$(req booking.cancel "{\"booking\":\"$ICB\"}")
check "a conflict can be cancelled" test "$(val status "$out")" = cancelled
offered() {
	ids "$(search 2026-12-01T15:00:00+01:00 2026-12-01T16:00:00+01:00 \
	    '"sector":"sud"' "$SECR2_TOKEN")" | grep -qFx "$CB"
}
not_offered() { ! offered; }
# Freeing the slot re-plans its day: give that a moment.
check "its slot, busy in the GP's agenda, is not offered again" \
    wait_for 5 not_offered
out=$(create "$SECR2_TOKEN" k-cb-again "$CB")
expect "... nor bookable" E_SLOT_UNAVAILABLE "$out"
# If it was, undo it, so that what follows still holds.
[ -n "$(val booking "$out")" ] &&
    req booking.cancel "{\"booking\":\"$(val booking "$out")\"}" >/dev/null
n=$(n_events)
feed_save leroy 200000
req feed.refresh '{"gp":"gp-leroy"}' "$ADMIN_TOKEN" >/dev/null
check "the feed made free again is read" wait_for 10 events_since "$n" \
    'feed.updated {"gp":"gp-leroy"'
check "... the conflict stays: the secretariat decides" test \
    "$(val status "$(req booking.show "{\"booking\":\"$IC\"}")")" = conflict
check "... and the cancelled one's slot, free again, is offered" \
    wait_for 10 offered
out=$(req booking.cancel "{\"booking\":\"$IC\"}")
check "the other conflict is cancelled" test "$(val status "$out")" = cancelled
if $HAVE_SQLITE; then
	check "the audit has create, conflict, cancel for it" test "$(sql \
	    "SELECT group_concat(what || '/' || who, ' ') FROM (SELECT what,
	    who FROM audit WHERE ref = '$IC' ORDER BY id)")" = \
	    "booking.create/secr booking.conflict/snpd booking.cancel/secr"
else
	skip "sqlite3 CLI not found: audit of the conflict not read"
fi

# --- events: never patient data -----------------------------------------------
check "events came: booking.created for $I1" \
    grep -qF "booking.created {\"booking\":\"$I1\",\"slot\":\"$S1\"" "$EVENTS"
check "... and for each race winner" test "$(grep -c \
    "^booking.created {\"booking\":\"b-[0-9a-f]*\",\"slot\":\"gp-[a-z]*/20261201T14" \
    "$EVENTS")" -ge 5
check "... booking.cancelled for $I3" \
    grep -qF "booking.cancelled {\"booking\":\"$I3\"" "$EVENTS"
# The birth year as a value: ids are random hex, and one may hold 1967.
for s in "$NAME" "$PHONE" 'Bookload Patient' '+33600000042' '"patient"' \
    ':1967' '"birth_year"' 'fièvre' 'rappel'; do
	check "no event carries $s" test "$(grep -cF -- "$s" "$EVENTS")" -eq 0
done

# --- SIGKILL under a steady load --------------------------------------------
# Two searches: 500 slots at most each.
{
	ids "$(search 2026-11-30 2026-12-04 '"sector":"est","limit":500')"
	ids "$(search 2026-12-04 2026-12-07 '"sector":"est","limit":500')"
} >"$T_DIR/est.slots"
check "672 free slots in est for the load" \
    test "$(wc -l <"$T_DIR/est.slots")" -eq 672
P=8
for ((p = 0; p < P; p++)); do
	sed -n "$((p * 84 + 1)),$((p * 84 + 84))p" "$T_DIR/est.slots" |
	    awk -v p=$p '{ print "crash-" p "-" NR, $0 }' >"$T_DIR/crash.$p.in"
done
# Replies received so far: booked (ok) or refused (err).
replied() { cat "$T_DIR"/crash.*.out | grep -c ' \(ok\|err\) '; }
at_least() { [ "$(replied)" -ge "$1" ]; }
t0=$(date +%s%N)
check "$P loaded clients start" launch crash $P -t 1000 -p 20 \
    -s "$T_DIR/crash.sent"
# Each client has a request given up (lost) since $LOST_BEFORE.
lost_count() { grep -c ' lost$' "$T_DIR/crash.$1.out"; }
all_gave_up() {
	local p
	for ((p = 0; p < P; p++)); do
		[ "$(lost_count $p)" -gt "${LOST_BEFORE[p]}" ] || return 1
	done
}
# Each client has sent a request not answered (nor given up) yet.
all_waiting() {
	local p
	for ((p = 0; p < P; p++)); do
		[ "$(grep -c "^crash-$p-" "$T_DIR/crash.sent")" -gt \
		    "$(wc -l <"$T_DIR/crash.$p.out")" ] || return 1
	done
}
KILLS=5
for ((k = 1; k <= KILLS; k++)); do
	want=$(($(replied) + 15))
	check "load: $want replies before kill $k" wait_for 20 at_least $want
	if [ $k -eq 3 ] && $HAVE_SQLITE; then
		# Bookings committed after their client gave up: the store
		# is locked from outside for longer than the clients wait
		# (1 s), less than snpd's busy timeout (5 s).
		LOST_BEFORE=()
		for ((p = 0; p < P; p++)); do LOST_BEFORE[p]=$(lost_count $p); done
		check "the store is locked from outside" store_lock
		check "... every client gives a request up" \
		    wait_for 4 all_gave_up
		store_unlock
		want=$(($(replied) + 15))
		check "... the load goes on once it is free ($want replies)" \
		    wait_for 20 at_least $want
	fi
	if [ $k -eq $KILLS ]; then
		# The last kill with every client's request stuck before its
		# commit; stop the clients before snpd is back.
		if $HAVE_SQLITE; then
			check "the store is locked from outside" store_lock
			check "... every client waits for a reply" \
			    wait_for 4 all_waiting
		else
			skip "sqlite3 CLI not found: no store lock"
			check "every client waits for a reply" \
			    wait_for 4 all_waiting
		fi
		snpd_kill
		[ -n "$LOCK_PID" ] && store_unlock
		for p in "${LOAD_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
		for p in "${LOAD_PIDS[@]}"; do wait "$p" 2>/dev/null; done
		LOAD_PIDS=()
	else
		snpd_kill
	fi
	snpd_at "$NOW" || { not_ok "snpd restarts after kill $k"; exit 1; }
done
echo "# $KILLS kills under load: $((($(date +%s%N) - t0) / 1000000)) ms"
cat "$T_DIR"/crash.*.out >"$T_DIR/crash.all"
OKS=$(grep ' ok ' "$T_DIR/crash.all")
n_ok=$(grep -c . <<<"$OKS")
check "no request was refused ($(grep ' err ' "$T_DIR/crash.all" |
    head -3 | tr '\n' ' '))" test "$(grep -c ' err ' "$T_DIR/crash.all")" -eq 0
check "each reply is the slot asked, booked" test "$(awk \
    '$2 != $5 || $6 != "booked"' <<<"$OKS" | wc -l)" -eq 0
check "no booking id twice among $n_ok replies" \
    test -z "$(awk '{print $4}' <<<"$OKS" | sort | uniq -d)"
# Every booking whose reply arrived is in the store, with its slot.
awk '{print $4}' <<<"$OKS" | "$BOOKLOAD" -o show "$REP" "$SECR_TOKEN" \
    >"$T_DIR/crash.show"
missing=$(join -v1 <(awk '{print $4, $2, "booked"}' <<<"$OKS" | sort) \
    <(awk '$2 == "ok" {print $3, $4, $5}' "$T_DIR/crash.show" | sort))
check "all $n_ok replied bookings are shown, same slot, booked${missing:+ (not: $(head -3 <<<"$missing" | tr '\n' ' '))}" \
    test -z "$missing" -a "$(grep -c ' ok ' "$T_DIR/crash.show")" -eq "$n_ok"
LIVE=$(rows "$(list 2026-11-30 2026-12-07)" | grep ' gp-l[1-8]/' |
    awk '$3 != "cancelled"')
check "no slot has two live bookings ($(wc -l <<<"$LIVE") live)" \
    test -z "$(awk '{print $2}' <<<"$LIVE" | sort | uniq -d)"
# The requests sent without a reply: retried twice with their key.
sort -u "$T_DIR/crash.sent" >"$T_DIR/crash.sent.u"
grep ' \(ok\|err\) ' "$T_DIR/crash.all" | cut -d' ' -f1,2 | sort -u \
    >"$T_DIR/crash.answered"
comm -23 "$T_DIR/crash.sent.u" "$T_DIR/crash.answered" >"$T_DIR/crash.unanswered"
n_un=$(wc -l <"$T_DIR/crash.unanswered")
check "$n_un requests had no reply ($(grep -c ' lost$' "$T_DIR/crash.all") given up after 1 s)" \
    test "$n_un" -ge "$P"
cat "$T_DIR/crash.unanswered" "$T_DIR/crash.unanswered" |
    "$BOOKLOAD" "$REP" "$SECR_TOKEN" >"$T_DIR/crash.retry"
head -n "$n_un" "$T_DIR/crash.retry" >"$T_DIR/crash.retry1"
tail -n "+$((n_un + 1))" "$T_DIR/crash.retry" >"$T_DIR/crash.retry2"
check "each retry is a booking" test "$(grep -c ' ok ' "$T_DIR/crash.retry")" \
    -eq $((2 * n_un))
wrong=0 fresh=0 again=0
while read -r key slot _ id rslot _; do
	before=$(awk -v s="$slot" '$2 == s {print $1}' <<<"$LIVE")
	if [ -n "$before" ]; then
		# Committed, though no reply came: the retry finds it.
		again=$((again + 1))
		[ "$id" = "$before" ] || wrong=$((wrong + 1))
	else
		fresh=$((fresh + 1))
		grep -q " $id " <<<"$OKS" && wrong=$((wrong + 1))
	fi
	[ "$rslot" = "$slot" ] || wrong=$((wrong + 1))
done <"$T_DIR/crash.retry1"
check "first retries: $again committed unanswered and found, $fresh new" \
    test "$wrong" -eq 0 -a $((again + fresh)) -eq "$n_un"
if $HAVE_SQLITE; then
	check "... at least one of each per client" \
	    test "$again" -ge "$P" -a "$fresh" -ge "$P"
else
	skip "sqlite3 CLI not found: no store lock, no late commits"
fi
check "second retries: the same ids as the first" test "$(awk \
    '{print $1, $4}' "$T_DIR/crash.retry1")" = \
    "$(awk '{print $1, $4}' "$T_DIR/crash.retry2")"
LIVE=$(rows "$(list 2026-11-30 2026-12-07)" | grep ' gp-l[1-8]/' |
    awk '$3 != "cancelled"')
check "still one live booking a slot ($(wc -l <<<"$LIVE"))" \
    test -z "$(awk '{print $2}' <<<"$LIVE" | sort | uniq -d)" -a \
    "$(wc -l <<<"$LIVE")" -eq $((n_ok + n_un))
if $HAVE_SQLITE; then
	check "sqlite3: no slot with two live bookings" test "$(sql \
	    "SELECT count(*) FROM (SELECT slot FROM booking WHERE
	    status<>'cancelled' GROUP BY slot HAVING count(*) > 1)")" = 0
	check "sqlite3: each booking has its one create in the audit" \
	    test "$(sql "SELECT count(*) FROM booking b WHERE (SELECT
	    count(*) FROM audit a WHERE a.ref = b.id AND
	    a.what = 'booking.create') <> 1")" = 0
else
	skip "sqlite3 CLI not found: live bookings per slot not read"
	skip "sqlite3 CLI not found: audit not read"
fi
check "the live bookings restored still count in plan.get" test "$(req \
    plan.get '{"from":"2026-11-30","to":"2026-12-07","sector":"est"}' |
    grep -o '"state":"booked"' | wc -l)" -eq "$(wc -l <<<"$LIVE")"

# --- retention: patient data purged after retention_days past the end -------
D1=$(list 2026-11-30 2026-12-01)
n_d1=$(rows "$D1" | wc -l)
SHOW1=$(req booking.show "{\"booking\":\"$I1\"}")
kill -TERM "$SNPD_PID"
wait_snpd_exit
check "snpd stops cleanly" test "$SNPD_STATUS" = 0
snpd_at 2026-12-02T12:00:00+01:00 ||
    { not_ok "snpd starts two days later"; exit 1; }
purged() {
	grep -q '"patient":null' <<<"$(req booking.show "{\"booking\":\"$1\"}")"
}
check "the booking of the 30th loses its patient" wait_for 10 purged "$I1"
out=$(req booking.show "{\"booking\":\"$I1\"}")
check "... purged_at is set" grep -q '"purged_at":"2026-12-02T12:' <<<"$out"
strip() {
	sed 's/"patient":\(null\|{[^}]*}\)/P/; s/,"reason":\("[^"]*"\|null\)//
	    s/,"purged_at":"[^"]*"//' <<<"$1"
}
check "... its status and times stay" test "$(strip "$out")" = \
    "$(strip "$SHOW1")"
check "... the reason went too" grep -qF '"reason":null' <<<"$out"
out=$(req booking.show "{\"booking\":\"$I3\"}")
check "the cancelled one too" \
    grep -q '"status":"cancelled","modality":"in_person","patient":null' <<<"$out"
for b in $(grep ' ok ' <<<"$RACE" | awk '{print $4}'); do
	check "$b of the 1st of December keeps its patient" \
	    grep -q '"patient":{"name":"Bookload Patient"' \
	    <<<"$(req booking.show "{\"booking\":\"$b\"}")"
done
out=$(create "$SECR_TOKEN" k-one "$S1")
check "k-one still answers its booking, purged" \
    test "$(val booking "$out")" = "$I1" -a -n "$(grep '"patient":null' <<<"$out")"
if $HAVE_SQLITE; then
	all_purged() {
		[ "$(sql "SELECT count(*) FROM audit WHERE what = 'booking.purge'")" \
		    -eq "$n_d1" ]
	}
	check "sqlite3: one booking.purge audit row each of the $n_d1 of the 30th" \
	    wait_for 10 all_purged
	check "... each of a booking of the 30th" test "$(sql "SELECT
	    count(DISTINCT a.ref) FROM audit a JOIN booking b ON b.id = a.ref
	    WHERE a.what = 'booking.purge' AND b.start < $(date -d \
	    2026-12-01T00:00:00+01:00 +%s)")" -eq "$n_d1"
	check "... with no patient data left in them" test "$(sql "SELECT
	    count(*) FROM booking WHERE purged_at IS NOT NULL AND
	    (patient_name IS NOT NULL OR patient_phone IS NOT NULL OR
	    reason IS NOT NULL)")" -eq 0
	check "... and none in the audit" test "$(sql "SELECT count(*) FROM
	    audit WHERE who || what || coalesce(ref, '') LIKE '%Curie%'
	    OR ref LIKE '%0601020304%'")" -eq 0
else
	skip "sqlite3 CLI not found: booking.purge audit rows not read"
fi

# --- the export: each GP's agenda gets its bookings back -----------------
# export_dir/gp-dupont.ics, read back with libical: one event per live
# booking (its id, CONFIRMED), sharing its slot's UID; nothing else booked.
expected_export() {
	rows "$(req booking.list '{"from":"2026-11-01","to":"2027-01-31","gp":"gp-dupont"}')" |
	    awk '$3 != "cancelled" { u = $2; sub("/", "-", u);
	        print "snp-" u "@snpd", $1, "CONFIRMED" }' | sort
}
exported() {
	"$ICSDUMP" "$T_DIR/export/gp-dupont.ics" |
	    awk '$2 != "-" { print $1, $2, ($3 == "CONFIRMED" ? $3 : "?") }' |
	    sort
}
export_matches() { [ -n "$(expected_export)" ] &&
    [ "$(exported)" = "$(expected_export)" ]; }
check "the export parses back with libical" "$ICSDUMP" \
    "$T_DIR/export/gp-dupont.ics"
check "... to the GP's live bookings, one event each, same UID as the slot" \
    wait_for 10 export_matches
check "... and its reserved slots are TENTATIVE events" \
    grep -q ' - TENTATIVE ' <<<"$("$ICSDUMP" "$T_DIR/export/gp-dupont.ics")"
check "... with no patient name nor phone" \
    not_in_file "$T_DIR/export/gp-dupont.ics"
out=$(req export.get '{"gp":"gp-dupont"}' "$GP_TOKEN")
check "export.get by the GP itself" grep -q '"ok":true,"result":{"gp":"gp-dupont","ics":"BEGIN:VCALENDAR' <<<"$out"
expect "export.get of another GP by a GP" E_FORBIDDEN \
    "$(req export.get '{"gp":"gp-berard"}' "$GP_TOKEN")"
expect "export.get by the secretariat" E_FORBIDDEN \
    "$(req export.get '{"gp":"gp-dupont"}')"

# --- a GP leaves the config: its bookings to come are conflicts -----------
sed '/"id": "gp-leroy"/,/leroy.ics/d' "$T_DIR/snpd.json" >"$T_DIR/new.json"
cat "$T_DIR/new.json" >"$T_DIR/snpd.json"
kill -HUP "$SNPD_PID"
gp_removed() {
	grep -q '"status":"conflict",.*"conflict":"gp removed"' \
	    <<<"$(req booking.show "{\"booking\":\"$1\"}")"
}
check "after a reload without gp-leroy, $IC3 is in conflict" \
    wait_for 10 gp_removed "$IC3"
check "... not the one of the 1st, over" test "$(val status "$(req \
    booking.show "{\"booking\":\"$IC2\"}")")" = booked

kill -TERM "$SNPD_PID"
wait_snpd_exit
check "snpd stops cleanly at the end" test "$SNPD_STATUS" = 0

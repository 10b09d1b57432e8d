#!/usr/bin/env bash
# report.indicators on a scripted month, every figure computed by hand.
#
# December 2026 (31 days, 23 weekdays, 4 Mondays), one sector with a
# target of 1 slot an hour over the 14:00-20:00 window, 30-minute slots:
# gp-a offers SNP every weekday 14:00-16:00, gp-b every Monday 16:00-17:00.
# snpd starts on the 1st at 08:00 and plans the whole month; three
# bookings (one cancelled), four teleconsultation requests (broadcast:
# one accepted at once, one accepted five minutes later and closed, one
# cancelled, one never answered); then snpd starts again on 1 January
# and the month is reported.
. "$(dirname "$0")/lib.sh"
trap 'finish; exit $?' EXIT

DAY0=2026-12-01T08:00:00+01:00
T0=$(date -d "$DAY0" +%s)
S0=

# The pinned clock runs on from T0 over restarts, plus a jump (seconds).
JUMP=0
clock_now() { echo $((T0 + JUMP + ($(date +%s%N) - S0) / 1000000000)); }
at_local() { TZ=Europe/Paris date -d "@$1" +%Y-%m-%dT%H:%M:%S%:z; }
snpd_go() {
	[ -z "$S0" ] && S0=$(date +%s%N)
	"$SNPD" -c "$T_DIR/snpd.json" --now "$(at_local "$(clock_now)")" \
	    --log-level info 2>>"$SNPD_LOG" &
	SNPD_PID=$!
	wait_for 20 ctl "$ADMIN_TOKEN" --timeout 1 ping
}
snpd_kill() {
	kill -KILL "$SNPD_PID"
	wait "$SNPD_PID" 2>/dev/null
	SNPD_PID=
}

# feed UID FIRST_DAY BYDAY START END: a weekly SNP event. (DTSTART is
# always an instance, RFC 5545 3.8.5.3: it must match BYDAY.)
feed() {
	printf '%s\r\n' "BEGIN:VCALENDAR" "VERSION:2.0" \
	    "PRODID:-//snpd//tests//EN" "BEGIN:VEVENT" "UID:snp-$1@test" \
	    "DTSTAMP:20261101T000000Z" \
	    "DTSTART;TZID=Europe/Paris:$2T${4}0000" \
	    "DTEND;TZID=Europe/Paris:$2T${5}0000" \
	    "RRULE:FREQ=WEEKLY;BYDAY=$3" "CATEGORIES:SNP" "SUMMARY:SNP" \
	    "END:VEVENT" "END:VCALENDAR"
}
mkdir -p "$T_DIR/feeds"
feed a 20261201 MO,TU,WE,TH,FR 14 16 >"$T_DIR/feeds/a.ics"
feed b 20261207 MO 16 17 >"$T_DIR/feeds/b.ics"

cat >"$T_DIR/snpd.json" <<JSON
{
  "territory": {"name": "CPTS Mois", "timezone": "Europe/Paris",
    "horizon_days": 31, "slot_minutes": 30},
  "sectors": [{"id": "nord", "communes": ["63285"],
    "target": {"default": 1}}],
  "gps": [
    {"id": "gp-a", "name": "Dr A", "sector": "nord", "teleconsult": true,
     "feed": "feeds/a.ics"},
    {"id": "gp-b", "name": "Dr B", "sector": "nord", "teleconsult": true,
     "feed": "feeds/b.ics"}
  ],
  "oncall": {"horizon_days": 3, "ack_timeout_s": 3600,
             "urgent_ack_timeout_s": 3600, "mode": "broadcast"},
  "server": {"rep": "$REP", "pub": "$PUB", "linger_ms": 100},
  "store": {"path": "$T_DIR/snpd.db"},
  "export_dir": "$T_DIR/export",
  "principals": [
    {"name": "admin", "role": "admin", "token": "$ADMIN_TOKEN"},
    {"name": "coord", "role": "coordinator", "token": "$COORD_TOKEN"},
    {"name": "secr", "role": "secretariat", "token": "$SECR_TOKEN"},
    {"name": "ide", "role": "nurse", "token": "$NURSE_TOKEN"},
    {"name": "dr-a", "role": "gp", "gp": "gp-a", "token": "$GP_TOKEN"},
    {"name": "dr-b", "role": "gp", "gp": "gp-b",
     "token": "gp-b-token-0123456789abcdefghijklmnopqrstuvw"}
  ]
}
JSON
chmod 600 "$T_DIR/snpd.json"
GPB_TOKEN=gp-b-token-0123456789abcdefghijklmnopqrstuvw

req() {
	nc_req --data "$(printf '{"v":1,"id":"i","op":"%s","args":%s,"token":"%s"}' \
	    "$1" "$2" "${3:-$ADMIN_TOKEN}")"
}
# The number after "KEY": in a reply (the first one).
num() { grep -o "\"$1\":[-0-9.]*" <<<"$2" | head -1 | cut -d: -f2; }
val() { grep -o "\"$1\":\"[^\"]*\"" <<<"$2" | head -1 | cut -d'"' -f4; }

# --- December 1st, 08:00: the month is planned ---------------------------
snpd_go || { not_ok "snpd starts"; exit 1; }
month_planned() {
	[ "$(sqlite3 -readonly "$T_DIR/snpd.db" "SELECT count(*) FROM plan_day
	    WHERE day >= $T0 - 8 * 3600" 2>/dev/null)" -ge 31 ]
}
check "the 31 days of December are planned" wait_for 60 month_planned

# Bookings: the 2nd (gp-a, 14:00-15:00), the 7th (gp-b, 16:00-17:00),
# the 10th (gp-a, 14:00-15:00), the last one cancelled; each on the slot
# the plan reserved in that hour. slot_of GP FROM TO
slot_of() {
	req slots.search "{\"from\":\"$2\",\"to\":\"$3\",\"limit\":50}" \
	    "$SECR_TOKEN" | grep -o "\"slot\":\"$1/[^\"]*\"" | head -1 |
	    cut -d'"' -f4
}
book() {
	req booking.create "{\"slot\":\"$1\",\"idempotency_key\":\"$2\",\"patient\":{\"name\":\"P $2\"}}" \
	    "$SECR_TOKEN"
}
b1=$(book "$(slot_of gp-a 2026-12-02T14:00:00+01:00 2026-12-02T15:00:00+01:00)" k1)
b2=$(book "$(slot_of gp-b 2026-12-07T16:00:00+01:00 2026-12-07T17:00:00+01:00)" k2)
b3=$(book "$(slot_of gp-a 2026-12-10T14:00:00+01:00 2026-12-10T15:00:00+01:00)" k3)
check "three bookings made ($(val booking "$b1") $(val booking "$b2") $(val booking "$b3"))" \
    test -n "$(val booking "$b1")" -a -n "$(val booking "$b2")" -a \
    -n "$(val booking "$b3")"
out=$(req booking.cancel "{\"booking\":\"$(val booking "$b3")\"}" "$SECR_TOKEN")
check "the third is cancelled" test "$(val status "$out")" = cancelled

# Requests: r1 accepted at once; r2 accepted after the jump, then done;
# r3 cancelled; r4 never answered.
tc_new() {
	val request "$(req tc.request '{"commune":"63285","reason":"x","patient":{"name":"N"}}' "$NURSE_TOKEN")"
}
r1=$(tc_new) r2=$(tc_new) r3=$(tc_new) r4=$(tc_new)
check "four requests ($r1 $r2 $r3 $r4)" test -n "$r1" -a -n "$r2" -a \
    -n "$r3" -a -n "$r4"
r1_created=$(date +%s)
out=$(req tc.ack "{\"request\":\"$r1\"}" "$GP_TOKEN")
check "r1 accepted by gp-a at once" test "$(val state "$out")" = accepted
out=$(req tc.cancel "{\"request\":\"$r3\"}" "$NURSE_TOKEN")
check "r3 cancelled" test "$(val state "$out")" = cancelled

# Five minutes later (a restart with the clock moved on), gp-b takes r2.
snpd_kill
JUMP=300
snpd_go || { not_ok "snpd starts again"; exit 1; }
out=$(req tc.ack "{\"request\":\"$r2\"}" "$GPB_TOKEN")
check "r2 accepted by gp-b" test "$(val state "$out")" = accepted
ack2=$(num ack_s "$out")
check "... after 300 to 303 s ($ack2)" test "${ack2:-0}" -ge 300 -a \
    "${ack2:-0}" -le 303
out=$(req tc.done "{\"request\":\"$r2\"}" "$GPB_TOKEN")
check "r2 done" test "$(val state "$out")" = done
ack1=$(num ack_s "$(req tc.show "{\"request\":\"$r1\"}")")

# --- 1 January 2027, 10:00: the month is over ----------------------------
snpd_kill
JUMP=$(($(date -d 2027-01-01T10:00:00+01:00 +%s) - T0 - ($(date +%s%N) - S0) / 1000000000))
snpd_go || { not_ok "snpd starts in January"; exit 1; }
check "r4, never answered, is unanswered once its deadline passed" \
    wait_for 10 bash -c "nanocat --req --connect '$REP' --raw \
    --recv-timeout 2 --send-timeout 2 --data '{\"v\":1,\"op\":\"tc.show\",\"args\":{\"request\":\"$r4\"},\"token\":\"$ADMIN_TOKEN\"}' \
    2>/dev/null | grep -q '\"state\":\"unanswered\"'"

rep=$(req report.indicators '{"from":"2026-12-01","to":"2027-01-01","per_gp":true}' \
    "$COORD_TOKEN")
echo "# $(head -c 600 <<<"$rep")"
snp=$(grep -o '"snp":{[^[]*' <<<"$rep")
# figure NAME WANT [IN]: one check of a number of the report.
figure() {
	local got
	got=$(num "$1" "${3:-$snp}")
	check "$1 = $2 (got $got)" test "$got" = "$2"
}
# Window: 31 days x 6 hours with a target. Met: 23 weekdays x 2 hours
# (gp-a) + 4 Mondays x 1 hour (gp-b) = 50; one 30-minute slot each.
figure offered_h 50		# 23 x 2 h + 4 x 1 h
figure reserved 50
figure reserved_h 25
figure booked 2
figure cancelled 1
figure conflicts 0
figure unused 48		# the month is over: 50 - 2 booked
figure fill_rate 0.04		# 2 / 50
figure sector_hours 186
figure sector_hours_met 50
figure coverage 0.2688		# 50 / 186
figure missing_slots 136
gpa=$(grep -o '{"gp":"gp-a","name"[^}]*}' <<<"$rep")
gpb=$(grep -o '{"gp":"gp-b","name"[^}]*}' <<<"$rep")
figure offered_h 46 "$gpa"
figure reserved 46 "$gpa"
figure reserved_h 23 "$gpa"
figure booked 1 "$gpa"
figure seen 1 "$gpa"
figure tc_accepted 1 "$gpa"
figure offered_h 4 "$gpb"
figure reserved 4 "$gpb"
figure booked 1 "$gpb"
figure tc_accepted 1 "$gpb"
tc=$(grep -o '"tc":{[^}]*}' <<<"$rep")
figure requests 4 "$tc"
figure accepted 2 "$tc"
figure done 1 "$tc"
figure open 1 "$tc"		# r1: accepted, never closed
figure cancelled 1 "$tc"
figure unanswered 1 "$tc"
figure escalations 0 "$tc"	# broadcast: offered to all at once
# Times to acknowledge: r1's (0 or 1 s) and r2's (300-303 s); nearest
# rank: the median is the smaller, the p90 the larger.
figure ack_median_s "$ack1" "$tc"
figure ack_p90_s "$ack2" "$tc"
check "r1's time to ack was 0 or 1 s ($ack1)" test "${ack1:-9}" -le 1

# The week x hour heatmap: week 49 (30 Nov - 6 Dec) holds 6 days of the
# month: 4 weekdays met at 14 and 15, none at 16 (gp-b starts on the 7th).
cell() { grep -o "{\"sector\":\"nord\",\"week\":\"$1\",\"hour\":$2,[^}]*}" <<<"$rep"; }
check "heatmap W49 14h: 6 hours, 4 met" test "$(cell 2026-W49 14)" = \
    '{"sector":"nord","week":"2026-W49","hour":14,"hours":6,"met":4}'
check "heatmap W50 16h: 7 hours, 1 met (gp-b's Monday)" \
    test "$(cell 2026-W50 16)" = \
    '{"sector":"nord","week":"2026-W50","hour":16,"hours":7,"met":1}'
check "heatmap W53 19h: the 28th to the 31st, none met" \
    test "$(cell 2026-W53 19)" = \
    '{"sector":"nord","week":"2026-W53","hour":19,"hours":4,"met":0}'
# Per GP and week: gp-b offers 1 h a week, under the 2 h threshold.
gw() { grep -o "{\"gp\":\"$1\",\"week\":\"$2\",[^}]*}" <<<"$rep"; }
check "gp-b's week 50: 1 h offered and reserved 0.5 h, flagged, one booking" \
    test "$(gw gp-b 2026-W50)" = \
    '{"gp":"gp-b","week":"2026-W50","offered_h":1,"reserved_h":0.5,"below_threshold":true,"booked":1,"seen_48h":0,"tc_accepted":0}'
check "gp-a's week 49: 8 h (four weekdays), booked on the 1st for the 2nd: seen within 48 h" \
    test "$(gw gp-a 2026-W49)" = \
    '{"gp":"gp-a","week":"2026-W49","offered_h":8,"reserved_h":4,"below_threshold":false,"booked":1,"seen_48h":1,"tc_accepted":1}'
check "gp-a's week 50: the cancelled booking does not count" \
    grep -q '"booked":0' <<<"$(gw gp-a 2026-W50)"

# A sector filter and the roles.
out=$(req report.indicators '{"from":"2026-12-01","to":"2027-01-01","sector":"sud"}' "$COORD_TOKEN")
check "an unknown sector -> E_NOT_FOUND" grep -q E_NOT_FOUND <<<"$out"
out=$(req report.indicators '{"from":"2026-12-01","to":"2027-01-01"}' "$SECR_TOKEN")
check "the secretariat may not -> E_FORBIDDEN" grep -q E_FORBIDDEN <<<"$out"
out=$(req report.indicators '{"from":"2026-01-01","to":"2027-02-01"}' "$COORD_TOKEN")
check "more than 366 days -> E_BAD_ARGS" grep -q E_BAD_ARGS <<<"$out"

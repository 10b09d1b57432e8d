#!/usr/bin/env bash
# The planner end to end: the plan made at start (targets per weekday and
# hour, a holiday, a day off, neighbour cover, a gap, even loads), who may
# read or rebuild it, a feed change that re-plans one day and keeps the
# other slots, the plan kept over a restart and a rebuild, a reload that
# raises targets, today's begun slots kept, a new day entering the
# horizon at midnight, and a spring-forward day.
. "$(dirname "$0")/lib.sh"
SUB_PID=
trap '[ -n "$SUB_PID" ] && kill "$SUB_PID" 2>/dev/null; finish; exit $?' EXIT

mkdir -p "$T_DIR/feeds"

for g in n1 n2 n3; do calendar "$g" 200000 >"$T_DIR/feeds/$g.ics"; done
calendar e1 180000 >"$T_DIR/feeds/e1.ics"

# Four sectors: nord has three GPs free 14-20 and targets per weekday and
# hour; sud has a target and one GP with no time, and nord may cover it;
# ouest has a target and nobody; est has no target and one GP free 14-18.
# 30-minute slots: two per GP and hour. The 2nd of December is a holiday;
# Sunday has no window. plan_config STORE HORIZON DAYS NORD OUEST
plan_config() {
	cat >"$T_DIR/snpd.json" <<JSON
{
  "territory": {"name": "CPTS Plan", "timezone": "Europe/Paris",
    "horizon_days": $2, "slot_minutes": 30, "holidays": ["2026-12-02"],
    "snp_window": {"start": "14:00", "end": "20:00", "days": $3}},
  "sectors": [
    {"id": "nord", "name": "Nord", "target": $4},
    {"id": "sud", "name": "Sud", "neighbours": ["nord"],
     "target": {"default": 1}},
    {"id": "ouest", "name": "Ouest", "target": $5},
    {"id": "est", "name": "Est"}
  ],
  "gps": [
    {"id": "gp-n1", "name": "Un", "sector": "nord", "feed": "feeds/n1.ics"},
    {"id": "gp-n2", "name": "Deux", "sector": "nord", "feed": "feeds/n2.ics"},
    {"id": "gp-n3", "name": "Trois", "sector": "nord", "feed": "feeds/n3.ics"},
    {"id": "gp-e1", "name": "Est", "sector": "est", "feed": "feeds/e1.ics"},
    {"id": "gp-s1", "name": "Sud", "sector": "sud"}
  ],
  "server": {"rep": "$REP", "pub": "$PUB", "linger_ms": 100},
  "store": {"path": "$1"},
  "export_dir": "$T_DIR/export",
  "principals": [
    {"name": "admin", "role": "admin", "token": "$ADMIN_TOKEN"},
    {"name": "coord", "role": "coordinator", "token": "$COORD_TOKEN"},
    {"name": "secr", "role": "secretariat", "token": "$SECR_TOKEN"},
    {"name": "ide-roux", "role": "nurse", "token": "$NURSE_TOKEN"},
    {"name": "dr-un", "role": "gp", "gp": "gp-n1", "token": "$GP_TOKEN"}
  ]
}
JSON
	chmod 600 "$T_DIR/snpd.json"
}
WEEK='["mon","tue","wed","thu","fri","sat"]'
NORD='{"default": 2, "sat": 1, "14": 3}'
OUEST='{"default": 1}'

# snpd with its clock pinned at $1, answering.
snpd_at() {
	"$SNPD" -c "$T_DIR/snpd.json" --now "$1" --log-level info \
	    2>>"$SNPD_LOG" &
	SNPD_PID=$!
	wait_for 10 ctl "$ADMIN_TOKEN" ping
}
stop_snpd() {
	kill -TERM "$SNPD_PID"
	wait_snpd_exit
}
# Events, as a subscriber sees them, one per line, into $1.
sub_start() {
	nanocat --sub --connect "$PUB" --ascii >"$1" 2>/dev/null &
	SUB_PID=$!
}
sub_stop() {
	kill "$SUB_PID" 2>/dev/null
	wait "$SUB_PID" 2>/dev/null
	SUB_PID=
}

# One request through nanocat, the reference peer: the compact reply.
# req OP ARGS [TOKEN]
req() {
	local msg

	msg=$(printf '{"v":1,"id":"p","op":"%s","args":%s,"token":"%s"}' \
	    "$1" "$2" "${3:-$ADMIN_TOKEN}")
	nc_req --data "$msg"
}
# plan FROM TO [MORE-ARGS]: plan.get's reply.
plan() { req plan.get "{\"from\":\"$1\",\"to\":\"$2\"${3:+,$3}}"; }
# The text of one day of a reply, from its date to the next day's.
day_of() { sed 's/{"date":/\n&/g' <<<"$1" | grep "^{\"date\":\"$2\""; }
# One sector's hours on a day: "hour=target/reserved/covered/gap ...".
row() {
	day_of "$1" "$2" | sed 's/{"sector":/\n&/g' |
	    grep "^{\"sector\":\"$3\"" | sed 's/{"hour":/\n&/g' | awk '
	function v(k) {
		if (!match($0, "\"" k "\":[^,}]*"))
			return "?"
		return substr($0, RSTART + length(k) + 3,
		    RLENGTH - length(k) - 3)
	}
	/^{"hour":/ { printf "%s=%s/%s/%s/%s ", v("hour"), v("target"),
	    v("reserved"), v("covered"), v("gap") }'
}
# A day's field, as "key":value (window, planned, gaps).
field() {
	day_of "$1" "$2" | grep -o "\"$3\":\(null\|{[^}]*}\|[a-z0-9]*\)" |
	    head -1
}
# The slots array of a reply, as it was sent; its ids, one a line.
slots_of() { sed -n 's/.*"slots":\(\[[^]]*\]\).*/\1/p' <<<"$1"; }
slot_ids() {
	grep -o '"slot":"[^"]*"' <<<"$1" | sed 's/"slot":"//; s/"$//' | sort
}
# The error code of a reply.
code_of() { sed -n 's/.*"error":{"code":"\([A-Z_]*\)".*/\1/p' <<<"$1"; }
# lacks [-v] PATTERN TEXT: no line of TEXT matches (-v: all do).
lacks() {
	if [ "$1" = -v ]; then
		! grep -v -- "$2" <<<"$3" | grep -q .
	else
		! grep -q -- "$1" <<<"$2"
	fi
}
# Lines of the event file $1 after line $2 that match $3.
events_since() { tail -n "+$(($2 + 1))" "$1" | grep -- "$3"; }

feed_ok() {
	ctl "$ADMIN_TOKEN" --json call feed.status "{\"gp\":\"$1\"}" |
	    grep -q '"state": *"ok"'
}
feeds_ok() {
	local g
	for g in gp-n1 gp-n2 gp-n3 gp-e1; do feed_ok $g || return 1; done
}
# Every feed read and planned with: a rebuild answers after the plan that
# follows them (the planner runs one job at a time).
settle() {
	wait_for 10 feeds_ok &&
	    req plan.rebuild '{}' "$COORD_TOKEN" | grep -q '"ok":true'
}

# Hand-computed, with two slots per GP and hour. Nord's own GPs also
# cover sud, so nord reserves nord's target plus sud's; sud reserves
# nothing and is covered; ouest misses its target; est, without target,
# reserves every candidate (14-18). Saturday: "sat" then hour "14".
H='14 15 16 17 18 19'
rows() {
	local h out=
	for h in $H; do out+="$h=$1/$2/$3/$4 "; done
	echo "$out"
}
NORD_WD="14=3/4/3/0 $(rows 2 3 2 0 | cut -d' ' -f2-)"
NORD_SAT="14=3/4/3/0 $(rows 1 2 1 0 | cut -d' ' -f2-)"
SUD_ROW=$(rows 1 0 1 0)
OUEST_ROW=$(rows 1 0 0 1)
EST_ROW="$(rows null 2 2 0 | cut -d' ' -f1-4) 18=null/0/0/0 19=null/0/0/0 "
WEEKDAYS='2026-11-30 2026-12-01 2026-12-03 2026-12-04'
DAYS="$WEEKDAYS 2026-12-02 2026-12-05 2026-12-06"

# --- the plan made at start ----------------------------------------------
plan_config "$T_DIR/snpd.db" 7 "$WEEK" "$NORD" "$OUEST"
sub_start "$T_DIR/events.txt"
snpd_at 2026-11-30T10:00:00+01:00 || { not_ok "snpd starts"; exit 1; }

# The first plan waits for the feeds' first reading: wait for it.
start_plan_done() {
	local p
	p=$(plan 2026-11-30 2026-12-07 '"slots":false')
	grep -q '"ready":true' <<<"$p" &&
	    [ "$(row "$p" 2026-12-01 nord)" = "$NORD_WD" ] &&
	    [ "$(row "$p" 2026-12-05 nord)" = "$NORD_SAT" ] &&
	    [ "$(row "$p" 2026-12-04 est)" = "$EST_ROW" ]
}
check "the plan is made at start, without a rebuild" \
    wait_for 10 start_plan_done
P=$(plan 2026-11-30 2026-12-07 '"slots":false')
check "plan.get: ready" grep -q '"ready":true' <<<"$P"
for d in $DAYS; do
	check "$d is planned" \
	    test "$(field "$P" $d planned)" = '"planned":true'
done
for d in $WEEKDAYS; do
	check "$d nord: 3 at 14h, 2 after, sud's on top ($(row "$P" $d nord))" \
	    test "$(row "$P" $d nord)" = "$NORD_WD"
	check "$d: 6 missing (ouest's)" \
	    test "$(field "$P" $d gaps)" = '"gaps":6'
	check "$d window 14:00-20:00" test "$(field "$P" $d window)" = \
	    "$(printf '"window":{"start":"%s","end":"%s"}' \
	    "${d}T14:00:00+01:00" "${d}T20:00:00+01:00")"
done
check "Saturday nord: 'sat' 1, hour 14 still 3 ($(row "$P" 2026-12-05 nord))" \
    test "$(row "$P" 2026-12-05 nord)" = "$NORD_SAT"
check "est, no target, reserves every candidate ($(row "$P" 2026-11-30 est))" \
    test "$(row "$P" 2026-11-30 est)" = "$EST_ROW"
check "Sunday, not in the window days: window null" \
    test "$(field "$P" 2026-12-06 window)" = '"window":null'
check "... and no hours" test -z "$(row "$P" 2026-12-06 nord)"
check "... and no gap" test "$(field "$P" 2026-12-06 gaps)" = '"gaps":0'
check "the holiday (no \"hol\" in the window days): window null" \
    test "$(field "$P" 2026-12-02 window)" = '"window":null'
check "... and no hours" test -z "$(row "$P" 2026-12-02 ouest)"
P=$(plan 2026-11-30 2026-12-07)
check "... and no slots" lacks '/20261202T' "$(slots_of "$P")"
check "there are slots" grep -q '"state":"reserved"' <<<"$P"
check "the slot ids are gp/UTC start" grep -q \
    '{"slot":"gp-n[123]/20261130T130000Z","gp":"gp-n[123]","sector":"nord","start":"2026-11-30T14:00:00+01:00","end":"2026-11-30T14:30:00+01:00","state":"reserved"}' \
    <<<"$P"
check "130 slots: 4 weekdays of 27, a Saturday of 22" \
    test "$(slot_ids "$P" | wc -l)" -eq 130
check "est's GP: 8 slots a window day, none after 18:00" \
    test "$(slot_ids "$P" | grep -c '^gp-e1/')" -eq 40
check "nobody reserves for sud's GP, who has no time" \
    lacks gp-s1 "$(slots_of "$P")"
per_gp=$(slot_ids "$P" | grep '^gp-n' | cut -d/ -f1 | uniq -c |
    tr -s ' \n' ' ')
check "nord's 90 slots are shared evenly (${per_gp})" \
    test "$per_gp" = " 30 gp-n1 30 gp-n2 30 gp-n3 "

# --- neighbour cover and gaps ----------------------------------------------
for d in $WEEKDAYS 2026-12-05; do
	check "$d sud: covered by nord, reserved 0, gap 0" \
	    test "$(row "$P" $d sud)" = "$SUD_ROW"
	check "$d ouest: nobody to cover it, a gap each hour" \
	    test "$(row "$P" $d ouest)" = "$OUEST_ROW"
done
P=$(plan 2026-12-01 2026-12-02 '"sector":"sud"')
check "plan.get sector=sud: sud" grep -q '"sector":"sud"' <<<"$P"
check "... only" lacks '"sector":"nord"' "$P"
check "... and sud's GPs' slots only (none)" test "$(slots_of "$P")" = '[]'
check "... the day's gaps count sud's only" \
    test "$(field "$P" 2026-12-01 gaps)" = '"gaps":0'
P=$(plan 2026-12-01 2026-12-02 '"sector":"est"')
check "plan.get sector=est: est's slots only" \
    test "$(slot_ids "$P" | grep -vc '^gp-e1/')" -eq 0

# --- who may ---------------------------------------------------------------
out=$(req plan.get '{"from":"2026-11-30","to":"2026-12-01"}' "$SECR_TOKEN")
check "the secretariat reads the plan" grep -q '"ok":true' <<<"$out"
out=$(req plan.get '{"from":"2026-11-30","to":"2026-12-01"}' "$NURSE_TOKEN")
check "a nurse may not: $(code_of "$out")" \
    test "$(code_of "$out")" = E_FORBIDDEN
out=$(req plan.get '{"from":"2026-11-30","to":"2026-12-01"}' "$GP_TOKEN")
check "nor a GP: $(code_of "$out")" test "$(code_of "$out")" = E_FORBIDDEN
out=$(req plan.rebuild '{}' "$SECR_TOKEN")
check "the secretariat may not rebuild: $(code_of "$out")" \
    test "$(code_of "$out")" = E_FORBIDDEN
bad() {
	local desc=$1 want=$2 op=$3 args=$4 out
	out=$(req "$op" "$args")
	check "$desc -> $want ($(code_of "$out"))" \
	    test "$(code_of "$out")" = "$want"
}
bad "plan.get, to before from" E_BAD_ARGS plan.get \
    '{"from":"2026-12-03","to":"2026-12-01"}'
bad "plan.get, to = from" E_BAD_ARGS plan.get \
    '{"from":"2026-12-03","to":"2026-12-03"}'
bad "plan.get without from" E_BAD_ARGS plan.get '{"to":"2026-12-03"}'
bad "plan.get, 63 days" E_BAD_ARGS plan.get \
    '{"from":"2026-11-30","to":"2027-02-01"}'
bad "plan.get, a date that is none" E_BAD_ARGS plan.get \
    '{"from":"2026-11-31","to":"2026-12-03"}'
bad "plan.get, slots not a boolean" E_BAD_ARGS plan.get \
    '{"from":"2026-11-30","to":"2026-12-03","slots":"no"}'
bad "plan.get, an unknown sector" E_NOT_FOUND plan.get \
    '{"from":"2026-11-30","to":"2026-12-03","sector":"nord-est"}'
bad "plan.rebuild, to before from" E_BAD_ARGS plan.rebuild \
    '{"from":"2026-12-03","to":"2026-12-01"}'
P=$(plan 2026-11-30 2027-01-31 '"slots":false')
check "plan.get over 62 days is fine" grep -q '"ok":true' <<<"$P"
check "... days past the horizon are not planned" \
    test "$(field "$P" 2026-12-07 planned)" = '"planned":false'
check "... nor have a window" \
    test "$(field "$P" 2026-12-07 window)" = '"window":null'

# --- a feed change: one GP loses 15:00-16:00 on Thursday ------------------
settle
BEFORE=$(plan 2026-11-30 2026-12-07)
LOST=$(slot_ids "$BEFORE" | grep -m1 '^gp-n[123]/20261203T14' | cut -d/ -f1)
check "a nord GP holds a slot on Thursday at 15h (${LOST:-none})" \
    test -n "$LOST"
LOST=${LOST:-gp-n1}
n_ev=$(wc -l <"$T_DIR/events.txt")
n_log=$(wc -l <"$SNPD_LOG")
feed_save "${LOST#gp-}" 200000 20261203
check "plan.changed for that date arrives" wait_for 10 events_since \
    "$T_DIR/events.txt" "$n_ev" '^plan.changed {"date":"2026-12-03"'
replans=$(tail -n "+$((n_log + 1))" "$SNPD_LOG" |
    grep -o '\[plan\] [0-9]* days planned:' | cut -d' ' -f2-)
settle
AFTER=$(plan 2026-11-30 2026-12-07)
gone=$(comm -23 <(slot_ids "$BEFORE") <(slot_ids "$AFTER"))
new=$(comm -13 <(slot_ids "$BEFORE") <(slot_ids "$AFTER"))
check "$LOST's slots in the lost hour went ($(echo $gone))" \
    test "$gone" = "$(slot_ids "$BEFORE" | grep "^$LOST/20261203T14")"
check "new slots of other GPs restore it ($(echo $new))" test -n "$new"
check "... only in that hour" lacks -v "/20261203T14" "$new"
check "... and not $LOST's" lacks "^$LOST/" "$new"
check "as many as went" test "$(wc -l <<<"$gone")" -eq "$(wc -l <<<"$new")"
check "Thursday's coverage is whole again" \
    test "$(row "$AFTER" 2026-12-03 nord)" = "$NORD_WD"
ev=$(events_since "$T_DIR/events.txt" "$n_ev" \
    '^plan.changed {"date":"2026-12-03"' | tail -1)
check "plan.changed counts them: $ev" grep -q \
    "\"reserved\":27,\"added\":$(wc -l <<<"$new"),\"removed\":$(wc -l <<<"$gone"),\"gaps\":6" \
    <<<"$ev"
check "no other day was announced" lacks -v '"date":"2026-12-03"' \
    "$(events_since "$T_DIR/events.txt" "$n_ev" '^plan.changed')"
check "only that day was re-planned ($(echo $replans))" \
    test "$replans" = "1 days planned:"

# --- a restart on the same store, and a rebuild ---------------------------
stop_snpd
check "snpd stops cleanly" test "$SNPD_STATUS" = 0
snpd_at 2026-11-30T10:00:00+01:00 || { not_ok "snpd restarts"; exit 1; }
ready() { plan 2026-11-30 2026-12-07 '"slots":false' | grep -q '"ready":true'; }
check "after a restart, the plan is ready again" wait_for 10 ready
settle
P=$(plan 2026-11-30 2026-12-07)
check "... with the same slots, byte for byte" \
    test "$(slots_of "$P")" = "$(slots_of "$AFTER")"
out=$(req plan.rebuild '{}' "$COORD_TOKEN")
check "plan.rebuild: 7 days, 130 reserved, 30 missing ($out)" \
    grep -q '"result":{"days":7,"reserved":130,"gaps":30}' <<<"$out"
out=$(req plan.rebuild '{"from":"2026-12-05","to":"2026-12-06"}')
check "plan.rebuild of the Saturday: 22 reserved, 6 missing ($out)" \
    grep -q '"result":{"days":1,"reserved":22,"gaps":6}' <<<"$out"
P=$(plan 2026-11-30 2026-12-07)
check "... and the slots stay as they were" \
    test "$(slots_of "$P")" = "$(slots_of "$AFTER")"

# --- a reload that raises targets -------------------------------------------
n_ev=$(wc -l <"$T_DIR/events.txt")
plan_config "$T_DIR/snpd.db" 7 "$WEEK" '{"default": 3, "sat": 1, "14": 3}' \
    '{"default": 1, "16": 2}'
kill -HUP "$SNPD_PID"
NORD3="14=3/4/3/0 $(rows 3 4 3 0 | cut -d' ' -f2-)"
reloaded() {
	[ "$(row "$(plan 2026-12-01 2026-12-02)" 2026-12-01 nord)" = "$NORD3" ]
}
check "after SIGHUP the plan follows nord's new target" wait_for 10 reloaded
settle
P=$(plan 2026-11-30 2026-12-07)
for d in $WEEKDAYS; do
	check "$d nord: 3 an hour ($(row "$P" $d nord))" \
	    test "$(row "$P" $d nord)" = "$NORD3"
done
check "Saturday's own target stays ($(row "$P" 2026-12-05 nord))" \
    test "$(row "$P" 2026-12-05 nord)" = "$NORD_SAT"
check "ouest misses 2 at 16h ($(row "$P" 2026-12-04 ouest))" \
    test "$(row "$P" 2026-12-04 ouest)" = \
    "14=1/0/0/1 15=1/0/0/1 16=2/0/0/2 17=1/0/0/1 18=1/0/0/1 19=1/0/0/1 "
out=$(req plan.rebuild '{}' "$COORD_TOKEN")
check "plan.rebuild: 150 reserved, 35 missing ($out)" \
    grep -q '"result":{"days":7,"reserved":150,"gaps":35}' <<<"$out"
for d in $WEEKDAYS 2026-12-05; do
	check "coverage.gap for ouest at 16h on $d" events_since \
	    "$T_DIR/events.txt" "$n_ev" \
	    "^coverage.gap {\"date\":\"$d\",\"sector\":\"ouest\",\"hour\":16,\"start\":\"${d}T16:00:00+01:00\",\"target\":2,\"covered\":0,\"missing\":2}"
	check "plan.changed for $d" events_since "$T_DIR/events.txt" \
	    "$n_ev" "^plan.changed {\"date\":\"$d\""
done
check "no coverage.gap where no gap grew" lacks -v '"hour":16,' \
    "$(events_since "$T_DIR/events.txt" "$n_ev" '^coverage.gap')"
check "no plan.changed for the unchanged holiday" lacks \
    '^plan.changed {"date":"2026-12-02"' \
    "$(tail -n "+$((n_ev + 1))" "$T_DIR/events.txt")"

# --- a target lowered: slots stay until a rebuild releases them -----------
plan_config "$T_DIR/snpd.db" 7 "$WEEK" '{"default": 1}' \
    '{"default": 1, "16": 2}'
kill -HUP "$SNPD_PID"
lowered() {
	[ "$(row "$(plan 2026-12-01 2026-12-02)" 2026-12-01 nord)" = \
	    "$(rows 1 4 1 0)" ]
}
check "a lowered target keeps the reserved slots (kept)" wait_for 10 lowered
out=$(req plan.rebuild '{"from":"2026-12-01","to":"2026-12-02",
    "release":true}' "$COORD_TOKEN")
check "plan.rebuild with release answers ($out)" \
    grep -q '"result":{"days":1,' <<<"$out"
P=$(plan 2026-12-01 2026-12-02)
check "... and gives back what nord and sud do not need ($(row "$P" \
    2026-12-01 nord))" test "$(row "$P" 2026-12-01 nord)" = "$(rows 1 2 1 0)"
P=$(plan 2026-12-03 2026-12-04)
check "... on the days asked only ($(row "$P" 2026-12-03 nord))" \
    test "$(row "$P" 2026-12-03 nord)" = "$(rows 1 4 1 0)"

# --- today's slots that began stay, whatever the feeds say now ------------
TODAY=$(slot_ids "$(plan 2026-11-30 2026-12-01)")
stop_snpd
sub_stop
for g in n1 n2 n3; do
	if [ "gp-$g" = "$LOST" ]; then
		feed_save $g 200000 20261130 20261203
	else
		feed_save $g 200000 20261130
	fi
done
snpd_at 2026-11-30T16:10:00+01:00 ||
    { not_ok "snpd restarts at 16:10"; exit 1; }
busy_read() {
	local g
	for g in gp-n1 gp-n2 gp-n3; do
		ctl "$ADMIN_TOKEN" --json call avail.get "$(printf \
		    '{"gp":"%s","from":"2026-11-30","to":"2026-12-01"}' $g)" |
		    tr -d ' \n' |
		    grep -q '"busy":\[{"start":"2026-11-30T15:00:00+01:00"' ||
		    return 1
	done
}
check "the new agendas are read (15:00-16:00 busy today)" wait_for 10 busy_read
settle
P=$(plan 2026-11-30 2026-12-01)
check "today's slots begun before 16:10 stay, busy or not" test \
    "$(slot_ids "$P" | grep -E '/20261130T(1[34]|150000)')" = \
    "$(grep -E '/20261130T(1[34]|150000)' <<<"$TODAY")"
busy=$(grep -c '^gp-n./20261130T14' <<<"$TODAY")
check "... among them, $busy now busy" test "$busy" -gt 0
check "... and the rest of the day as it was" \
    test "$(slot_ids "$P")" = "$TODAY"
stop_snpd

# --- midnight: the day entering the horizon is planned ---------------------
plan_config "$T_DIR/midnight.db" 3 "$WEEK" "$NORD" "$OUEST"
sub_start "$T_DIR/events-midnight.txt"
snpd_at 2026-11-30T23:59:56+01:00 ||
    { not_ok "snpd starts before midnight"; exit 1; }
settle
P=$(plan 2026-11-30 2026-12-04 '"slots":false')
OLD_DAY=$(day_of "$P" 2026-11-30)
check "before midnight the horizon's 3 days are planned" test \
    "$(field "$P" 2026-11-30 planned)$(field "$P" 2026-12-02 planned)" = \
    '"planned":true"planned":true'
check "... and the 3rd of December is not" \
    test "$(field "$P" 2026-12-03 planned)" = '"planned":false'
new_day_planned() {
	[ "$(field "$(plan 2026-12-03 2026-12-04 '"slots":false')" \
	    2026-12-03 planned)" = '"planned":true' ]
}
check "after midnight it is" wait_for 10 new_day_planned
check "plan.changed for it arrives" wait_for 5 grep -q \
    '^plan.changed {"date":"2026-12-03","reserved":27,"added":27,"removed":0,"gaps":6}' \
    "$T_DIR/events-midnight.txt"
check "coverage.gap for ouest's new gaps" grep -q \
    '^coverage.gap {"date":"2026-12-03","sector":"ouest","hour":14,"start":"2026-12-03T14:00:00+01:00","target":1,"covered":0,"missing":1}' \
    "$T_DIR/events-midnight.txt"
P=$(plan 2026-11-30 2026-12-04 '"slots":false')
check "its plan is a Thursday's" \
    test "$(row "$P" 2026-12-03 nord)" = "$NORD_WD"
check "yesterday stays as it was" test "$(day_of "$P" 2026-11-30)" = "$OLD_DAY"
stop_snpd
sub_stop

# --- a spring-forward Sunday ------------------------------------------------
plan_config "$T_DIR/dst.db" 3 '["mon","tue","wed","thu","fri","sat","sun"]' \
    "$NORD" "$OUEST"
snpd_at 2027-03-26T10:00:00+01:00 ||
    { not_ok "snpd starts in March"; exit 1; }
settle
P=$(plan 2027-03-26 2027-03-29)
check "Saturday 27 March: window in winter time" \
    test "$(field "$P" 2027-03-27 window)" = "$(printf \
    '"window":{"start":"%s","end":"%s"}' 2027-03-27T14:00:00+01:00 \
    2027-03-27T20:00:00+01:00)"
check "Sunday 28 March: window 14:00-20:00 in summer time" \
    test "$(field "$P" 2027-03-28 window)" = "$(printf \
    '"window":{"start":"%s","end":"%s"}' 2027-03-28T14:00:00+02:00 \
    2027-03-28T20:00:00+02:00)"
check "... six hours, targets as any Sunday ($(row "$P" 2027-03-28 nord))" \
    test "$(row "$P" 2027-03-28 nord)" = "$NORD_WD"
check "... the 14h hour starts at 14:00+02:00" grep -q \
    '{"hour":14,"start":"2027-03-28T14:00:00+02:00"' <<<"$P"
check "... its first slots start at 12:00 UTC" \
    grep -q '/20270328T120000Z' <<<"$(slot_ids "$P")"
check "... and all between 12:00 and 18:00 UTC" lacks -v '/20270328T1[2-7]' \
    "$(slot_ids "$P" | grep /20270328T)"
check "... the 19h hour's slots at 19:xx+02:00" \
    grep -q '"start":"2027-03-28T19:[03]0:00+02:00"' <<<"$P"
stop_snpd
check "snpd stops cleanly at the end" test "$SNPD_STATUS" = 0

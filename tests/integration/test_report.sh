#!/usr/bin/env bash
# snpctl report end to end: snpd plans a small territory from its feeds,
# a patient is booked and a teleconsultation accepted, then the report of
# two weeks is read in each format: the terminal summary, CSV per GP and
# per GP and week (RFC 4180, names quoted), snpd's JSON, and the HTML
# page, which headless Chromium renders: its DOM must hold the heatmap's
# cells with the expected colors, its A4 screenshot must not be blank.
# The screenshot is kept in the build's meson-logs (SNP_ARTIFACTS).
. "$(dirname "$0")/lib.sh"
trap 'finish; exit $?' EXIT

skip() { T_N=$((T_N + 1)); echo "ok $T_N # SKIP $*"; }

NOW=2026-11-30T14:30:00+01:00	# a Monday, inside the 14:00-17:00 shift
FROM=2026-11-30
TO=2026-12-14			# two ISO weeks: 2026-W49 (planned), W50
# Names that CSV must quote and HTML escape.
TERRITORY='CPTS Rapport & <Test>'
BNAME="Dr Hélène \"Lena\" <Bérard> & O'Neil, fils"
HTML=$T_DIR/report.html

# An agenda with SNP time every afternoon from 14:00 to $2 and, with $3,
# on-call time (ASTREINTE) 14:00-20:00 too. calendar UID END [ONCALL]
calendar() {
	printf '%s\r\n' "BEGIN:VCALENDAR" "VERSION:2.0" \
	    "PRODID:-//snpd//tests//EN" "BEGIN:VEVENT" "UID:snp-$1@test" \
	    "DTSTAMP:20261101T000000Z" \
	    "DTSTART;TZID=Europe/Paris:20261102T140000" \
	    "DTEND;TZID=Europe/Paris:20261102T$2" "RRULE:FREQ=DAILY" \
	    "CATEGORIES:SNP" "SUMMARY:Créneaux SNP" "END:VEVENT"
	[ -n "${3:-}" ] && printf '%s\r\n' "BEGIN:VEVENT" "UID:oc-$1@test" \
	    "DTSTAMP:20261101T000000Z" \
	    "DTSTART;TZID=Europe/Paris:20261102T140000" \
	    "DTEND;TZID=Europe/Paris:20261102T200000" "RRULE:FREQ=DAILY" \
	    "CATEGORIES:ASTREINTE" "SUMMARY:Astreinte" "END:VEVENT"
	printf '%s\r\n' "END:VCALENDAR"
}
mkdir -p "$T_DIR/feeds"
calendar dupont 200000 oncall >"$T_DIR/feeds/dupont.ics"
calendar berard 170000 >"$T_DIR/feeds/berard.ics"
calendar est 160000 >"$T_DIR/feeds/est.ics"

# nord: a target of 1 every hour, met by gp-dupont (14-20). sud: a target
# of 1 but none at 19h, gp-berard only until 17:00, so 17h and 18h are
# gaps. est: no target. Not neighbours: nobody covers another's gap.
cat >"$T_DIR/snpd.json" <<JSON
{
  "territory": {"name": "CPTS Rapport & <Test>", "timezone": "Europe/Paris",
    "horizon_days": 7, "slot_minutes": 60},
  "sectors": [
    {"id": "nord", "name": "Nord", "communes": ["63285"],
     "target": {"default": 1}},
    {"id": "sud", "name": "Sud", "communes": ["63164"],
     "target": {"default": 1, "19": 0}},
    {"id": "est", "name": "Est"}
  ],
  "gps": [
    {"id": "gp-dupont", "name": "Dr Claire Dupont", "sector": "nord",
     "teleconsult": true, "feed": "feeds/dupont.ics"},
    {"id": "gp-berard", "name": "Dr Hélène \"Lena\" <Bérard> & O'Neil, fils",
     "sector": "sud", "feed": "feeds/berard.ics"},
    {"id": "gp-est", "name": "=Dr Est", "sector": "est",
     "feed": "feeds/est.ics"}
  ],
  "server": {"rep": "$REP", "pub": "$PUB", "linger_ms": 100},
  "store": {"path": "$T_DIR/snpd.db"},
  "export_dir": "$T_DIR/export",
  "principals": [
    {"name": "admin", "role": "admin", "token": "$ADMIN_TOKEN"},
    {"name": "coord", "role": "coordinator", "token": "$COORD_TOKEN"},
    {"name": "secr", "role": "secretariat", "token": "$SECR_TOKEN"},
    {"name": "ide-roux", "role": "nurse", "token": "$NURSE_TOKEN"},
    {"name": "dupont", "role": "gp", "gp": "gp-dupont", "token": "$GP_TOKEN"}
  ]
}
JSON
chmod 600 "$T_DIR/snpd.json"

"$SNPD" -c "$T_DIR/snpd.json" --now "$NOW" --log-level info \
    2>>"$SNPD_LOG" &
SNPD_PID=$!
wait_for 20 ctl "$ADMIN_TOKEN" --timeout 1 ping ||
    { not_ok "snpd starts"; exit 1; }
ok "snpd starts"

# --- the period's life: a plan, a booking, a teleconsultation ----------
planned() {
	ctl "$SECR_TOKEN" search --from 2026-12-01 --to 2026-12-02 \
	    --sector sud --no-neighbours | grep -q gp-berard
}
check "the plan is made: slots are searchable" wait_for 20 planned
check "a patient is booked (snpctl book --at)" \
    ctl "$SECR_TOKEN" book --at 2026-11-30T16:00:00+01:00 --sector nord \
    --name 'Jeanne Rapport' --reason 'fièvre'
check "gp-dupont is on call" wait_for 20 ctl "$ADMIN_TOKEN" oncall
TC=$(ctl "$NURSE_TOKEN" tc request --commune 63285 --reason 'dyspnée' \
    --patient 'Jean Rapport' | head -1)
check "a nurse asks for a teleconsultation ($TC)" test -n "$TC"
check "gp-dupont accepts it" ctl "$GP_TOKEN" tc ack "$TC"

report() { ctl "$COORD_TOKEN" report --from "$FROM" --to "$TO" "$@"; }

# --- the command line, checked before anything is sent -----------------
usage() {
	local rc
	ctl "$COORD_TOKEN" report "$@" >/dev/null 2>&1
	rc=$?
	check "report $* -> exit 2 (got $rc)" test "$rc" = 2
}
usage
usage --from "$FROM"
usage --quarter 2027Q5
usage --quarter 2027Q1 --from "$FROM"
usage --from 2026-11-30T14:00:00+01:00 --to "$TO"
usage --from "$FROM" --to "$TO" --csv --html "$HTML"
usage --from "$FROM" --to "$TO" --csv --json
usage --from "$FROM" --to "$TO" --threshold 3
usage --from "$FROM" --to "$TO" --per-gp --threshold -1
ctl "$SECR_TOKEN" report --from "$FROM" --to "$TO" >/dev/null 2>&1
check "the secretariat may not read the report (exit 1)" test $? = 1
out=$(ctl "$COORD_TOKEN" report --quarter 2027q1 --json)
check "--quarter 2027Q1 is January 1 to April 1" \
    grep -q '"from": "2027-01-01"' <<<"$out"
check "... April 1 excluded" grep -q '"to": "2027-04-01"' <<<"$out"
out=$(ctl "$COORD_TOKEN" report --quarter 2026Q4 --json)
check "--quarter 2026Q4 ends on January 1 of the next year" \
    grep -q '"to": "2027-01-01"' <<<"$out"

# --- terminal ------------------------------------------------------------
out=$(report)
check "terminal: exit 0" test $? = 0
check "terminal: the period, last day included" \
    grep -qx 'Report 2026-11-30 to 2026-12-13 (14 days), all sectors' <<<"$out"
check "terminal: the coverage line" \
    grep -qE '^Coverage +[0-9.]+% \([0-9]+ of [0-9]+ sector-hours at target\)$' <<<"$out"
check "terminal: the booking counted" \
    grep -qE '^Booked +1, fill rate [0-9.]+%' <<<"$out"
check "terminal: the gaps of sud at 17h" \
    grep -qE '^lun\. 30/11 +sud +17h +1 +0$' <<<"$out"
check "terminal: a row per GP" \
    test "$(grep -cE '^gp-(dupont|berard|est) ' <<<"$out")" = 3
check "terminal: gp-dupont's booking and teleconsultation" \
    grep -qE '^gp-dupont +nord +[0-9.]+ h +[0-9.]+ h +1 +0 +1$' <<<"$out"
check "terminal: the time to accept in min:s" \
    grep -qE '^Time to accept +median [0-9]+:[0-5][0-9], p90 [0-9]+:[0-5][0-9] \(min:s\)$' <<<"$out"
out=$(report --per-gp --threshold 16)
check "terminal --per-gp: a row per GP and week" \
    test "$(grep -cE '^gp-[a-z]+ +2026-W(49|50) ' <<<"$out")" = 6
check "terminal --per-gp: gp-est's week 49 below 16 h" \
    grep -qE '^gp-est +2026-W49 .* below 16 h$' <<<"$out"
check "terminal --per-gp: gp-dupont's week 49 not marked" \
    grep -qE '^gp-dupont +2026-W49 .*[0-9]$' <<<"$out"
out=$(ctl "$COORD_TOKEN" report --from "$FROM" --to "$TO" --sector sud)
check "terminal --sector sud: its GP only" \
    test "$(grep -cE '^gp-' <<<"$out")" = 1

# --- CSV per GP ----------------------------------------------------------
report --csv >"$T_DIR/gps.csv"
check "csv: exit 0" test $? = 0
check "csv: the header" test "$(head -1 "$T_DIR/gps.csv")" = \
    'gp,name,sector,offered_h,reserved_h,reserved,booked,seen,tc_accepted'
check "csv: a header, a row per GP, TOTAL" \
    test "$(wc -l <"$T_DIR/gps.csv")" = 5
check "csv: LF line ends, no CR" test "$(tr -cd '\r' <"$T_DIR/gps.csv" | wc -c)" = 0
check "csv: a name with a comma and quotes is quoted, quotes doubled" \
    grep -qF ',"Dr Hélène ""Lena"" <Bérard> & O'"'"'Neil, fils",sud,' \
    "$T_DIR/gps.csv"
# A name starting with = would run as a formula in a spreadsheet.
check "csv: a name starting with = is written '=…" \
    grep -q "^gp-est,'=Dr Est,est," "$T_DIR/gps.csv"
check "csv: TOTAL sums the rows (1 booked, 1 teleconsultation)" \
    grep -qE '^TOTAL,,,[0-9.]+,[0-9.]+,[0-9]+,1,0,1$' "$T_DIR/gps.csv"
# meson runs on python3: its csv module is the reference reader.
csv_ok() {
	python3 - "$1" "$2" "$3" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
assert len(rows) == int(sys.argv[2]), rows
assert all(len(r) == int(sys.argv[3]) for r in rows), rows
names = [r[1] for r in rows]
assert 'Dr Hélène "Lena" <Bérard> & O\'Neil, fils' in names, names
PY
}
check "csv: python's csv module reads 5 rows of 9 fields" \
    csv_ok "$T_DIR/gps.csv" 5 9

# --- CSV per GP and week -------------------------------------------------
report --per-gp --threshold 16 --csv >"$T_DIR/weeks.csv"
check "csv --per-gp: exit 0" test $? = 0
check "csv --per-gp: the header" test "$(head -1 "$T_DIR/weeks.csv")" = \
    'gp,name,sector,week,offered_h,reserved_h,below_threshold,booked,seen_48h,tc_accepted'
check "csv --per-gp: python reads a header and 3 GPs x 2 weeks" \
    csv_ok "$T_DIR/weeks.csv" 7 10
check "csv --per-gp: gp-est below 16 h in week 49" \
    grep -qE "^gp-est,'=Dr Est,est,2026-W49,[0-9.]+,[0-9.]+,true," \
    "$T_DIR/weeks.csv"
check "csv --per-gp: gp-dupont above it, its booking and teleconsultation" \
    grep -qE '^gp-dupont,Dr Claire Dupont,nord,2026-W49,[0-9.]+,[0-9.]+,false,1,0,1$' \
    "$T_DIR/weeks.csv"
check "csv --per-gp: week 50, beyond the plan, below for everyone" \
    test "$(grep -c ',2026-W50,0,0,true,' "$T_DIR/weeks.csv")" = 3

# --- JSON ----------------------------------------------------------------
report --json >"$T_DIR/report.json"
check "json: exit 0" test $? = 0
check "json: valid (python3 -m json.tool)" \
    python3 -m json.tool "$T_DIR/report.json"
for k in '"snp": {' '"coverage": ' '"gaps": \[' '"gps": \[' '"tc": {' \
    '"heatmap": \['; do
	check "json: has $k" grep -q "$k" "$T_DIR/report.json"
done
check "json: no gp_weeks without --per-gp" \
    bash -c "! grep -q '\"gp_weeks\"' '$T_DIR/report.json'"

# --- HTML ----------------------------------------------------------------
report --per-gp --threshold 16 --html "$HTML"
check "html: exit 0, nothing on stdout" test $? = 0
check "html: the file is written" test -s "$HTML"
check "html: a document" grep -q '^<!DOCTYPE html>$' "$HTML"
check "html: titled with the territory, escaped" \
    grep -qF '<h1>CPTS Rapport &amp; &lt;Test&gt;</h1>' "$HTML"
check "html: names escaped (& < > \" ')" \
    grep -qF '<td>Dr Hélène &quot;Lena&quot; &lt;Bérard&gt; &amp; O&#39;Neil, fils</td>' "$HTML"
check "html: printable on A4" grep -qF '@page { size: A4; margin: 12mm }' "$HTML"
check "html: no heatmap cut by a page break" \
    grep -qF 'break-inside: avoid' "$HTML"
check "html: no script, no external resource" \
    bash -c "! grep -qiE '<script|<link|<img|src=|href=|url\\(|@import' '$HTML'"
check "html: the teleconsultation table" grep -qF 'Time to accept, median' "$HTML"
check "html: the gaps" \
    grep -qF '<td class="id">2026-11-30</td><td class="id">sud</td><td class="n">17</td>' "$HTML"
check "html: the weeks below the threshold marked" \
    grep -qF '<tr class="below"><td class="id">gp-est</td><td class="id">2026-W49</td>' "$HTML"
check "html: ... in words" grep -qF '<td class="id">below 16 h</td>' "$HTML"
# nord and sud have targets: 2 sectors x 2 weeks x 6 hours; est none.
check "html: 24 heatmap cells" test "$(grep -o 'class="cell"' "$HTML" | wc -l)" = 24
check "html: est has no map" grep -qF '<p>Sector est: no target in this period.</p>' "$HTML"

# --- rendered by headless Chromium ---------------------------------------
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
chrome() {
	timeout 120 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu \
	    --no-first-run --user-data-dir="$T_DIR/chromium" \
	    --hide-scrollbars "$@" 2>>"$T_DIR/chromium.log"
}
# The PNG's width and height from its IHDR chunk, "W H".
png_size() {
	od -An -tu1 -j16 -N8 "$1" | awk '{
	    printf "%d %d", (($1 * 256 + $2) * 256 + $3) * 256 + $4,
	    (($5 * 256 + $6) * 256 + $7) * 256 + $8 }'
}
if [ -z "$CHROMIUM" ] && [ "${CI:-}" != true ]; then
	for c in "renders a screenshot" "the DOM has the heatmap"; do
		skip "chromium not installed: $c"
	done
elif [ -z "$CHROMIUM" ]; then
	not_ok "chromium is installed (CI=true: scripts/deps.sh installs it)"
else
	chrome --screenshot="$T_DIR/report.png" --window-size=1240,1754 \
	    "file://$HTML" >/dev/null
	check "chromium renders a screenshot" test -s "$T_DIR/report.png"
	check "... a PNG" test "$(head -c 8 "$T_DIR/report.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a
	check "... of 1240 x 1754 (A4 at 150 dpi)" \
	    test "$(png_size "$T_DIR/report.png")" = "1240 1754"
	# A blank page compresses to a few KB; tables, text and colors not.
	check "... not blank: more than 10 KB ($(wc -c <"$T_DIR/report.png") bytes)" \
	    test "$(wc -c <"$T_DIR/report.png")" -gt 10240
	if [ -n "${SNP_ARTIFACTS:-}" ] && mkdir -p "$SNP_ARTIFACTS"; then
		cp "$T_DIR/report.png" "$SNP_ARTIFACTS/report.png"
		cp "$HTML" "$SNP_ARTIFACTS/report.html"
		echo "# screenshot kept in $SNP_ARTIFACTS/report.png"
	fi
	chrome --dump-dom "file://$HTML" >"$T_DIR/dom.html"
	check "chromium's DOM has the heatmaps' SVG" \
	    test "$(grep -o '<svg' "$T_DIR/dom.html" | wc -l)" = 3
	check "... 24 cells" \
	    test "$(grep -o '<rect class="cell"' "$T_DIR/dom.html" | wc -l)" = 24
	cells() { grep -o "<rect class=\"cell\"[^>]*fill=\"$1\"" "$T_DIR/dom.html" | wc -l; }
	# Week 49: nord met at 15h-19h, sud at 15h and 16h; at 14h both
	# missed Monday's slot, begun when snpd first planned (6 of 7); sud
	# missed 17h and 18h every day and has no target at 19h. Week 50,
	# beyond the plan's horizon, has no target anywhere.
	check "... green where the target was met ($(cells '#5cb85c'))" \
	    test "$(cells '#5cb85c')" = 7
	check "... nearly green where it was met 6 days of 7" \
	    test "$(grep -o '>85% (6/7)<' "$T_DIR/dom.html" | wc -l)" = 2
	check "... red at sud's 17h and 18h ($(cells '#e8553f'))" \
	    test "$(cells '#e8553f')" = 2
	check "... grey without a target ($(cells '#e0e0e0'))" \
	    test "$(cells '#e0e0e0')" = 13
	check "... the values written in the cells" \
	    grep -qF '>100% (' "$T_DIR/dom.html"
	[ "$T_FAILED" -gt 0 ] && sed 's/^/# chromium: /' "$T_DIR/chromium.log" | tail -20
fi

check "snpd is still running" snpd_alive
check "no patient name in snpd's log" \
    bash -c "! grep -qE 'Jeanne Rapport|Jean Rapport' '$SNPD_LOG'"

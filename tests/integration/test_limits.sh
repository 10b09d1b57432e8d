#!/usr/bin/env bash
# snpd under pressure: past server.max_in_flight a request is answered
# E_UNAVAILABLE at once (never silence), and a shutdown with requests
# arriving while its stop is being recorded writes exactly one stop row.
. "$(dirname "$0")/lib.sh"
trap 'finish; exit $?' EXIT

write_config "$T_DIR/snpd.json" "Dr Hélène Bérard" ', "max_in_flight": 2'
if start_snpd; then ok "snpd starts with max_in_flight 2"; else
	not_ok "snpd starts with max_in_flight 2"
	exit 1
fi

# Two reloads wait for the locked database: the server is full.
db_lock
ctl "$ADMIN_TOKEN" --timeout 15 reload >"$T_DIR/r1.out" 2>&1 &
r1=$!
ctl "$ADMIN_TOKEN" --timeout 15 reload >"$T_DIR/r2.out" 2>&1 &
r2=$!
check "two slow requests are in flight" \
    wait_for 5 bash -c "[ \$(grep -cF 'op=sys.reload received' '$SNPD_LOG') -ge 2 ]"
ctl "$SECR_TOKEN" --timeout 2 ping >/dev/null 2>"$T_DIR/err"
check "a third request is answered E_UNAVAILABLE at once" \
    grep -q 'E_UNAVAILABLE: too many requests in flight' "$T_DIR/err"
db_unlock
wait "$r1"
s1=$?
wait "$r2"
s2=$?
check "both slow requests then succeed" test "$s1$s2" = 00
check "and the server takes requests again" ctl "$SECR_TOKEN" ping

# Shutdown while the stop row waits for the disk: the requests arriving
# meanwhile are refused, and the stop is recorded once.
db_lock
kill -TERM "$SNPD_PID"
check "SIGTERM with nothing in flight goes straight to closing" \
    wait_for 5 log_has 'all requests answered; closing'
for i in 1 2 3; do
	ctl "$SECR_TOKEN" --timeout 2 ping >/dev/null 2>"$T_DIR/err$i"
done
check "requests while the stop is recorded get E_UNAVAILABLE" \
    bash -c "grep -l E_UNAVAILABLE '$T_DIR'/err[123] | wc -l | grep -qx 3"
db_unlock
wait_snpd_exit
check "snpd exits 0" test "$SNPD_STATUS" = 0
check "the stop was announced once" \
    test "$(log_count 'all requests answered; closing')" -eq 1
stops=$(sqlite3 "$T_DIR/snpd.db" \
    "SELECT count(*) FROM audit WHERE what = 'daemon.stop'")
check "the audit trail holds exactly one stop ($stops)" test "$stops" -eq 1

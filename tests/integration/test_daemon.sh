#!/usr/bin/env bash
# snpd end to end: ping/status/gps through snpctl and nanocat, every bad
# input of PROTOCOL.md, concurrency, reload (good and bad), and a clean
# SIGTERM that still answers the request in flight.
. "$(dirname "$0")/lib.sh"
trap 'finish; exit $?' EXIT

write_config
mkdir -p "$T_DIR/feeds"

# --- configuration checks, before any daemon runs ---------------------
out=$("$SNPD" --check -c "$T_DIR/snpd.json" 2>&1)
check "--check accepts the test config" \
    grep -q 'valid: CPTS Test, 2 sectors, 2 GPs, 5 principals' <<<"$out"

chmod 644 "$T_DIR/snpd.json"
out=$("$SNPD" --check -c "$T_DIR/snpd.json" 2>&1)
status=$?
check "a config readable by others is refused (exit 2)" test "$status" -eq 2
check "... saying so" grep -q 'readable by others' <<<"$out"
chmod 600 "$T_DIR/snpd.json"

sed 's/"sector": "sud"/"sector": "nord-est"/' "$T_DIR/snpd.json" \
    >"$T_DIR/bad.json"
chmod 600 "$T_DIR/bad.json"
out=$("$SNPD" --check -c "$T_DIR/bad.json" 2>&1)
status=$?
check "a bad config exits 2" test "$status" -eq 2
check "... with one line naming the key" \
    test "$out" = 'gps[1].sector: unknown sector "nord-est"'

# The commented production example stays valid (token files provided).
example=$(dirname "$0")/../../conf/snpd.example.json
mkdir -p "$T_DIR/tokens"
for f in $(grep -o '/etc/snpd/tokens/[a-z0-9_-]*' "$example" | sort -u); do
	printf 'example-%s-%s\n' "${f##*/}" 0123456789abcdefghijklmnopqrstuv \
	    >"$T_DIR/tokens/${f##*/}"
	chmod 600 "$T_DIR/tokens/${f##*/}"
done
sed "s|/etc/snpd/tokens/|$T_DIR/tokens/|g" "$example" >"$T_DIR/example.json"
chmod 600 "$T_DIR/example.json"
out=$("$SNPD" --check -c "$T_DIR/example.json" 2>&1)
check "conf/snpd.example.json is a valid config" grep -q 'valid:' <<<"$out"
check "the demo config is valid" bash -c "cp '$(dirname "$0")/../../conf/demo/snpd.json' '$T_DIR/demo.json' && chmod 600 '$T_DIR/demo.json' && mkdir -p '$T_DIR/feeds' && '$SNPD' --check -c '$T_DIR/demo.json'"

# clock.fixed pins the clock like --now does.
sed 's|"export_dir"|"clock": {"fixed": "2027-03-28T14:00:00+02:00"},\n  "export_dir"|' \
    "$T_DIR/snpd.json" >"$T_DIR/fixed.json"
chmod 600 "$T_DIR/fixed.json"
"$SNPD" -c "$T_DIR/fixed.json" 2>"$T_DIR/fixed.log" &
fixed_pid=$!
wait_for 10 ctl "$ADMIN_TOKEN" ping
out=$(ctl "$ADMIN_TOKEN" ping)
check "clock.fixed pins snpd's clock (summer time offset)" \
    grep -q 'now 2027-03-28T14:00:0[0-9]+02:00' <<<"$out"
# Connecting to a Unix socket needs write permission: the group has it.
check "the ipc sockets are mode 660 ($(stat -c %a "$T_DIR/snpd.sock"))" \
    test "$(stat -c %a "$T_DIR/snpd.sock") $(stat -c %a "$T_DIR/events.sock")" = "660 660"
kill -TERM "$fixed_pid"
wait "$fixed_pid"
check "... and that snpd stops with status 0" test $? -eq 0
rm -f "$T_DIR/snpd.db"*

# server.socket_group hands the sockets to the clients' group.
grp=$(id -gn)
sed "s|\"server\": {|\"server\": {\"socket_group\": \"$grp\", |" \
    "$T_DIR/snpd.json" >"$T_DIR/group.json"
chmod 600 "$T_DIR/group.json"
"$SNPD" -c "$T_DIR/group.json" 2>"$T_DIR/group.log" &
group_pid=$!
wait_for 10 ctl "$ADMIN_TOKEN" ping
check "server.socket_group: the sockets belong to $grp" \
    test "$(stat -c %G "$T_DIR/snpd.sock")" = "$grp"
kill -TERM "$group_pid"
wait "$group_pid"
rm -f "$T_DIR/snpd.db"*
sed "s|\"server\": {|\"server\": {\"socket_group\": \"no-such-group-x\", |" \
    "$T_DIR/snpd.json" >"$T_DIR/group.json"
out=$("$SNPD" --check -c "$T_DIR/group.json" 2>&1)
check "an unknown server.socket_group is refused ($out)" \
    grep -q 'server.socket_group: no group "no-such-group-x"' <<<"$out"

# --- start, and the happy path -----------------------------------------
if start_snpd; then ok "snpd starts and answers ping"; else
	not_ok "snpd starts and answers ping"
	exit 1
fi

out=$(ctl "$SECR_TOKEN" ping)
check "snpctl ping shows the pinned clock" \
    grep -q 'now 2026-11-30T13:4[5-9]:[0-9][0-9]+01:00' <<<"$out"

out=$(ctl "$SECR_TOKEN" status)
check "snpctl status names the territory" grep -q 'CPTS Test' <<<"$out"
out=$(ctl "$SECR_TOKEN" --json status)
check "status --json counts GPs and sectors" \
    grep -q '"gps":[[:space:]]*2' <<<"$out"
check "status --json reports the store schema" \
    grep -q '"schema":[[:space:]]*6' <<<"$out"

out=$(ctl "$NURSE_TOKEN" gps)
check "snpctl gps lists both GPs" \
    grep -q 'gp-berard.*Dr Hélène Bérard.*sud' <<<"$out"
# Accented names are aligned by characters, not bytes.
col1=$(grep 'gp-berard' <<<"$out" | sed 's/sud.*//' | wc -m)
col2=$(grep 'gp-dupont' <<<"$out" | sed 's/nord.*//' | wc -m)
check "gps columns align with accented names ($col1 = $col2)" \
    test "$col1" -eq "$col2"
out=$(ctl "$NURSE_TOKEN" gps --sector nord)
check "gps --sector filters" \
    bash -c "grep -q gp-dupont <<<'$out' && ! grep -q gp-berard <<<'$out'"

out=$(nc_req --data "{\"v\":1,\"id\":\"n-1\",\"op\":\"sys.ping\",\"token\":\"$ADMIN_TOKEN\"}")
check "nanocat gets a ping reply" \
    grep -q '"id":"n-1","ok":true,"result":{"version":"0.1.0"' <<<"$out"

out=$(nc_req --data "{\"v\":1,\"id\":\"n-2\",\"op\":\"sys.status\",\"token\":\"$COORD_TOKEN\"}")
check "nanocat gets a status reply" \
    grep -q '"id":"n-2","ok":true,"result":{.*"territory":"CPTS Test"' <<<"$out"

# --- bad input: each gets its error reply, and snpd keeps serving -------
expect_error() {
	local desc=$1 code=$2 out
	shift 2
	out=$(nc_req "$@")
	check "$desc -> $code" grep -q "\"ok\":false,\"error\":{\"code\":\"$code\"" <<<"$out"
}
printf '\xff\xfe\x00\x01garbage\x80' >"$T_DIR/garbage.bin"
expect_error "garbage bytes" E_BAD_REQUEST --file "$T_DIR/garbage.bin"
expect_error "not JSON" E_BAD_REQUEST --data 'hello snpd'
expect_error "JSON that is not an object" E_BAD_REQUEST --data '[1,2,3]'
expect_error "bytes after the object" E_BAD_REQUEST \
    --data "{\"v\":1,\"op\":\"sys.ping\",\"token\":\"$ADMIN_TOKEN\"}x"
expect_error "no op" E_BAD_REQUEST --data '{"v":1,"id":"x"}'
expect_error "wrong v" E_VERSION --data '{"v":2,"id":"v2","op":"sys.ping"}'
out=$(nc_req --data '{"v":2,"id":"v2","op":"sys.ping"}')
check "the id is echoed on an error" grep -q '"id":"v2"' <<<"$out"
expect_error "unknown op" E_UNKNOWN_OP \
    --data "{\"v\":1,\"op\":\"sys.nope\",\"token\":\"$ADMIN_TOKEN\"}"
expect_error "missing token" E_UNAUTHENTICATED \
    --data '{"v":1,"op":"sys.ping"}'
expect_error "wrong token" E_UNAUTHENTICATED \
    --data '{"v":1,"op":"sys.ping","token":"admin-token-0123456789abcdefghijklmnopqrstuX"}'
expect_error "role not allowed" E_FORBIDDEN \
    --data "{\"v\":1,\"op\":\"sys.status\",\"token\":\"$NURSE_TOKEN\"}"
expect_error "args not an object" E_BAD_ARGS \
    --data "{\"v\":1,\"op\":\"gp.list\",\"token\":\"$ADMIN_TOKEN\",\"args\":[1]}"
expect_error "unknown sector" E_NOT_FOUND \
    --data "{\"v\":1,\"op\":\"gp.list\",\"token\":\"$ADMIN_TOKEN\",\"args\":{\"sector\":\"x\"}}"
head -c 5000 /dev/zero | tr '\0' 'a' >"$T_DIR/big.txt"
expect_error "a message over max_message_bytes" E_TOO_LARGE \
    --file "$T_DIR/big.txt"
# Far over the hard cap nanomsg drops the connection: no reply, no harm.
head -c 300000 /dev/zero | tr '\0' 'a' >"$T_DIR/huge.txt"
out=$(nanocat --req --connect "$REP" --recv-timeout 1 --raw \
    --file "$T_DIR/huge.txt" 2>/dev/null)
check "a message over the hard cap gets no reply" test -z "$out"
check "snpd still serves after all the bad input" ctl "$ADMIN_TOKEN" ping
# Escapes that decode to a newline cannot forge a log line (or a journal
# priority); raw control characters are refused outright.
nc_req --data "{\"v\":1,\"id\":\"i\\n<0>forged-id\",\"op\":\"sys.ping\\n<0>forged-op\",\"token\":\"$ADMIN_TOKEN\"}" >/dev/null
check "a newline in an id or op forges no log line" \
    bash -c "log_has() { grep -qF -- \"\$1\" '$SNPD_LOG'; }; log_has 'forged-op' && ! grep -q '^<0>forged' '$SNPD_LOG'"
expect_error "a raw control character in a string" E_BAD_REQUEST \
    --data "$(printf '{"v":1,"id":"a\001b","op":"sys.ping"}')"
check "snpd did not log the bad token" \
    bash -c "! grep -q 'abcdefghijklmnopqrstuX' '$SNPD_LOG'"

# --- snpctl's exit codes -----------------------------------------------
ctl "$NURSE_TOKEN" status >/dev/null 2>"$T_DIR/err"
check "snpctl exits 1 on an error reply" test $? -eq 1
check "... printing the code" grep -q E_FORBIDDEN "$T_DIR/err"
ctl "$ADMIN_TOKEN" frobnicate >/dev/null 2>&1
check "snpctl exits 2 on a usage error" test $? -eq 2
SNP_TOKEN=$ADMIN_TOKEN "$SNPCTL" --endpoint "ipc://$T_DIR/nobody.sock" \
    --timeout 0.3 ping >/dev/null 2>&1
check "snpctl exits 3 when nobody answers" test $? -eq 3

# --- reload --------------------------------------------------------------
cp "$T_DIR/snpd.json" "$T_DIR/good.json"
cp "$T_DIR/bad.json" "$T_DIR/snpd.json"
chmod 600 "$T_DIR/snpd.json"
kill -HUP "$SNPD_PID"
check "SIGHUP with a bad config is refused" \
    wait_for 5 log_has 'reload refused, old config kept: gps[1].sector'
check "... and snpd keeps serving the old config" \
    bash -c "ctl() { SNP_TOKEN=$ADMIN_TOKEN '$SNPCTL' --endpoint '$REP' gps; }; ctl | grep -q 'gp-berard.*sud'"
ctl "$ADMIN_TOKEN" reload >/dev/null 2>"$T_DIR/err"
check "sys.reload with a bad config answers an error" test $? -eq 1
check "... naming the key" grep -q 'gps\[1\].sector' "$T_DIR/err"

write_config "$T_DIR/snpd.json" "Dr Hélène Bérard-Martin"
kill -HUP "$SNPD_PID"
check "SIGHUP with a good config applies it" \
    wait_for 5 bash -c "SNP_TOKEN=$ADMIN_TOKEN '$SNPCTL' --endpoint '$REP' gps | grep -q 'Bérard-Martin'"
out=$(ctl "$ADMIN_TOKEN" reload)
check "sys.reload applies a good config" \
    grep -q 'config reloaded: 2 GPs, 2 sectors' <<<"$out"
ctl "$SECR_TOKEN" reload >/dev/null 2>&1
check "only an admin may reload" test $? -eq 1

# --- concurrency and shutdown with a request in flight ------------------
# With the database locked from outside, the next write (a reload's audit
# row) waits in the store.
db_lock

ctl "$ADMIN_TOKEN" --timeout 15 reload >"$T_DIR/slow.out" 2>&1 &
slow_pid=$!
check "the slow request reached snpd" \
    wait_for 5 bash -c "grep -c 'op=sys.reload received' '$SNPD_LOG' | grep -q '^[4-9]'"
check "a ping is answered while the slow request waits" \
    ctl "$SECR_TOKEN" --timeout 2 ping
kill -TERM "$SNPD_PID"
check "SIGTERM starts draining" wait_for 5 log_has 'SIGTERM: shutting down'
ctl "$SECR_TOKEN" --timeout 2 ping >/dev/null 2>"$T_DIR/err"
check "a request during the drain gets E_UNAVAILABLE" \
    grep -q E_UNAVAILABLE "$T_DIR/err"
db_unlock
wait "$slow_pid"
check "the request in flight at SIGTERM got its reply" test $? -eq 0
check "... a successful one" grep -q 'config reloaded' "$T_DIR/slow.out"
wait_snpd_exit
check "snpd exits 0 after SIGTERM" test "$SNPD_STATUS" = 0
check "... having closed every handle" log_has 'stopped cleanly'
# The rota's publication lands whenever the agendas are read: not here.
whats=$(sqlite3 "$T_DIR/snpd.db" "SELECT what FROM audit WHERE what NOT \
    LIKE 'rota.%' ORDER BY id" | tr '\n' ' ')
check "the audit trail holds start, reloads and stop ($whats)" \
    test "$whats" = "daemon.start config.reload config.reload config.reload daemon.stop "
check "the audit trail is append-only" \
    bash -c "! sqlite3 '$T_DIR/snpd.db' 'DELETE FROM audit' 2>/dev/null"

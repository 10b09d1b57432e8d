#!/usr/bin/env bash
# Bounded libFuzzer runs: scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Targets: proto (request decoding) and cal (calendar -> availability);
# all of them by default, SECONDS each (default 45). Sets up build-fuzz
# (clang, -Dfuzz=true) when missing and fuzzes a copy of each target's
# seed corpus in tests/fuzz/corpus/<target>. Crash, leak and timeout
# inputs are kept in build-fuzz/artifacts/; replay one with
# build-fuzz/tests/fuzz/fuzz_<target> build-fuzz/artifacts/<file>.
# Exits non-zero when any target found anything.
set -euo pipefail

secs=${1:-45}
case $secs in
'' | *[!0-9]*)
	echo "usage: $0 [SECONDS] [proto|cal ...]" >&2
	exit 2
	;;
esac
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(proto cal)

root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
artifacts=$build/artifacts

if [ ! -f "$build/build.ninja" ]; then
	# fuzzer-no-link and the sanitizers on the whole tree, so that the
	# libraries get coverage feedback and checks, not only the targets.
	CC=clang meson setup "$build" -Dfuzz=true -Dtests=false \
	    -Dc_args=-fsanitize=fuzzer-no-link \
	    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
for t in "${targets[@]}"; do
	ninja -C "$build" "tests/fuzz/fuzz_$t" >/dev/null
done

work=$(mktemp -d "${TMPDIR:-/tmp}/snp-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"
status=0
for t in "${targets[@]}"; do
	mkdir -p "$work/$t"
	cp "$root/tests/fuzz/corpus/$t"/* "$work/$t/"
	set +e
	# -timeout: one input running past 10 s is a hang, and a failure.
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    "$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" \
	    -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	    -dict="$root/tests/fuzz/$t.dict" -print_final_stats=1 \
	    -artifact_prefix="$artifacts/$t-" "$work/$t" >"$work/$t.log" 2>&1
	rc=$?
	set -e
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
	    "$work/$t.log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "fuzz $t: ok (${execs:-0} execs in ${secs} s)"
	else
		# libFuzzer is chatty: its whole output only on failure.
		cat "$work/$t.log"
		echo "fuzz $t: FAILED"
		status=1
	fi
done
exit $status

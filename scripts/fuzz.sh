#!/usr/bin/env bash
# Bounded libFuzzer run of the request decoder: scripts/fuzz.sh [SECONDS]
#
# Sets up build-fuzz (clang, -Dfuzz=true) when missing, builds fuzz_proto,
# and fuzzes a copy of tests/fuzz/corpus/proto for SECONDS (default 45).
# Crash, leak and timeout inputs are kept in build-fuzz/artifacts/; replay
# one with build-fuzz/tests/fuzz/fuzz_proto build-fuzz/artifacts/<file>.
# Exits with libFuzzer's status: non-zero when it found anything.
set -euo pipefail

secs=${1:-45}
case $secs in
'' | *[!0-9]*)
	echo "usage: $0 [SECONDS]" >&2
	exit 2
	;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
fuzzer=$build/tests/fuzz/fuzz_proto
artifacts=$build/artifacts

if [ ! -f "$build/build.ninja" ]; then
	# fuzzer-no-link and the sanitizers on the whole tree, so that
	# snpproto gets coverage feedback and checks, not only the target.
	CC=clang meson setup "$build" -Dfuzz=true -Dtests=false \
	    -Dc_args=-fsanitize=fuzzer-no-link \
	    -Db_sanitize=address,undefined -Db_lundef=false
fi
ninja -C "$build" tests/fuzz/fuzz_proto

work=$(mktemp -d "${TMPDIR:-/tmp}/snp-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$artifacts"
cp "$root"/tests/fuzz/corpus/proto/* "$work/corpus/"

set +e
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$fuzzer" \
    -max_total_time="$secs" -max_len=65536 \
    -dict="$root/tests/fuzz/proto.dict" -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$work/corpus" >"$work/log" 2>&1
rc=$?
set -e
# libFuzzer is chatty: its whole output only when it found something.
[ "$rc" -eq 0 ] || cat "$work/log"

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" |
    tail -n 1)
if [ "$rc" -eq 0 ]; then
	echo "fuzz proto: ok (${execs:-0} execs)"
else
	echo "fuzz proto: FAILED"
fi
exit "$rc"

#!/usr/bin/env bash
# Install what is missing, build, and run every test of snpd: the default
# tree, the ASan+UBSan tree, the layering check and a bounded fuzz run.
# Ends with "N passed, N failed"; exits non-zero when anything failed.
#
#   scripts/test.sh            everything (what .ci/run calls)
#   FUZZ_SECONDS=10 scripts/test.sh   a shorter fuzz run
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh || { echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
failures=()

# Add the counts of a "meson test" run from its log.
count_meson() {
	local name=$1 log=$2 ok fail
	ok=$(awk '/^Ok:/ {print $2}' "$log" | tail -n 1)
	fail=$(awk '/^(Fail|Unexpected Pass|Timeout):/ {n += $NF} END {print n + 0}' "$log")
	if [ -z "$ok" ]; then
		# The run did not get as far as its summary: one failure.
		ok=0
		fail=$((fail > 0 ? fail : 1))
	fi
	passed=$((passed + ok))
	failed=$((failed + fail))
	[ "$fail" -gt 0 ] && failures+=("$name: $fail test(s)")
	return 0
}

# One check that is not a meson test: passes when the command does.
check() {
	local name=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures+=("$name")
	fi
}

build_tree() {
	local dir=$1
	shift
	[ -f "$dir/build.ninja" ] || meson setup "$dir" "$@" >/dev/null ||
	    return 1
	ninja -C "$dir"
}

run_tree() {
	local name=$1 dir=$2 log
	shift 2
	log=$(mktemp)
	if build_tree "$dir" "$@"; then
		meson test -C "$dir" --print-errorlogs --num-processes 2 |
		    tee "$log"
	else
		echo "$name: build failed" | tee "$log"
	fi
	count_meson "$name" "$log"
	rm -f "$log"
}

run_tree default build
# Sanitizers: a leak, an overflow or undefined behaviour fails the test.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
run_tree asan build-asan -Db_sanitize=address,undefined
unset ASAN_OPTIONS UBSAN_OPTIONS

check layering scripts/check-layering.sh
check fuzz scripts/fuzz.sh "${FUZZ_SECONDS:-45}"

echo
for f in "${failures[@]}"; do
	echo "FAILED: $f"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

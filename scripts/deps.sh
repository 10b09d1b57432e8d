#!/usr/bin/env bash
# Install the Debian 12 packages snpd needs to build and test, if missing.
# Idempotent: does nothing when everything is there. Runs apt-get as root,
# or through sudo.
set -euo pipefail

pkgs=(
	meson ninja-build pkg-config gcc clang libclang-rt-14-dev
	libuv1-dev libsqlite3-dev libical-dev libnanomsg-dev libcjson-dev
	libcmocka-dev libcurl4-openssl-dev libglpk-dev
	nanomsg-utils sqlite3 tzdata procps curl
	scdoc man-db groff-base
	chromium fonts-dejavu-core	# test_report.sh renders the HTML report
)

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null; then
	sudo=(sudo)
else
	echo "deps: these packages are missing: ${missing[*]}" >&2
	echo "deps: install them as root: apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"

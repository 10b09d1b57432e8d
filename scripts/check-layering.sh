#!/usr/bin/env bash
# The core stays pure and proto/client never reach into the daemon
# (STYLE.md, section 1): check the #include lines.
set -uo pipefail
cd "$(dirname "$0")/.."

bad=0
report() { echo "layering: $1"; bad=1; }

# The core: no loop, store, sockets, JSON, HTTP, nor any shell header.
while IFS= read -r hit; do
	report "core includes a shell dependency: $hit"
done < <(grep -nE '#include[[:space:]]*[<"](uv\.h|sqlite3\.h|nanomsg/|cjson/|curl/|daemon/[a-z_]+\.h|proto/)' \
    daemon/core/*.[ch] 2>/dev/null)

# proto/ and client/ never include daemon/.
while IFS= read -r hit; do
	report "includes daemon/: $hit"
done < <(grep -nE '#include[[:space:]]*"daemon/' proto/*.[ch] client/*.[ch] \
    2>/dev/null)

# Project headers are written from the root ("daemon/core/tz.h").
while IFS= read -r hit; do
	report "project header not written from the root: $hit"
done < <(grep -nE '#include[[:space:]]*"[^/"]+\.h"' proto/*.[ch] \
    client/*.[ch] daemon/*.[ch] daemon/core/*.[ch] 2>/dev/null)

# The core reads no clock, environment or file: time is an argument.
while IFS= read -r hit; do
	report "core reads the outside world: $hit"
done < <(grep -nE '\b(time|clock_gettime|gettimeofday|getenv|fopen|open)\(' \
    daemon/core/*.c 2>/dev/null)

[ $bad -eq 0 ] && echo "layering: ok"
exit $bad

#!/bin/sh
# A notify.command for test_oncall.sh: appends the message snpd gives on
# stdin (one JSON line) to $NOTIFY_LOG, then, by $NOTIFY_MODE, exits 0
# (ok, the default), exits 1 (fail), or never ends (hang: snpd must kill
# it; exec, so that its SIGKILL leaves no sleep behind).
cat >>"${NOTIFY_LOG:?NOTIFY_LOG must name the file to append to}"
case ${NOTIFY_MODE:-ok} in
fail)	exit 1 ;;
hang)	exec sleep 100 ;;
esac
exit 0

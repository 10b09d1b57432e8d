#!/bin/sh
# snpd's example notifier (notify.command, doc/oncall.md).
#
# snpd runs it for every offer of a teleconsultation request to a GP, every
# escalation, acceptance, stale request and unanswered request, with one
# JSON object on stdin, e.g.
#   {"event":"tc.offer","request":"t-…","to":{"gp":"gp-dupont",
#    "name":"Dr Claire Dupont"},"urgency":"urgent","commune":"63285",
#    "sector":"pontgibaud","stage":"primary","deadline":"…","text":"…"}
# "to" is a GP ({"gp", "name"}) or the nurse who asked ({"principal"}).
# The message never holds the patient's name or phone: the GP reads them
# with `snpctl tc show`.
#
# This example mails "text" to the address listed for the recipient in
# $SNPD_NOTIFY_ADDRESSES (default /etc/snpd/notify-addresses; one line per
# recipient: "<gp id or principal name> <address>") when sendmail exists;
# otherwise it writes one line to syslog (or stderr).
#
# To plug in an SMS gateway or MSSanté (the French health professionals'
# secure messaging), replace the sendmail part with a call to the
# gateway's API (curl) and exit non-zero when the gateway refuses the
# message: snpd records the failure and, if nobody of an offer could be
# reached, offers the request to the next GPs at once. Finish within
# notify.timeout_s (default 10 s) or snpd kills the notifier and counts it
# failed.
set -u

msg=$(cat)
field() {
	printf '%s\n' "$msg" | sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" |
	    head -n 1
}
to=$(printf '%s\n' "$msg" |
    sed -n 's/.*"to":{"\(gp\|principal\)":"\([^"]*\)".*/\2/p')
text=$(field text)
event=$(field event)
book=${SNPD_NOTIFY_ADDRESSES:-/etc/snpd/notify-addresses}
addr=
if [ -r "$book" ]; then
	addr=$(awk -v id="$to" '$1 == id { print $2; exit }' "$book")
fi

if [ -n "$addr" ] && command -v sendmail >/dev/null 2>&1; then
	printf 'To: %s\nSubject: [SNP] %s\nContent-Type: text/plain; charset=UTF-8\n\n%s\n\n%s\n' \
	    "$addr" "$event" "$text" "$msg" | sendmail -t
	exit $?
fi
if command -v logger >/dev/null 2>&1; then
	logger -t snpd-notify "$event for $to: $text"
else
	printf 'snpd-notify: %s for %s: %s\n' "$event" "$to" "$text" >&2
fi

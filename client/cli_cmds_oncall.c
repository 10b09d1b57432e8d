/* snpctl's on-call and event commands: their entries in the command table. */
#include "client/cli_cmds_oncall.h"

#include <stddef.h>

#include "client/cli_cmd_rota.h"
#include "client/cli_cmd_tc.h"
#include "client/cli_opt.h"
#include "client/cli_view_rota.h"
#include "client/cli_view_tc.h"
#include "client/cli_watch.h"

/*
 * As in cli_cmd.c, help texts are for a coordinator, a nurse or a GP who
 * never read the code: what it is for, who may use it, what the answer
 * looks like.
 */
const struct cli_cmd cli_cmds_oncall[] = {
	{
		.name = "rota",
		.op = NULL,
		.usage = "rota [rebuild | assign SHIFT] [OPTIONS]",
		.summary = "the on-call rota: who is on call, shift by shift",
		.args = cli_cmd_rota_args,
		.send = cli_cmd_rota_send,
		.show = cli_view_rota,
		.help =
"The on-call rota (astreinte) for nurses' teleconsultation requests: the\n"
"day is cut into shifts (14:00-17:00 and 17:00-20:00 unless configured\n"
"otherwise), and each shift has a primary GP, asked first, and a backup,\n"
"asked when the primary does not answer. snpd shares the shifts fairly\n"
"among the GPs whose agenda marks that time on call (ASTREINTE).\n"
"\n"
"  snpctl rota [--from T] [--to T]\n"
"      Lists the shifts, sorted by start: when (the territory's local\n"
"      time), the primary, the backup, the shift's identifier and a note:\n"
"        override  assigned by hand ('rota assign'): kept as it is\n"
"        gap       nobody could be primary, or backup (shown as -)\n"
"      --from and --to take a date (2026-11-30) or a time with its offset\n"
"      (2026-11-30T14:00:00+01:00), --to not included; default today to\n"
"      the end of the rota, by snpd's clock.\n"
"\n"
"  snpctl rota rebuild [--from T] [--to T]\n"
"      Shares the shifts of that period again, as if new: every shift\n"
"      not assigned by hand gets a primary and a backup afresh. Prints\n"
"      the shifts, as 'rota' does.\n"
"\n"
"  snpctl rota assign SHIFT [--primary GP] [--backup GP] [--force]\n"
"      Gives a shift to the GPs named (at least one of them): the shift\n"
"      is then an override, which snpd no longer changes by itself.\n"
"      SHIFT is the shift's identifier as 'rota' lists it\n"
"      (20261124T130000Z), or its start: the territory's time\n"
"      (2026-11-24T14:00; snpctl asks snpd which shift starts then) or a\n"
"      time with its offset (2026-11-24T14:00:00+01:00). snpd refuses a\n"
"      GP who is not on call in their agenda for the whole shift, or is\n"
"      absent (E_BAD_ARGS); --force assigns them anyway (administrators\n"
"      and the coordinator only). E_NOT_FOUND: no such shift.\n"
"\n"
"Who may use it: anyone may read the rota; rebuild: administrators and\n"
"the coordinator; assign: administrators, the coordinator and the\n"
"secretariat.\n"
"\n"
"Examples:\n"
"  $ snpctl rota --from 2026-11-30 --to 2026-12-01\n"
"  WHEN                    PRIMARY    BACKUP     SHIFT             NOTE\n"
"  lun. 30/11 14:00\xe2\x80\x93" "17:00  gp-dupont  gp-roux    "
"20261130T130000Z\n"
"  lun. 30/11 17:00\xe2\x80\x93" "20:00  gp-roux    -          "
"20261130T160000Z  gap\n"
"  2 shifts, 1 with a gap\n"
"  $ snpctl rota assign 2026-11-30T17:00 --backup gp-berard\n"
"  Shift     20261130T160000Z\n"
"  When      lun. 30/11 17:00\xe2\x80\x93" "20:00\n"
"  Primary   gp-roux\n"
"  Backup    gp-berard\n"
"  Weight    1\n"
"  Override  yes: set by hand, kept by a rebuild\n",
	},
	{
		.name = "oncall",
		.op = "oncall.now",
		.usage = "oncall [--at T]",
		.summary = "which GP is on call now, and the backup",
		.args = cli_cmd_rota_oncall_args,
		.show = cli_view_rota_oncall,
		.help =
"Shows the on-call shift now (or at --at): its time, the primary GP, to\n"
"whom a nurse's teleconsultation request goes first, and the backup.\n"
"When nobody is on call then, snpd answers E_NO_ONCALL: snpctl says so\n"
"and exits with status 1. For an emergency, call the 15 (SAMU).\n"
"\n"
"  --at T   a time with its offset (2026-11-30T18:30:00+01:00); default\n"
"           now, by snpd's clock\n"
"\n"
"Who may use it: anyone with a valid token.\n"
"\n"
"Example:\n"
"  $ snpctl oncall\n"
"  Shift    20261130T130000Z\n"
"  When     lun. 30/11 14:00\xe2\x80\x93" "17:00\n"
"  Primary  gp-dupont\n"
"  Backup   gp-roux\n",
	},
	{
		.name = "tc",
		.op = NULL,
		.usage = "tc request|ack|decline|done|cancel|show|list ...",
		.summary = "teleconsultation requests of nurses to the GP on "
		    "call",
		.args = cli_cmd_tc_args,
		.show = cli_view_tc,
		.help =
"A home-care nurse (IDE) with a patient who needs a GP now asks for a\n"
"teleconsultation: snpd offers it to the primary GP on call, then to the\n"
"backup, then to every GP available, each for a few minutes; the first\n"
"GP to accept takes it. If nobody does, the request is unanswered and\n"
"the nurse is told to call the 15 (SAMU). GPs are notified by snpd\n"
"(SMS or e-mail, as the CPTS set it up) without the patient's name: they\n"
"read the request with 'snpctl tc show'.\n"
"\n"
"  snpctl tc request --commune INSEE --reason R --patient NAME [--urgent]\n"
"                    [--birth-year Y] [--callback PHONE]\n"
"      Asks for a teleconsultation (nurses, administrators). --commune is\n"
"      where the patient is, by its INSEE code (63285 for Pontgibaud);\n"
"      --urgent gives GPs less time to answer before the next is asked;\n"
"      --callback is the number the GP calls back. Prints the request's\n"
"      identifier alone on the first line, then the request.\n"
"  snpctl tc ack REQUEST         take a request offered to you (GPs); a\n"
"                                request another GP took: E_CONFLICT\n"
"  snpctl tc decline REQUEST     pass it on at once to the next GP (GPs)\n"
"  snpctl tc done REQUEST [--outcome TEXT]\n"
"                                close a request you took, with what was\n"
"                                done (GPs)\n"
"  snpctl tc cancel REQUEST      withdraw your request (nurses,\n"
"                                administrators)\n"
"  snpctl tc show REQUEST        a request in full, with its history\n"
"  snpctl tc list [--state S] [--from T] [--to T]\n"
"                                the requests, oldest first; S is offered,\n"
"                                accepted, done, cancelled or unanswered;\n"
"                                T a date or a time with its offset\n"
"\n"
"A request's STATE is offered (to the primary, the backup or all),\n"
"accepted, done, cancelled, or unanswered. Times are the territory's\n"
"local time.\n"
"\n"
"Who may use it: see each command above. show and list give nurses\n"
"their own requests, GPs those offered to them, administrators and the\n"
"coordinator all.\n"
"\n"
"Examples:\n"
"  $ snpctl tc request --commune 63285 --reason 'dyspnée' --urgent \\\n"
"      --patient 'Jean Martin' --birth-year 1941 --callback +33612345678\n"
"  t-9f2c61d04ab37e15\n"
"  State     offered to the primary (gp-dupont), answer by 14:07:00\n"
"  Urgency   urgent\n"
"  Commune   63285, sector pontgibaud\n"
"  Reason    dyspnée\n"
"  Patient   Jean Martin, born 1941\n"
"  Callback  +33612345678\n"
"  Created   30/11 14:02 by ide-roux\n"
"\n"
"  TIME      EVENT     GP         DETAIL\n"
"  14:02:00  created\n"
"  14:02:00  offered   gp-dupont\n"
"  $ snpctl tc ack t-9f2c61d04ab37e15\n",
	},
	{
		.name = "watch",
		.op = NULL,
		.usage = "watch [--count N] [--pretty] [TOPIC...]",
		.summary = "print snpd's events as they happen (scripts)",
		.args = cli_watch_args,
		.run = cli_watch_run,
		.help =
"Prints snpd's events as they happen, one line each, until stopped\n"
"(Ctrl-C, SIGINT or SIGTERM: exit status 0). Each line is the event as\n"
"snpd published it: its topic, one space, a JSON object, e.g.\n"
"  booking.created {\"booking\":\"b-9f1c04d2e7a35b68\",...}\n"
"Events carry identifiers, never a patient's name or phone. snpctl\n"
"connects to snpd's event endpoint, not to the one of requests: --pub\n"
"names it (SNP_PUB_ENDPOINT otherwise; default " CLI_OPT_PUB ",\n"
"the 'server.pub' of snpd's configuration). Events need no token.\n"
"If snpd is not running, or restarts, snpctl waits and reconnects\n"
"within a second; events published meanwhile are missed.\n"
"\n"
"  TOPIC        only the events whose topic starts with TOPIC: booking.\n"
"               (every booking event), tc.request/gp-dupont (requests\n"
"               offered to that GP), rota.changed... Several may be\n"
"               given; without any, every event. Topics: booking.created,\n"
"               booking.cancelled, booking.conflict, slot.held,\n"
"               slot.released, plan.changed, coverage.gap, feed.updated,\n"
"               feed.error, rota.changed, tc.request/GP, tc.accepted,\n"
"               tc.declined, tc.escalated, tc.unanswered, tc.stale,\n"
"               tc.closed.\n"
"  --count N    stop after N events (exit status 0)\n"
"  --timeout S  stop after S seconds (a global option): exit status 1\n"
"               if --count N was given and fewer events came, else 0\n"
"  --pretty     a line for a person instead: the time received, the\n"
"               topic, then the event's fields as key=value\n"
"  --pub URL    snpd's event endpoint: ipc:///PATH or tcp://HOST:PORT\n"
"\n"
"Who may use it: anyone who can reach the endpoint (on an ipc:// socket,\n"
"the users snpd's socket permissions allow).\n"
"\n"
"Examples:\n"
"  $ snpctl watch --pub ipc:///run/snpd/events.sock tc.\n"
"  $ snpctl watch --count 1 --timeout 10 booking.created\n"
"  booking.created {\"booking\":\"b-9f1c04d2e7a35b68\",\"slot\":...}\n"
"  $ snpctl watch --pretty tc.accepted\n"
"  14:04:35 tc.accepted request=t-9f2c61d04ab37e15 gp=gp-dupont ack_s=95\n",
	},
	{ .name = NULL },
};

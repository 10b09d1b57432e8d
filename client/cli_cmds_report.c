/* snpctl's reporting commands: their entries in the command table. */
#include "client/cli_cmds_report.h"

#include <stddef.h>

#include "client/cli_cmd_report.h"
#include "client/cli_view_report.h"

/*
 * As in cli_cmd.c, help texts are for a coordinator who never read the
 * code: what it is for, who may use it, what the answer looks like.
 */
const struct cli_cmd cli_cmds_report[] = {
	{
		.name = "report",
		.op = "report.indicators",
		.usage = "report (--from DATE --to DATE | --quarter YYYYQn) "
		    "[OPTIONS]",
		.summary = "indicators for a period: SNP, GPs, "
		    "teleconsultation",
		.timeout_s = 30,
		.args = cli_cmd_report_args,
		.send = cli_cmd_report_send,
		.show = cli_view_report,
		.help =
"The figures a CPTS reports on, for a period, from what snpd stored:\n"
"  SNP (same-day care)  hours the GPs offered, slots reserved, patients\n"
"                       booked, fill rate (booked/reserved), reserved\n"
"                       slots over without a booking (unused), coverage\n"
"                       (sector-hours whose target was met, in percent)\n"
"                       and the slots missing to meet the targets\n"
"  gaps                 each day, sector and hour below its target\n"
"  GPs                  per GP: hours offered and reserved, patients\n"
"                       booked and already seen, teleconsultations\n"
"                       accepted\n"
"  teleconsultation     nurses' requests: accepted, unanswered (no GP\n"
"                       accepted: the nurse called the 15), escalations\n"
"                       (offered on to the backup, then to all), median\n"
"                       and 90th percentile of the time to accept (min:s)\n"
"Patient data is never in it: a past quarter reads the same after\n"
"snpd has purged the patients' names.\n"
"\n"
"  --from DATE     the first day (2026-11-30)\n"
"  --to DATE       the day after the last one (not included). At most\n"
"                  366 days.\n"
"  --quarter Q     a calendar quarter instead, such as 2027Q1: January 1\n"
"                  to April 1 (Q2 April-June, Q3 July-September, Q4\n"
"                  October-December)\n"
"  --sector ID     only this sector and its GPs\n"
"  --per-gp        add, per GP and ISO week (Monday to Sunday): hours\n"
"                  offered and reserved, patients booked, those seen\n"
"                  within 48 h of booking, teleconsultations accepted,\n"
"                  and whether the GP offered less than the threshold\n"
"  --threshold H   with --per-gp: the hours a GP should offer each week\n"
"                  (default 2; 1.5 works)\n"
"  --csv           CSV instead (RFC 4180, comma-separated, '.' as the\n"
"                  decimal point, one header line, LF line ends): one\n"
"                  row per GP, then TOTAL, the sums of the rows above:\n"
"                    gp,name,sector,offered_h,reserved_h,reserved,\n"
"                    booked,seen,tc_accepted\n"
"                  with --per-gp, one row per GP and week:\n"
"                    gp,name,sector,week,offered_h,reserved_h,\n"
"                    below_threshold,booked,seen_48h,tc_accepted\n"
"                  (below_threshold is true or false)\n"
"  --html FILE     one HTML page in FILE (- for standard output) that\n"
"                  needs nothing else, no network and no script: the\n"
"                  territory, the period, the tables above and, per\n"
"                  sector, a map of coverage by week and hour, from red\n"
"                  (no target met) to green (all met), grey without a\n"
"                  target, each value written in its cell. Open it in a\n"
"                  browser and print it: it fits A4 pages, in black and\n"
"                  white too. A new FILE is readable by you only.\n"
"  --json          (a global option) snpd's result as it is\n"
"Give one of --csv, --html and --json. The terminal summary lists the\n"
"first 15 gaps; --html lists them all (up to 500). snpctl waits up to\n"
"30 s for the answer (--timeout changes it).\n"
"\n"
"Who may use it: administrators and the coordinator.\n"
"\n"
"Examples:\n"
"  $ snpctl report --from 2026-11-30 --to 2026-12-07\n"
"  Report 2026-11-30 to 2026-12-06 (7 days), all sectors\n"
"\n"
"  Same-day care (SNP)\n"
"  Offered        99.5 h\n"
"  Reserved       166 slots, 44.25 h\n"
"  Booked         1, fill rate 0.6%, 0 cancelled\n"
"  Unused         0 reserved slots over without a booking\n"
"  Coverage       65.1% (82 of 126 sector-hours at target)\n"
"  Missing slots  57\n"
"\n"
"  Gaps: 44 sector-hours below target\n"
"  DAY         SECTOR   HOUR  TARGET  COVERED\n"
"  lun. 30/11  volcans  18h   2       0\n"
"  ...\n"
"  29 more (--html lists them)\n"
"\n"
"  GPs\n"
"  GP         SECTOR      OFFERED  RESERVED  BOOKED  SEEN  TC ACCEPTED\n"
"  gp-dupont  pontgibaud  12.5 h   4.25 h    1       0     0\n"
"  ...\n"
"\n"
"  Teleconsultation\n"
"  Requests        0, 0 accepted, 0 done, 0 open, 0 cancelled\n"
"  Unanswered      0\n"
"  Escalations     0\n"
"  Time to accept  median \xe2\x80\x93, p90 \xe2\x80\x93 (min:s)\n"
"  $ snpctl report --per-gp --quarter 2027Q1 --csv > q1.csv\n"
"  $ snpctl report --quarter 2027Q1 --html q1.html\n",
	},
	{ .name = NULL },
};

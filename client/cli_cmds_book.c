/* snpctl's slot and booking commands: their entries in the command table. */
#include "client/cli_cmds_book.h"

#include <stddef.h>

#include "client/cli_book.h"
#include "client/cli_cmd_book.h"
#include "client/cli_view_book.h"

/*
 * As in cli_cmd.c, help texts are for a CPTS secretary who never read
 * the code: what it is for, who may use it, what the answer looks like.
 */
const struct cli_cmd cli_cmds_book[] = {
	{
		.name = "search",
		.op = "slots.search",
		.usage = "search [--from T] [--to T] [--sector ID | --commune "
		    "INSEE] [...]",
		.summary = "find free SNP slots to book, by time and sector",
		.args = cli_cmd_book_search_args,
		.show = cli_view_book_search,
		.help =
"Lists the free same-day care (SNP) slots that can be booked, sorted by\n"
"start: when (the territory's local time), the sector, the GP, and the\n"
"slot's identifier, which 'snpctl hold' and 'snpctl book' take. A slot\n"
"of a neighbouring sector is marked (voisin, French for neighbour). Slots\n"
"already started or booked, and slots someone else holds, are left out;\n"
"those you hold show your hold and when it lapses.\n"
"\n"
"  --from T          from: a date (2026-11-30, from its midnight) or a\n"
"                    time with its offset (2026-11-30T14:00:00+01:00);\n"
"                    default now\n"
"  --to T            until, in the same forms; default the end of --from's\n"
"                    day. At most 62 days after --from.\n"
"  --sector ID       the slots of this sector, then of its neighbours\n"
"  --commune INSEE   the same, for the sector of this commune, named by\n"
"                    its INSEE code (63285 for Pontgibaud; not the postal\n"
"                    code)\n"
"  --no-neighbours   that sector only, without its neighbours\n"
"  --modality M      in_person (the default) or teleconsultation: only the\n"
"                    GPs who consult by video\n"
"  --duration MIN    only slots of at least MIN minutes\n"
"  --limit N         at most N slots (default 20, at most 500)\n"
"\n"
"Who may use it: administrators, the coordinator and the secretariat.\n"
"\n"
"Example:\n"
"  $ snpctl search --sector pontgibaud\n"
"  WHEN                    SECTOR            GP                SLOT\n"
"  lun. 30/11 14:00–14:20  pontgibaud        Dr Claire Dupont  "
"gp-dupont/20261130T130000Z\n"
"  lun. 30/11 14:00–14:20  volcans (voisin)  Dr Hélène Tixier  "
"gp-tixier/20261130T130000Z\n"
"  lun. 30/11 14:20–14:40  pontgibaud        Dr Claire Dupont  "
"gp-dupont/20261130T132000Z\n"
"  3 free slots\n",
	},
	{
		.name = "hold",
		.op = "slot.hold",
		.usage = "hold SLOT [--ttl SECONDS]",
		.summary = "keep a slot for you while you talk to the patient",
		.args = cli_cmd_book_hold_args,
		.show = cli_view_book_hold,
		.help =
"Keeps a free slot for you for a while (2 minutes unless snpd is\n"
"configured otherwise), so that nobody else books it while you are on\n"
"the phone with the patient: others no longer see it in their search.\n"
"Then book it with its hold ('snpctl book SLOT --hold HOLD ...'), or\n"
"give it back with 'snpctl release HOLD'; if you do neither, the hold\n"
"lapses by itself. Holding a slot you already hold starts its time\n"
"again. You may hold 20 slots at once.\n"
"\n"
"snpd refuses with E_SLOT_TAKEN when the slot is booked or someone else\n"
"holds it, and with E_SLOT_UNAVAILABLE when it is no longer offered or\n"
"has started: search again.\n"
"\n"
"  SLOT            the slot, as 'snpctl search' lists it\n"
"  --ttl SECONDS   how long to keep it (at most 900)\n"
"\n"
"Who may use it: administrators, the coordinator and the secretariat.\n"
"\n"
"Example:\n"
"  $ snpctl hold gp-dupont/20261130T130000Z\n"
"  hold h-5c0e2a91d4b3f607 on gp-dupont/20261130T130000Z until 13:47:12\n"
"  book it: snpctl book gp-dupont/20261130T130000Z --hold "
"h-5c0e2a91d4b3f607 --name NAME ...\n",
	},
	{
		.name = "release",
		.op = "slot.release",
		.usage = "release HOLD",
		.summary = "give back a slot you hold",
		.args = cli_cmd_book_release_args,
		.show = cli_view_book_release,
		.help =
"Gives back a slot you hold, as 'snpctl hold' printed its hold: others\n"
"can book it again at once, rather than when the hold lapses. snpd\n"
"answers E_NOT_FOUND when there is no such hold (it lapsed already).\n"
"\n"
"Who may use it: the secretariat, for its own holds; administrators\n"
"and the coordinator, for any hold.\n"
"\n"
"Example:\n"
"  $ snpctl release h-5c0e2a91d4b3f607\n"
"  released hold h-5c0e2a91d4b3f607\n",
	},
	{
		.name = "book",
		.op = "booking.create",
		.usage = "book (SLOT | --at T --sector ID) --name NAME [...]",
		.summary = "book a patient into a slot",
		.args = cli_cmd_book_create_args,
		.send = cli_book_send,
		.show = cli_view_book_show,
		.help =
"Books a patient into a free slot and prints the booking, whose\n"
"identifier (b-...) 'snpctl cancel' and 'snpctl booking' take. The GP\n"
"finds the patient in their agenda shortly after.\n"
"\n"
"Either name the slot (SLOT, as 'snpctl search' lists it), with the\n"
"hold you took on it if you did; or give --at and --sector: snpctl then\n"
"looks for the free slots starting at that time in that sector (then in\n"
"its neighbours), holds the first it can and books it.\n"
"\n"
"  SLOT              the slot to book\n"
"  --hold HOLD       the hold you took on SLOT with 'snpctl hold'\n"
"  --at T            instead of SLOT: the start wanted, a time with its\n"
"                    offset (2026-11-30T14:00:00+01:00)\n"
"  --sector ID       with --at: the sector to look in first\n"
"  --name NAME       the patient's name (required)\n"
"  --phone P         the patient's phone number\n"
"  --birth-year Y    the patient's year of birth\n"
"  --commune INSEE   the patient's commune, by its INSEE code\n"
"  --reason R        why the patient consults (at most 200 bytes); the GP\n"
"                    sees it in their agenda\n"
"  --modality M      in_person (the default) or teleconsultation\n"
"  --key K           the request's idempotency key (see below)\n"
"\n"
"If snpd does not answer in time, snpctl sends the same booking again,\n"
"up to 3 times: each carries the same idempotency key (a random one\n"
"unless --key gives it), so snpd makes the booking once and answers the\n"
"later tries with it. If no answer ever comes (exit status 3), snpctl\n"
"prints the key: run the command again with --key K and the same patient\n"
"details to find out, without booking twice. snpctl waits 5 s for each\n"
"answer (--timeout changes it).\n"
"\n"
"snpd refuses with E_SLOT_TAKEN when the slot is booked or held by\n"
"someone else, E_HOLD_EXPIRED when your hold lapsed, E_SLOT_UNAVAILABLE\n"
"when the slot is no longer offered; with --at, snpctl tries the next\n"
"slot at that time when one is taken meanwhile, and exits 1 when none\n"
"is free.\n"
"\n"
"Who may use it: administrators, the coordinator and the secretariat.\n"
"\n"
"Examples:\n"
"  $ snpctl book gp-dupont/20261130T130000Z --hold h-5c0e2a91d4b3f607 \\\n"
"      --name 'Jeanne Martin' --birth-year 1950 --reason 'fièvre'\n"
"  $ snpctl book --at 2026-11-30T14:00:00+01:00 --sector pontgibaud \\\n"
"      --name 'Jeanne Martin' --phone '06 12 34 56 78'\n"
"  Booking   b-9f1c04d2e7a35b68\n"
"  Status    booked\n"
"  When      lun. 30/11 14:00–14:20\n"
"  GP        gp-dupont, sector pontgibaud\n"
"  Slot      gp-dupont/20261130T130000Z\n"
"  Modality  in person\n"
"  Patient   Jeanne Martin, 06 12 34 56 78\n"
"  Created   30/11 13:45 by secretariat\n",
	},
	{
		.name = "cancel",
		.op = "booking.cancel",
		.usage = "cancel BOOKING [--reason R]",
		.summary = "cancel a booking; its slot is free again",
		.args = cli_cmd_book_cancel_args,
		.show = cli_view_book_show,
		.help =
"Cancels a booking and prints it: the slot is free again (if the GP\n"
"still offers that time), and the GP's agenda drops the patient. To\n"
"move a patient, cancel, then book another slot. Cancelling a booking\n"
"already cancelled is refused (E_CONFLICT).\n"
"\n"
"  BOOKING      the booking (b-...), as 'snpctl bookings' lists it\n"
"  --reason R   why, for the record\n"
"\n"
"Who may use it: administrators, the coordinator and the secretariat.\n"
"\n"
"Example:\n"
"  $ snpctl cancel b-9f1c04d2e7a35b68 --reason 'patient better'\n",
	},
	{
		.name = "bookings",
		.op = "booking.list",
		.usage = "bookings [--from T] [--to T] [--gp ID] [--status S]",
		.summary = "list the bookings of a period, with the patients",
		.args = cli_cmd_book_list_args,
		.show = cli_view_book_list,
		.help =
"Lists the bookings whose slot starts in a period, sorted by start: when\n"
"(the territory's local time), the status, the GP, the booking, the\n"
"patient and the reason. STATUS is one of:\n"
"  booked      the patient is expected\n"
"  cancelled   cancelled; the slot was freed\n"
"  conflict    the GP's agenda no longer has that time free (or the GP\n"
"              left): call the patient, cancel, and book another slot\n"
"A patient shows as (removed) once their booking is older than the\n"
"retention period: the booking itself is kept for the statistics.\n"
"\n"
"  --from T     from: a date (2026-11-30) or a time with its offset;\n"
"               default today, by this machine's clock\n"
"  --to T       until, not included; default 28 days after --from's day.\n"
"               At most 366 days.\n"
"  --gp ID      only this GP's bookings\n"
"  --status S   only the bookings in this status\n"
"\n"
"Who may use it: administrators, the coordinator and the secretariat; a\n"
"GP, for their own bookings only.\n"
"\n"
"Example:\n"
"  $ snpctl bookings --status conflict\n"
"  WHEN                    STATUS    GP         BOOKING             "
"PATIENT        REASON\n"
"  mar. 01/12 15:00–15:20  conflict  gp-dupont  b-1d2e3f4a5b6c7d8e  "
"Jeanne Martin  fièvre\n"
"  1 booking\n",
	},
	{
		.name = "booking",
		.op = "booking.show",
		.usage = "booking BOOKING",
		.summary = "show one booking in full",
		.args = cli_cmd_book_show_args,
		.show = cli_view_book_show,
		.help =
"Shows a booking in full: its status, time, GP and slot, the patient,\n"
"the reason, who made it and when, and, when it was cancelled or is in\n"
"conflict, when and why.\n"
"\n"
"Who may use it: administrators, the coordinator and the secretariat; a\n"
"GP, for their own bookings only.\n"
"\n"
"Example:\n"
"  $ snpctl booking b-9f1c04d2e7a35b68\n",
	},
	{
		.name = "export",
		.op = "export.get",
		.usage = "export GP [-o FILE]",
		.summary = "a GP's SNP slots and bookings, as an .ics calendar",
		.args = cli_cmd_book_export_args,
		.show = cli_view_book_export,
		.help =
"Prints the calendar (iCalendar, .ics) that snpd keeps for a GP: their\n"
"reserved SNP slots from today on, and their bookings, each with the\n"
"patient's initials and the reason only. It is what the GP's agenda\n"
"subscribes to; this command gives it to you at once.\n"
"\n"
"  GP        the GP (gp-...)\n"
"  -o FILE   write it to FILE rather than standard output, whole or not\n"
"            at all. A new FILE is readable by you only (it holds\n"
"            patients' initials); an existing one keeps its mode.\n"
"\n"
"Who may use it: administrators and the coordinator; a GP, for their\n"
"own calendar only.\n"
"\n"
"Example:\n"
"  $ snpctl export gp-dupont -o dupont.ics\n",
	},
	{ .name = NULL },
};

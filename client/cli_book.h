/* snpctl book's round trips: a create retried with its key, book --at. */
#pragma once

#include <stddef.h>

#include "client/cli.h"
#include "client/cli_cmd.h"
#include "proto/proto.h"

/* Times booking.create is sent when no reply comes in time. */
#define CLI_BOOK_TRIES		3
/* book --at: slots asked for, and how far after --at snpd looks. */
#define CLI_BOOK_AT_LIMIT	10
#define CLI_BOOK_AT_SPAN_S	3600

/*
 * The send of the book command (struct cli_cmd), req as
 * cli_cmd_book_create_args() built it. With a slot: booking.create, sent
 * again with the same idempotency key when no reply came in time, up to
 * CLI_BOOK_TRIES times. With --at (req->asked): slots.search for the
 * free slots starting then, slot.hold of the first (of the next while
 * snpd answers E_SLOT_TAKEN or E_SLOT_UNAVAILABLE), then booking.create
 * with that hold, which is released if the booking is refused. *rep is
 * the booking, or the refusal that stopped it; CLI_EXIT_REFUSED with
 * why set when no free slot starts at that time. Progress goes to stderr.
 */
int	cli_book_send(struct cli_ctx *ctx, struct cli_req *req,
	    struct proto_reply *rep, double *rtt_ms, char *why,
	    size_t whylen);

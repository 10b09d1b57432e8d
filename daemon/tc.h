/*
 * Teleconsultation requests: a nurse's request offered to the GP on
 * call, escalated on silence, a decline or a failed notification
 * (doc/oncall.md). Every transition is stored before it is told.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/store_tc.h"

struct daemon;
struct tc;

int	tc_open(struct daemon *d, struct tc **out, char *why, size_t whylen);
void	tc_close(struct tc *t);

/* The outcome of a transition, on the loop after its commit. */
typedef void	(*tc_done_fn)(struct daemon *d, void *arg, int err,
		    const char *why, const char *id);

/* A new request by who (a nurse or admin); r's id and state are set. */
void	tc_create(struct tc *t, struct store_tc *r, tc_done_fn done,
	    void *arg);

enum tc_action {
	TC_ACK,		/* by a GP it is offered to */
	TC_DECLINE,	/* by a GP it is offered to */
	TC_DONE,	/* by the accepting GP; text: the outcome */
	TC_CANCEL,	/* by the requester (or an admin) */
};

/*
 * Apply action to request id by who (a GP id for ack, decline, done; a
 * principal name for cancel). E_NOT_FOUND when it is not live, and
 * E_CONFLICT when its state does not allow the action by who.
 */
void	tc_act(struct tc *t, const char *id, enum tc_action action,
	    const char *who, bool is_admin, const char *text,
	    tc_done_fn done, void *arg);

/* Live (offered or accepted) requests: how many. */
size_t	tc_count_live(const struct tc *t);

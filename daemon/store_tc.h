/* Teleconsultation requests in the store: each state, and its history. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/store.h"

#define STORE_TC_ID_MAX		24	/* "t-" and 16 hex digits */
#define STORE_TC_WHO_MAX	65
#define STORE_TC_NAME_MAX	101
#define STORE_TC_PHONE_MAX	33
#define STORE_TC_COMMUNE_MAX	11
#define STORE_TC_TEXT_MAX	201	/* reason, outcome */
#define STORE_TC_DETAIL_MAX	81

/*
 * A request's row. offered_to and declined are GP ids separated by
 * spaces: borrowed by store_tc_save() (which copies them), valid only
 * during a read's callback.
 */
struct store_tc {
	char		 id[STORE_TC_ID_MAX];
	char		 state[12];	/* offered accepted done cancelled
					   unanswered */
	char		 stage[8];	/* primary backup all */
	char		 urgency[8];	/* normal urgent */
	char		 commune[STORE_TC_COMMUNE_MAX];
	char		 sector[STORE_TC_WHO_MAX];
	char		 reason[STORE_TC_TEXT_MAX];
	bool		 has_patient;	/* false once purged */
	char		 name[STORE_TC_NAME_MAX];
	int		 birth_year;	/* 0: not given */
	char		 callback[STORE_TC_PHONE_MAX];
	int64_t		 created_at;
	char		 created_by[STORE_TC_WHO_MAX];
	const char	*offered_to;
	const char	*declined;
	int64_t		 deadline;	/* 0: no timer */
	char		 accepted_by[STORE_TC_WHO_MAX];
	int64_t		 acked_at;	/* 0: not yet */
	int64_t		 done_at;
	char		 outcome[STORE_TC_TEXT_MAX];
	int		 escalations;
};

/* One line of a request's history; "" where absent. */
struct store_tc_event {
	int64_t	at;
	char	event[16];
	char	gp[STORE_TC_WHO_MAX];
	char	detail[STORE_TC_DETAIL_MAX];
};

/*
 * Store the request's new state and append its n history lines, with an
 * audit row (who, "tc." what, the id), in one transaction. Everything is
 * copied. done(arg, err) after the commit.
 */
int	store_tc_save(struct store *s, const struct store_tc *r,
	    const struct store_tc_event *ev, size_t n, const char *who,
	    const char *what, store_done_fn done, void *arg);

typedef int	(*store_tc_row_fn)(void *arg, const struct store_tc *r);
typedef int	(*store_tc_event_fn)(void *arg,
		    const struct store_tc_event *e);

/* The request id: row called once if it exists (*found says). */
int	store_tc_get(struct store *s, const char *id, store_tc_row_fn row,
	    void *arg, bool *found);
/* Requests created in [from, to) by creation time, or live ones only. */
int	store_tc_each(struct store *s, int64_t from, int64_t to,
	    bool live_only, store_tc_row_fn row, void *arg);
/* A request's history, in order. */
int	store_tc_history(struct store *s, const char *id,
	    store_tc_event_fn fn, void *arg);

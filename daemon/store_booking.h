/* The booking table: durable creates, cancels, conflicts, purges; reads. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/store.h"

#define STORE_BK_ID_MAX		24	/* "b-" and 16 hex digits, NUL */
#define STORE_BK_SLOT_MAX	96	/* "<gp>/YYYYMMDDTHHMMSSZ", NUL */
#define STORE_BK_WHO_MAX	65
#define STORE_BK_KEY_MAX	129
#define STORE_BK_NAME_MAX	101
#define STORE_BK_PHONE_MAX	33
#define STORE_BK_COMMUNE_MAX	11
#define STORE_BK_REASON_MAX	201
#define STORE_BK_WHY_MAX	16	/* "busy", "gp removed" */

enum store_bk_status {
	STORE_BK_BOOKED,
	STORE_BK_CANCELLED,
	STORE_BK_CONFLICT,
};

/* One booking row; strings "" when absent. */
struct store_booking {
	char			 id[STORE_BK_ID_MAX];
	char			 slot[STORE_BK_SLOT_MAX];
	char			 gp[STORE_BK_WHO_MAX];
	char			 sector[STORE_BK_WHO_MAX];
	int64_t			 start, end;
	enum store_bk_status	 status;
	char			 modality[20];
	char			 who[STORE_BK_WHO_MAX];	/* created_by */
	char			 key[STORE_BK_KEY_MAX];	/* idempotency */
	bool			 has_patient;	/* false once purged */
	char			 name[STORE_BK_NAME_MAX];
	char			 phone[STORE_BK_PHONE_MAX];
	int			 birth_year;	/* 0: not given */
	char			 commune[STORE_BK_COMMUNE_MAX];
	char			 reason[STORE_BK_REASON_MAX];
	int64_t			 created_at;
	int64_t			 cancelled_at;	/* 0: not cancelled */
	char			 cancelled_by[STORE_BK_WHO_MAX];
	char			 cancel_reason[STORE_BK_REASON_MAX];
	int64_t			 conflict_at;	/* 0: no conflict */
	char			 conflict[STORE_BK_WHY_MAX];
	int64_t			 purged_at;	/* 0: patient data kept */
};

const char	*store_bk_status_name(enum store_bk_status st);

/*
 * The writes. Each runs in one transaction with its audit row (who,
 * what, when, the booking id) and calls done(b, err) after the commit:
 * nothing is copied, so b must stay valid until then (embed it first in
 * a struct of your own to find that again). STORE_ECONSTRAINT for a
 * create means the slot already has a live booking or the key was used;
 * for a cancel or a conflict, that the booking's state did not allow it.
 */
int	store_booking_create(struct store *s, struct store_booking *b,
	    store_done_fn done);
/* Uses b->id, cancelled_at, cancelled_by and cancel_reason. */
int	store_booking_cancel(struct store *s, struct store_booking *b,
	    store_done_fn done);
/* Uses b->id, conflict_at, conflict, and b->who as the audit's who. */
int	store_booking_conflict(struct store *s, struct store_booking *b,
	    store_done_fn done);
/*
 * Blank the patient data of the bookings that ended before `before`,
 * one audit row each (who "snpd"), and of the closed teleconsultation
 * requests created before it (one "tc.purge" row with their count);
 * done(arg, err) after the commit.
 */
int	store_booking_purge(struct store *s, int64_t before, int64_t now,
	    store_done_fn done, void *arg);

/* Reads, on the loop thread (WAL snapshot). Return a store error. */
int	store_booking_get(struct store *s, const char *id,
	    struct store_booking *out, bool *found);
int	store_booking_by_key(struct store *s, const char *who,
	    const char *key, struct store_booking *out, bool *found);

/*
 * Call row for each booking whose slot starts in [from, to), in start
 * then id order; gp NULL for every GP; live_only: booked and conflict.
 * row returns 0 to go on.
 */
typedef int	(*store_booking_row_fn)(void *arg,
		    const struct store_booking *b);
int	store_booking_each(struct store *s, int64_t from, int64_t to,
	    const char *gp, bool live_only, store_booking_row_fn row,
	    void *arg);

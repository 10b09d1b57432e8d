/* Private to the booking module: its state. */
#pragma once

#include <cjson/cJSON.h>
#include <uv.h>

#include "daemon/booking.h"

struct booking_create_op;

struct booking {
	struct daemon		 *d;
	/* Occupied slots: open addressing on (gp, start), linear probing. */
	struct booking_occ	**map;
	size_t			  cap, n;
	uint64_t		  occ_gen;	/* entries ever added */
	/* Holds, unordered; few (BOOKING_HOLDS_PER_WHO per principal). */
	struct booking_hold	**holds;
	size_t			  n_holds, cap_holds;
	/* Creates being committed: retries of their key wait on them. */
	struct booking_create_op *creating;
	uv_timer_t		  expiry, purge;
	int			  handles;	/* open libuv handles */
	unsigned		  writes;	/* in flight */
	bool			  is_closing;
};

/* booking.c */
struct booking_occ *booking_occ_get(struct booking *bk, const char *gp,
	    int64_t start, int64_t end);	/* found or added; NULL: ENOMEM */
/* Drop o from the map once nothing occupies it any more. */
void	booking_occ_settle(struct booking *bk, struct booking_occ *o);
void	booking_maybe_free(struct booking *bk);
/* The GP's exported agenda must be written again. */
void	booking_touch_export(struct booking *bk, const char *gp);

/* Add start and end (or one key) as RFC 3339 times to obj. */
void	booking_add_times(const struct daemon *d, cJSON *obj, int64_t start,
	    int64_t end);
void	booking_add_time(const struct daemon *d, cJSON *obj, const char *key,
	    int64_t utc);

/* booking_hold.c */
struct booking_hold *booking_hold_check(struct booking *bk, const char *id,
	    const char *who, int *err, char *why, size_t whylen);
void	booking_hold_drop(struct booking *bk, struct booking_hold *h);
void	booking_hold_arm(struct booking *bk);
void	booking_hold_fire(uv_timer_t *t);

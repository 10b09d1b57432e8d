/*
 * Bookings in the daemon (doc/booking.md): which reserved slots are held
 * or booked, the holds' leases, the durable creates and cancels, the
 * conflicts a feed change makes, the purge of old patient data.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/cfg.h"
#include "daemon/core/plan.h"
#include "daemon/store_booking.h"

struct daemon;
struct booking;

#define BOOKING_SLOT_MAX	(CFG_ID_MAX + 18)	/* "<gp>/…Z", NUL */
#define BOOKING_HOLD_ID_MAX	20			/* "h-" 16 hex, NUL */
#define BOOKING_HOLDS_PER_WHO	20

/* What occupies a slot. */
enum booking_state {
	BOOKING_NONE,		/* only held */
	BOOKING_PENDING,	/* a create is being committed */
	BOOKING_BOOKED,
	BOOKING_CONFLICT,
};

struct booking_hold;

/* A slot that is held, booked, or both on the way from one to the other. */
struct booking_occ {
	char			 gp[CFG_ID_MAX + 1];
	int64_t			 start, end;
	enum booking_state	 state;
	char			 booking[STORE_BK_ID_MAX];	/* or "" */
	struct booking_hold	*hold;				/* or NULL */
};

struct booking_hold {
	char			 id[BOOKING_HOLD_ID_MAX];
	char			 who[CFG_ID_MAX + 1];	/* principal */
	int64_t			 expires;		/* UTC */
	struct booking_occ	*occ;
};

/* Load the live bookings, start the hold and purge timers. */
int	booking_open(struct daemon *d, struct booking **out, char *why,
	    size_t whylen);
/* Stop; frees itself once the writes in flight have come back. */
void	booking_close(struct booking *bk);
/* The config changed: bookings of GPs that left become conflicts. */
void	booking_reload(struct booking *bk);
/* gp's availability changed: its bookings no longer free are conflicts. */
void	booking_feed_changed(struct booking *bk, const char *gp);

/* The slot id "<gp>/<UTC start as YYYYMMDDTHHMMSSZ>" of PROTOCOL.md. */
void	booking_slot_id(const char *gp, int64_t start,
	    char buf[BOOKING_SLOT_MAX]);
/* Its parts; -1 when id is not a slot id. */
int	booking_slot_parse(const char *id, char gp[CFG_ID_MAX + 1],
	    int64_t *start);

/* What occupies gp's slot starting at start, or NULL: free. */
const struct booking_occ *booking_occ_find(const struct booking *bk,
	    const char *gp, int64_t start);
/* Call fn for every occupied slot (any order). */
void	booking_occ_each(const struct booking *bk,
	    void (*fn)(void *arg, const struct booking_occ *o), void *arg);
/*
 * Whether gp's agenda still has [start, end) as free offered SNP time
 * (true as well when no agenda was read for that time).
 */
bool	booking_slot_free(struct booking *bk, const char *gp, int64_t start,
	    int64_t end);
/* Counts the slots that became occupied: a planner job compares it. */
uint64_t booking_occ_gen(const struct booking *bk);
/* Live (booked or conflict) bookings starting in [from, to). */
unsigned booking_count_live(const struct booking *bk, int64_t from,
	    int64_t to);
/*
 * The held and booked slots for the planner, gp as indices of the
 * current config, sorted by (gp, start); slots of GPs not in it are
 * left out. Returns 0, or -1 (out of memory).
 */
int	booking_fixed(const struct booking *bk, struct plan_res **out,
	    size_t *n);

/*
 * Hold gp's slot [start, end) for who, ttl_s seconds. Returns 0 and the
 * hold (the caller's own hold renewed when it had one), or a PROTO_E*
 * code with why set.
 */
int	booking_hold(struct booking *bk, const char *who, const char *gp,
	    int64_t start, int64_t end, int ttl_s,
	    const struct booking_hold **out, char *why, size_t whylen);
/* Give a hold back; force: the caller may release another's hold. */
int	booking_release(struct booking *bk, const char *who, bool force,
	    const char *hold, char *why, size_t whylen);

/*
 * Create a booking: b is filled by the caller (slot, gp, sector, start,
 * end, modality, who, key, patient, reason); hold may be NULL. done(arg,
 * err, why, booking) runs once: err 0 and the booking as committed (or
 * the one an earlier request with the same key made), or a PROTO_E*
 * code and why.
 */
typedef void	(*booking_done_fn)(struct daemon *d, void *arg, int err,
		    const char *why, const struct store_booking *b);
/*
 * Whether b's principal and idempotency key were seen: then done runs
 * (now, or when the first create commits) with the first booking, or
 * E_CONFLICT when it was for another slot. Call it before
 * booking_create(), in the same loop turn: a retry is answered before the
 * slot is checked, and booking_create() does not look the key up again.
 */
bool	booking_replay(struct booking *bk, const struct store_booking *b,
	    booking_done_fn done, void *arg);
void	booking_create(struct booking *bk, const struct store_booking *b,
	    const char *hold, booking_done_fn done, void *arg);
/* Cancel booking id for who; done as above, with the cancelled one. */
void	booking_cancel(struct booking *bk, const char *id, const char *who,
	    const char *reason, booking_done_fn done, void *arg);

/* A random id: prefix and 16 hex digits (bookings, requests). */
void	booking_random_id(const char *prefix, char *buf, size_t len);

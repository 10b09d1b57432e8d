/* The on-call rota in the store: shifts as published, roster members. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/store.h"

#define STORE_ROTA_GP_MAX	65

/* One shift as published; "" for an unfilled role. */
struct store_rota_row {
	int64_t	start, end;
	double	weight;
	char	primary[STORE_ROTA_GP_MAX];
	char	backup[STORE_ROTA_GP_MAX];
	bool	override;		/* set by rota.assign */
	bool	removed;		/* to store_rota_save: delete it */
	int64_t	changed_at;
	char	changed_by[STORE_ROTA_GP_MAX];
};

/*
 * Publish n shifts (inserted, or replacing the row of the same start)
 * with one audit row (who, what, ref: the first shift's id), and record
 * each GP of joins (n_joins ids) as a roster member since at, unless it
 * already is one. Everything is copied. done(arg, err) after the commit.
 */
int	store_rota_save(struct store *s, const struct store_rota_row *rows,
	    size_t n, const char *const *joins, size_t n_joins, int64_t at,
	    const char *who, const char *what, store_done_fn done, void *arg);

/* Shifts starting in [from, to), by start; row returns non-zero to stop. */
typedef int	(*store_rota_row_fn)(void *arg,
		    const struct store_rota_row *r);
int	store_rota_each(struct store *s, int64_t from, int64_t to,
	    store_rota_row_fn row, void *arg);

/* Roster members and when each joined. */
typedef int	(*store_rota_member_fn)(void *arg, const char *gp,
		    int64_t joined_at);
int	store_rota_members(struct store *s, store_rota_member_fn fn,
	    void *arg);

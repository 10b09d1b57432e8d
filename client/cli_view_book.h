/* snpctl views of slots and bookings: free slots, holds, bookings. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "client/cli_out.h"
#include "client/cli_view.h"

/*
 * As every view (cli_view.h): res appended to out in words, an exit
 * status returned. Times are shown as the reply wrote them, that is in
 * the territory's time zone, whatever this machine's: "lun. 30/11 14:00".
 */

/*
 * Times for other views, read as written (the territory's wall clock):
 * cli_view_book_when writes "lun. 30/11 14:00–14:20" (no end when end is
 * NULL or no time), cli_view_book_at "30/11 13:45" or, is_long, the time
 * of day "13:47:12"; both write what was sent, cleaned, when it is no
 * time ("?" for NULL).
 */
void	cli_view_book_when(const char *start, const char *end, char *buf,
	    size_t len);
void	cli_view_book_at(const char *s, bool is_long, char *buf, size_t len);

/*
 * slots.search: one row per slot, its sector marked "(voisin)" when it
 * neighbours the one asked for, the caller's own hold shown; a count.
 */
int	cli_view_book_search(const struct cli_view_res *res,
	    struct cli_out *out, char *why, size_t whylen);
/* slot.hold: the hold's identifier, its slot and when it lapses. */
int	cli_view_book_hold(const struct cli_view_res *res,
	    struct cli_out *out, char *why, size_t whylen);
/* slot.release: which hold, from res->asked. */
int	cli_view_book_release(const struct cli_view_res *res,
	    struct cli_out *out, char *why, size_t whylen);
/* booking.create, .cancel and .show: one booking, field by field. */
int	cli_view_book_show(const struct cli_view_res *res,
	    struct cli_out *out, char *why, size_t whylen);
/* booking.list: one row per booking, patient and reason included. */
int	cli_view_book_list(const struct cli_view_res *res,
	    struct cli_out *out, char *why, size_t whylen);
/* export.get: the calendar text as snpd wrote it, CRLF line ends kept. */
int	cli_view_book_export(const struct cli_view_res *res,
	    struct cli_out *out, char *why, size_t whylen);

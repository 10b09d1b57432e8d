/* snpctl views of the on-call rota: shifts, and who is on call now. */
#pragma once

#include <stddef.h>

#include "client/cli_out.h"
#include "client/cli_view.h"

/*
 * As every view (cli_view.h): res appended to out in words, an exit
 * status returned; times as snpd wrote them, the territory's wall clock.
 */
/*
 * rota.get and rota.rebuild (a list of shifts): one row per shift, WHEN
 * PRIMARY BACKUP SHIFT NOTE, the note "override" and/or "gap", then a
 * count. rota.assign (one shift): the shift field by field.
 */
int	cli_view_rota(const struct cli_view_res *res, struct cli_out *out,
	    char *why, size_t whylen);
/* oncall.now: the shift, its time, its primary and backup. */
int	cli_view_rota_oncall(const struct cli_view_res *res,
	    struct cli_out *out, char *why, size_t whylen);

/* snpctl views of teleconsultation requests: one in full, or a list. */
#pragma once

#include <stddef.h>

#include "client/cli_out.h"
#include "client/cli_view.h"

/*
 * As every view (cli_view.h): res appended to out in words, an exit
 * status returned; times as snpd wrote them, the territory's wall clock.
 *
 * tc.list (a list): one row per request, CREATED REQUEST STATE URGENCY
 * COMMUNE GP PATIENT REASON, then a count. Any other tc op (one request):
 * the request field by field, then its history; after tc.request
 * (res->asked {sub: "request"}) the first line is the request's id alone,
 * for scripts: `id=$(snpctl tc request ... | head -n 1)`.
 */
int	cli_view_tc(const struct cli_view_res *res, struct cli_out *out,
	    char *why, size_t whylen);

/* Requests to handlers: token check, op table, role check. */
#pragma once

#include <cjson/cJSON.h>

#include "daemon/daemon.h"
#include "daemon/srv.h"
#include "proto/jarg.h"

/*
 * The srv_request_fn of snpd (arg is the struct daemon): authenticates
 * r, finds its op, checks the role and runs the handler, which answers.
 */
void	ops_dispatch(void *arg, struct srv_req *r);

/* Handlers, one family per file (ops_sys.c, ops_gp.c). */
void	ops_sys_ping(struct daemon *d, struct srv_req *r);
void	ops_sys_status(struct daemon *d, struct srv_req *r);
void	ops_sys_reload(struct daemon *d, struct srv_req *r);
void	ops_gp_list(struct daemon *d, struct srv_req *r);
void	ops_feed_status(struct daemon *d, struct srv_req *r);
void	ops_feed_refresh(struct daemon *d, struct srv_req *r);
void	ops_feed_push(struct daemon *d, struct srv_req *r);
void	ops_avail_get(struct daemon *d, struct srv_req *r);
void	ops_plan_get(struct daemon *d, struct srv_req *r);
void	ops_plan_rebuild(struct daemon *d, struct srv_req *r);
void	ops_slots_search(struct daemon *d, struct srv_req *r);
void	ops_slot_hold(struct daemon *d, struct srv_req *r);
void	ops_slot_release(struct daemon *d, struct srv_req *r);
void	ops_booking_create(struct daemon *d, struct srv_req *r);
void	ops_booking_cancel(struct daemon *d, struct srv_req *r);
void	ops_booking_show(struct daemon *d, struct srv_req *r);
void	ops_booking_list(struct daemon *d, struct srv_req *r);
void	ops_export_get(struct daemon *d, struct srv_req *r);
void	ops_rota_get(struct daemon *d, struct srv_req *r);
void	ops_rota_rebuild(struct daemon *d, struct srv_req *r);
void	ops_rota_assign(struct daemon *d, struct srv_req *r);
void	ops_oncall_now(struct daemon *d, struct srv_req *r);
void	ops_tc_request(struct daemon *d, struct srv_req *r);
void	ops_tc_act(struct daemon *d, struct srv_req *r);
void	ops_tc_show(struct daemon *d, struct srv_req *r);
void	ops_tc_list(struct daemon *d, struct srv_req *r);
void	ops_report_indicators(struct daemon *d, struct srv_req *r);

struct plan_res;
/*
 * The reserved, not yet begun slot of a slot id: its GP (index in the
 * config) and plan entry. Replies the error and returns -1 otherwise.
 */
int	ops_slot_find(struct daemon *d, struct srv_req *r, const char *id,
	    ssize_t *gp, const struct plan_res **res);

/* Add key: utc as RFC 3339 in the territory's zone to obj. */
void	ops_add_time(const struct daemon *d, cJSON *obj, const char *key,
	    int64_t utc);
/*
 * The from/to date arguments as local midnights [from, to), at most
 * max_days; absent ones keep the values given. Replies and returns -1 on
 * a bad argument.
 */
int	ops_day_range(struct daemon *d, struct srv_req *r, bool required,
	    int max_days, int64_t *from, int64_t *to);
/* The sector of a commune (INSEE code), or -1. */
ssize_t	ops_commune_sector(const struct cfg *c, const char *commune);
/* A time argument as an instant: a date means its local midnight. */
int64_t	ops_instant(const struct daemon *d, const struct rfc3339 *t);

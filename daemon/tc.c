/* Teleconsultation requests: offers, escalation, acceptance, timers. */
#include "daemon/tc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <uv.h>

#include "daemon/booking.h"
#include "daemon/daemon.h"
#include "daemon/evt.h"
#include "daemon/feed.h"
#include "daemon/log.h"
#include "daemon/notify.h"
#include "daemon/roster.h"
#include "daemon/srv.h"
#include "proto/proto.h"

#define TC_LIST_MAX	4096	/* GP ids of a request, space separated */

enum tc_stage { TC_PRIMARY, TC_BACKUP, TC_ALL, TC_STAGE_COUNT };

static const char *const tc_stages[TC_STAGE_COUNT] = { "primary",
    "backup", "all" };

/* A live request (offered or accepted), or a closed one still notifying. */
struct tc_req {
	struct tc_req	*next;
	struct store_tc	 r;		/* offered_to, declined: below */
	char		 offered[TC_LIST_MAX];
	char		 declined[TC_LIST_MAX];
	unsigned	 round;		/* offers made: matches notices */
	unsigned	 sent, failed;	/* notices of this round */
	unsigned	 notifying;	/* notices running, any round */
	unsigned	 writes;	/* saves in flight */
	bool		 closed;	/* done, cancelled, unanswered */
};

struct tc {
	struct daemon	*d;
	struct tc_req	*live;
	struct notifier	*notifier;
	uv_timer_t	 timer;
	bool		 has_timer;
	bool		 is_closing;
};

/* What a save carries, said once it is durable. */
struct tc_step {
	struct tc		*t;
	struct tc_req		*q;
	struct store_tc_event	 ev[64];
	size_t			 n_ev;
	cJSON			*events;	/* [[topic, obj]] */
	cJSON			*notices;	/* [[gp or "", msg]] */
	tc_done_fn		 done;
	void			*arg;
};

/* A notice's context, found again when the notifier is done. */
struct tc_notice {
	char		id[STORE_TC_ID_MAX];
	char		gp[STORE_TC_WHO_MAX];	/* "" for the nurse */
	unsigned	round;
};

static void	tc_arm(struct tc *t);

/* --- lists of GP ids --------------------------------------------------- */

static bool
tc_list_has(const char *list, const char *gp)
{
	size_t n = strlen(gp);

	for (const char *p = list; (p = strstr(p, gp)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' ||
		    p[n] == '\0'))
			return true;
	return false;
}

static void
tc_list_add(char *list, const char *gp)
{
	size_t len = strlen(list);

	if (tc_list_has(list, gp) || len + strlen(gp) + 2 > TC_LIST_MAX)
		return;
	snprintf(list + len, TC_LIST_MAX - len, "%s%s", len > 0 ? " " : "",
	    gp);
}

static void
tc_list_del(char *list, const char *gp)
{
	char out[TC_LIST_MAX] = "", tok[STORE_TC_WHO_MAX];
	const char *p = list;
	int n;

	while (sscanf(p, "%64s%n", tok, &n) == 1) {
		if (strcmp(tok, gp) != 0)
			tc_list_add(out, tok);
		p += n;
	}
	memcpy(list, out, TC_LIST_MAX);
}

/* --- finding ----------------------------------------------------------- */

static struct tc_req *
tc_find(const struct tc *t, const char *id)
{
	for (struct tc_req *q = t->live; q != NULL; q = q->next)
		if (strcmp(q->r.id, id) == 0)
			return q;
	return NULL;
}

size_t
tc_count_live(const struct tc *t)
{
	size_t n = 0;

	for (const struct tc_req *q = t != NULL ? t->live : NULL; q != NULL;
	    q = q->next)
		n += !q->closed;
	return n;
}

static void
tc_unlink(struct tc *t, struct tc_req *q)
{
	for (struct tc_req **p = &t->live; *p != NULL; p = &(*p)->next)
		if (*p == q) {
			*p = q->next;
			break;
		}
	free(q);
}

/* Closed and nothing more to say: forget it. */
static void
tc_maybe_forget(struct tc *t, struct tc_req *q)
{
	if (q->closed && q->writes == 0 && q->notifying == 0)
		tc_unlink(t, q);
}

/* --- steps ------------------------------------------------------------- */

static struct tc_step *
tc_step_new(struct tc *t, struct tc_req *q, tc_done_fn done, void *arg)
{
	struct tc_step *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->t = t;
	s->q = q;
	s->events = cJSON_CreateArray();
	s->notices = cJSON_CreateArray();
	s->done = done;
	s->arg = arg;
	if (s->events == NULL || s->notices == NULL) {
		cJSON_Delete(s->events);
		cJSON_Delete(s->notices);
		free(s);
		return NULL;
	}
	return s;
}

static void
tc_step_free(struct tc_step *s)
{
	cJSON_Delete(s->events);
	cJSON_Delete(s->notices);
	free(s);
}

static int64_t
tc_now(const struct tc *t)
{
	return clk_now_utc(&t->d->clk);
}

static void
tc_history(struct tc_step *s, const char *event, const char *gp,
    const char *detail)
{
	struct store_tc_event *e;

	if (s->n_ev == sizeof(s->ev) / sizeof(s->ev[0]))
		return;		/* a broadcast to more: the offer list says */
	e = &s->ev[s->n_ev++];
	memset(e, 0, sizeof(*e));
	e->at = tc_now(s->t);
	snprintf(e->event, sizeof(e->event), "%s", event);
	snprintf(e->gp, sizeof(e->gp), "%s", gp != NULL ? gp : "");
	snprintf(e->detail, sizeof(e->detail), "%s",
	    detail != NULL ? detail : "");
}

static cJSON *
tc_event_new(struct tc_step *s, const char *topic)
{
	cJSON *pair = cJSON_CreateArray(), *o = cJSON_CreateObject();

	cJSON_AddItemToArray(pair, cJSON_CreateString(topic));
	cJSON_AddItemToArray(pair, o);
	cJSON_AddItemToArray(s->events, pair);
	cJSON_AddStringToObject(o, "request", s->q->r.id);
	return o;
}

/* A message for the notifier (never the patient's name or phone). */
static cJSON *
tc_notice_new(struct tc_step *s, const char *event, const char *gp)
{
	const struct cfg *c = s->t->d->cfg;
	cJSON *pair = cJSON_CreateArray(), *o = cJSON_CreateObject();
	cJSON *to = cJSON_CreateObject();
	ssize_t g = gp != NULL ? cfg_gp_find(c, gp) : -1;

	cJSON_AddItemToArray(pair, cJSON_CreateString(gp != NULL ? gp : ""));
	cJSON_AddItemToArray(pair, o);
	cJSON_AddItemToArray(s->notices, pair);
	cJSON_AddStringToObject(o, "event", event);
	cJSON_AddStringToObject(o, "request", s->q->r.id);
	if (gp != NULL) {
		cJSON_AddStringToObject(to, "gp", gp);
		cJSON_AddStringToObject(to, "name", g >= 0 ? c->gps[g].name :
		    gp);
	} else
		cJSON_AddStringToObject(to, "principal", s->q->r.created_by);
	cJSON_AddItemToObject(o, "to", to);
	cJSON_AddStringToObject(o, "urgency", s->q->r.urgency);
	cJSON_AddStringToObject(o, "commune", s->q->r.commune);
	cJSON_AddStringToObject(o, "sector", s->q->r.sector);
	return o;
}

static void	tc_saved(void *arg, int err);

static void
tc_serialize(struct tc_req *q)
{
	q->r.offered_to = q->offered;
	q->r.declined = q->declined;
}

/* Store the request and its history; the rest once durable. */
static void
tc_save(struct tc_step *s, const char *who, const char *what)
{
	struct tc *t = s->t;
	int err;

	tc_serialize(s->q);
	err = t->d->store == NULL ? STORE_ECLOSED : store_tc_save(t->d->store,
	    &s->q->r, s->ev, s->n_ev, who, what, tc_saved, s);
	if (err != STORE_OK) {
		s->q->writes++;
		tc_saved(s, err);
		return;
	}
	s->q->writes++;
}

static int
tc_restore_row(void *arg, const struct store_tc *r)
{
	struct tc_req *q = arg;

	q->r = *r;
	snprintf(q->offered, sizeof(q->offered), "%s", r->offered_to);
	snprintf(q->declined, sizeof(q->declined), "%s", r->declined);
	q->closed = strcmp(r->state, "offered") != 0 &&
	    strcmp(r->state, "accepted") != 0;
	return 0;
}

static void	tc_notified(struct daemon *d, void *arg, bool delivered,
		    const char *detail);

static void
tc_saved(void *arg, int err)
{
	struct tc_step *s = arg;
	struct tc *t = s->t;
	struct tc_req *q = s->q;
	struct daemon *d = t->d;
	const cJSON *it;
	bool found = false;
	char why[160];

	q->writes--;
	if (err != STORE_OK) {
		snprintf(why, sizeof(why), "request not stored: %s",
		    store_strerror(err));
		log_err("tc", "%s: %s", q->r.id, why);
		/* The store holds the truth: take it back. */
		if (d->store != NULL)
			store_tc_get(d->store, q->r.id, tc_restore_row, q,
			    &found);
		if (!found)
			q->closed = true;
		if (s->done != NULL)
			s->done(d, s->arg, PROTO_EUNAVAIL, why, NULL);
		tc_step_free(s);
		tc_maybe_forget(t, q);
		tc_arm(t);
		return;
	}
	cJSON_ArrayForEach(it, s->events) {
		cJSON *obj = cJSON_DetachItemFromArray((cJSON *)it, 1);

		evt_publish(d->srv, cJSON_GetArrayItem(it, 0)->valuestring,
		    obj);
	}
	cJSON_ArrayForEach(it, s->notices) {
		const char *gp = cJSON_GetArrayItem(it, 0)->valuestring;
		cJSON *msg = cJSON_DetachItemFromArray((cJSON *)it, 1);
		struct tc_notice *n = calloc(1, sizeof(*n));

		if (n == NULL) {
			cJSON_Delete(msg);
			continue;
		}
		snprintf(n->id, sizeof(n->id), "%s", q->r.id);
		snprintf(n->gp, sizeof(n->gp), "%s", gp);
		n->round = q->round;
		if (notify_send(t->notifier, msg, tc_notified, n)) {
			q->notifying++;
			/* Counted per round: all failed means unreachable. */
			q->sent += gp[0] != '\0';
		} else
			free(n);
	}
	if (s->done != NULL)
		s->done(d, s->arg, 0, NULL, q->r.id);
	tc_step_free(s);
	tc_maybe_forget(t, q);
	tc_arm(t);
}

/* --- stages ------------------------------------------------------------ */

/* Whether gp can be offered q now: capable, present, not declined. */
static bool
tc_can_offer(struct tc *t, const struct tc_req *q, const char *gp)
{
	const struct cfg *c = t->d->cfg;
	ssize_t g = gp[0] != '\0' ? cfg_gp_find(c, gp) : -1;
	struct feed_view v;

	if (g < 0 || !c->gps[g].teleconsult || tc_list_has(q->declined, gp))
		return false;
	if (t->d->feeds != NULL && feeds_view(t->d->feeds, gp, &v) &&
	    v.avail != NULL && ivs_has(&v.avail->absent, tc_now(t)))
		return false;
	return true;
}

/* The GPs of a stage, into list (cleared); how many. */
static size_t
tc_stage_gps(struct tc *t, const struct tc_req *q, enum tc_stage stage,
    char *list)
{
	const struct cfg *c = t->d->cfg;
	struct roster_shift sh;
	size_t n = 0;

	list[0] = '\0';
	if (stage == TC_ALL) {
		for (size_t g = 0; g < c->n_gps; g++)
			if (tc_can_offer(t, q, c->gps[g].id)) {
				tc_list_add(list, c->gps[g].id);
				n++;
			}
		return n;
	}
	if (t->d->roster == NULL || !roster_at(t->d->roster, tc_now(t), &sh))
		return 0;
	if (stage == TC_PRIMARY && tc_can_offer(t, q, sh.primary)) {
		tc_list_add(list, sh.primary);
		n = 1;
	}
	if (stage == TC_BACKUP && strcmp(sh.backup, sh.primary) != 0 &&
	    tc_can_offer(t, q, sh.backup)) {
		tc_list_add(list, sh.backup);
		n = 1;
	}
	return n;
}

static int
tc_timeout_s(const struct tc *t, const struct tc_req *q)
{
	const struct cfg *c = t->d->cfg;

	return strcmp(q->r.urgency, "urgent") == 0 ?
	    c->oncall.urgent_ack_timeout_s : c->oncall.ack_timeout_s;
}

static void
tc_unanswered(struct tc_step *s)
{
	struct tc_req *q = s->q;
	cJSON *m;

	snprintf(q->r.state, sizeof(q->r.state), "unanswered");
	q->offered[0] = '\0';
	q->r.deadline = 0;
	q->closed = true;
	q->round++;
	tc_history(s, "unanswered", NULL, NULL);
	tc_event_new(s, "tc.unanswered");
	m = tc_notice_new(s, "tc.unanswered", NULL);
	cJSON_AddStringToObject(m, "text", "Aucun médecin d'astreinte n'a "
	    "répondu : appelez le 15 (SAMU).");
}

/* Offer q to the GPs of the first stage from first with anyone in it. */
static void
tc_offer_from(struct tc_step *s, enum tc_stage first)
{
	struct tc *t = s->t;
	struct tc_req *q = s->q;
	char list[TC_LIST_MAX], tok[STORE_TC_WHO_MAX], when[RFC3339_MAX];
	const char *p;
	enum tc_stage st;
	int n;

	for (st = first; st < TC_STAGE_COUNT; st++)
		if (tc_stage_gps(t, q, st, list) > 0)
			break;
	if (st == TC_STAGE_COUNT) {
		tc_unanswered(s);
		return;
	}
	if (q->round > 0) {
		q->r.escalations++;
		tc_history(s, "escalated", NULL, tc_stages[st]);
		cJSON_AddStringToObject(tc_event_new(s, "tc.escalated"),
		    "stage", tc_stages[st]);
	}
	snprintf(q->r.stage, sizeof(q->r.stage), "%s", tc_stages[st]);
	memcpy(q->offered, list, sizeof(list));
	q->r.deadline = tc_now(t) + tc_timeout_s(t, q);
	q->round++;
	q->sent = q->failed = 0;
	daemon_time(t->d, q->r.deadline, when);
	for (p = list; sscanf(p, "%64s%n", tok, &n) == 1; p += n) {
		char topic[96], text[200];
		cJSON *e, *m;

		tc_history(s, "offered", tok, NULL);
		snprintf(topic, sizeof(topic), "tc.request/%s", tok);
		e = tc_event_new(s, topic);
		cJSON_AddStringToObject(e, "urgency", q->r.urgency);
		cJSON_AddStringToObject(e, "commune", q->r.commune);
		cJSON_AddStringToObject(e, "sector", q->r.sector);
		cJSON_AddStringToObject(e, "stage", q->r.stage);
		cJSON_AddStringToObject(e, "deadline", when);
		m = tc_notice_new(s, "tc.offer", tok);
		cJSON_AddStringToObject(m, "stage", q->r.stage);
		cJSON_AddStringToObject(m, "deadline", when);
		snprintf(text, sizeof(text), "Téléconsultation %sdemandée "
		    "(%s) : répondre avant %.5s", strcmp(q->r.urgency,
		    "urgent") == 0 ? "urgente " : "", q->r.commune,
		    when + 11);
		cJSON_AddStringToObject(m, "text", text);
	}
}

/* The next stage after the current one (silence, decline, failure). */
static void
tc_escalate(struct tc_step *s)
{
	struct tc_req *q = s->q;
	enum tc_stage st = TC_PRIMARY;

	while (st < TC_STAGE_COUNT && strcmp(tc_stages[st], q->r.stage) != 0)
		st++;
	if (st + 1 >= TC_STAGE_COUNT || st == TC_STAGE_COUNT) {
		tc_unanswered(s);
		return;
	}
	tc_offer_from(s, st + 1);
}

/* --- requests ---------------------------------------------------------- */

void
tc_create(struct tc *t, struct store_tc *r, tc_done_fn done, void *arg)
{
	struct tc_req *q;
	struct tc_step *s;

	if (t->is_closing) {
		done(t->d, arg, PROTO_EUNAVAIL, "shutting down", NULL);
		return;
	}
	if ((q = calloc(1, sizeof(*q))) == NULL ||
	    (s = tc_step_new(t, q, done, arg)) == NULL) {
		free(q);
		done(t->d, arg, PROTO_EINTERNAL, "out of memory", NULL);
		return;
	}
	booking_random_id("t-", r->id, sizeof(r->id));
	r->created_at = tc_now(t);
	snprintf(r->state, sizeof(r->state), "offered");
	snprintf(r->stage, sizeof(r->stage), "%s", tc_stages[
	    t->d->cfg->oncall.broadcast ? TC_ALL : TC_PRIMARY]);
	q->r = *r;
	q->next = t->live;
	t->live = q;
	tc_history(s, "created", NULL, NULL);
	tc_offer_from(s, t->d->cfg->oncall.broadcast ? TC_ALL : TC_PRIMARY);
	log_info("tc", "%s created by %s (%s), %s", q->r.id, q->r.created_by,
	    q->r.urgency, q->r.state);
	tc_save(s, q->r.created_by, "request");
}

static void
tc_accept(struct tc_step *s, const char *gp)
{
	struct tc_req *q = s->q;
	const struct cfg *c = s->t->d->cfg;
	ssize_t g = cfg_gp_find(c, gp);
	char text[200];
	cJSON *e, *m;

	snprintf(q->r.state, sizeof(q->r.state), "accepted");
	snprintf(q->r.accepted_by, sizeof(q->r.accepted_by), "%s", gp);
	q->r.acked_at = tc_now(s->t);
	q->r.deadline = q->r.acked_at + c->oncall.done_timeout_s;
	q->offered[0] = '\0';
	q->round++;
	tc_history(s, "accepted", gp, NULL);
	e = tc_event_new(s, "tc.accepted");
	cJSON_AddStringToObject(e, "gp", gp);
	cJSON_AddNumberToObject(e, "ack_s",
	    (double)(q->r.acked_at - q->r.created_at));
	m = tc_notice_new(s, "tc.accepted", NULL);
	cJSON_AddStringToObject(m, "gp", gp);
	snprintf(text, sizeof(text), "%s prend la téléconsultation.",
	    g >= 0 ? c->gps[g].name : gp);
	cJSON_AddStringToObject(m, "text", text);
}

static void
tc_close_as(struct tc_step *s, const char *state, const char *event,
    const char *gp, const char *detail)
{
	struct tc_req *q = s->q;

	snprintf(q->r.state, sizeof(q->r.state), "%s", state);
	q->r.deadline = 0;
	q->offered[0] = '\0';
	q->closed = true;
	q->round++;
	tc_history(s, event, gp, detail);
	cJSON_AddStringToObject(tc_event_new(s, "tc.closed"), "state", state);
}

static int
tc_exists_row(void *arg, const struct store_tc *r)
{
	(void)arg;
	(void)r;
	return 1;
}

void
tc_act(struct tc *t, const char *id, enum tc_action action, const char *who,
    bool is_admin, const char *text, tc_done_fn done, void *arg)
{
	static const char *const what[] = { "ack", "decline", "done",
	    "cancel" };
	struct tc_req *q = t->is_closing ? NULL : tc_find(t, id);
	struct tc_step *s;
	bool offered, accepted;
	cJSON *e;

	if (t->is_closing) {
		done(t->d, arg, PROTO_EUNAVAIL, "shutting down", NULL);
		return;
	}
	if (q == NULL || q->closed) {
		bool found = q != NULL;

		if (q == NULL && t->d->store != NULL)
			store_tc_get(t->d->store, id, tc_exists_row, NULL,
			    &found);
		if (found)
			done(t->d, arg, PROTO_ECONFLICT, "the request is no "
			    "longer open", NULL);
		else
			done(t->d, arg, PROTO_ENOTFOUND, "no such request",
			    NULL);
		return;
	}
	offered = strcmp(q->r.state, "offered") == 0;
	accepted = strcmp(q->r.state, "accepted") == 0;
	switch (action) {
	case TC_ACK:
	case TC_DECLINE:
		if (!offered || !tc_list_has(q->offered, who)) {
			done(t->d, arg, PROTO_ECONFLICT, accepted ?
			    "the request was accepted by another GP" :
			    "the request is not offered to you", NULL);
			return;
		}
		break;
	case TC_DONE:
		if (!accepted || strcmp(q->r.accepted_by, who) != 0) {
			done(t->d, arg, PROTO_ECONFLICT, "you have not "
			    "accepted this request", NULL);
			return;
		}
		break;
	case TC_CANCEL:
		if (!is_admin && strcmp(q->r.created_by, who) != 0) {
			done(t->d, arg, PROTO_EFORBIDDEN, "not your request",
			    NULL);
			return;
		}
		break;
	}
	if ((s = tc_step_new(t, q, done, arg)) == NULL) {
		done(t->d, arg, PROTO_EINTERNAL, "out of memory", NULL);
		return;
	}
	switch (action) {
	case TC_ACK:
		tc_accept(s, who);
		break;
	case TC_DECLINE:
		tc_list_add(q->declined, who);
		tc_list_del(q->offered, who);
		tc_history(s, "declined", who, NULL);
		e = tc_event_new(s, "tc.declined");
		cJSON_AddStringToObject(e, "gp", who);
		/* Sequential: on at once. All: when everyone declined. */
		if (q->offered[0] == '\0')
			tc_escalate(s);
		break;
	case TC_DONE:
		q->r.done_at = tc_now(t);
		snprintf(q->r.outcome, sizeof(q->r.outcome), "%s",
		    text != NULL ? text : "");
		tc_close_as(s, "done", "done", who, NULL);
		break;
	case TC_CANCEL:
		/* The GP who took it is on the way: tell them it is off. */
		if (accepted)
			cJSON_AddStringToObject(tc_notice_new(s, "tc.cancelled",
			    q->r.accepted_by), "text", "Téléconsultation "
			    "annulée par l'infirmier·e.");
		tc_close_as(s, "cancelled", "cancelled", NULL, who);
		break;
	}
	tc_save(s, who, what[action]);
}

/* --- notices ----------------------------------------------------------- */

static void
tc_notified(struct daemon *d, void *arg, bool delivered, const char *detail)
{
	struct tc_notice *n = arg;
	struct tc *t = d->tc;
	struct tc_req *q = t != NULL ? tc_find(t, n->id) : NULL;
	struct tc_step *s;

	if (q == NULL) {
		free(n);
		return;
	}
	q->notifying--;
	if (t->is_closing || (s = tc_step_new(t, q, NULL, NULL)) == NULL) {
		tc_maybe_forget(t, q);
		free(n);
		return;
	}
	tc_history(s, "notified", n->gp[0] != '\0' ? n->gp : NULL, detail);
	/* Nobody of this round can be reached: on, as if silent. */
	if (!delivered && n->gp[0] != '\0' && n->round == q->round &&
	    !q->closed && strcmp(q->r.state, "offered") == 0 &&
	    ++q->failed == q->sent)
		tc_escalate(s);
	tc_save(s, "snpd", "notified");
	free(n);
}

/* --- timers ------------------------------------------------------------ */

static void
tc_fire(uv_timer_t *h)
{
	struct tc *t = h->data;
	int64_t now = tc_now(t);
	struct tc_req *q, *next;

	for (q = t->live; q != NULL; q = next) {
		struct tc_step *s;

		next = q->next;
		if (q->closed || q->writes > 0 || q->r.deadline == 0 ||
		    q->r.deadline > now)
			continue;
		if ((s = tc_step_new(t, q, NULL, NULL)) == NULL)
			break;
		if (strcmp(q->r.state, "offered") == 0) {
			tc_history(s, "timeout", NULL, q->r.stage);
			tc_escalate(s);
		} else {
			cJSON *e = tc_event_new(s, "tc.stale");
			cJSON *m;

			cJSON_AddStringToObject(e, "gp", q->r.accepted_by);
			tc_history(s, "stale", q->r.accepted_by, NULL);
			q->r.deadline = now + t->d->cfg->oncall.done_timeout_s;
			m = tc_notice_new(s, "tc.stale", q->r.accepted_by);
			cJSON_AddStringToObject(m, "text", "Téléconsultation "
			    "acceptée mais pas close : merci de la clore "
			    "(snpctl tc done).");
		}
		tc_save(s, "snpd", "timeout");
	}
	tc_arm(t);
}

static void
tc_arm(struct tc *t)
{
	int64_t next = INT64_MAX, now;

	if (t->is_closing)
		return;
	for (const struct tc_req *q = t->live; q != NULL; q = q->next)
		if (!q->closed && q->writes == 0 && q->r.deadline != 0 &&
		    q->r.deadline < next)
			next = q->r.deadline;
	if (next == INT64_MAX) {
		uv_timer_stop(&t->timer);
		return;
	}
	now = tc_now(t);
	uv_timer_start(&t->timer, tc_fire, next > now ?
	    (uint64_t)(next - now) * 1000 : 0, 0);
}

/* --- life -------------------------------------------------------------- */

static int
tc_load_row(void *arg, const struct store_tc *r)
{
	struct tc *t = arg;
	struct tc_req *q = calloc(1, sizeof(*q));

	if (q == NULL)
		return -1;
	tc_restore_row(q, r);
	q->round = 1;
	q->next = t->live;
	t->live = q;
	return 0;
}

int
tc_open(struct daemon *d, struct tc **out, char *why, size_t whylen)
{
	struct tc *t = calloc(1, sizeof(*t));
	int err;

	*out = NULL;
	if (t == NULL || notify_open(d, &t->notifier) != 0) {
		free(t);
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	t->d = d;
	/* A deadline that passed while snpd was down fires at once. */
	if ((err = store_tc_each(d->store, 0, INT64_MAX, true, tc_load_row,
	    t)) != STORE_OK) {
		snprintf(why, whylen, "requests not read: %s",
		    store_strerror(err));
		while (t->live != NULL)
			tc_unlink(t, t->live);
		notify_close(t->notifier);
		free(t);
		return -1;
	}
	uv_timer_init(&d->loop, &t->timer);
	t->timer.data = t;
	t->has_timer = true;
	tc_arm(t);
	if (t->live != NULL)
		log_notice("tc", "%zu requests in progress", tc_count_live(t));
	*out = t;
	return 0;
}

static void
tc_maybe_free(struct tc *t)
{
	for (const struct tc_req *q = t->live; q != NULL; q = q->next)
		if (q->writes > 0)
			return;
	if (t->has_timer)
		return;
	while (t->live != NULL)
		tc_unlink(t, t->live);
	free(t);
}

static void
tc_timer_closed(uv_handle_t *h)
{
	struct tc *t = h->data;

	t->has_timer = false;
	tc_maybe_free(t);
}

void
tc_close(struct tc *t)
{
	if (t == NULL || t->is_closing)
		return;
	t->is_closing = true;
	notify_close(t->notifier);
	t->notifier = NULL;
	uv_close((uv_handle_t *)&t->timer, tc_timer_closed);
}

/* export.get: a GP's agenda export, as written to export_dir. */
#include "daemon/ops.h"

#include <stdlib.h>
#include <string.h>

#include "daemon/export.h"

void
ops_export_get(struct daemon *d, struct srv_req *r)
{
	const char *gp;
	char why[PROTO_WHY_MAX], *text;
	ssize_t g;
	cJSON *o;

	if (jarg_str(r->req.args, "args", "gp", CFG_ID_MAX, &gp, why,
	    sizeof(why))) {
		srv_reply_err(r, PROTO_EARGS, "%s", why);
		return;
	}
	if (r->role == CFG_ROLE_GP && strcmp(gp, r->gp) != 0) {
		srv_reply_err(r, PROTO_EFORBIDDEN, "a GP gets its own export "
		    "only");
		return;
	}
	if ((g = cfg_gp_find(d->cfg, gp)) < 0) {
		srv_reply_err(r, PROTO_ENOTFOUND, "no GP \"%s\"", gp);
		return;
	}
	if ((text = export_text(d, (size_t)g)) == NULL) {
		srv_reply_err(r, PROTO_EUNAVAIL, "the export could not be made "
		    "(store unreadable or out of memory)");
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "gp", gp);
	cJSON_AddStringToObject(o, "ics", text);
	free(text);
	srv_reply_ok(r, o);
}

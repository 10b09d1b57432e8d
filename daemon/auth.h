/* Who is asking: token to principal, and what each role may do. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "daemon/cfg.h"

/* Role sets for the ops table: AUTH_R(ADMIN) | AUTH_R(GP). */
#define AUTH_R(role)	(1u << CFG_ROLE_##role)
#define AUTH_ANY	((1u << CFG_ROLE_COUNT) - 1)

/*
 * The principal whose token equals token (len bytes), or -1. Every
 * principal's token is compared, each in time that depends only on the
 * stored token's length, so that timing tells nothing about which token
 * or how much of it matched.
 */
ssize_t	auth_find(const struct cfg *c, const char *token, size_t len);

/* Constant-time equality of a presented and a stored secret. */
bool	auth_equal(const char *given, size_t given_len, const char *stored,
	    size_t stored_len);

/* Whether role is in the set roles (AUTH_R bits). */
bool	auth_role_allowed(enum cfg_role role, unsigned roles);

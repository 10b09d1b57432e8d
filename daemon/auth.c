/* Who is asking: token to principal, and what each role may do. */
#include "daemon/auth.h"

bool
auth_equal(const char *given, size_t given_len, const char *stored,
    size_t stored_len)
{
	volatile unsigned char diff = 0;

	/*
	 * Walk the stored token whatever was given: a given byte past its
	 * end reads as 0 and the length difference is folded in, so neither
	 * an early mismatch nor a short token ends the loop early.
	 */
	diff |= (unsigned char)(given_len != stored_len);
	for (size_t i = 0; i < stored_len; i++) {
		unsigned char g = i < given_len ? (unsigned char)given[i] : 0;

		diff |= g ^ (unsigned char)stored[i];
	}
	return diff == 0;
}

ssize_t
auth_find(const struct cfg *c, const char *token, size_t len)
{
	ssize_t found = -1;

	if (token == NULL)
		return -1;
	/* No early exit: the time spent does not depend on which matched. */
	for (size_t i = 0; i < c->n_principals; i++) {
		const struct cfg_principal *p = &c->principals[i];

		if (auth_equal(token, len, p->token, p->token_len))
			found = (ssize_t)i;
	}
	return found;
}

bool
auth_role_allowed(enum cfg_role role, unsigned roles)
{
	return role < CFG_ROLE_COUNT && (roles & (1u << role)) != 0;
}

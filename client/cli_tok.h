/* snpctl token lookup: options, environment, then a token file. */
#pragma once

#include <stddef.h>

/* Longest token line read from a file, in bytes. */
#define CLI_TOK_MAX	4096

/*
 * Finds the token to send, first found wins: opt_token (--token),
 * opt_file (--token-file), $SNP_TOKEN, $SNP_TOKEN_FILE, then
 * $XDG_CONFIG_HOME/snpctl/token or ~/.config/snpctl/token when that file
 * exists. A file gives its first line, trimmed; a warning goes to stderr
 * when the file is readable by other users. Returns 0 with *tokenp set
 * (owned by the caller, freed with cli_tok_free(); NULL when no token was
 * found anywhere), or -1 with why set: an unreadable or empty file, or
 * both options given. why never contains the token.
 */
int	cli_tok_find(const char *opt_token, const char *opt_file,
	    char **tokenp, char *why, size_t whylen);

/* Wipes and frees a token; NULL is a no-op. */
void	cli_tok_free(char *token);

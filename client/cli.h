/* snpctl's shared vocabulary: exit statuses and the settings of one run. */
#pragma once

#include <stdbool.h>

/*
 * Exit statuses, documented in `snpctl --help`: scripts branch on them, so
 * a status never changes meaning.
 */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_REFUSED = 1,	/* error reply, not a calendar, stdout failed */
	CLI_EXIT_USAGE = 2,	/* bad command line or file: nothing was sent */
	CLI_EXIT_NOREPLY = 3,	/* no reply in time, or an unreadable one */
};

/* The settings of one snpctl run, filled by cli_opt_*. */
struct cli_ctx {
	/* As given on the command line; NULL when absent. */
	const char	*endpoint_opt;
	const char	*pub_opt;	/* --pub: snpd's events (watch) */
	const char	*token_opt;
	const char	*token_file_opt;
	bool		 is_json;
	bool		 wants_help;
	bool		 wants_version;

	/* Set by cli_opt_resolve(), before any network I/O. */
	const char	*endpoint;	/* borrows from argv or environ */
	const char	*pub;		/* the same, by cli_opt_resolve_pub() */
	char		*token;		/* owned; NULL to send none */
	double		 timeout_s;	/* as typed, for messages; 0: none */
	int		 timeout_ms;
	unsigned	 seq;		/* requests sent, for their ids */
	/*
	 * Set by cli_net_call(): its last request was sent but got no reply
	 * in time. A booking.create may then have been made: only such a
	 * request is worth sending again (with its idempotency key).
	 */
	bool		 has_timed_out;
};

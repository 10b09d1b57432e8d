/* snpctl's slot and booking commands: their entries in the command table. */
#pragma once

#include "client/cli_cmd.h"

/*
 * search, hold, release, book, cancel, bookings, booking and export, in
 * the order snpctl --help lists them; the last entry's name is NULL.
 */
extern const struct cli_cmd cli_cmds_book[];

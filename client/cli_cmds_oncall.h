/* snpctl's on-call and event commands: their entries in the command table. */
#pragma once

#include "client/cli_cmd.h"

/*
 * rota, oncall, tc and watch, in the order snpctl --help lists them; the
 * last entry's name is NULL.
 */
extern const struct cli_cmd cli_cmds_oncall[];

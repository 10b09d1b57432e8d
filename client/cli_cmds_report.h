/* snpctl's reporting commands: their entries in the command table. */
#pragma once

#include "client/cli_cmd.h"

/* report, as snpctl --help lists it; the last entry's name is NULL. */
extern const struct cli_cmd cli_cmds_report[];

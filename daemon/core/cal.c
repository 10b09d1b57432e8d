/* PLACEHOLDER: calendar step, being written */
#include "daemon/core/cal.h"

/* PLACEHOLDER: interval sets, being written */
#include "daemon/core/ivs.h"

/* Leveled logging to stderr; the journal adds time and unit. */
#pragma once

#include <stdbool.h>

enum log_level {
	LOG_ERR,
	LOG_WARNING,
	LOG_NOTICE,	/* the default */
	LOG_INFO,
	LOG_DEBUG,
};

/*
 * Never pass patient data (name, phone, birth year) or a whole feed URL:
 * logs carry ids. group is the module tag ("srv", "cfg").
 */
void	log_msg(int level, const char *group, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#define log_err(g, ...)		log_msg(LOG_ERR, g, __VA_ARGS__)
#define log_warning(g, ...)	log_msg(LOG_WARNING, g, __VA_ARGS__)
#define log_notice(g, ...)	log_msg(LOG_NOTICE, g, __VA_ARGS__)
#define log_info(g, ...)	log_msg(LOG_INFO, g, __VA_ARGS__)
#define log_debug(g, ...)	log_msg(LOG_DEBUG, g, __VA_ARGS__)

/* Read the environment once, before any thread starts. */
void	log_init(void);
/* Set the threshold; returns -1 when name is not a level name. */
int	log_set_level_name(const char *name);
void	log_set_level(int level);
bool	log_enabled(int level);

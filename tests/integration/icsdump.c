/*
 * icsdump FILE: parse an iCalendar file with libical, as a GP's agenda
 * would, and print one line per event: "UID BOOKING STATUS DTSTART",
 * BOOKING being X-SNPD-BOOKING or "-". Exits 1 when the file does not
 * parse as one VCALENDAR.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

static const char *
icsdump_x(icalcomponent *ev, const char *name)
{
	icalproperty *p;

	for (p = icalcomponent_get_first_property(ev, ICAL_X_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(ev,
	    ICAL_X_PROPERTY))
		if (strcmp(icalproperty_get_x_name(p), name) == 0)
			return icalproperty_get_x(p);
	return "-";
}

int
main(int argc, char **argv)
{
	icalcomponent *cal, *ev;
	char *text;
	long len;
	FILE *f;

	if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL) {
		fprintf(stderr, "usage: icsdump FILE\n");
		return 2;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)len + 1);
	if (text == NULL || fread(text, 1, (size_t)len, f) != (size_t)len)
		return 2;
	fclose(f);
	cal = icalparser_parse_string(text);
	free(text);
	if (cal == NULL ||
	    icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
		fprintf(stderr, "icsdump: not one VCALENDAR\n");
		return 1;
	}
	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    ev != NULL; ev = icalcomponent_get_next_component(cal,
	    ICAL_VEVENT_COMPONENT))
		printf("%s %s %s %s\n", icalcomponent_get_uid(ev),
		    icsdump_x(ev, "X-SNPD-BOOKING"),
		    icalproperty_status_to_string(
		    icalcomponent_get_status(ev)),
		    icaltime_as_ical_string(icalcomponent_get_dtstart(ev)));
	icalcomponent_free(cal);
	return 0;
}

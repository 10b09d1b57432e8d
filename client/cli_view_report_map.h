/* snpctl report --html: each sector's coverage, week by hour, in SVG. */
#pragma once

#include <cjson/cJSON.h>

#include "client/cli_out.h"

/*
 * Appends the heatmaps of r's heatmap list: a heading, a legend, then
 * per sector one inline SVG, a row per ISO week of the period (r's from
 * and to) and a column per hour with a target, each cell (an SVG rect
 * of class "cell") colored by met/hours from red (none met) through
 * amber to green (all met), grey when that hour had no target that
 * week, and its value written in it: "71% (5/7)", "–". A sector
 * without any target gets a line saying so. Out of memory, it says so
 * in the page instead of the maps.
 */
void	cli_view_report_map(const cJSON *r, struct cli_out *out);

/*
 * The color of a ratio met/hours (clamped to 0..1) as "#rrggbb": red
 * #e8553f at 0, amber #f9c24a at 0.5, green #5cb85c at 1, in between
 * linearly. The grey of no target is CLI_VIEW_REPORT_MAP_NONE.
 */
#define CLI_VIEW_REPORT_MAP_NONE	"#e0e0e0"
void	cli_view_report_map_color(double ratio, char buf[8]);

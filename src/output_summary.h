/* output_summary.h: the --summary writer behind output.h: counts the very
 * event objects --json writes (so the two never disagree) and prints one
 * table, or one JSON object, for the whole capture at close. */
#ifndef SMTPSCOPE_OUTPUT_SUMMARY_H
#define SMTPSCOPE_OUTPUT_SUMMARY_H

#include <stdio.h>

struct json_object;
struct output_summary;

#define OUTPUT_SUMMARY_KEYS_MAX	10000	/* distinct names per table; the
					 * rest add up under "(others)" */
#define OUTPUT_SUMMARY_TOP	10	/* domains listed */

/* NULL on out-of-memory; as_json: one JSON object instead of the table.
 * title (may be NULL): the inputs, named in the table's first line. */
struct output_summary	*output_summary_open(FILE *, int as_json,
			    const char *title);
/* One whole event (common fields included), borrowed. */
void	output_summary_event(struct output_summary *,
	    const struct json_object *event);
int	output_summary_error(const struct output_summary *);
/* close will write nothing (the run showed nothing). NULL: no-op. */
void	output_summary_discard(struct output_summary *);
/* Writes the summary and frees everything. */
/* Frees; non-zero if a write failed at any time (this one included). */
int	output_summary_close(struct output_summary *);

#endif

/* output.c: fans results out to the transcript, NDJSON, HTML and summary
 * writers. Holds no formatting of its own beyond shared helpers; never
 * parses. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <json-c/json.h>

#include "hash.h"
#include "output.h"
#include "output_html.h"
#include "output_json.h"
#include "output_summary.h"
#include "output_text.h"

#define NOTE_MAX	512	/* a longer note is cut */
#define LATER_MAX	64	/* events held for the digest thread */

struct output {
	struct output_text	*text;	/* NULL: no transcript */
	struct output_json	*json;	/* NULL: no events */
	struct output_html	*html;	/* NULL: no page */
	struct output_summary	*summary; /* NULL: no summary */
	struct timeval		 now;	/* for events without a flow */
	/* When events are the only output, one whose digests the worker
	 * has not finished waits here (in order, with every event after
	 * it) instead of the analysis waiting for the worker. A ring: the
	 * oldest at later_first. */
	struct later_event {
		struct json_envelope	 env;
		struct json_object	*obj;
		uint64_t		 mark;	/* hash_mark() when it came */
	}			 later[LATER_MAX];
	size_t			 later_first, nlater;
};

struct output *
output_open(const struct output_options *opt)
{
	struct output *o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	if (opt->text != NULL &&
	    (o->text = output_text_open(opt->text, opt->color)) == NULL)
		goto fail;
	if (o->text != NULL && opt->explain)
		output_text_set_explain(o->text, opt->explain_lang);
	if (opt->json != NULL &&
	    (o->json = output_json_open(opt->json)) == NULL)
		goto fail;
	if (opt->html != NULL &&
	    (o->html = output_html_open(opt->html, opt->title,
	    opt->explain_lang)) == NULL)
		goto fail;
	if (opt->summary != NULL && (o->summary = output_summary_open(
	    opt->summary, opt->summary_json, opt->title)) == NULL)
		goto fail;
	return o;
fail:
	output_close(o);
	return NULL;
}

/* An event, envelope and all, to the NDJSON writer and the summary. */
static void
event_write(struct output *o, struct json_object *e)
{
	if (o->json != NULL)
		output_json_write(o->json, e);
	if (o->summary != NULL)
		output_summary_event(o->summary, e);
	json_object_put(e);
}

/* A held event: written without its envelope tree when only --json
 * wants it (the tree and its merge were a twentieth of the analysis). */
static void
later_write(struct output *o, struct later_event *l)
{
	if (o->summary == NULL && o->json != NULL)
		output_json_write_event(o->json, &l->env, l->obj);
	else
		event_write(o, output_json_envelope_tree(&l->env, l->obj));
}

/* Writes the held events whose digests are in, oldest first: all of
 * them if `wait`, else those the worker is done with, without waiting.
 * (Waiting for everything queued whenever the ring filled made the
 * analysis stop for the worker's whole backlog, 30 to 60 times a run.) */
static void
later_drain(struct output *o, int wait)
{
	struct later_event *l;

	if (o->nlater > 0 && wait)
		hash_resolve();
	while (o->nlater > 0) {
		l = &o->later[o->later_first];
		if (!wait) {
			if (!hash_mark_done(l->mark))
				break;
			/* after the check: the worker may have moved on */
			hash_resolve_done();
		}
		later_write(o, l);
		o->later_first = (o->later_first + 1) % LATER_MAX;
		o->nlater--;
	}
}

void
output_flush(struct output *o)
{
	if (o == NULL)
		return;
	later_drain(o, 1);
	if (o->text != NULL)
		output_text_flush(o->text);
	if (o->json != NULL)
		output_json_flush(o->json);
}

/* Flushes and frees; the page and the summary are written now. The FILEs
 * stay open: they are the caller's. */
int
output_close(struct output *o)
{
	int err = 0;

	if (o == NULL)
		return 0;
	later_drain(o, 1);
	err |= output_text_close(o->text) ? OUTPUT_ERR_TEXT : 0;
	err |= output_json_close(o->json) ? OUTPUT_ERR_JSON : 0;
	err |= output_html_close(o->html) ? OUTPUT_ERR_HTML : 0;
	err |= output_summary_close(o->summary) ? OUTPUT_ERR_SUMMARY : 0;
	free(o);
	return err;
}

void
output_discard_reports(struct output *o)
{
	if (o == NULL)
		return;
	output_html_discard(o->html);
	output_summary_discard(o->summary);
}

int
output_error(const struct output *o)
{
	if (o == NULL)
		return 0;
	return (o->text != NULL && output_text_error(o->text) ?
	    OUTPUT_ERR_TEXT : 0) |
	    (o->json != NULL && output_json_error(o->json) ?
	    OUTPUT_ERR_JSON : 0) |
	    (o->html != NULL && output_html_error(o->html) ?
	    OUTPUT_ERR_HTML : 0) |
	    (o->summary != NULL && output_summary_error(o->summary) ?
	    OUTPUT_ERR_SUMMARY : 0);
}

void
output_session_open(struct output *o, const struct flow *f)
{
	if (o == NULL || f == NULL)
		return;
	if (o->text != NULL)
		output_text_session_open(o->text, f);
	if (o->html != NULL)
		output_html_session_open(o->html, f);
}

void
output_line(struct output *o, const struct flow *f, enum output_dir dir,
    const uint8_t *p, size_t n, int cut)
{
	if (o == NULL)
		return;
	if (o->text != NULL)
		output_text_line(o->text, f, dir, p, n, cut);
	if (o->html != NULL)
		output_html_line(o->html, f, dir, p, n, cut);
}

void
output_note(struct output *o, const struct flow *f, enum output_dir dir,
    const char *fmt, ...)
{
	char note[NOTE_MAX];
	va_list ap;

	if (o == NULL || (o->text == NULL && o->html == NULL))
		return;
	va_start(ap, fmt);
	vsnprintf(note, sizeof(note), fmt, ap);
	va_end(ap);
	if (o->text != NULL)
		output_text_note(o->text, f, dir, note);
	if (o->html != NULL)
		output_html_note(o->html, f, dir, note);
}

void
output_message(struct output *o, const struct flow *f,
    const struct json_object *message)
{
	if (o == NULL || (o->text == NULL && o->html == NULL))
		return;
	hash_resolve();		/* the parts' digests, before they are read */
	if (o->text != NULL)
		output_text_message(o->text, f, message);
	if (o->html != NULL)
		output_html_message(o->html, f, message);
}

void
output_event(struct output *o, const struct flow *f, const char *event,
    struct json_object *obj)
{
	struct json_object *e;

	if (o == NULL || (o->json == NULL && o->html == NULL &&
	    o->summary == NULL && o->text == NULL)) {
		json_object_put(obj);
		return;
	}
	/* Events only: the digests may still be on the worker; the event
	 * leaves with those before it once they are done (or the queue is
	 * full: then it waits). */
	if (o->text == NULL && o->html == NULL) {
		struct later_event *l = &o->later[(o->later_first +
		    o->nlater++) % LATER_MAX];

		output_json_envelope_fill(&l->env, f, &o->now, event);
		l->obj = obj;
		l->mark = hash_mark();
		later_drain(o, 0);
		if (o->nlater == LATER_MAX) {
			/* full: wait for the oldest's digests only */
			hash_mark_wait(o->later[o->later_first].mark);
			later_drain(o, 0);
		}
		return;
	}
	hash_resolve();		/* digests from the worker land in obj first */
	if (o->text != NULL && f != NULL && obj != NULL &&
	    strcmp(event, "smtp.transaction") == 0)
		output_text_transaction(o->text, f, obj);
	if (o->json == NULL && o->html == NULL && o->summary == NULL) {
		json_object_put(obj);
		return;
	}
	/* One object for every sink: what --json writes is what the page
	 * draws and the summary counts. */
	e = output_json_envelope(f, &o->now, event, obj);
	if (o->html != NULL)
		output_html_event(o->html, f, e);
	event_write(o, e);
}

void
output_session_close(struct output *o, const struct flow *f,
    const char *end)
{
	if (o == NULL || f == NULL)
		return;
	if (o->text != NULL)
		output_text_session_close(o->text, f, end);
	if (o->html != NULL)
		output_html_session_close(o->html, f, end);
}

void
output_set_time(struct output *o, long sec, long usec)
{
	if (o == NULL)
		return;
	o->now.tv_sec = sec;
	o->now.tv_usec = usec;
}

const char *
output_group_digits(uint64_t v, char *buf, size_t len)
{
	char rev[32];
	size_t n = 0, i;

	do {
		if (n > 0 && n % 4 == 3)
			rev[n++] = ' ';
		rev[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	if (len == 0)
		return "";
	if (n >= len) {		/* too small: an empty string, never a lie */
		buf[0] = '\0';
		return buf;
	}
	for (i = 0; i < n; i++)
		buf[i] = rev[n - 1 - i];
	buf[n] = '\0';
	return buf;
}

#define ISO_DAY_MAX	32	/* "%Y-%m-%dT%H:%M:%S", any year */

/* "%Y-%m-%dT%H:%M:%S" of sec; every event asks, mostly for the second
 * before, so the last one is kept (per thread) and returned. */
static const char *
iso_second(time_t sec)
{
	static _Thread_local time_t last_sec;
	static _Thread_local char last_day[ISO_DAY_MAX];
	struct tm tm;

	if (last_day[0] == '\0' || sec != last_sec) {
		if (gmtime_r(&sec, &tm) == NULL || strftime(last_day,
		    sizeof(last_day), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
			snprintf(last_day, sizeof(last_day),
			    "1970-01-01T00:00:00");
		last_sec = sec;
	}
	return last_day;
}

const char *
output_iso_time(const struct timeval *tv, char *buf, size_t len)
{
	time_t sec = tv->tv_sec;
	long usec = tv->tv_usec;
	const char *day;
	char full[ISO_DAY_MAX + 8];
	size_t n;

	if (usec < 0 || usec >= 1000000) {	/* never print 7 digits */
		sec += usec / 1000000;
		usec %= 1000000;
		if (usec < 0) {
			sec--;
			usec += 1000000;
		}
	}
	day = iso_second(sec);
	/* day, '.', six digits, 'Z' (what "%s.%06ldZ" gives), then cut to
	 * len as snprintf cuts */
	n = strlen(day);
	memcpy(full, day, n);
	full[n] = '.';
	for (int i = 6; i >= 1; i--, usec /= 10)
		full[n + (size_t)i] = (char)('0' + usec % 10);
	full[n + 7] = 'Z';
	n += 8;
	if (len == 0)
		return buf;
	if (n > len - 1)
		n = len - 1;
	memcpy(buf, full, n);
	buf[n] = '\0';
	return buf;
}

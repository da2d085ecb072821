/* smtp_event.c: smtp.transaction and smtp.session objects, field by field
 * as docs/events.md names them. Field names are a contract: add, never
 * rename. It builds JSON only; output.c writes it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "anomaly.h"
#include "json_add.h"
#include "smtp_event.h"

struct smtp_tx *
smtp_event_tx_new(unsigned depth, const char *helo)
{
	struct smtp_tx *tx = calloc(1, sizeof(*tx));

	if (tx == NULL)
		return NULL;
	tx->depth = depth;
	tx->helo = helo != NULL ? strdup(helo) : NULL;
	return tx;
}

void
smtp_event_tx_free(struct smtp_tx *tx)
{
	if (tx == NULL)
		return;
	free(tx->helo);
	free(tx->mail_argument);
	for (size_t i = 0; i < tx->nrefused; i++) {
		free(tx->refused[i].argument);
		smtp_reply_free(&tx->refused[i].reply);
	}
	smtp_param_path_free(&tx->mail);
	smtp_reply_free(&tx->mail_reply);
	for (size_t i = 0; i < tx->nrcpts; i++) {
		smtp_param_path_free(&tx->rcpts[i].path);
		smtp_reply_free(&tx->rcpts[i].reply);
	}
	free(tx->rcpts);
	smtp_reply_free(&tx->data_start);
	smtp_reply_free(&tx->data_reply);
	json_object_put(tx->message);
	free(tx);
}

static struct json_object *
str_or_null(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

struct json_object *
smtp_event_reply(const struct smtp_reply *r)
{
	struct json_object *o = json_object_new_object();

	JSON_ADD(o, "code", json_object_new_int(r->code));
	JSON_ADD(o, "enhanced", r->enhanced[0] != '\0' ?
	    json_object_new_string(r->enhanced) : NULL);
	JSON_ADD(o, "text",
	    json_object_new_string(r->text != NULL ? r->text : ""));
	return o;
}

static struct json_object *
reply_or_null(const struct smtp_reply *r, int have)
{
	return have ? smtp_event_reply(r) : NULL;
}

static int
is_2xx(const struct smtp_reply *r)
{
	return r->code >= 200 && r->code < 300;
}

const char *
smtp_event_tx_status(const struct smtp_tx *tx)
{
	size_t accepted = 0, replied = 0;

	if (tx->mail_replied && !is_2xx(&tx->mail_reply))
		return "rejected";
	if (tx->data_replied)
		return is_2xx(&tx->data_reply) && !tx->data_refused ?
		    "accepted" : "rejected";
	if (tx->data_refused || tx->end == SMTP_TX_DATA_REFUSED)
		return "rejected";
	for (size_t i = 0; i < tx->nrcpts; i++) {
		replied += tx->rcpts[i].replied;
		accepted += tx->rcpts[i].replied &&
		    is_2xx(&tx->rcpts[i].reply);
	}
	if (tx->nrcpts > 0 && replied == tx->nrcpts && accepted == 0)
		return "rejected";
	if (tx->end == SMTP_TX_RSET || tx->end == SMTP_TX_QUIT ||
	    tx->end == SMTP_TX_NEW_MAIL)
		return "aborted";
	return "incomplete";
}

static struct json_object *
smtp_event_path(const struct smtp_path *p, const struct smtp_reply *r,
    int replied)
{
	struct json_object *o = json_object_new_object();

	JSON_ADD(o, "address", str_or_null(p->address));
	JSON_ADD(o, "params", smtp_param_list_json(&p->params));
	JSON_ADD(o, "reply", reply_or_null(r, replied));
	if (p->flags & SMTP_PARAM_NULL_PATH)
		JSON_ADD(o, "null_path",
		    json_object_new_boolean(1));
	if (p->route != NULL)
		JSON_ADD(o, "route",
		    json_object_new_string(p->route));
	if (p->raw != NULL && p->address != NULL &&
	    (p->route != NULL || (p->flags & SMTP_PARAM_NO_BRACKETS)))
		JSON_ADD(o, "raw",
		    json_object_new_string(p->raw));
	for (size_t i = 0; i < p->params.n; i++) {
		/* xtext values as sent, where decoding changed them. */
		const struct smtp_kv *kv = &p->params.v[i];
		struct json_object *raw;

		if (kv->raw == NULL)
			continue;
		if (!json_object_object_get_ex(o, "params_raw", &raw)) {
			raw = json_object_new_object();
			JSON_ADD(o, "params_raw", raw);
		}
		json_object_object_add(raw, kv->key,
		    json_object_new_string(kv->raw));
	}
	return o;
}

static struct json_object *
smtp_event_data(const struct smtp_tx *tx)
{
	struct json_object *o = json_object_new_object();

	JSON_ADD(o, "command",
	    json_object_new_string(tx->data_command));
	JSON_ADD(o, "chunks", json_object_new_int64(
	    (int64_t)tx->chunks));
	JSON_ADD(o, "bytes", json_object_new_int64(
	    (int64_t)tx->bytes));
	JSON_ADD(o, "lines", json_object_new_int64(
	    (int64_t)tx->lines));
	JSON_ADD(o, "complete",
	    json_object_new_boolean(tx->data_complete));
	if (tx->data_started)
		JSON_ADD(o, "start_reply",
		    smtp_event_reply(&tx->data_start));
	if (tx->data_replied)
		JSON_ADD(o, "reply",
		    smtp_event_reply(&tx->data_reply));
	else if (tx->data_started && !is_2xx(&tx->data_start) &&
	    tx->data_start.code != 354)
		JSON_ADD(o, "reply",
		    smtp_event_reply(&tx->data_start));
	else
		JSON_ADD(o, "reply", NULL);
	return o;
}

struct json_object *
smtp_event_transaction(struct smtp_tx *tx)
{
	struct json_object *o = json_object_new_object();
	struct json_object *rcpts = json_object_new_array();

	JSON_ADD(o, "trans_depth",
	    json_object_new_int((int)tx->depth));
	JSON_ADD(o, "helo", str_or_null(tx->helo));
	JSON_ADD(o, "mail_from", tx->have_mail ?
	    smtp_event_path(&tx->mail, &tx->mail_reply, tx->mail_replied) :
	    NULL);
	for (size_t i = 0; i < tx->nrcpts; i++)
		json_object_array_add(rcpts, smtp_event_path(
		    &tx->rcpts[i].path, &tx->rcpts[i].reply,
		    tx->rcpts[i].replied));
	JSON_ADD(o, "rcpt_to", rcpts);
	if (tx->rcpts_dropped > 0)
		JSON_ADD(o, "rcpt_to_dropped",
		    json_object_new_int64((int64_t)tx->rcpts_dropped));
	JSON_ADD(o, "data", tx->data_command != NULL ?
	    smtp_event_data(tx) : NULL);
	JSON_ADD(o, "status",
	    json_object_new_string(smtp_event_tx_status(tx)));
	if (tx->nrefused > 0) {
		struct json_object *a = json_object_new_array();

		for (size_t i = 0; i < tx->nrefused; i++) {
			const struct smtp_refused *rf = &tx->refused[i];
			struct json_object *c = json_object_new_object();

			JSON_ADD(c, "command",
			    json_object_new_string(rf->command));
			JSON_ADD(c, "argument",
			    str_or_null(rf->argument));
			JSON_ADD(c, "reply",
			    smtp_event_reply(&rf->reply));
			json_object_array_add(a, c);
		}
		JSON_ADD(o, "refused_commands", a);
	}
	if (tx->gap)
		JSON_ADD(o, "gap", json_object_new_boolean(1));
	/* Contract: always present, null without message data. */
	JSON_ADD(o, "message", tx->message);
	tx->message = NULL;
	return o;
}

static struct json_object *
smtp_event_helo(const struct smtp_session_info *si)
{
	struct json_object *o;

	if (si->helo_command == NULL)
		return NULL;
	o = json_object_new_object();
	JSON_ADD(o, "command",
	    json_object_new_string(si->helo_command));
	JSON_ADD(o, "argument", str_or_null(si->helo_argument));
	return o;
}

void
smtp_reply_codes_add(struct smtp_reply_codes *rc, int code)
{
	size_t i;

	for (i = 0; i < rc->n && rc->code[i] != code; i++)
		;
	if (i == rc->n) {
		if (rc->n == SMTP_REPLY_CODES_MAX) {
			rc->uncounted++;
			return;
		}
		rc->code[rc->n] = (uint16_t)code;
		rc->count[rc->n++] = 0;
	}
	rc->count[i]++;
}

/* {"220": 1, "250": 7, ...} in code order. */
static struct json_object *
smtp_event_reply_codes(const struct smtp_reply_codes *rc)
{
	struct json_object *o = json_object_new_object();
	int last = 0;
	char key[8];

	for (size_t k = 0; k < rc->n; k++) {
		int next = 1000;
		size_t at = 0;

		for (size_t i = 0; i < rc->n; i++)
			if (rc->code[i] > last && rc->code[i] < next) {
				next = rc->code[i];
				at = i;
			}
		snprintf(key, sizeof(key), "%d", next);
		json_object_object_add(o, key,
		    json_object_new_int64((int64_t)rc->count[at]));
		last = next;
	}
	return o;
}

struct json_object *
smtp_event_session(const struct smtp_session_info *si)
{
	struct json_object *o = json_object_new_object();
	struct json_object *exts = json_object_new_array();

	JSON_ADD(o, "banner",
	    reply_or_null(&si->banner, si->have_banner));
	JSON_ADD(o, "helo", smtp_event_helo(si));
	for (size_t i = 0; i < si->nexts; i++)
		json_object_array_add(exts, smtp_param_ext_json(&si->exts[i]));
	JSON_ADD(o, "extensions", exts);
	JSON_ADD(o, "auth", smtp_auth_json(&si->auth));
	JSON_ADD(o, "starttls",
	    json_object_new_boolean(si->starttls));
	if (si->starttls_replied)
		JSON_ADD(o, "starttls_reply",
		    smtp_event_reply(&si->starttls_reply));
	if (si->starttls) {
		JSON_ADD(o, "tls_client_bytes",
		    json_object_new_int64((int64_t)si->tls_client_bytes));
		JSON_ADD(o, "tls_server_bytes",
		    json_object_new_int64((int64_t)si->tls_server_bytes));
	}
	JSON_ADD(o, "commands",
	    json_object_new_int64((int64_t)si->commands));
	JSON_ADD(o, "transactions",
	    json_object_new_int64((int64_t)si->transactions));
	JSON_ADD(o, "replies",
	    smtp_event_reply_codes(&si->replies));
	if (si->replies.uncounted > 0)
		JSON_ADD(o, "replies_uncounted",
		    json_object_new_int64((int64_t)si->replies.uncounted));
	JSON_ADD(o, "anomalies",
	    anomaly_names_json(si->anomalies));
	JSON_ADD(o, "anomaly_counts",
	    anomaly_counts_json(si->anomalies));
	JSON_ADD(o, "end", str_or_null(si->end));
	return o;
}

void
smtp_event_info_free(struct smtp_session_info *si)
{
	smtp_reply_free(&si->banner);
	smtp_reply_free(&si->starttls_reply);
	free(si->helo_command);
	free(si->helo_argument);
	for (size_t i = 0; i < si->nexts; i++)
		smtp_param_ext_free(&si->exts[i]);
	free(si->exts);
	si->exts = NULL;
	si->nexts = 0;
	smtp_auth_free(&si->auth);
}

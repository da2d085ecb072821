/* smtp_auth.c: follow an RFC 4954 AUTH exchange from both sides. It must
 * never put a password (or anything that decodes to one) in the transcript
 * or the events unless the user asked for it with --show-credentials. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "escape.h"
#include "json_add.h"
#include "smtp_auth.h"

void
smtp_auth_init(struct smtp_auth *a, size_t max_bytes, int show_credentials)
{
	memset(a, 0, sizeof(*a));
	a->max_bytes = max_bytes;
	a->show_credentials = show_credentials;
}

static void
smtp_auth_clear(struct smtp_auth *a)
{
	free(a->username);
	free(a->authzid);
	free(a->password);
	a->username = a->authzid = a->password = NULL;
}

void
smtp_auth_free(struct smtp_auth *a)
{
	smtp_auth_clear(a);
}

static int
b64val(uint8_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

long
smtp_auth_b64decode(const uint8_t *in, size_t n, uint8_t *out)
{
	size_t i, o = 0, pad = 0;
	uint32_t acc = 0;
	int bits = 0;

	if (n % 4 != 0)
		return -1;
	for (i = 0; i < n; i++) {
		int v;

		if (in[i] == '=') {
			/* Only as the last one or two characters. */
			if (i < n - 2 || (i == n - 2 && in[n - 1] != '='))
				return -1;
			pad++;
			continue;
		}
		if ((v = b64val(in[i])) < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	(void)pad;
	return (long)o;
}

/* Printable ASCII for the transcript, cut at 64 characters. */
static void
safe_ascii(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (; s != NULL && *s != '\0' && o + 1 < len && o < 64; s++)
		buf[o++] = (*s >= 0x20 && *s < 0x7f && *s != '"') ? *s : '?';
	buf[o] = '\0';
}

static char *
dup_text(const uint8_t *p, size_t n)
{
	return escape_utf8_dup(p, n, NULL);
}

static void
set_str(char **dst, const uint8_t *p, size_t n)
{
	free(*dst);
	*dst = dup_text(p, n);
}

/* RFC 4616: [authzid] NUL authcid NUL passwd. */
static void
smtp_auth_plain(struct smtp_auth *a, const uint8_t *d, size_t n)
{
	const uint8_t *nul1 = memchr(d, '\0', n), *nul2;

	if (nul1 == NULL) {
		a->flags |= SMTP_AUTH_BAD_BASE64;
		return;
	}
	nul2 = memchr(nul1 + 1, '\0', n - (size_t)(nul1 + 1 - d));
	if (nul2 == NULL) {
		a->flags |= SMTP_AUTH_BAD_BASE64;
		nul2 = d + n;
	}
	if (nul1 > d)
		set_str(&a->authzid, d, (size_t)(nul1 - d));
	set_str(&a->username, nul1 + 1, (size_t)(nul2 - nul1 - 1));
	if (a->show_credentials && nul2 < d + n)
		set_str(&a->password, nul2 + 1, (size_t)(d + n - nul2 - 1));
}

/* RFC 2195: "user hexdigest". */
static void
smtp_auth_cram(struct smtp_auth *a, const uint8_t *d, size_t n)
{
	size_t sp = n;

	while (sp > 0 && d[sp - 1] != ' ')
		sp--;
	set_str(&a->username, d, sp > 0 ? sp - 1 : n);
}

/* A decoded response: what it says depends on the mechanism. */
static void
smtp_auth_decoded(struct smtp_auth *a, const uint8_t *d, size_t n,
    char *note, size_t notelen)
{
	char user[80], pass[80];

	if (strcmp(a->mechanism, "PLAIN") == 0) {
		smtp_auth_plain(a, d, n);
		safe_ascii(a->username, user, sizeof(user));
		if (a->show_credentials) {
			safe_ascii(a->password, pass, sizeof(pass));
			snprintf(note, notelen, "user \"%s\", password \"%s\"",
			    user, pass);
		} else
			snprintf(note, notelen, "user \"%s\", password hidden",
			    user);
	} else if (strcmp(a->mechanism, "LOGIN") == 0 && !a->expect_password) {
		set_str(&a->username, d, n);
		a->expect_password = 1;
		safe_ascii(a->username, user, sizeof(user));
		snprintf(note, notelen, "user \"%s\"", user);
	} else if (strcmp(a->mechanism, "LOGIN") == 0) {
		if (a->show_credentials) {
			set_str(&a->password, d, n);
			safe_ascii(a->password, pass, sizeof(pass));
			snprintf(note, notelen, "password \"%s\"", pass);
		} else
			snprintf(note, notelen, "password hidden");
	} else if (strcmp(a->mechanism, "CRAM-MD5") == 0) {
		smtp_auth_cram(a, d, n);
		safe_ascii(a->username, user, sizeof(user));
		snprintf(note, notelen, "user \"%s\", digest hidden", user);
	} else
		snprintf(note, notelen, "%zu bytes hidden", n);
}

/* One response (initial or after a 334); note gets what it says, with no
 * secret and no prefix ("user \"bob\"", "password hidden"...). */
static void
smtp_auth_data(struct smtp_auth *a, const uint8_t *p, size_t n, char *note,
    size_t notelen)
{
	uint8_t *d;
	long dl;

	a->responses++;
	if (a->bytes + n > a->max_bytes) {
		a->flags |= SMTP_AUTH_TOO_LONG;
		snprintf(note, notelen, "%zu bytes hidden", n);
		return;
	}
	a->bytes += n;
	if (n == 1 && p[0] == '=') {
		/* RFC 4954 4: "=" is an empty initial response. */
		snprintf(note, notelen, "empty");
		return;
	}
	d = malloc(n + 1);
	dl = d != NULL ? smtp_auth_b64decode(p, n, d) : -1;
	if (dl < 0) {
		a->flags |= SMTP_AUTH_BAD_BASE64;
		snprintf(note, notelen, "not base64, %zu bytes hidden", n);
	} else
		smtp_auth_decoded(a, d, (size_t)dl, note, notelen);
	free(d);
}

void
smtp_auth_start(struct smtp_auth *a, const uint8_t *arg, size_t n,
    char *note, size_t notelen)
{
	size_t i = 0, e, k;

	smtp_auth_clear(a);
	a->result = SMTP_AUTH_PENDING;
	a->code = 0;
	a->expect_password = 0;
	a->responses = 0;
	a->bytes = 0;
	note[0] = '\0';
	while (i < n && arg[i] == ' ')
		i++;
	for (e = i; e < n && arg[e] != ' '; e++)
		;
	for (k = 0; i + k < e && k + 1 < sizeof(a->mechanism); k++) {
		uint8_t c = arg[i + k];

		a->mechanism[k] = (c > 0x20 && c < 0x7f) ?
		    (char)toupper(c) : '?';
	}
	a->mechanism[k] = '\0';
	while (e < n && arg[e] == ' ')
		e++;
	if (e < n) {
		char d[200];

		smtp_auth_data(a, arg + e, n - e, d, sizeof(d));
		snprintf(note, notelen, "initial response: %s", d);
	}
}

void
smtp_auth_response(struct smtp_auth *a, const uint8_t *line, size_t n,
    char *note, size_t notelen)
{
	char d[200];

	if (n == 1 && line[0] == '*') {
		/* RFC 4954 4: the client cancels the exchange. */
		a->result = SMTP_AUTH_CANCELLED;
		snprintf(note, notelen, "AUTH %s cancelled", a->mechanism);
		return;
	}
	smtp_auth_data(a, line, n, d, sizeof(d));
	snprintf(note, notelen, "AUTH %s response: %s", a->mechanism, d);
}

void
smtp_auth_challenge(struct smtp_auth *a, const char *text)
{
	size_t n = strlen(text);
	uint8_t *d;
	long dl;

	if (strcmp(a->mechanism, "LOGIN") != 0 || (d = malloc(n + 1)) == NULL)
		return;
	/* "VXNlcm5hbWU6" is "Username:", "UGFzc3dvcmQ6" is "Password:". */
	dl = smtp_auth_b64decode((const uint8_t *)text, n, d);
	if (dl > 0) {
		d[dl] = '\0';
		if (strcasestr((char *)d, "pass") != NULL)
			a->expect_password = 1;
		else if (strcasestr((char *)d, "user") != NULL)
			a->expect_password = 0;
	}
	free(d);
}

void
smtp_auth_finish(struct smtp_auth *a, int code)
{
	a->code = code;
	if (a->result == SMTP_AUTH_CANCELLED)
		return;
	a->result = code >= 200 && code < 300 ? SMTP_AUTH_SUCCESS :
	    SMTP_AUTH_FAILURE;
}

static const char *const result_names[] = {
	[SMTP_AUTH_NONE] = "none",
	[SMTP_AUTH_PENDING] = "incomplete",
	[SMTP_AUTH_SUCCESS] = "success",
	[SMTP_AUTH_FAILURE] = "failure",
	[SMTP_AUTH_CANCELLED] = "cancelled",
};

struct json_object *
smtp_auth_json(const struct smtp_auth *a)
{
	struct json_object *o;

	if (a->result == SMTP_AUTH_NONE)
		return NULL;
	o = json_object_new_object();
	JSON_ADD(o, "mechanism",
	    json_object_new_string(a->mechanism));
	JSON_ADD(o, "username", a->username != NULL ?
	    json_object_new_string(a->username) : NULL);
	if (a->authzid != NULL)
		JSON_ADD(o, "authzid",
		    json_object_new_string(a->authzid));
	JSON_ADD(o, "result",
	    json_object_new_string(result_names[a->result]));
	if (a->code != 0)
		JSON_ADD(o, "code", json_object_new_int(a->code));
	if (a->show_credentials) {
		JSON_ADD(o, "credentials_shown",
		    json_object_new_boolean(1));
		JSON_ADD(o, "password", a->password != NULL ?
		    json_object_new_string(a->password) : NULL);
	}
	return o;
}

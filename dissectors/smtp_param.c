/* smtp_param.c: arguments of SMTP commands, parsed from pointer + length.
 * Liberal like real servers (spaces after "FROM:", missing brackets), but
 * every deviation is flagged; it must never read past n or trust a length. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "escape.h"
#include "json_add.h"
#include "smtp_param.h"

static char *
dup_text(const uint8_t *p, size_t n)
{
	return escape_utf8_dup(p, n, NULL);
}

static char *
dup_upper(const uint8_t *p, size_t n)
{
	char *s = dup_text(p, n);

	for (char *c = s; *c != '\0'; c++)
		*c = (char)toupper((unsigned char)*c);
	return s;
}

static size_t
skip_space(const uint8_t *p, size_t n, size_t i)
{
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return i;
}

/* End of a word, not counting spaces inside a quoted string. */
static size_t
word_end(const uint8_t *p, size_t n, size_t i, uint8_t stop)
{
	int quoted = 0;

	for (; i < n; i++) {
		if (quoted && p[i] == '\\' && i + 1 < n)
			i++;
		else if (p[i] == '"')
			quoted = !quoted;
		else if (!quoted && (p[i] == stop ||
		    (stop == ' ' && p[i] == '\t')))
			break;
	}
	return i;
}

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')	/* RFC 3461 wants upper case */
		return c - 'a' + 10;
	return -1;
}

long
smtp_param_xtext(const uint8_t *p, size_t n, uint8_t *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (p[i] != '+') {
			out[o++] = p[i];
			continue;
		}
		if (n - i < 3)
			return -1;
		if (hexval(p[i + 1]) < 0 || hexval(p[i + 2]) < 0)
			return -1;
		out[o++] = (uint8_t)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
		i += 2;
	}
	return (long)o;
}

/* Keywords whose values are xtext (RFC 3461 4.2, 4.4; RFC 4954 5). */
static const char *const xtext_keys[] = { "ORCPT", "ENVID", "AUTH", NULL };

static int
is_xtext_key(const char *key)
{
	for (size_t i = 0; xtext_keys[i] != NULL; i++)
		if (strcmp(key, xtext_keys[i]) == 0)
			return 1;
	return 0;
}

static unsigned
smtp_param_one(const uint8_t *p, size_t n, struct smtp_kv *kv)
{
	const uint8_t *eq = memchr(p, '=', n);
	size_t kl = eq != NULL ? (size_t)(eq - p) : n;
	unsigned flags = 0;

	memset(kv, 0, sizeof(*kv));
	kv->key = dup_upper(p, kl);
	if (kl == 0 || !isalnum(p[0]))
		flags |= SMTP_PARAM_BAD_PARAM;
	if (eq == NULL)
		return flags;
	p = eq + 1;
	n -= kl + 1;
	if (is_xtext_key(kv->key) && memchr(p, '+', n) != NULL) {
		uint8_t *dec = malloc(n + 1);
		long dl = dec != NULL ? smtp_param_xtext(p, n, dec) : -1;

		kv->raw = dup_text(p, n);
		if (dl >= 0)
			kv->value = dup_text(dec, (size_t)dl);
		else {
			kv->value = dup_text(p, n);
			flags |= SMTP_PARAM_BAD_PARAM;
		}
		free(dec);
	} else
		kv->value = dup_text(p, n);
	return flags;
}

unsigned
smtp_param_list(const uint8_t *p, size_t n, struct smtp_params *list)
{
	size_t i = skip_space(p, n, 0);
	unsigned flags = 0;

	while (i < n) {
		size_t e = word_end(p, n, i, ' ');
		struct smtp_kv *v = realloc(list->v,
		    (list->n + 1) * sizeof(*v));

		if (v == NULL)
			break;
		list->v = v;
		flags |= smtp_param_one(p + i, e - i, &list->v[list->n++]);
		i = skip_space(p, n, e);
	}
	return flags;
}

void
smtp_param_list_free(struct smtp_params *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free(list->v[i].key);
		free(list->v[i].value);
		free(list->v[i].raw);
	}
	free(list->v);
	list->v = NULL;
	list->n = 0;
}

struct json_object *
smtp_param_list_json(const struct smtp_params *list)
{
	struct json_object *o = json_object_new_object();

	for (size_t i = 0; i < list->n; i++) {
		const struct smtp_kv *kv = &list->v[i];

		json_object_object_add(o, kv->key, kv->value != NULL ?
		    json_object_new_string(kv->value) :
		    json_object_new_boolean(1));
	}
	return o;
}

const struct smtp_kv *
smtp_param_get(const struct smtp_params *list, const char *key)
{
	for (size_t i = 0; i < list->n; i++)
		if (strcmp(list->v[i].key, key) == 0)
			return &list->v[i];
	return NULL;
}

/* "<...>" starting at p[i] == '<': fills address and route. */
static size_t
smtp_param_bracketed(const uint8_t *p, size_t n, size_t i,
    struct smtp_path *path)
{
	size_t start = i + 1, e = word_end(p, n, start, '>'), m = start;

	if (e >= n) {
		path->flags |= SMTP_PARAM_BAD_PATH;
		e = word_end(p, n, start, ' ');
	}
	if (start < e && p[start] == '@') {
		/* RFC 5321 4.1.2 A-d-l: "@a,@b:" is kept, then ignored. */
		m = word_end(p, e, start, ':');
		if (m >= e) {
			path->flags |= SMTP_PARAM_BAD_PATH;
			m = start;
		} else {
			path->route = dup_text(p + start, m - start);
			m++;
		}
	}
	path->address = dup_text(p + m, e - m);
	if (e < n && e == start)
		path->flags |= SMTP_PARAM_NULL_PATH;	/* "<>" */
	return e < n ? e + 1 : e;
}

int
smtp_param_path(const uint8_t *p, size_t n, const char *prefix,
    struct smtp_path *path)
{
	size_t pl = strlen(prefix) - 1, i = 0, start;

	memset(path, 0, sizeof(*path));
	/* "FROM:" with tolerance for "FROM :" as some clients send. */
	if (n >= pl && strncasecmp((const char *)p, prefix, pl) == 0) {
		i = skip_space(p, n, pl);
		if (i < n && p[i] == ':')
			i++;
		else
			path->flags |= SMTP_PARAM_BAD_SYNTAX;
	} else
		path->flags |= SMTP_PARAM_BAD_SYNTAX;
	i = skip_space(p, n, i);
	start = i;
	if (i < n && p[i] == '<')
		i = smtp_param_bracketed(p, n, i, path);
	else {
		i = word_end(p, n, i, ' ');
		path->flags |= SMTP_PARAM_NO_BRACKETS;
		if (i == start)
			path->flags |= SMTP_PARAM_BAD_PATH;
		path->address = dup_text(p + start, i - start);
	}
	path->raw = dup_text(p + start, i - start);
	if (i < n && p[i] != ' ' && p[i] != '\t')
		path->flags |= SMTP_PARAM_BAD_SYNTAX;
	path->flags |= smtp_param_list(p + i, n - i, &path->params);
	return path->address != NULL && path->raw != NULL ? 0 : -1;
}

void
smtp_param_path_free(struct smtp_path *path)
{
	free(path->address);
	free(path->route);
	free(path->raw);
	smtp_param_list_free(&path->params);
	memset(path, 0, sizeof(*path));
}

int
smtp_param_ehlo_line(const uint8_t *p, size_t n, struct smtp_ext *ext)
{
	size_t i = skip_space(p, n, 0), e = i;

	memset(ext, 0, sizeof(*ext));
	while (e < n && p[e] != ' ' && p[e] != '=')
		e++;
	ext->name = dup_upper(p + i, e - i);
	/* Old "AUTH=LOGIN PLAIN" form: the '=' separates the first param. */
	i = e < n ? e + 1 : e;
	while ((i = skip_space(p, n, i)) < n) {
		char **v = realloc(ext->params,
		    (ext->nparams + 1) * sizeof(*v));

		if (v == NULL)
			return -1;
		ext->params = v;
		for (e = i; e < n && p[e] != ' '; e++)
			;
		ext->params[ext->nparams++] = dup_text(p + i, e - i);
		i = e;
	}
	return 0;
}

void
smtp_param_ext_free(struct smtp_ext *ext)
{
	for (size_t i = 0; i < ext->nparams; i++)
		free(ext->params[i]);
	free(ext->params);
	free(ext->name);
	memset(ext, 0, sizeof(*ext));
}

struct json_object *
smtp_param_ext_json(const struct smtp_ext *ext)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < ext->nparams; i++)
		json_object_array_add(a,
		    json_object_new_string(ext->params[i]));
	JSON_ADD(o, "name", json_object_new_string(ext->name));
	JSON_ADD(o, "params", a);
	return o;
}

char *
smtp_param_domain(const uint8_t *p, size_t n)
{
	size_t i = skip_space(p, n, 0);

	while (n > i && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return dup_text(p + i, n - i);
}

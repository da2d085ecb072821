/* headers.c: split and unfold header fields, one at a time, in a buffer of
 * bounded size. Never keeps more than one field; never trusts a length. */
#include <stdlib.h>
#include <string.h>

#include "headers.h"

void
headers_init(struct headers *h, size_t max, headers_cb *cb, void *arg)
{
	memset(h, 0, sizeof(*h));
	h->max = max ? max : 65536;
	h->cb = cb;
	h->arg = arg;
}

/* RFC 5322 2.2: field-name is printable ASCII except ':' and SP, then ':'.
 * Whitespace before the colon is obsolete syntax (RFC 5322 4.5) but common. */
int
headers_is_field(const uint8_t *p, size_t n)
{
	size_t i;

	if (n > 0 && (p[0] == ' ' || p[0] == '\t'))
		return 1;
	for (i = 0; i < n; i++) {
		if (p[i] == ':')
			return i > 0;
		if (p[i] == ' ' || p[i] == '\t') {
			while (i < n && (p[i] == ' ' || p[i] == '\t'))
				i++;
			return i < n && p[i] == ':' && i > 0;
		}
		if (p[i] < 33 || p[i] > 126)
			return 0;
	}
	return 0;
}

static void
headers_append(struct headers *h, const uint8_t *p, size_t n)
{
	size_t room, take, ncap;

	room = h->max - h->len;
	take = n < room ? n : room;
	if (take < n) {
		if (!h->truncated)
			h->cut_fields++;
		h->truncated = 1;
		h->dropped += n - take;
	}
	if (take == 0)
		return;
	if (h->len + take + 1 > h->cap) {
		ncap = h->cap ? h->cap : 256;
		while (ncap < h->len + take + 1)
			ncap *= 2;
		if (ncap > h->max + 1)
			ncap = h->max + 1;
		char *nb = realloc(h->buf, ncap);
		if (nb == NULL) {
			h->dropped += take;
			return;
		}
		h->buf = nb;
		h->cap = ncap;
	}
	memcpy(h->buf + h->len, p, take);
	h->len += take;
}

void
headers_flush(struct headers *h)
{
	char *colon, *v, *end;
	size_t i;

	if (!h->have)
		return;
	h->have = 0;
	h->buf[h->len] = '\0';
	for (i = 0; i < h->len; i++)
		if (h->buf[i] == '\0')
			h->buf[i] = ' ';
	colon = memchr(h->buf, ':', h->len);
	if (colon == NULL) {
		h->len = 0;
		return;
	}
	*colon = '\0';
	/* trim the name (obsolete WSP before the colon) */
	end = colon;
	while (end > h->buf && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	end = h->buf + h->len;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	h->count++;
	h->cb(h->arg, h->buf, v, (size_t)(end - v));
	h->len = 0;
	h->truncated = 0;
}

int
headers_line(struct headers *h, const uint8_t *p, size_t n, int bol)
{
	if (!bol) {
		if (h->have)
			headers_append(h, p, n);
		return 0;
	}
	if (n > 0 && (p[0] == ' ' || p[0] == '\t')) {
		/* unfolding (RFC 5322 2.2.3): drop the CRLF, keep the WSP */
		if (h->have)
			headers_append(h, p, n);
		return 0;
	}
	if (!headers_is_field(p, n)) {
		h->no_colon++;
		return -1;
	}
	headers_flush(h);
	h->have = 1;
	h->len = 0;
	h->truncated = 0;
	headers_append(h, p, n);
	return 0;
}

void
headers_free(struct headers *h)
{
	free(h->buf);
	h->buf = NULL;
	h->len = h->cap = 0;
}

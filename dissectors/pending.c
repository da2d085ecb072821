/* pending.c: a ring buffer that doubles up to its bound. Replies are matched
 * to commands strictly in order (RFC 2920 3.1); it must never grow past max. */
#include <stdlib.h>
#include <string.h>

#include "pending.h"

void
pending_init(struct pending *q, size_t max)
{
	memset(q, 0, sizeof(*q));
	q->max = max > 0 ? max : 1;
}

void
pending_free(struct pending *q)
{
	free(q->items);
	memset(q, 0, sizeof(*q));
}

static int
pending_grow(struct pending *q)
{
	size_t ncap = q->cap == 0 ? 8 : q->cap * 2;
	struct pending_item *n;

	if (ncap > q->max)
		ncap = q->max;
	n = malloc(ncap * sizeof(*n));
	if (n == NULL)
		return -1;
	for (size_t i = 0; i < q->count; i++)
		n[i] = q->items[(q->head + i) % q->cap];
	free(q->items);
	q->items = n;
	q->cap = ncap;
	q->head = 0;
	return 0;
}

int
pending_push(struct pending *q, const struct pending_item *it)
{
	if (q->count >= q->max)
		return -1;
	if (q->count == q->cap && pending_grow(q) != 0)
		return -1;
	q->items[(q->head + q->count) % q->cap] = *it;
	q->count++;
	return 0;
}

int
pending_pop(struct pending *q, struct pending_item *it)
{
	if (q->count == 0)
		return 0;
	*it = q->items[q->head];
	q->head = (q->head + 1) % q->cap;
	q->count--;
	return 1;
}

const struct pending_item *
pending_peek(const struct pending *q)
{
	return q->count == 0 ? NULL : &q->items[q->head];
}

size_t
pending_count(const struct pending *q)
{
	return q->count;
}

struct pending_item *
pending_at(struct pending *q, size_t i)
{
	if (i >= q->count)
		return NULL;
	return &q->items[(q->head + i) % q->cap];
}

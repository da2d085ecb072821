/* pending.h: bounded FIFO of commands awaiting their replies (RFC 2920
 * pipelining; later IMAP tags, POP3 pipelining). It never grows past its
 * bound: a push on a full queue fails and the caller flags it. */
#ifndef SMTPSCOPE_PENDING_H
#define SMTPSCOPE_PENDING_H

#include <stddef.h>
#include <stdint.h>

struct pending_item {
	int		 kind;		/* the protocol's command id */
	void		*ref;		/* e.g. the transaction it belongs to */
	uint64_t	 arg;		/* e.g. recipient index, chunk number */
};

struct pending {
	struct pending_item	*items;
	size_t			 cap;	/* allocated */
	size_t			 max;	/* bound */
	size_t			 head;
	size_t			 count;
};

void	pending_init(struct pending *, size_t max);
void	pending_free(struct pending *);
/* Returns 0, or -1 when full (or out of memory): the item is not kept. */
int	pending_push(struct pending *, const struct pending_item *);
/* Oldest item out; returns 0 if the queue is empty. */
int	pending_pop(struct pending *, struct pending_item *);
/* Oldest item without removing it; NULL if empty. */
const struct pending_item *pending_peek(const struct pending *);
size_t	pending_count(const struct pending *);
/* The i-th oldest item (0 = oldest), for walking; NULL past the end. */
struct pending_item *pending_at(struct pending *, size_t i);

#endif

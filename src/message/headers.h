/* headers.h: push header reader (RFC 5322 2.2): fed physical lines or pieces
 * of them, it unfolds each field and hands it over whole. Bounded: one field
 * is kept up to max bytes, the rest dropped and counted. */
#ifndef SMTPSCOPE_HEADERS_H
#define SMTPSCOPE_HEADERS_H

#include <stddef.h>
#include <stdint.h>

/* name and value are NUL-terminated (NULs from the wire replaced by
 * spaces); value has leading whitespace removed and is unfolded. */
typedef void	headers_cb(void *arg, const char *name, const char *value,
		    size_t vlen);

struct headers {
	char		*buf;
	size_t		 len, cap, max;
	int		 have;		/* a field is being collected */
	int		 truncated;	/* the current field was cut */
	uint64_t	 dropped;	/* bytes cut, all fields */
	unsigned	 cut_fields;	/* fields that were cut */
	unsigned	 no_colon;	/* lines that were not fields */
	size_t		 count;		/* fields handed over */
	headers_cb	*cb;
	void		*arg;
};

void	headers_init(struct headers *, size_t max, headers_cb *, void *);
/* Is this line (at line start) the start of a new field or a folded
 * continuation? 0 means it is not a header line at all (no colon). */
int	headers_is_field(const uint8_t *, size_t);
/* p..n: a piece of a physical line without its line end; bol: it starts the
 * line. Returns 0, or -1 when a new line is not a header (caller decides). */
int	headers_line(struct headers *, const uint8_t *, size_t, int bol);
/* Hands over the last field (at the blank line or the end). */
void	headers_flush(struct headers *);
void	headers_free(struct headers *);

#endif

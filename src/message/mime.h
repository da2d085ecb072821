/* mime.h: the streaming MIME tree (RFC 2045, 2046, 2231): fed the message
 * bytes, it splits lines in a bounded buffer, keeps a stack of open entities
 * and their boundaries, decodes and hashes leaf parts, and builds the part
 * tree as JSON. Never holds a part body; never trusts a boundary or a name. */
#ifndef SMTPSCOPE_MIME_H
#define SMTPSCOPE_MIME_H

#include <stddef.h>
#include <stdint.h>

struct json_object;
struct anomalies;
struct limits;

/* Hooks to the message analyser (header summaries, extraction). */
struct mime_hooks {
	void	*arg;
	/* A message header block begins (the top one, or the body of a
	 * message/rfc822 part); returns a handle for the fields. */
	void	*(*msg_open)(void *arg, int nested);
	void	 (*msg_field)(void *arg, void *msg, const char *name,
		    const char *value, size_t vlen);
	/* Returns the headers object (owned by the caller of mime). */
	struct json_object *(*msg_close)(void *arg, void *msg);
	/* A leaf part starts its body; return non-NULL to get its bytes. */
	void	*(*part_open)(void *arg, struct json_object *part);
	void	 (*part_data)(void *arg, void *h, const uint8_t *, size_t);
	void	 (*part_close)(void *arg, void *h, struct json_object *part);
};

struct mime;

struct mime	*mime_open(const struct limits *, struct anomalies *,
		    const struct mime_hooks *);
void		 mime_feed(struct mime *, const uint8_t *, size_t);
/* Ends the input; returns the root part object (caller owns it), with
 * *headers set to the top message's headers object (caller owns it). */
struct json_object *mime_close(struct mime *, struct json_object **headers,
		    unsigned *attachments);
void		 mime_free(struct mime *);

/* Header parameter lookup (RFC 2045 5.1, RFC 2231 continuations and
 * charsets, RFC 2047 in plain values as clients accept). Returns malloc'd
 * UTF-8 or NULL; *raw (if non-NULL) gets the value as sent when it
 * differs. The last occurrence wins; quoted text never counts as a param. */
struct mime_param_flags {
	unsigned	bad_param;
	unsigned	bad_words;
	unsigned	bad_utf8;
};
char	*mime_param(const char *value, const char *name, char **raw,
	    struct mime_param_flags *);
/* The "type/subtype" before the parameters, lower-cased; NULL if none. */
char	*mime_value_token(const char *value);

#endif

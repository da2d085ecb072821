/* smtp_param.h: SMTP command arguments: HELO/EHLO domain, EHLO extension
 * lines, MAIL/RCPT paths (RFC 5321 4.1.2) and ESMTP keyword=value parameters
 * (RFC 1869, xtext of RFC 3461). Every string out is valid UTF-8 (escape.h). */
#ifndef SMTPSCOPE_SMTP_PARAM_H
#define SMTPSCOPE_SMTP_PARAM_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

enum smtp_param_flag {
	SMTP_PARAM_NO_BRACKETS = 1,	/* path without <>: accepted */
	SMTP_PARAM_BAD_PATH = 2,	/* unclosed <, empty path, ... */
	SMTP_PARAM_BAD_SYNTAX = 4,	/* no FROM:/TO:, junk */
	SMTP_PARAM_BAD_PARAM = 8,	/* bad keyword or bad xtext */
	SMTP_PARAM_NULL_PATH = 16,	/* exactly "<>" (RFC 5321 4.5.5) */
};

struct smtp_kv {
	char	*key;		/* uppercased keyword */
	char	*value;		/* NULL for a keyword alone; xtext decoded */
	char	*raw;		/* the value as sent, if decoding changed it */
};

struct smtp_params {
	struct smtp_kv	*v;
	size_t		 n;
};

struct smtp_path {
	char			*address;	/* mailbox; "" for <> */
	char			*route;		/* "@a,@b" source route or NULL */
	char			*raw;		/* the path as sent */
	struct smtp_params	 params;
	unsigned		 flags;
};

struct smtp_ext {
	char	*name;		/* uppercased, e.g. "SIZE" */
	char	**params;
	size_t	 nparams;
};

/* "FROM:<path> params" (prefix "FROM:") or "TO:<path> params". Returns
 * 0, or -1 on no memory; syntax problems are in path->flags. */
int	smtp_param_path(const uint8_t *p, size_t n, const char *prefix,
	    struct smtp_path *path);
void	smtp_param_path_free(struct smtp_path *);
/* ESMTP parameters "K=V K2 ..." (RFC 5321 4.1.2 esmtp-param). */
unsigned smtp_param_list(const uint8_t *p, size_t n, struct smtp_params *);
void	smtp_param_list_free(struct smtp_params *);
/* {"KEY": "value" | true}. */
struct json_object *smtp_param_list_json(const struct smtp_params *);
/* The value of KEY or NULL. */
const struct smtp_kv *smtp_param_get(const struct smtp_params *,
	    const char *key);
/* One EHLO reply line's text, e.g. "SIZE 10240000" or "AUTH=LOGIN". */
int	smtp_param_ehlo_line(const uint8_t *p, size_t n, struct smtp_ext *);
void	smtp_param_ext_free(struct smtp_ext *);
struct json_object *smtp_param_ext_json(const struct smtp_ext *);
/* HELO/EHLO argument, trimmed; never NULL. */
char	*smtp_param_domain(const uint8_t *p, size_t n);
/* RFC 3461 4: xtext "+XX" -> byte. Returns the decoded length, or -1. */
long	smtp_param_xtext(const uint8_t *p, size_t n, uint8_t *out);

#endif

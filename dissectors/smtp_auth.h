/* smtp_auth.h: the SASL exchange of SMTP AUTH (RFC 4954): mechanism, user
 * name for PLAIN (RFC 4616), LOGIN and CRAM-MD5 (RFC 2195), result. Secrets
 * are kept only when show_credentials is set; the exchange is bounded. */
#ifndef SMTPSCOPE_SMTP_AUTH_H
#define SMTPSCOPE_SMTP_AUTH_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

enum smtp_auth_result {
	SMTP_AUTH_NONE,		/* no AUTH seen */
	SMTP_AUTH_PENDING,	/* no final reply yet */
	SMTP_AUTH_SUCCESS,	/* 235 */
	SMTP_AUTH_FAILURE,	/* 4xx, 5xx */
	SMTP_AUTH_CANCELLED,	/* the client sent "*" */
};

enum smtp_auth_flag {
	SMTP_AUTH_BAD_BASE64 = 1,
	SMTP_AUTH_TOO_LONG = 2,
};

struct smtp_auth {
	char			 mechanism[32];
	char			*username;
	char			*authzid;
	char			*password;	/* only with show_credentials */
	enum smtp_auth_result	 result;
	int			 code;		/* final reply code */
	int			 expect_password; /* LOGIN: next response */
	int			 responses;
	unsigned		 flags;
	size_t			 bytes;
	size_t			 max_bytes;
	int			 show_credentials;
};

void	smtp_auth_init(struct smtp_auth *, size_t max_bytes,
	    int show_credentials);
void	smtp_auth_free(struct smtp_auth *);
/* The AUTH command's argument "MECH [initial-response]". note (for the
 * transcript, printable ASCII, no secret) is filled when the argument holds
 * a response: "initial response: user \"alice\", password hidden", to show
 * in place of the response; else "". */
void	smtp_auth_start(struct smtp_auth *, const uint8_t *arg, size_t n,
	    char *note, size_t notelen);
/* A client line during the exchange; note as above, always filled:
 * "AUTH LOGIN response: user \"bob\"", "AUTH PLAIN cancelled"... */
void	smtp_auth_response(struct smtp_auth *, const uint8_t *line, size_t n,
	    char *note, size_t notelen);
/* A 334 challenge's text (base64): tells LOGIN what comes next. */
void	smtp_auth_challenge(struct smtp_auth *, const char *text);
/* The final reply code (not 334). */
void	smtp_auth_finish(struct smtp_auth *, int code);
/* {"mechanism", "username", "result", ...}; NULL if no AUTH. */
struct json_object *smtp_auth_json(const struct smtp_auth *);
/* RFC 4648 base64, strict ('=' padding only at the end). Returns the
 * decoded length (at most 3 * n / 4) or -1. */
long	smtp_auth_b64decode(const uint8_t *in, size_t n, uint8_t *out);

#endif

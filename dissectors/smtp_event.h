/* smtp_event.h: what an SMTP session and its mail transactions report, and
 * the smtp.transaction / smtp.session JSON objects built from it (the
 * contract documented in docs/events.md). Builds objects; never writes. */
#ifndef SMTPSCOPE_SMTP_EVENT_H
#define SMTPSCOPE_SMTP_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "smtp_auth.h"
#include "smtp_param.h"
#include "smtp_reply.h"

struct json_object;
struct anomalies;

/* Why the client side of a transaction is over. */
enum smtp_tx_end {
	SMTP_TX_OPEN,		/* still being built */
	SMTP_TX_DATA_DONE,	/* end of data sent (DATA's "." or BDAT LAST) */
	SMTP_TX_DATA_REFUSED,	/* DATA not answered by 354 */
	SMTP_TX_RSET,		/* RSET, or HELO/EHLO accepted (RFC 5321 4.1.4) */
	SMTP_TX_QUIT,
	SMTP_TX_NEW_MAIL,	/* a new MAIL was accepted */
	SMTP_TX_CLOSE,		/* the connection ended */
};

/* A command the server refused inside an open transaction, that did not
 * start one of its own (a nested MAIL answered 503). */
struct smtp_refused {
	const char		*command;	/* "MAIL", "SEND"... (static) */
	char			*argument;	/* as sent, UTF-8 */
	struct smtp_reply	 reply;
};

#define SMTP_TX_MAX_REFUSED	16

struct smtp_rcpt {
	struct smtp_path	 path;
	struct smtp_reply	 reply;
	int			 replied;
};

struct smtp_tx {
	unsigned		 depth;		/* 1, 2, ... in the session */
	char			*helo;
	int			 have_mail;
	const char		*mail_command;	/* "MAIL", "SEND"... (static) */
	char			*mail_argument;	/* as sent, UTF-8 */
	struct smtp_path	 mail;
	struct smtp_reply	 mail_reply;
	int			 mail_replied;
	struct smtp_rcpt	*rcpts;
	size_t			 nrcpts;
	size_t			 rcpts_dropped;	/* over max_rcpts */
	const char		*data_command;	/* "DATA", "BDAT" or NULL */
	uint64_t		 chunks;
	uint64_t		 bytes;
	uint64_t		 lines;
	struct smtp_reply	 data_start;	/* DATA's 354 (or refusal) */
	int			 data_started;
	struct smtp_reply	 data_reply;	/* the end-of-data reply */
	int			 data_replied;
	int			 data_refused;	/* a BDAT chunk or DATA refused */
	int			 data_complete;	/* "." seen or LAST sent */
	int			 gap;		/* bytes lost inside */
	struct smtp_refused	 refused[SMTP_TX_MAX_REFUSED];
	size_t			 nrefused;
	enum smtp_tx_end	 end;
	int			 discard;	/* not a transaction: never emitted */
	struct json_object	*message;	/* from message_close() */
	unsigned		 refs;		/* pending replies about it */
	struct smtp_tx		*next;		/* in the session's live list */
};

/* What the smtp.session event reports. */
/* Every reply of a session by code (multi-line replies once): at most
 * SMTP_REPLY_CODES_MAX distinct codes are kept (RFC 5321 defines fewer than
 * 40); replies with a further code are counted in `uncounted`. */
#define SMTP_REPLY_CODES_MAX 24
struct smtp_reply_codes {
	uint16_t	 code[SMTP_REPLY_CODES_MAX];
	uint32_t	 count[SMTP_REPLY_CODES_MAX];
	size_t		 n;
	uint32_t	 uncounted;
};

void	smtp_reply_codes_add(struct smtp_reply_codes *, int code);

struct smtp_session_info {
	struct smtp_reply	 banner;
	int			 have_banner;
	char			*helo_command;	/* "HELO" or "EHLO" */
	char			*helo_argument;
	struct smtp_ext		*exts;
	size_t			 nexts;
	struct smtp_auth	 auth;
	int			 starttls;	/* STARTTLS answered by 220 */
	struct smtp_reply	 starttls_reply;
	int			 starttls_replied;
	uint64_t		 commands;
	uint64_t		 transactions;
	struct smtp_reply_codes	 replies;
	uint64_t		 tls_client_bytes;
	uint64_t		 tls_server_bytes;
	const struct anomalies	*anomalies;
	const char		*end;
};

struct smtp_tx	*smtp_event_tx_new(unsigned depth, const char *helo);
void		 smtp_event_tx_free(struct smtp_tx *);
/* "accepted", "rejected", "aborted" or "incomplete". */
const char	*smtp_event_tx_status(const struct smtp_tx *);
/* The smtp.transaction body; takes tx->message (sets it to NULL). */
struct json_object *smtp_event_transaction(struct smtp_tx *);
struct json_object *smtp_event_session(const struct smtp_session_info *);
/* REPLY: {"code", "enhanced", "text"}. */
struct json_object *smtp_event_reply(const struct smtp_reply *);
void		 smtp_event_info_free(struct smtp_session_info *);

#endif

/* smtp.h: the SMTP/ESMTP dialogue dissector (RFC 5321 and its extensions).
 * It follows both directions passively and reports through output.h only. */
#ifndef SMTPSCOPE_SMTP_H
#define SMTPSCOPE_SMTP_H

#include "dissector.h"

extern const struct dissector smtp_dissector;

/* What the client's bytes are, decided by what has been said so far. */
enum smtp_state {
	SMTP_STATE_COMMAND,	/* lines are commands */
	SMTP_STATE_WAIT,	/* after DATA, STARTTLS or a SASL step: bytes
				 * are held until the reply says what they are */
	SMTP_STATE_DATA,	/* dot-stuffed message (RFC 5321 4.5.2) */
	SMTP_STATE_BDAT,	/* a BDAT chunk: counted bytes (RFC 3030) */
	SMTP_STATE_AUTH,	/* lines are SASL responses (RFC 4954) */
	SMTP_STATE_TLS,		/* after STARTTLS's 220: bytes only counted */
	SMTP_STATE_CLOSED,
};

const char	*smtp_state_name(enum smtp_state);

#endif

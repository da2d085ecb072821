/* config.h: what the user asked for, as the analysis sees it.
 * Filled once by options.c, read-only afterwards; never holds wire data. */
#ifndef SMTPSCOPE_CONFIG_H
#define SMTPSCOPE_CONFIG_H

#include <stddef.h>
#include <stdint.h>

/* Every bound on memory that wire data can drive. Hitting one is flagged
 * (an anomaly), counted (stats), and the excess dropped; never fatal. */
struct limits {
	size_t	 max_sessions;		/* concurrent TCP sessions (libnids table) */
	size_t	 max_command_line;	/* client line kept; RFC 5321 says 512 */
	size_t	 max_reply_line;	/* server line kept; RFC 5321 says 512 */
	size_t	 max_text_line;		/* DATA line kept; RFC 5321 says 1000 */
	size_t	 max_reply_lines;	/* lines joined into one multi-line reply */
	size_t	 max_pending;		/* pipelined commands awaiting replies */
	size_t	 max_rcpts;		/* recipients kept per transaction */
	size_t	 max_auth_bytes;	/* SASL exchange kept per AUTH */
	size_t	 max_header_bytes;	/* one header, unfolded */
	size_t	 max_headers;		/* headers kept per message or part */
	size_t	 max_mime_depth;	/* nested multiparts / message/rfc822 */
	size_t	 max_parts;		/* MIME parts per message */
	uint64_t max_decoded_bytes;	/* decoded and hashed per part */
	size_t	 max_filename;		/* attachment name kept */
};

struct config {
	struct limits	 limits;
	int		 show_body;		/* --body: every DATA line */
	int		 show_credentials;	/* --show-credentials */
	int		 raw_headers;		/* --raw-headers */
	const char	*extract_dir;		/* --extract DIR, or NULL */
	int		 message_digests;	/* --message-digests: md5 and
						 * sha256 of each whole message */
	unsigned	 idle_timeout;		/* seconds, --idle-timeout */
};

/* Defaults, in one place so that --help and docs can quote them. */
void	config_defaults(struct config *);

#endif

/* explain_en.c: every --explain note in English, one entry per id of
 * explain_text.h. Texts only, no logic: a new language is a copy of this
 * file with its texts translated ({1}..{9} kept), and one line in explain.c. */
#include "explain_text.h"

const char *const explain_text_en[EXPLAIN_N] = {
	[EX_CLASS_1] = "positive preliminary (not used in SMTP)",
	[EX_CLASS_2] = "done",
	[EX_CLASS_3] = "go on",
	[EX_CLASS_4] = "try again later",
	[EX_CLASS_5] = "refused",
	[EX_SECOND_0] = "syntax",
	[EX_SECOND_1] = "information",
	[EX_SECOND_2] = "connection",
	[EX_SECOND_3] = "unspecified",
	[EX_SECOND_4] = "unspecified",
	[EX_SECOND_5] = "mail system",
	[EX_FMT_REPLY] = "{1}: {2} ({3}xx), {4} (x{5}x): {6}",
	[EX_FMT_ENHANCED] = "{1} (RFC 3463): {2}, {3}: {4}",
	[EX_REPLY_BAD] =
	    "not a valid reply: a reply starts with a three-digit code "
	    "(RFC 5321 4.2)",
	[EX_REPLY_CONT] =
	    "the hyphen after the code says more lines of this reply "
	    "follow; the last line has a space after the code",
	[EX_R211] = "system status, or system help reply",
	[EX_R214] = "help message, for a human reader",
	[EX_R220] = "service ready",
	[EX_R221] = "service closing the connection: goodbye",
	[EX_R235] = "authentication succeeded (RFC 4954)",
	[EX_R250] = "requested mail action okay, completed",
	[EX_R251] = "user not local; the server will forward the message",
	[EX_R252] =
	    "cannot verify the user, but the server accepts the message "
	    "and will try to deliver it",
	[EX_R334] =
	    "go on with authentication: the server's challenge, in base64 "
	    "(RFC 4954)",
	[EX_R354] = "start mail input; end it with <CRLF>.<CRLF>",
	[EX_R421] =
	    "service not available, closing the connection (the server is "
	    "shutting down or overloaded)",
	[EX_R450] =
	    "mailbox unavailable for now (busy, or held back by a policy "
	    "such as greylisting)",
	[EX_R451] = "local error in processing: the action was aborted",
	[EX_R452] = "insufficient system storage (or too many recipients)",
	[EX_R454] =
	    "TLS not available for now (RFC 3207), or temporary "
	    "authentication failure (RFC 4954)",
	[EX_R455] = "the server cannot accommodate the parameters",
	[EX_R500] = "syntax error, command unrecognized (or line too long)",
	[EX_R501] = "syntax error in parameters or arguments",
	[EX_R502] = "command not implemented",
	[EX_R503] = "bad sequence of commands (for example RCPT before MAIL)",
	[EX_R504] = "command parameter not implemented",
	[EX_R521] = "this host does not accept mail at all (RFC 7504)",
	[EX_R530] = "authentication required (RFC 4954)",
	[EX_R534] = "authentication mechanism is too weak (RFC 4954)",
	[EX_R535] = "authentication credentials invalid (RFC 4954)",
	[EX_R538] =
	    "encryption required for the requested authentication "
	    "mechanism (RFC 4954)",
	[EX_R550] =
	    "mailbox unavailable (not found, no access, or refused by "
	    "policy)",
	[EX_R551] =
	    "user not local; the client should try the address the server "
	    "gives",
	[EX_R552] = "exceeded storage allocation (the message is too big)",
	[EX_R553] = "mailbox name not allowed (bad syntax)",
	[EX_R554] = "transaction failed (as a greeting: no SMTP service here)",
	[EX_R555] =
	    "MAIL FROM/RCPT TO parameters not recognized or not "
	    "implemented",
	[EX_R556] = "the domain does not accept mail (RFC 7504)",
	[EX_R_OTHER] =
	    "a code RFC 5321 does not define: read it by its digits",
	[EX_R220_GREETING] =
	    "the greeting: the server is ready and names itself; the "
	    "client speaks only after it (RFC 5321 3.1)",
	[EX_R220_TLS] =
	    "ready to start TLS (RFC 3207): the TLS handshake follows, "
	    "and everything after it is encrypted",
	[EX_R250_HELO] =
	    "the server accepts the client's name; no extensions in an "
	    "old-style (HELO) session",
	[EX_R250_EHLO] =
	    "the server accepts EHLO; the lines that follow list the "
	    "extensions it offers",
	[EX_R250_MAIL] = "sender accepted: a mail transaction has begun",
	[EX_R250_RCPT] =
	    "recipient accepted: the message will be delivered to this "
	    "address",
	[EX_R250_DATA_END] =
	    "message accepted: from now on the server is responsible for "
	    "delivering it, or for sending a bounce (RFC 5321 6.1)",
	[EX_R250_BDAT] = "chunk received; the client sends the next one",
	[EX_R250_BDAT_LAST] =
	    "last chunk received: the message is accepted, the server is "
	    "now responsible for it (RFC 3030)",
	[EX_R250_RSET] =
	    "the transaction is reset: envelope and message forgotten",
	[EX_R354_DATA] =
	    "go on: send the message (headers, a blank line, the body) "
	    "and end it with a line holding only a dot",
	[EX_NO_MAIL] =
	    "answer to MAIL FROM: the sender is refused, no transaction "
	    "begins",
	[EX_NO_RCPT] =
	    "answer to RCPT TO: this recipient is refused; the others are "
	    "not affected",
	[EX_NO_DATA] =
	    "answer to DATA: the server will not take a message now",
	[EX_NO_MESSAGE] =
	    "answer to the end of the message: the message is refused; "
	    "the client must report it to its sender",
	[EX_NO_AUTH] =
	    "answer to AUTH: the login failed; the client is not "
	    "authenticated",
	[EX_NO_TEMP] =
	    "a temporary failure: the client keeps the message in its "
	    "queue and tries again later (RFC 5321 4.5.4.1)",
	[EX_R334_DECODED] = "\"{1}\" is base64 for \"{2}\"",
	[EX_R334_BINARY] =
	    "decoded from base64 the challenge is {1} bytes, not text (a "
	    "CRAM-MD5 or SCRAM challenge)",
	[EX_R334_EMPTY] =
	    "an empty challenge: the client now sends its credentials "
	    "(AUTH PLAIN without an initial response)",
	[EX_E_CLASS_2] = "success",
	[EX_E_CLASS_4] = "temporary failure",
	[EX_E_CLASS_5] = "permanent failure",
	[EX_E_SUBJ_0] = "other",
	[EX_E_SUBJ_1] = "addressing",
	[EX_E_SUBJ_2] = "mailbox",
	[EX_E_SUBJ_3] = "mail system",
	[EX_E_SUBJ_4] = "network and routing",
	[EX_E_SUBJ_5] = "mail delivery protocol",
	[EX_E_SUBJ_6] = "message content or media",
	[EX_E_SUBJ_7] = "security or policy",
	[EX_E_0_0] = "other or undefined status",
	[EX_E_1_0] = "other address status",
	[EX_E_1_1] = "bad destination mailbox address",
	[EX_E_1_2] = "bad destination system address",
	[EX_E_1_3] = "bad destination mailbox address syntax",
	[EX_E_1_4] = "destination mailbox address ambiguous",
	[EX_E_1_5] = "destination address valid",
	[EX_E_1_6] = "destination mailbox has moved, no forwarding address",
	[EX_E_1_7] = "bad sender's mailbox address syntax",
	[EX_E_1_8] = "bad sender's system address",
	[EX_E_1_10] =
	    "the recipient's domain has a null MX: it receives no mail "
	    "(RFC 7505)",
	[EX_E_2_0] = "other or undefined mailbox status",
	[EX_E_2_1] = "mailbox disabled, not accepting messages",
	[EX_E_2_2] = "mailbox full",
	[EX_E_2_3] = "message length exceeds administrative limit",
	[EX_E_2_4] = "mailing list expansion problem",
	[EX_E_3_0] = "other or undefined mail system status",
	[EX_E_3_1] = "mail system full",
	[EX_E_3_2] = "system not accepting network messages",
	[EX_E_3_3] = "system not capable of selected features",
	[EX_E_3_4] = "message too big for system",
	[EX_E_3_5] = "system incorrectly configured",
	[EX_E_4_0] = "other or undefined network or routing status",
	[EX_E_4_1] = "no answer from host",
	[EX_E_4_2] = "bad connection",
	[EX_E_4_3] = "directory server failure (DNS)",
	[EX_E_4_4] = "unable to route",
	[EX_E_4_5] = "mail system congestion",
	[EX_E_4_6] = "routing loop detected",
	[EX_E_4_7] = "delivery time expired",
	[EX_E_5_0] = "other or undefined protocol status",
	[EX_E_5_1] = "invalid command",
	[EX_E_5_2] = "syntax error",
	[EX_E_5_3] = "too many recipients",
	[EX_E_5_4] = "invalid command arguments",
	[EX_E_5_5] = "wrong protocol version",
	[EX_E_5_6] = "authentication exchange line too long (RFC 4954)",
	[EX_E_6_0] = "other or undefined media error",
	[EX_E_6_1] = "media not supported",
	[EX_E_6_2] = "conversion required and prohibited",
	[EX_E_6_3] = "conversion required but not supported",
	[EX_E_6_4] = "conversion with loss performed",
	[EX_E_6_5] = "conversion failed",
	[EX_E_7_0] = "other or undefined security status",
	[EX_E_7_0_AUTH] = "authentication succeeded (RFC 4954)",
	[EX_E_7_1] = "delivery not authorized, message refused",
	[EX_E_7_2] = "mailing list expansion prohibited",
	[EX_E_7_3] = "security conversion required but not possible",
	[EX_E_7_4] = "security features not supported",
	[EX_E_7_5] = "cryptographic failure",
	[EX_E_7_6] = "cryptographic algorithm not supported",
	[EX_E_7_7] = "message integrity failure",
	[EX_E_7_8] = "authentication credentials invalid (RFC 4954)",
	[EX_E_7_9] = "authentication mechanism too weak (RFC 4954)",
	[EX_E_7_11] =
	    "encryption required for this authentication mechanism (RFC "
	    "4954)",
	[EX_E_7_12] = "a password transition is needed (RFC 4954)",
	[EX_E_7_13] = "user account disabled",
	[EX_E_7_14] = "trust relationship required",
	[EX_E_7_25] = "reverse DNS validation failed (RFC 7372)",
	[EX_E_7_26] =
	    "multiple authentication checks failed (SPF, DKIM...) (RFC "
	    "7372)",
	[EX_E_7_27] =
	    "the sender's domain has a null MX: it cannot receive replies "
	    "(RFC 7505)",
	[EX_E_OTHER] = "a detail RFC 3463 does not list",
	[EX_C_HELO] =
	    "HELO: the client greets the server and gives its name; the "
	    "old form, it asks for no extensions (RFC 5321 4.1.1.1)",
	[EX_C_EHLO] =
	    "EHLO: the client gives its name and asks which ESMTP "
	    "extensions the server offers (RFC 5321 4.1.1.1)",
	[EX_C_MAIL] =
	    "MAIL FROM: starts a transaction and gives the envelope "
	    "sender (the reverse-path, where bounces go), which need not "
	    "match the From: header (RFC 5321 4.1.1.2)",
	[EX_C_MAIL_NULL] =
	    "MAIL FROM:<>: the null reverse-path: this message is a "
	    "bounce or a delivery notification, which must never be "
	    "answered by another bounce (RFC 5321 4.5.5)",
	[EX_C_MAIL_EMPTY] =
	    "MAIL FROM: without an address, not even <>: a syntax error, "
	    "the server must refuse it (501)",
	[EX_C_RCPT] =
	    "RCPT TO: one envelope recipient; the server delivers to the "
	    "envelope, not to the To: header (RFC 5321 4.1.1.3)",
	[EX_C_DATA] =
	    "DATA: the client asks to send the message itself; after the "
	    "server's 354 come the headers, a blank line, the body, then "
	    "a line with a lone dot (RFC 5321 4.1.1.4)",
	[EX_C_BDAT] =
	    "BDAT {1}: the next {1} bytes of the message, as one chunk; "
	    "no dot at the end, the size says where it stops (CHUNKING, "
	    "RFC 3030)",
	[EX_C_BDAT_LAST] =
	    "BDAT {1} LAST: the last chunk ({1} bytes); after it the "
	    "message is complete (RFC 3030)",
	[EX_C_RSET] =
	    "RSET: abandon the current transaction (envelope and "
	    "message); the connection stays open (RFC 5321 4.1.1.5)",
	[EX_C_VRFY] =
	    "VRFY: asks whether an address is a real mailbox; many "
	    "servers will not say, to hide their users from spammers (RFC "
	    "5321 4.1.1.6, 7.3)",
	[EX_C_EXPN] =
	    "EXPN: asks for the members of a mailing list; usually "
	    "disabled for privacy (RFC 5321 4.1.1.7)",
	[EX_C_HELP] =
	    "HELP: asks for help text meant for a human (RFC 5321 "
	    "4.1.1.8)",
	[EX_C_NOOP] =
	    "NOOP: does nothing; the server answers 250, which shows the "
	    "connection is alive (RFC 5321 4.1.1.9)",
	[EX_C_QUIT] =
	    "QUIT: the client is done; the server answers 221 and closes "
	    "the connection (RFC 5321 4.1.1.10)",
	[EX_C_STARTTLS] =
	    "STARTTLS: asks to turn this connection into an encrypted TLS "
	    "connection (RFC 3207); after the server's 220 nothing more "
	    "can be read",
	[EX_C_AUTH] =
	    "AUTH {1}: the client asks to log in with the SASL mechanism "
	    "{1} (RFC 4954)",
	[EX_C_AUTH_IR] =
	    "AUTH {1} with an initial response: the credentials ride on "
	    "the same line, base64-encoded (RFC 4954 4); smtpscope hides "
	    "the password unless --show-credentials",
	[EX_C_AUTH_RESP] =
	    "the client's answer to the server's challenge, "
	    "base64-encoded (RFC 4954 4)",
	[EX_C_AUTH_CANCEL] =
	    "\"*\": the client cancels the authentication; the server "
	    "answers 501 (RFC 4954 4)",
	[EX_C_ETRN] =
	    "ETRN: asks the server to send now the mail it holds queued "
	    "for a domain (RFC 1985)",
	[EX_C_TURN] =
	    "TURN: asks to swap roles, the server becoming the client; "
	    "obsolete, and unsafe without authentication (RFC 821)",
	[EX_C_ATRN] =
	    "ATRN: authenticated TURN: after login the roles are swapped "
	    "to hand the client its queued mail (RFC 2645)",
	[EX_C_OLD_SEND] =
	    "{1}: an RFC 821 command to send to a terminal instead of, or "
	    "besides, a mailbox; obsolete, almost never supported",
	[EX_C_UNKNOWN] =
	    "a command smtpscope does not know; a server answers 500 "
	    "(command not recognized) or 502 (not implemented)",
	[EX_C_EMPTY] = "an empty line: not a command; a server answers 500",
	[EX_N_MESSAGE] =
	    "the message itself (headers, a blank line, the body), ended "
	    "by a line with a lone dot; a body line that starts with a "
	    "dot is sent with one more dot (dot-stuffing, RFC 5321 4.5.2)",
	[EX_N_CHUNK] =
	    "the chunk's bytes, sent as they are: BDAT needs no final dot "
	    "and no dot-stuffing",
	[EX_N_AUTH_MASKED] =
	    "smtpscope decoded this base64 answer and says what it holds, "
	    "the password hidden; --show-credentials shows the line as sent",
	[EX_N_CREDS_SHOWN] =
	    "--show-credentials: this line is shown as sent, password "
	    "included",
	[EX_N_TLS] =
	    "encrypted TLS records: without the keys nobody on the path "
	    "can read them",
	[EX_B64_NO_SECRET] =
	    "base64 is an encoding, not encryption: anyone who captures "
	    "this exchange can decode the user name and the password; "
	    "only TLS (STARTTLS or port 465) protects them",
	[EX_X_SIZE] =
	    "SIZE: the server has a message size limit; the client may "
	    "declare a size in MAIL FROM (RFC 1870)",
	[EX_X_SIZE_N] =
	    "SIZE {1}: the server takes messages up to {1} bytes; the "
	    "client may declare a size in MAIL FROM (RFC 1870)",
	[EX_X_PIPELINING] =
	    "PIPELINING: the client may send several commands without "
	    "waiting for each reply (RFC 2920)",
	[EX_X_8BITMIME] =
	    "8BITMIME: the message may contain 8-bit bytes "
	    "(BODY=8BITMIME) (RFC 6152)",
	[EX_X_DSN] =
	    "DSN: the client may ask for delivery status notifications "
	    "(NOTIFY, RET, ENVID, ORCPT) (RFC 3461)",
	[EX_X_SMTPUTF8] =
	    "SMTPUTF8: addresses and headers may be written in UTF-8, not "
	    "only ASCII (RFC 6531)",
	[EX_X_CHUNKING] =
	    "CHUNKING: the client may send the message in BDAT chunks "
	    "instead of DATA (RFC 3030)",
	[EX_X_BINARYMIME] =
	    "BINARYMIME: the message may hold binary MIME parts, sent "
	    "with BDAT (RFC 3030)",
	[EX_X_STARTTLS] =
	    "STARTTLS: the client may switch this connection to TLS "
	    "encryption (RFC 3207)",
	[EX_X_AUTH] =
	    "AUTH {1}: the client may log in, with these SASL mechanisms "
	    "(RFC 4954)",
	[EX_X_ENHANCEDSTATUSCODES] =
	    "ENHANCEDSTATUSCODES: replies carry an enhanced code such as "
	    "2.1.5 after the reply code (RFC 2034, RFC 3463)",
	[EX_X_VRFY] =
	    "VRFY: the server answers VRFY requests to check an address "
	    "(RFC 5321 3.5)",
	[EX_X_EXPN] =
	    "EXPN: the server answers EXPN requests to expand a list (RFC "
	    "5321 3.5)",
	[EX_X_ETRN] =
	    "ETRN: the client may ask the server to flush its queue for a "
	    "domain (RFC 1985)",
	[EX_X_DELIVERBY] =
	    "DELIVERBY: the client may set a delivery deadline with BY= "
	    "(RFC 2852)",
	[EX_X_REQUIRETLS] =
	    "REQUIRETLS: the client may require TLS on every later hop of "
	    "the message (RFC 8689)",
	[EX_X_HELP] = "HELP: the server answers HELP (RFC 5321 4.1.1.8)",
	[EX_X_ATRN] =
	    "ATRN: authenticated TURN, on-demand mail relay (RFC 2645)",
	[EX_X_MTRK] = "MTRK: message tracking (RFC 3885)",
	[EX_X_FUTURERELEASE] =
	    "FUTURERELEASE: the client may ask that the message be held "
	    "until a given time (RFC 4865)",
	[EX_X_LIMITS] =
	    "LIMITS: the server states its limits (recipients, "
	    "transactions) in advance (RFC 9422)",
	[EX_X_NO_SOLICITING] =
	    "NO-SOLICITING: the server says it wants no solicitations "
	    "(RFC 3865)",
	[EX_X_XCLIENT] =
	    "XCLIENT: a Postfix extension: a trusted proxy passes on the "
	    "real client's name and address",
	[EX_X_PIPECONNECT] =
	    "PIPECONNECT: the client may send EHLO and its first commands "
	    "without waiting for the greeting (Exim, an Internet-Draft)",
	[EX_X_OTHER] =
	    "{1}: an extension smtpscope does not know (vendor-specific "
	    "or rare)",
	[EX_M_CLEAR] =
	    "{1} sends the password itself, only base64-encoded: readable "
	    "by anyone on the path unless TLS is used",
	[EX_M_CHALLENGE] =
	    "{1} is challenge-response: the password itself never crosses "
	    "the wire",
	[EX_M_TOKEN] =
	    "{1} sends an OAuth token, not a password (RFC 7628); the "
	    "token still needs TLS",
	[EX_M_KERBEROS] =
	    "{1} uses Kerberos tickets (RFC 4752): no password on the "
	    "wire",
	[EX_M_OTHER] = "{1}: a SASL mechanism smtpscope does not describe",
	[EX_P_SIZE] =
	    "SIZE={1}: the client declares a message of about {1} bytes, "
	    "so the server can refuse it now rather than after the "
	    "transfer (RFC 1870)",
	[EX_P_BODY] =
	    "BODY={1}: the body is 7BIT, 8BITMIME (RFC 6152) or "
	    "BINARYMIME (RFC 3030)",
	[EX_P_SMTPUTF8] =
	    "SMTPUTF8: this message uses UTF-8 addresses or headers (RFC "
	    "6531)",
	[EX_P_RET] =
	    "RET={1}: a failure notice should return the FULL message or "
	    "only its HDRS (headers) (RFC 3461)",
	[EX_P_ENVID] =
	    "ENVID: an identifier of this envelope, given back in any "
	    "delivery notification (RFC 3461)",
	[EX_P_AUTH] =
	    "AUTH={1}: the sender's identity as the previous hop "
	    "authenticated it; <> when unknown (RFC 4954 5)",
	[EX_P_NOTIFY] =
	    "NOTIFY={1}: when to send a delivery notification for this "
	    "recipient: NEVER, or SUCCESS, FAILURE, DELAY (RFC 3461)",
	[EX_P_ORCPT] =
	    "ORCPT: the recipient's original address, before any "
	    "forwarding, for notifications (RFC 3461)",
	[EX_P_BY] =
	    "BY={1}: deliver within this many seconds, or report (RFC "
	    "2852)",
	[EX_P_REQUIRETLS] =
	    "REQUIRETLS: every server after this one must use TLS for "
	    "this message (RFC 8689)",
	[EX_P_OTHER] = "{1}: a parameter smtpscope does not know",
	[EX_T_ACCEPTED] =
	    "transaction {1}: accepted: the server took the message and "
	    "is now responsible for it",
	[EX_T_REJECTED] =
	    "transaction {1}: rejected: the server refused the sender, "
	    "every recipient, or the message",
	[EX_T_ABORTED] =
	    "transaction {1}: abandoned by the client (RSET, QUIT or a "
	    "new MAIL) before a message was accepted",
	[EX_T_INCOMPLETE] =
	    "transaction {1}: its end is not in the capture (connection "
	    "closed, or capture ended)",
	[EX_T_NULL_PATH] =
	    "the envelope sender is empty (<>): this message is a bounce "
	    "or a delivery notification (RFC 5321 4.5.5)",
	[EX_T_ENV_ONLY] =
	    "{1} is an envelope recipient but is in neither the To: nor "
	    "the Cc: header: a Bcc (blind copy), a mailing list or a "
	    "forward; the envelope decides where mail goes, the headers "
	    "are only what the reader sees",
	[EX_T_HDR_ONLY] =
	    "{1} is named in the headers but is not a recipient in this "
	    "envelope: this copy does not go there (another transaction "
	    "may carry it, or the header is just text)",
	[EX_T_FROM_DOMAIN] =
	    "the envelope sender's domain ({1}) differs from the From: "
	    "domain ({2}): normal for mailing lists, forwarders and "
	    "mailing services, but a forged From: looks just the same; "
	    "SPF checks the envelope, DMARC ties the From: domain to it",
	[EX_T_NO_FROM] =
	    "the message has no From: header, which RFC 5322 requires",
	[EX_T_BCC_HEADER] =
	    "the message carries a Bcc: header, normally removed before "
	    "sending: its recipients are visible to all",
	[EX_T_NO_RECEIVED] =
	    "no Received: line yet: the message comes straight from its "
	    "author's program; this server adds the first one",
	[EX_T_RECEIVED_N] =
	    "Received: lines in the message: {1}; each server adds its "
	    "own on top, so read them from the bottom (the oldest) up",
	[EX_T_HOP] = "hop {1}: {2} handed the message to {3}",
	[EX_T_HOP_WITH] = " with {1}",
	[EX_T_HOP_ON] = " on {1}",
	[EX_T_HOP_FOR] = " (for {1})",
	[EX_T_HOP_RAW] = "hop {1}: a Received: line smtpscope could not read",
	[EX_T_HOP_NONAME] = "an unnamed host",
};

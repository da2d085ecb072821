/* explain_text.h: the ids of every --explain note text, and the tables
 * (one per language, one file each: explain_en.c, explain_fr.c) that hold
 * them. Templates use {1}..{9} for values filled in by explain.c. */
#ifndef SMTPSCOPE_EXPLAIN_TEXT_H
#define SMTPSCOPE_EXPLAIN_TEXT_H

#define EXPLAIN_IDS(X)							\
	/* reply codes: the digits, then the note's layout */		\
	X(CLASS_1) X(CLASS_2) X(CLASS_3) X(CLASS_4) X(CLASS_5)		\
	X(SECOND_0) X(SECOND_1) X(SECOND_2) X(SECOND_3) X(SECOND_4)	\
	X(SECOND_5) X(FMT_REPLY) X(FMT_ENHANCED) X(REPLY_BAD)		\
	X(REPLY_CONT)							\
	/* reply codes, RFC 5321 4.2.2/4.2.3, 4954, 7504, 3207 */	\
	X(R211) X(R214) X(R220) X(R221) X(R235) X(R250) X(R251)	\
	X(R252) X(R334) X(R354) X(R421) X(R450) X(R451) X(R452)	\
	X(R454) X(R455) X(R500) X(R501) X(R502) X(R503) X(R504)	\
	X(R521) X(R530) X(R534) X(R535) X(R538) X(R550) X(R551)	\
	X(R552) X(R553) X(R554) X(R555) X(R556) X(R_OTHER)		\
	/* a reply read with the command it answers */			\
	X(R220_GREETING) X(R220_TLS) X(R250_HELO) X(R250_EHLO)		\
	X(R250_MAIL) X(R250_RCPT) X(R250_DATA_END) X(R250_BDAT)	\
	X(R250_BDAT_LAST) X(R250_RSET) X(R354_DATA)			\
	X(NO_MAIL) X(NO_RCPT) X(NO_DATA) X(NO_MESSAGE) X(NO_AUTH)	\
	X(NO_TEMP)							\
	X(R334_DECODED) X(R334_BINARY) X(R334_EMPTY)			\
	/* RFC 3463 enhanced status codes */				\
	X(E_CLASS_2) X(E_CLASS_4) X(E_CLASS_5)				\
	X(E_SUBJ_0) X(E_SUBJ_1) X(E_SUBJ_2) X(E_SUBJ_3) X(E_SUBJ_4)	\
	X(E_SUBJ_5) X(E_SUBJ_6) X(E_SUBJ_7)				\
	X(E_0_0) X(E_1_0) X(E_1_1) X(E_1_2) X(E_1_3) X(E_1_4)		\
	X(E_1_5) X(E_1_6) X(E_1_7) X(E_1_8) X(E_1_10)			\
	X(E_2_0) X(E_2_1) X(E_2_2) X(E_2_3) X(E_2_4)			\
	X(E_3_0) X(E_3_1) X(E_3_2) X(E_3_3) X(E_3_4) X(E_3_5)		\
	X(E_4_0) X(E_4_1) X(E_4_2) X(E_4_3) X(E_4_4) X(E_4_5)		\
	X(E_4_6) X(E_4_7)						\
	X(E_5_0) X(E_5_1) X(E_5_2) X(E_5_3) X(E_5_4) X(E_5_5)		\
	X(E_5_6)							\
	X(E_6_0) X(E_6_1) X(E_6_2) X(E_6_3) X(E_6_4) X(E_6_5)		\
	X(E_7_0) X(E_7_0_AUTH) X(E_7_1) X(E_7_2) X(E_7_3) X(E_7_4)	\
	X(E_7_5) X(E_7_6) X(E_7_7) X(E_7_8) X(E_7_9) X(E_7_11)		\
	X(E_7_12) X(E_7_13) X(E_7_14) X(E_7_25) X(E_7_26)		\
	X(E_7_27) X(E_OTHER)						\
	/* client commands */						\
	X(C_HELO) X(C_EHLO) X(C_MAIL) X(C_MAIL_NULL) X(C_MAIL_EMPTY)	\
	X(C_RCPT) X(C_DATA) X(C_BDAT) X(C_BDAT_LAST) X(C_RSET)		\
	X(C_VRFY) X(C_EXPN) X(C_HELP) X(C_NOOP) X(C_QUIT)		\
	X(C_STARTTLS) X(C_AUTH) X(C_AUTH_IR) X(C_AUTH_RESP)		\
	X(C_AUTH_CANCEL) X(C_ETRN) X(C_TURN) X(C_ATRN) X(C_OLD_SEND)	\
	X(C_UNKNOWN) X(C_EMPTY)						\
	/* notes smtpscope writes in place of wire bytes */		\
	X(N_MESSAGE) X(N_CHUNK) X(N_AUTH_MASKED) X(N_TLS) X(N_CREDS_SHOWN)		\
	X(B64_NO_SECRET)						\
	/* EHLO extensions */						\
	X(X_SIZE) X(X_SIZE_N) X(X_PIPELINING) X(X_8BITMIME)	\
	X(X_DSN) X(X_SMTPUTF8) X(X_CHUNKING) X(X_BINARYMIME)		\
	X(X_STARTTLS) X(X_AUTH) X(X_ENHANCEDSTATUSCODES) X(X_VRFY)	\
	X(X_EXPN) X(X_ETRN) X(X_DELIVERBY) X(X_REQUIRETLS) X(X_HELP)	\
	X(X_ATRN) X(X_MTRK) X(X_FUTURERELEASE) X(X_LIMITS)		\
	X(X_NO_SOLICITING) X(X_XCLIENT) X(X_PIPECONNECT) X(X_OTHER)			\
	X(M_CLEAR) X(M_CHALLENGE) X(M_TOKEN) X(M_KERBEROS) X(M_OTHER)	\
	/* MAIL and RCPT parameters */					\
	X(P_SIZE) X(P_BODY) X(P_SMTPUTF8) X(P_RET) X(P_ENVID) X(P_AUTH)	\
	X(P_NOTIFY) X(P_ORCPT) X(P_BY) X(P_REQUIRETLS) X(P_OTHER)	\
	/* one transaction, envelope against headers, Received hops */	\
	X(T_ACCEPTED) X(T_REJECTED) X(T_ABORTED) X(T_INCOMPLETE)	\
	X(T_NULL_PATH) X(T_ENV_ONLY) X(T_HDR_ONLY) X(T_FROM_DOMAIN)	\
	X(T_NO_FROM) X(T_BCC_HEADER) X(T_NO_RECEIVED) X(T_RECEIVED_N)	\
	X(T_HOP) X(T_HOP_WITH) X(T_HOP_ON) X(T_HOP_FOR) X(T_HOP_RAW)	\
	X(T_HOP_NONAME)

enum explain_id {
#define EXPLAIN_ENUM(name) EX_##name,
	EXPLAIN_IDS(EXPLAIN_ENUM)
#undef EXPLAIN_ENUM
	EXPLAIN_N
};

/* Indexed by enum explain_id; a missing entry is NULL (the unit test
 * test_explain.c fails on one; explain.c falls back to English). */
extern const char *const explain_text_en[EXPLAIN_N];
extern const char *const explain_text_fr[EXPLAIN_N];

/* The id's name ("R250"), for tests and messages. */
const char *explain_id_name(enum explain_id);

#endif

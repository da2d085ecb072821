/* anomaly.h: every anomaly name, defined once (X-macro), and the per-session
 * set that counts them. Names are a contract: they appear in JSON events. */
#ifndef SMTPSCOPE_ANOMALY_H
#define SMTPSCOPE_ANOMALY_H

#include <stdint.h>

struct json_object;

/* Add new names at the end of their group; keep them snake_case. */
#define ANOMALY_LIST(X)				\
	/* stream and reassembly */		\
	X(gap)					\
	X(one_sided)				\
	/* lines */				\
	X(bare_lf)				\
	X(command_too_long)			\
	X(reply_too_long)			\
	X(line_too_long)			\
	X(nul_byte)				\
	X(invalid_utf8)				\
	X(unterminated_line)			\
	/* commands and sequence */		\
	X(unknown_command)			\
	X(bad_sequence)				\
	X(bad_syntax)				\
	X(missing_brackets)			\
	X(bad_path)				\
	X(bad_param)				\
	X(data_without_recipient)		\
	X(pipelining_not_offered)		\
	X(too_many_pending)			\
	X(too_many_rcpts)			\
	X(unterminated_data)			\
	X(bdat_bad_size)			\
	X(bdat_without_chunking)		\
	X(bdat_truncated)			\
	/* replies */				\
	X(invalid_reply)			\
	X(reply_without_command)		\
	X(unexpected_reply)			\
	X(reply_code_mismatch)			\
	X(too_many_reply_lines)			\
	/* AUTH and TLS */			\
	X(auth_in_clear)			\
	X(auth_too_long)			\
	X(auth_bad_base64)			\
	X(starttls_injection)			\
	X(data_after_starttls_refused)		\
	/* message and MIME */			\
	X(header_too_long)			\
	X(too_many_headers)			\
	X(header_without_colon)			\
	X(bad_encoded_word)			\
	X(bad_address)				\
	X(mime_missing_boundary)		\
	X(mime_unterminated_multipart)		\
	X(mime_depth_limit)			\
	X(mime_part_limit)			\
	X(mime_bad_base64)			\
	X(mime_bad_qp)				\
	X(mime_boundary_in_base64)		\
	X(mime_missing_content_type)		\
	X(mime_no_blank_line)			\
	X(mime_decoded_limit)			\
	X(mime_filename_too_long)		\
	X(mime_bad_param)			\
	X(extract_failed)			\
	X(mime_encoded_message)			\
	X(too_many_received)

enum anomaly {
#define ANOMALY_ENUM(name) ANOMALY_##name,
	ANOMALY_LIST(ANOMALY_ENUM)
#undef ANOMALY_ENUM
	ANOMALY_COUNT
};

/* How often each anomaly occurred in one session. */
struct anomalies {
	uint32_t count[ANOMALY_COUNT];
};

const char	*anomaly_name(enum anomaly);
/* Records one occurrence (saturating) and counts it in the capture stats. */
void		 anomaly_add(struct anomalies *, enum anomaly);
int		 anomaly_has(const struct anomalies *, enum anomaly);
/* ["name", ...] in list order, names present only; never NULL. */
struct json_object *anomaly_names_json(const struct anomalies *);
/* {"name": count, ...}, names present only; never NULL. */
struct json_object *anomaly_counts_json(const struct anomalies *);

#endif

/* received.h: one Received header value (RFC 5321 4.4, and what real MTAs
 * write) -> a hop object {from{helo,rdns,ip}, by, via, with, id, for, date,
 * ts, raw}. Never drops a hop: what does not parse stays in raw. */
#ifndef SMTPSCOPE_RECEIVED_H
#define SMTPSCOPE_RECEIVED_H

struct json_object;

/* value: the unfolded header value, valid UTF-8. Never NULL. */
struct json_object *received_parse(const char *value);
/* RFC 5322 date -> "YYYY-MM-DDTHH:MM:SSZ" in out (UTC); 0 if it parsed. */
int	received_date_iso(const char *, char out[32]);

#endif

/* smtps.h: SMTP over implicit TLS (port 465, RFC 8314): no dialogue to
 * read, only the session and its byte counts. */
#ifndef SMTPSCOPE_SMTPS_H
#define SMTPSCOPE_SMTPS_H

#include "dissector.h"

extern const struct dissector smtps_dissector;

#endif

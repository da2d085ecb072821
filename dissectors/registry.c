/* registry.c: which dissector serves a server port (tcpdump's printers[]).
 * The core asks here and never names a protocol; it holds no session state. */
#include <stdlib.h>
#include <string.h>

#include "dissector.h"
#include "smtp.h"
#include "smtps.h"

#define REGISTRY_MAX_PORTS 64

/* RFC 5321 (25), RFC 6409 submission (587), the common alternative 2525. */
static uint16_t smtp_ports[REGISTRY_MAX_PORTS + 1] = { 25, 587, 2525, 0 };
/* RFC 8314: submission over implicit TLS. */
static const uint16_t smtps_ports[] = { 465, 0 };

/* Every packet asks, twice or more: one table lookup, built from the
 * lists above when they change (smtp first, as it was listed first). */
enum { PORT_NONE, PORT_SMTP, PORT_SMTPS };
static uint8_t	port_kind[65536];
static int	port_kind_built;

static void
port_kind_build(void)
{
	const uint16_t *p;

	memset(port_kind, PORT_NONE, sizeof(port_kind));
	for (p = smtps_ports; *p != 0; p++)
		port_kind[*p] = PORT_SMTPS;
	for (p = smtp_ports; *p != 0; p++)
		port_kind[*p] = PORT_SMTP;
	port_kind_built = 1;
}

const struct dissector *
registry_lookup(uint16_t server_port)
{
	if (!port_kind_built)
		port_kind_build();
	switch (port_kind[server_port]) {	/* port 0 is never listed */
	case PORT_SMTP:
		return &smtp_dissector;
	case PORT_SMTPS:
		return &smtps_dissector;
	default:
		return NULL;
	}
}

int
registry_set_smtp_ports(const char *list)
{
	uint16_t ports[REGISTRY_MAX_PORTS + 1];
	size_t n = 0;
	const char *p = list;

	if (list == NULL || *list == '\0')
		return -1;
	while (*p != '\0') {
		char *end;
		unsigned long v;

		if (*p < '0' || *p > '9')
			return -1;
		v = strtoul(p, &end, 10);
		if (v == 0 || v > 65535 || n >= REGISTRY_MAX_PORTS)
			return -1;
		ports[n++] = (uint16_t)v;
		p = end;
		if (*p == ',' && p[1] != '\0')
			p++;
		else if (*p != '\0')
			return -1;
	}
	for (size_t i = 0; i < n; i++)
		smtp_ports[i] = ports[i];
	smtp_ports[n] = 0;
	port_kind_built = 0;
	return 0;
}

/* registry.c: which dissector serves a server port (tcpdump's printers[]).
 * The core asks here and never names a protocol; it holds no session state. */
#include <stdlib.h>

#include "dissector.h"
#include "smtp.h"
#include "smtps.h"

#define REGISTRY_MAX_PORTS 64

/* RFC 5321 (25), RFC 6409 submission (587), the common alternative 2525. */
static uint16_t smtp_ports[REGISTRY_MAX_PORTS + 1] = { 25, 587, 2525, 0 };
/* RFC 8314: submission over implicit TLS. */
static const uint16_t smtps_ports[] = { 465, 0 };

static int
port_in(const uint16_t *list, uint16_t port)
{
	for (; *list != 0; list++)
		if (*list == port)
			return 1;
	return 0;
}

const struct dissector *
registry_lookup(uint16_t server_port)
{
	if (server_port == 0)
		return NULL;
	if (port_in(smtp_ports, server_port))
		return &smtp_dissector;
	if (port_in(smtps_ports, server_port))
		return &smtps_dissector;
	return NULL;
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
	return 0;
}

/* flow.c: names of the ways a session can end (JSON `end`). */
#include "dissector.h"

const char *
flow_end_name(enum flow_end why)
{
	switch (why) {
	case FLOW_END_QUIT:		return "quit";
	case FLOW_END_FIN:		return "fin";
	case FLOW_END_RST:		return "rst";
	case FLOW_END_TIMEOUT:		return "timeout";
	case FLOW_END_EVICTED:		return "evicted";
	case FLOW_END_CAPTURE_END:	return "capture_end";
	case FLOW_END_SHUTDOWN:		return "shutdown";
	case FLOW_END_REUSED:		return "reused";
	}
	return "unknown";
}

/* config.c: default limits and settings, in one place. */
#include <string.h>

#include "config.h"

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->limits.max_sessions = 65536;
	cfg->limits.max_command_line = 2048;	/* RFC 512; keep more to see */
	cfg->limits.max_reply_line = 2048;
	cfg->limits.max_text_line = 4096;	/* RFC 1000 */
	cfg->limits.max_reply_lines = 256;
	cfg->limits.max_pending = 1024;
	cfg->limits.max_rcpts = 1000;
	cfg->limits.max_auth_bytes = 16384;
	cfg->limits.max_header_bytes = 65536;
	cfg->limits.max_headers = 1000;
	cfg->limits.max_mime_depth = 20;
	cfg->limits.max_parts = 1000;
	cfg->limits.max_decoded_bytes = (uint64_t)1 << 40;	/* 1 TiB */
	cfg->limits.max_filename = 1024;
	cfg->idle_timeout = 300;
}

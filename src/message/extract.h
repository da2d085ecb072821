/* extract.h: --extract DIR: messages as .eml and attachments as files under
 * generated names (tag, counter, hash). Never uses a name from the wire,
 * never writes outside DIR, never overwrites; failures are reported. */
#ifndef SMTPSCOPE_EXTRACT_H
#define SMTPSCOPE_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

struct json_object;
struct extract;
struct extract_file;

/* NULL dir: no extraction. Errors surface at the first file. */
struct extract	*extract_open(const char *dir, const char *tag);
struct extract_file *extract_file_open(struct extract *);
void		 extract_write(struct extract_file *, const uint8_t *, size_t);
/* Gives the file its final name "<tag>-<n>-<sha256:16>.<ext>" and adds
 * "extracted": path, or "extract_error": reason, to obj. Returns 0 or -1.
 * obj NULL: abandon (the file is removed). */
int		 extract_file_close(struct extract_file *, const char *sha256,
		    const char *ext, struct json_object *obj);
void		 extract_close(struct extract *);

#endif

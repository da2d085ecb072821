/* hugemem.h: zeroed memory for large tables that live for the whole run,
 * on transparent huge pages where the kernel gives them. */
#ifndef SMTPSCOPE_HUGEMEM_H
#define SMTPSCOPE_HUGEMEM_H

#include <stddef.h>

/* n zeroed bytes, or NULL. Free with huge_free(p, n), the same n. */
void	*huge_zalloc(size_t n);
void	 huge_free(void *p, size_t n);

#endif

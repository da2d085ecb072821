/* alloc_tune.c: with mimalloc (the default build, README "Dependencies"),
 * its memory goes on 2 MB pages: the kernel then takes one fault, and the
 * TLB one entry, where 4 KB pages cost 512. libnids' stream table alone
 * is 13 MB written at start, and json-c's event trees churn through the
 * heap; on the 250 MB bench capture this took a tenth off the run for
 * 5 MB more peak memory (docs/performance.md). mimalloc asks with
 * madvise(MADV_HUGEPAGE), so the kernel's setting rules ("never" makes it
 * a no-op). MIMALLOC_LARGE_OS_PAGES in the environment overrides us.
 * Linked with another malloc (make ALLOC_LIBS=, the sanitizer builds),
 * mimalloc's symbol is absent and nothing is done: the reference is
 * weak. */
#include <stdbool.h>
#include <stdlib.h>

#include <mimalloc.h>

#include "alloc_tune.h"

#pragma weak mi_option_set_enabled

int
alloc_tune(void)
{
	if (mi_option_set_enabled == NULL)
		return 0;
	if (getenv("MIMALLOC_LARGE_OS_PAGES") != NULL)
		return 0;
	mi_option_set_enabled(mi_option_large_os_pages, true);
	return 1;
}

/* hugemem.c: a table touched at random across megabytes (the 4-tuples
 * remembered by reassembly.c) costs one page fault per 4 KB page on
 * 4 KB pages, and each first write after a read replaces the shared zero
 * page, which makes the kernel flush the TLB of every CPU running our
 * threads. On 2 MB pages that is a handful of faults for the whole run.
 * The kernel decides (THP "madvise" or "always"); where it says no, this
 * is plain zeroed anonymous memory. */
#include <stdint.h>
#include <sys/mman.h>

#include "hugemem.h"

#define HUGE_PAGE	((size_t)2 << 20)

static size_t
huge_round(size_t n)
{
	return (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

void *
huge_zalloc(size_t n)
{
	size_t len, head, tail;
	uint8_t *p, *aligned;

	if (n == 0 || n > SIZE_MAX / 2)
		return NULL;
	len = huge_round(n);
	/* A huge page must be aligned: map one more and trim both ends. */
	p = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	aligned = (uint8_t *)huge_round((uintptr_t)p);
	head = (size_t)(aligned - p);
	tail = HUGE_PAGE - head;
	if (head > 0)
		munmap(p, head);
	if (tail > 0)
		munmap(aligned + len, tail);
#ifdef MADV_HUGEPAGE
	(void)madvise(aligned, len, MADV_HUGEPAGE);	/* a hint only */
#endif
	return aligned;
}

void
huge_free(void *p, size_t n)
{
	if (p != NULL)
		munmap(p, huge_round(n));
}

/* alloc_tune.h: settings of the allocator the program is linked with. */
#ifndef SMTPSCOPE_ALLOC_TUNE_H
#define SMTPSCOPE_ALLOC_TUNE_H

/* Call first in main(). 1 when it changed a setting, 0 when there was
 * nothing to do (another allocator, or the user's environment decides). */
int	alloc_tune(void);

#endif

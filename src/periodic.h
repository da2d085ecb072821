/* periodic.h: what a long-running capture does between packets: the
 * signals' requests (SIGUSR1 stats, SIGHUP reopen), --stats-interval,
 * the once-a-second flush and the rotation of the -w file. Acts only
 * between events, so an NDJSON line is never cut. */
#ifndef SMTPSCOPE_PERIODIC_H
#define SMTPSCOPE_PERIODIC_H

#include <time.h>

struct output;
struct rotate;

struct periodic_config {
	struct output	*out;
	struct rotate	*rot;		/* the -w file, or NULL */
	int		 live;		/* wall clock; offline: capture time */
	unsigned	 stats_interval; /* seconds; 0: only at the end */
};

/* Installs the handlers of SIGINT/SIGTERM (stop), SIGUSR1, SIGHUP. */
void	periodic_signals(void);
void	periodic_init(const struct periodic_config *);
/* Called with the current time (a packet's offline, the wall clock
 * live) after each packet offline and at each live tick. */
void	periodic_run(time_t now);
/* Writes one capture.stats now; reason "interval", "signal", "final". */
void	periodic_stats(const char *reason);

#endif

/* periodic.c: between packets, the daemon's chores. Signal handlers only
 * set flags (async-signal-safe); everything is done here, from the
 * capture loop, never inside an event being written. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <json-c/json.h>

#include "capture.h"
#include "output.h"
#include "periodic.h"
#include "rotate.h"
#include "stats.h"

static struct periodic_config	 p_cfg;
static time_t			 p_next_stats;	/* 0: not yet set */
static time_t			 p_last_flush;
static int			 p_started;
static int			 p_write_error;	/* reported once */
static time_t			 p_last_check;	/* of the output's error */
static time_t			 p_last_run;	/* the second of the last run */
static volatile sig_atomic_t	 p_usr1, p_hup;

static void
on_stop(int sig)
{
	(void)sig;
	capture_stop();
}

static void
on_usr1(int sig)
{
	(void)sig;
	p_usr1 = 1;
}

static void
on_hup(int sig)
{
	(void)sig;
	p_hup = 1;
}

void
periodic_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
}

void
periodic_init(const struct periodic_config *cfg)
{
	p_cfg = *cfg;
	p_next_stats = 0;
	p_started = 0;
	p_last_flush = time(NULL);
}

/* Resident memory now: /proc/self/statm's second field, in pages. */
static uint64_t
rss_now_kb(void)
{
	unsigned long size, resident;
	long page = sysconf(_SC_PAGESIZE);
	FILE *f;
	int n;

	if ((f = fopen("/proc/self/statm", "r")) == NULL)
		return 0;
	n = fscanf(f, "%lu %lu", &size, &resident);
	fclose(f);
	if (n != 2 || page <= 0)
		return 0;
	return (uint64_t)resident * (uint64_t)page / 1024;
}

void
periodic_stats(const char *reason)
{
	struct rusage ru;

	if (p_cfg.live)
		capture_live_stats();
	if (stats_long_running) {
		stats.rss_kb = rss_now_kb();
		if (getrusage(RUSAGE_SELF, &ru) == 0)
			stats.peak_rss_kb = (uint64_t)ru.ru_maxrss; /* KB */
	}
	output_event(p_cfg.out, NULL, "capture.stats", stats_json(reason));
}

/* SIGHUP: logrotate moved the file away; --rotate-*: our own turn. */
static void
periodic_rotate(time_t now)
{
	if (p_cfg.rot == NULL) {
		p_hup = 0;
		return;
	}
	if (p_hup) {
		p_hup = 0;
		output_flush(p_cfg.out);
		(void)rotate_reopen(p_cfg.rot);
	}
	if (rotate_due(p_cfg.rot, now)) {
		output_flush(p_cfg.out);
		(void)rotate_now(p_cfg.rot, now);
	}
}

void
periodic_run(time_t now)
{
	unsigned interval = p_cfg.stats_interval;

	/* Per packet offline: within a second, only a signal or a file
	 * that rotates by size has anything to do here. */
	if (p_started && now == p_last_run && !p_usr1 && !p_hup &&
	    (p_cfg.rot == NULL || p_cfg.rot->max_bytes == 0))
		return;
	p_last_run = now;

	if (!p_started) {
		p_started = 1;
		if (!p_cfg.live && p_cfg.rot != NULL)
			p_cfg.rot->opened = now;  /* the files' own clock */
	}
	if (p_usr1) {
		p_usr1 = 0;
		periodic_stats("signal");
		output_flush(p_cfg.out);
	}
	if (interval > 0 && p_next_stats == 0)
		p_next_stats = now + (time_t)interval;
	else if (interval > 0 && now >= p_next_stats) {
		periodic_stats("interval");
		p_next_stats = now + (time_t)interval;
	}
	periodic_rotate(now);
	/* A daemon says so within a second (disk full), and goes on: the
	 * space may come back; the exit code reports it at the end too.
	 * Once a second, not per packet: ferror() takes the FILE's lock. */
	if (!p_write_error && now != p_last_check &&
	    (p_last_check = now, output_error(p_cfg.out))) {
		p_write_error = 1;
		fprintf(stderr, "smtpscope: write error on the output (disk "
		    "full?): events are being lost\n");
	}
	/* Live: a tailing shipper sees every event within a second. */
	if (p_cfg.live && now != p_last_flush) {
		output_flush(p_cfg.out);
		p_last_flush = now;
	}
}

/* capture.c: our own libpcap loop, offline and live. Reports each failure
 * as one line naming the file or interface; never decodes a frame (that
 * is decap.c) and never exits: the caller decides what a status means. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <poll.h>
#include <sys/stat.h>

#include "capture.h"
#include "decap.h"
#include "stats.h"

static volatile sig_atomic_t	 c_stop;
static pcap_t *volatile		 c_live;	/* for pcap_breakloop */

void
capture_stop(void)
{
	pcap_t *p = c_live;

	c_stop = 1;
	if (p != NULL)
		pcap_breakloop(p);	/* documented as signal-safe */
}

int
capture_stopped(void)
{
	return c_stop != 0;
}

static void
count_frame(const struct pcap_pkthdr *h)
{
	stats.packets++;
	stats.bytes += h->len;
	if (h->caplen < h->len)
		stats.truncated++;
}

static enum capture_status
set_filter(pcap_t *p, const char *bpf)
{
	struct bpf_program prog;
	int rc;

	if (bpf == NULL)
		return CAPTURE_OK;
	if (pcap_compile(p, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) == -1) {
		fprintf(stderr, "smtpscope: bad filter '%s': %s\n", bpf,
		    pcap_geterr(p));
		return CAPTURE_USAGE;
	}
	rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (rc == -1) {
		fprintf(stderr, "smtpscope: cannot set filter '%s': %s\n", bpf,
		    pcap_geterr(p));
		return CAPTURE_USAGE;
	}
	return CAPTURE_OK;
}

static enum capture_status
check_link(const char *what, pcap_t *p)
{
	int dlt = pcap_datalink(p);

	if (decap_supported(dlt))
		return CAPTURE_OK;
	fprintf(stderr, "smtpscope: %s: unsupported link type %s (%d)\n", what,
	    decap_link_name(dlt), dlt);
	return CAPTURE_INPUT;
}

/* The stdio buffer of the capture file being read (file_open). */
static char file_buf[1 << 20];

/* Opens one file, naming the problem the way a user thinks of it. */
static pcap_t *
file_open(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	struct stat st;
	pcap_t *p;
	FILE *fp;

	if (stat(path, &st) == -1 || (fp = fopen(path, "rb")) == NULL) {
		if (errno == ENOENT)
			fprintf(stderr, "smtpscope: %s: no such file\n", path);
		else
			fprintf(stderr, "smtpscope: %s: cannot open: %s\n",
			    path, strerror(errno));
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		fclose(fp);
		fprintf(stderr, "smtpscope: %s: is a directory\n", path);
		return NULL;
	}
	/* libpcap reads records with fread: one 1 MB read instead of 256
	 * of stdio's default 4 KB (glibc ignores the size without a buffer;
	 * one file is open at a time, closed before the next is opened) */
	(void)setvbuf(fp, file_buf, _IOFBF, sizeof(file_buf));
	/* Only this thread reads it (libpcap, two freads a packet). Once the
	 * digest thread exists glibc locks every stdio call, and that atomic
	 * was 87 % of fread's samples on 1G: this thread takes no lock. */
	(void)__fsetlocking(fp, FSETLOCKING_BYCALLER);
	err[0] = '\0';
	p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_MICRO, err);
	if (p != NULL)
		return p;
	fclose(fp);	/* libpcap leaves it open on failure */
	if (st.st_size == 0)
		fprintf(stderr, "smtpscope: %s: not a pcap or pcapng capture "
		    "(empty file)\n", path);
	else if (strstr(err, "unknown file format") != NULL || err[0] == '\0')
		fprintf(stderr, "smtpscope: %s: not a pcap or pcapng "
		    "capture\n", path);
	else
		fprintf(stderr, "smtpscope: %s: not a pcap or pcapng capture "
		    "(%s)\n", path, err);
	return NULL;
}

/* Every packet of one open file; CAPTURE_CUT if it ends mid-packet or a
 * record header is damaged. */
static enum capture_status
file_read(const char *path, pcap_t *p, const struct capture_sink *sink)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t n = 0;
	int dlt = pcap_datalink(p), rc = 0;

	while (!c_stop && (rc = pcap_next_ex(p, &h, &data)) == 1) {
		n++;
		count_frame(h);
		sink->packet(sink->arg, dlt, h, data);
	}
	if (c_stop || rc == PCAP_ERROR_BREAK)
		return CAPTURE_OK;
	if (strstr(pcap_geterr(p), "truncated") != NULL) {
		fprintf(stderr, "smtpscope: %s: capture cut short after %llu "
		    "packets\n", path, (unsigned long long)n);
		return CAPTURE_CUT;
	}
	/* A damaged record header: what came before is still good. */
	fprintf(stderr, "smtpscope: %s: capture damaged after %llu packets "
	    "(%s)\n", path, (unsigned long long)n, pcap_geterr(p));
	return CAPTURE_CUT;
}

enum capture_status
capture_files(char *const *files, int nfiles, const char *bpf,
    const struct capture_sink *sink)
{
	enum capture_status st, worst = CAPTURE_OK;
	pcap_t *p;
	int i;

	/* First pass: fail on a bad name before showing anything. */
	for (i = 0; i < nfiles; i++) {
		if ((p = file_open(files[i])) == NULL)
			return CAPTURE_INPUT;
		st = check_link(files[i], p);
		if (st == CAPTURE_OK)
			st = set_filter(p, bpf);
		pcap_close(p);
		if (st != CAPTURE_OK)
			return st;
	}
	for (i = 0; i < nfiles && !c_stop; i++) {
		if ((p = file_open(files[i])) == NULL)
			return CAPTURE_INPUT;	/* vanished meanwhile */
		if ((st = check_link(files[i], p)) == CAPTURE_OK &&
		    (st = set_filter(p, bpf)) == CAPTURE_OK)
			st = file_read(files[i], p, sink);
		pcap_close(p);
		/* A cut file still lets the next ones be read. */
		if (st == CAPTURE_CUT)
			worst = CAPTURE_CUT;
		else if (st != CAPTURE_OK)
			return st;
	}
	return worst;
}

static void
live_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *data)
{
	const struct capture_sink *sink = (const struct capture_sink *)arg;

	count_frame(h);
	sink->packet(sink->arg, pcap_datalink(c_live), h, data);
}

static const char	*c_iface;	/* name of the live interface */

static pcap_t *
live_open(const char *iface, unsigned buffer_mb)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	int rc;

	err[0] = '\0';
	if ((p = pcap_create(iface, err)) == NULL) {
		fprintf(stderr, "smtpscope: %s: %s\n", iface, err);
		return NULL;
	}
	pcap_set_snaplen(p, CAPTURE_SNAPLEN);
	pcap_set_promisc(p, 1);
	/* Not immediate mode: on Linux it means TPACKET_V2, one ring slot
	 * of snaplen bytes per packet (a 2 MB buffer holds 7 packets and a
	 * burst is dropped). TPACKET_V3 packs packets into blocks handed
	 * over when full or after the timeout: latency at most that. */
	pcap_set_timeout(p, CAPTURE_LATENCY_MS);
	if (buffer_mb != 0)
		pcap_set_buffer_size(p, (int)(buffer_mb * 1024 * 1024));
	rc = pcap_activate(p);
	if (rc == PCAP_ERROR_NO_SUCH_DEVICE)
		fprintf(stderr, "smtpscope: %s: no such interface\n", iface);
	else if (rc == PCAP_ERROR_PERM_DENIED)
		fprintf(stderr, "smtpscope: %s: no permission to capture "
		    "(needs root or CAP_NET_RAW)\n", iface);
	else if (rc < 0)
		fprintf(stderr, "smtpscope: %s: cannot capture: %s\n", iface,
		    pcap_geterr(p));
	else if (rc > 0)
		fprintf(stderr, "smtpscope: %s: warning: %s\n", iface,
		    pcap_statustostr(rc));
	if (rc < 0) {
		pcap_close(p);
		return NULL;
	}
	/* "any": SLL2 also names the interface; SLL (v1) if too old */
	if (strcmp(iface, "any") == 0)
		(void)pcap_set_datalink(p, DLT_LINUX_SLL2);
	return p;
}

enum capture_status
capture_live_open(const char *iface, const char *bpf, unsigned buffer_mb)
{
	enum capture_status st;
	pcap_t *p;

	if ((p = live_open(iface, buffer_mb)) == NULL)
		return CAPTURE_INPUT;
	if ((st = check_link(iface, p)) != CAPTURE_OK ||
	    (st = set_filter(p, bpf)) != CAPTURE_OK) {
		pcap_close(p);
		return st;
	}
	c_iface = iface;
	c_live = p;
	return CAPTURE_OK;
}

void
capture_live_close(void)
{
	pcap_t *p = c_live;

	c_live = NULL;
	if (p != NULL)
		pcap_close(p);
}

void
capture_live_stats(void)
{
	struct pcap_stat ps;

	if (c_live != NULL && pcap_stats(c_live, &ps) == 0) {
		stats.kernel_drops = ps.ps_drop;
		stats.iface_drops = ps.ps_ifdrop;
	}
}

enum capture_status
capture_live_run(const struct capture_sink *sink)
{
	enum capture_status st = CAPTURE_OK;
	char err[PCAP_ERRBUF_SIZE] = "";
	struct pollfd pfd;
	struct timeval now;
	pcap_t *p = c_live;
	int rc = 0;

	if (p == NULL)
		return CAPTURE_INPUT;
	/* libpcap's own timeout does not return from pcap_dispatch on
	 * Linux (it polls again): non-blocking reads, our own poll. */
	if (pcap_setnonblock(p, 1, err) == -1 ||
	    (pfd.fd = pcap_get_selectable_fd(p)) < 0) {
		fprintf(stderr, "smtpscope: %s: cannot capture: %s\n",
		    c_iface, err);
		c_live = NULL;
		pcap_close(p);
		return CAPTURE_INPUT;
	}
	pfd.events = POLLIN;
	while (!c_stop) {
		if (poll(&pfd, 1, CAPTURE_WAKE_MS) == -1 && errno != EINTR) {
			fprintf(stderr, "smtpscope: %s: poll: %s\n", c_iface,
			    strerror(errno));
			st = CAPTURE_INPUT;
			break;
		}
		if (c_stop)
			break;
		/* a bounded batch, so that ticks happen under load too */
		if ((rc = pcap_dispatch(p, 4096, live_packet,
		    (u_char *)(uintptr_t)sink)) < 0)
			break;
		if (sink->tick != NULL) {
			gettimeofday(&now, NULL);
			sink->tick(sink->arg, &now);
		}
	}
	if (rc == PCAP_ERROR) {
		fprintf(stderr, "smtpscope: %s: capture failed: %s\n", c_iface,
		    pcap_geterr(p));
		st = CAPTURE_INPUT;
	}
	capture_live_stats();
	c_live = NULL;
	pcap_close(p);
	return st;
}

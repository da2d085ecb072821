/* gen_capture.c: writes a large, realistic, deterministic capture of
 * interleaved SMTP sessions (plus non-SMTP TCP background) for the benchmark,
 * and a manifest of every message in it so the benchmark can check that
 * smtpscope found them all. Same seed and size give the same bytes.
 * Never shares code with the analyser: it is the independent witness.
 *
 * usage: gen_capture [-s 50M|250M|1G|BYTES] [-S seed] [-c concurrent] -o F.pcap
 * The manifest goes to F.manifest.json (".pcap" replaced). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

/* ---- deterministic PRNG (xoshiro256**, seeded by splitmix64) ---- */

static uint64_t rng_s[4];

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
rng_seed(uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		rng_s[i] = splitmix64(&seed);
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t
rng_next(void)
{
	uint64_t r = rotl(rng_s[1] * 5, 7) * 9, t = rng_s[1] << 17;
	rng_s[2] ^= rng_s[0];
	rng_s[3] ^= rng_s[1];
	rng_s[1] ^= rng_s[2];
	rng_s[0] ^= rng_s[3];
	rng_s[2] ^= t;
	rng_s[3] = rotl(rng_s[3], 45);
	return r;
}

/* Uniform in [lo, hi]. */
static uint64_t
rng_range(uint64_t lo, uint64_t hi)
{
	return lo + rng_next() % (hi - lo + 1);
}

static double
rng_unit(void)
{
	return (double)(rng_next() >> 11) / 9007199254740992.0;
}

/* Log-uniform in [lo, hi]: many small, few large, like real sizes. */
static uint64_t
rng_logu(double lo, double hi)
{
	double l = __builtin_log(lo), h = __builtin_log(hi);
	return (uint64_t)__builtin_exp(l + (h - l) * rng_unit());
}

static void
rng_fill(uint8_t *p, size_t n)
{
	while (n >= 8) {
		uint64_t r = rng_next();
		memcpy(p, &r, 8);
		p += 8;
		n -= 8;
	}
	if (n) {
		uint64_t r = rng_next();
		memcpy(p, &r, n);
	}
}

/* ---- growable byte buffer ---- */

struct buf {
	uint8_t	*p;
	size_t	 n, cap;
};

static void
die(const char *what)
{
	fprintf(stderr, "gen_capture: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
buf_reserve(struct buf *b, size_t more)
{
	if (b->n + more <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->n + more)
		cap *= 2;
	uint8_t *p = realloc(b->p, cap);
	if (p == NULL)
		die("realloc");
	b->p = p;
	b->cap = cap;
}

static void
buf_put(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void buf_printf(struct buf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_reserve(b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf((char *)b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 in 76-column CRLF lines, as mail clients write it. */
static void
buf_base64(struct buf *b, const uint8_t *p, size_t n, int lines)
{
	buf_reserve(b, (n + 2) / 3 * 4 + (n / 57 + 1) * 2 + 4);
	uint8_t *o = b->p + b->n;
	size_t col = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		*o++ = b64chars[(v >> 18) & 63];
		*o++ = b64chars[(v >> 12) & 63];
		*o++ = i + 1 < n ? b64chars[(v >> 6) & 63] : '=';
		*o++ = i + 2 < n ? b64chars[v & 63] : '=';
		col += 4;
		if (lines && col == 76) {
			*o++ = '\r';
			*o++ = '\n';
			col = 0;
		}
	}
	if (lines && col) {
		*o++ = '\r';
		*o++ = '\n';
	}
	b->n = (size_t)(o - b->p);
}

static void
md5_hex(const uint8_t *p, size_t n, char out[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (!EVP_Digest(p, n, md, &len, EVP_md5(), NULL)) {
		fprintf(stderr, "gen_capture: EVP_Digest failed\n");
		exit(1);
	}
	for (unsigned i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

/* ---- flows: a script of turns, played out as TCP packets ---- */

enum flow_kind { FLOW_SMTP, FLOW_BACKGROUND };
enum dir { DIR_C2S = 0, DIR_S2C = 1 };
enum phase {
	PH_SYN, PH_SYNACK, PH_ACK3, PH_DATA, PH_FIN1, PH_FIN2, PH_LASTACK,
	PH_DONE
};

struct turn {
	uint8_t	 dir;
	uint8_t	 think;		/* server pauses before it (end-of-data) */
	size_t	 off, len;	/* in flow->data */
};

struct flow {
	uint64_t	 id;
	enum flow_kind	 kind;
	int		 v6;
	uint8_t		 ip[2][16];	/* [DIR_C2S] client, [DIR_S2C] server */
	uint16_t	 port[2];
	uint32_t	 seq[2];	/* next sequence number per sender */
	uint16_t	 ipid[2];
	uint16_t	 mss;
	uint32_t	 rtt_us;
	struct buf	 data;
	struct turn	*turns;
	size_t		 nturns, tcap;
	size_t		 cur, off;
	enum phase	 phase;
	int		 unacked;
	int		 need_ack;	/* a pure ACK from this side is due, or -1 */
	uint64_t	 next_us;
	char		 client_str[64];
};

static void
turn_add(struct flow *f, int dir, const void *p, size_t n)
{
	if (f->nturns && f->turns[f->nturns - 1].dir == dir &&
	    f->turns[f->nturns - 1].off + f->turns[f->nturns - 1].len ==
	    f->data.n) {
		f->turns[f->nturns - 1].len += n;
	} else {
		if (f->nturns == f->tcap) {
			f->tcap = f->tcap ? f->tcap * 2 : 32;
			f->turns = realloc(f->turns, f->tcap * sizeof(*f->turns));
			if (f->turns == NULL)
				die("realloc");
		}
		f->turns[f->nturns++] = (struct turn){ .dir = (uint8_t)dir,
		    .off = f->data.n, .len = n };
	}
	buf_put(&f->data, p, n);
}

/* ---- the manifest and global counters ---- */

static struct {
	uint64_t sessions, sessions_v6, background, transactions;
	uint64_t messages_sent, messages_accepted, messages_bdat;
	uint64_t rcpts, rcpts_refused, attachments;
	uint64_t smtp_payload[2];	/* [v6] */
	uint64_t bg_payload;
	uint64_t packets, bytes;
} tot;

static FILE *manifest;
static int manifest_first = 1;

/* ---- content ---- */

static const char *words[] = {
	"the", "meeting", "report", "quarter", "invoice", "attached", "please",
	"review", "budget", "project", "schedule", "team", "update", "next",
	"week", "thanks", "regards", "customer", "order", "delivery", "status",
	"server", "migration", "contract", "draft", "final", "numbers", "we",
	"should", "discuss", "tomorrow", "morning", "and", "of", "to", "for",
	"with", "on", "is", "are", "this", "that", "new", "plan", "notes",
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

static const char *names[] = {
	"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
	"ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert",
	"sybil", "trent", "victor", "walter", "zoe",
};
#define NNAMES (sizeof(names) / sizeof(names[0]))

static const char *domains[] = {
	"example.com", "example.org", "example.net", "corp.example",
	"mail.example.co.uk", "lists.example.edu",
};
#define NDOMAINS (sizeof(domains) / sizeof(domains[0]))

static void
text_lines(struct buf *b, size_t bytes)
{
	size_t start = b->n;
	while (b->n - start < bytes) {
		size_t line = rng_range(30, 76), l0 = b->n;
		if (rng_range(0, 60) == 0)
			buf_printf(b, ".");	/* exercises dot-stuffing */
		while (b->n - l0 < line) {
			const char *w = words[rng_next() % NWORDS];
			buf_printf(b, "%s%s", b->n == l0 ? "" : " ", w);
		}
		if (rng_range(0, 40) == 0)
			buf_printf(b, " Gr\xc3\xbc\xc3\x9f" "e");
		buf_put(b, "\r\n", 2);
	}
}

struct attachment {
	char	 name[64];
	size_t	 bytes;
	char	 md5[33];
};

static size_t
attachment_size(void)
{
	double u = rng_unit();
	if (u < 0.85)
		return rng_logu(10e3, 100e3);
	if (u < 0.98)
		return rng_logu(100e3, 1e6);
	return rng_logu(1e6, 5e6);
}

static uint8_t *scratch;
static size_t scratch_cap;

/* Builds one message (CRLF lines, not yet dot-stuffed). */
static void
message_build(struct buf *m, uint64_t mid, const char *from,
    char rcpt[][96], size_t nrcpt, struct attachment *att, size_t *natt)
{
	static const char *ext[] = { "pdf", "zip", "docx", "png", "xlsx" };
	static const char *ctype[] = {
		"application/pdf", "application/zip",
		"application/vnd.openxmlformats-officedocument."
		"wordprocessingml.document", "image/png",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	};
	*natt = 0;
	buf_printf(m, "Received: from client%" PRIu64 ".example.com "
	    "(client%" PRIu64 ".example.com [192.0.2.%u])\r\n"
	    "\tby mx.example.net (Postfix) with ESMTPS id 4Sb%" PRIX64 "\r\n"
	    "\tfor <%s>; Mon, 13 Nov 2023 10:%02u:%02u +0000 (UTC)\r\n",
	    mid % 977, mid % 977, (unsigned)(mid % 250 + 1), mid, rcpt[0],
	    (unsigned)(mid / 60 % 60), (unsigned)(mid % 60));
	buf_printf(m, "Received: from [10.1.%u.%u] by client%" PRIu64
	    ".example.com with ESMTPSA; Mon, 13 Nov 2023 10:%02u:%02u +0000\r\n",
	    (unsigned)(mid / 250 % 250), (unsigned)(mid % 250 + 1), mid % 977,
	    (unsigned)(mid / 60 % 60), (unsigned)(mid % 60));
	buf_printf(m, "From: \"%s\" <%s>\r\nTo: ", names[mid % NNAMES], from);
	for (size_t i = 0; i < nrcpt; i++)
		buf_printf(m, "%s<%s>", i ? ", " : "", rcpt[i]);
	buf_printf(m, "\r\n");
	if (rng_range(0, 9) == 0) {
		struct buf s = { 0 };
		const char *subj = "Gr\xc3\xbc\xc3\x9f" "e aus dem B\xc3\xbc" "ro";
		buf_base64(&s, (const uint8_t *)subj, strlen(subj), 0);
		buf_printf(m, "Subject: =?UTF-8?B?%.*s?= %" PRIu64 "\r\n",
		    (int)s.n, (char *)s.p, mid);
		free(s.p);
	} else {
		buf_printf(m, "Subject: bench message %" PRIu64 " about the %s\r\n",
		    mid, words[rng_next() % NWORDS]);
	}
	buf_printf(m, "Date: Mon, 13 Nov 2023 10:%02u:%02u +0000\r\n"
	    "Message-ID: <bench.%" PRIu64 "@gen.example.net>\r\n"
	    "X-Mailer: gen_capture 1.0\r\nMIME-Version: 1.0\r\n",
	    (unsigned)(mid / 60 % 60), (unsigned)(mid % 60), mid);

	if (rng_unit() >= 0.15) {
		buf_printf(m, "Content-Type: text/plain; charset=utf-8\r\n"
		    "Content-Transfer-Encoding: 8bit\r\n\r\n");
		text_lines(m, rng_range(600, 8000));
		return;
	}
	size_t n = rng_unit() < 0.8 ? 1 : rng_unit() < 0.75 ? 2 : 3;
	buf_printf(m, "Content-Type: multipart/mixed; "
	    "boundary=\"----=_Part_%" PRIu64 "_%u\"\r\n\r\n"
	    "This is a multi-part message in MIME format.\r\n",
	    mid, (unsigned)(mid * 7 % 1000));
	char bnd[64];
	snprintf(bnd, sizeof(bnd), "----=_Part_%" PRIu64 "_%u", mid,
	    (unsigned)(mid * 7 % 1000));
	buf_printf(m, "--%s\r\nContent-Type: text/plain; charset=us-ascii\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n\r\n", bnd);
	text_lines(m, rng_range(200, 2000));
	for (size_t i = 0; i < n; i++) {
		size_t k = rng_next() % 5, sz = attachment_size();
		if (sz > scratch_cap) {
			scratch = realloc(scratch, sz);
			if (scratch == NULL)
				die("realloc");
			scratch_cap = sz;
		}
		rng_fill(scratch, sz);
		struct attachment *a = &att[(*natt)++];
		snprintf(a->name, sizeof(a->name), "file-%" PRIu64 "-%zu.%s",
		    mid, i, ext[k]);
		a->bytes = sz;
		md5_hex(scratch, sz, a->md5);
		buf_printf(m, "--%s\r\nContent-Type: %s; name=\"%s\"\r\n"
		    "Content-Transfer-Encoding: base64\r\n"
		    "Content-Disposition: attachment; filename=\"%s\"\r\n\r\n",
		    bnd, ctype[k], a->name, a->name);
		buf_base64(m, scratch, sz, 1);
	}
	buf_printf(m, "--%s--\r\n", bnd);
}

static void
dot_stuff(struct buf *out, const struct buf *m)
{
	buf_reserve(out, m->n + m->n / 64 + 8);
	int bol = 1;
	for (size_t i = 0; i < m->n; i++) {
		if (bol && m->p[i] == '.')
			out->p[out->n++] = '.';
		out->p[out->n++] = m->p[i];
		bol = m->p[i] == '\n';
		if (out->n + 2 > out->cap)
			buf_reserve(out, 4096);
	}
	buf_put(out, ".\r\n", 3);
}

static void
manifest_message(struct flow *f, unsigned trans, uint64_t mid,
    const char *cmd, const char *status, size_t nrcpt, size_t refused,
    size_t bytes, const struct attachment *att, size_t natt)
{
	fprintf(manifest, "%s\n  {\"message_id\": \"<bench.%" PRIu64
	    "@gen.example.net>\", \"client\": \"%s\", \"trans_depth\": %u, "
	    "\"command\": \"%s\", \"status\": \"%s\", \"rcpts\": %zu, "
	    "\"refused\": %zu, \"bytes\": %zu, \"attachments\": [",
	    manifest_first ? "" : ",", mid, f->client_str, trans, cmd, status,
	    nrcpt, refused, bytes);
	manifest_first = 0;
	for (size_t i = 0; i < natt; i++)
		fprintf(manifest, "%s{\"filename\": \"%s\", \"bytes\": %zu, "
		    "\"md5\": \"%s\"}", i ? ", " : "", att[i].name, att[i].bytes,
		    att[i].md5);
	fprintf(manifest, "]}");
}

/* ---- SMTP session scripts ---- */

struct server_profile {
	const char *banner, *ehlo, *mail_ok, *rcpt_ok, *rcpt_bad, *data_go,
	    *data_ok, *data_bad, *no_rcpt, *rset_ok, *bdat_ok, *quit;
	int pipelining, chunking;
};

static const struct server_profile profiles[] = {
	{ "220 mx%u.example.net ESMTP Postfix (Debian/GNU)",
	  "250-mx%u.example.net\r\n250-PIPELINING\r\n250-SIZE 52428800\r\n"
	  "250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n"
	  "250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING",
	  "250 2.1.0 Ok", "250 2.1.5 Ok",
	  "550 5.1.1 <%s>: Recipient address rejected: User unknown in "
	  "virtual mailbox table",
	  "354 End data with <CR><LF>.<CR><LF>",
	  "250 2.0.0 Ok: queued as 4Sb%" PRIX64,
	  "554 5.7.1 Rejected: message looks like spam",
	  "554 5.5.1 Error: no valid recipients", "250 2.0.0 Ok",
	  "250 2.0.0 Ok: %zu bytes", "221 2.0.0 Bye", 1, 1 },
	{ "220 mail%u.example.org ESMTP Exim 4.96 Mon, 13 Nov 2023 10:00:00 "
	  "+0000",
	  "250-mail%u.example.org Hello client [192.0.2.1]\r\n"
	  "250-SIZE 52428800\r\n250-8BITMIME\r\n250-PIPELINING\r\n"
	  "250-CHUNKING\r\n250-STARTTLS\r\n250 HELP",
	  "250 OK", "250 Accepted", "550 Unrouteable address <%s>",
	  "354 Enter message, ending with \".\" on a line by itself",
	  "250 OK id=1r2%" PRIX64 "-000ABC-XY",
	  "550 Administrative prohibition", "503 Valid RCPT command must "
	  "precede DATA", "250 Reset OK", "250 %zu byte chunk received",
	  "221 mail.example.org closing connection", 1, 1 },
	{ "220 smtp%u.example.com Microsoft ESMTP MAIL Service ready",
	  "250-smtp%u.example.com Hello [192.0.2.1]\r\n250-SIZE 36700160\r\n"
	  "250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 HELP",
	  "250 2.1.0 Sender OK", "250 2.1.5 Recipient OK",
	  "550 5.1.1 User unknown <%s>",
	  "354 Start mail input; end with <CRLF>.<CRLF>",
	  "250 2.6.0 <%" PRIX64 "@smtp.example.com> Queued mail for delivery",
	  "550 5.7.1 Message rejected as spam by Content Filtering",
	  "554 5.5.1 No valid recipients", "250 2.0.0 Resetting",
	  "250 2.0.0 %zu octets", "221 2.0.0 Service closing transmission "
	  "channel", 0, 0 },
};


static uint64_t next_mid = 1;

/* A reply or command line from a profile format (not a literal). */
static void
line_fmt(struct flow *f, int dir, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp) - 2, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp) - 2) {
		fprintf(stderr, "gen_capture: line too long\n");
		exit(1);
	}
	memcpy(tmp + n, "\r\n", 2);
	turn_add(f, dir, tmp, (size_t)n + 2);
}

static void
turn_mark_think(struct flow *f)
{
	f->turns[f->nturns - 1].think = 1;
}

/* One SMTP session: banner, EHLO/HELO, 0-5 transactions (pipelined or
 * not, DATA or BDAT, some recipients refused), QUIT. */
static void
smtp_script(struct flow *f)
{
	const struct server_profile *sp = &profiles[rng_next() % 3];
	unsigned mx = (unsigned)(f->id % 8 + 1);
	struct buf m = { 0 }, wire = { 0 };
	int ehlo = rng_unit() >= 0.1;
	int pipe = ehlo && sp->pipelining && rng_unit() < 0.7;
	int bdat = ehlo && sp->chunking && rng_unit() < 0.25;
	char sender[96], rcpt[8][96];
	struct attachment att[3];

	line_fmt(f, DIR_S2C, sp->banner, mx);
	line_fmt(f, DIR_C2S, "%s client%" PRIu64 ".example.com",
	    ehlo ? "EHLO" : "HELO", f->id % 977);
	if (ehlo)
		line_fmt(f, DIR_S2C, sp->ehlo, mx);
	else
		line_fmt(f, DIR_S2C, "250 mx%u.example.net", mx);

	double u = rng_unit();
	unsigned ntrans = u < 0.05 ? 0 : u < 0.75 ? 1 :
	    (unsigned)rng_range(2, 5);
	for (unsigned t = 1; t <= ntrans; t++) {
		uint64_t mid = next_mid++;
		size_t nrcpt = rng_unit() < 0.6 ? 1 : rng_unit() < 0.5 ? 2 :
		    (size_t)rng_range(3, 5), good = 0, natt;
		int ok[8];
		snprintf(sender, sizeof(sender), "%s@%s",
		    names[rng_next() % NNAMES], domains[rng_next() % NDOMAINS]);
		for (size_t i = 0; i < nrcpt; i++) {
			snprintf(rcpt[i], sizeof(rcpt[i]), "%s.%zu@%s",
			    names[rng_next() % NNAMES], i,
			    domains[rng_next() % NDOMAINS]);
			ok[i] = rng_unit() >= 0.12;
			good += (size_t)ok[i];
		}
		m.n = 0;
		message_build(&m, mid, sender, rcpt, nrcpt, att, &natt);
		tot.transactions++;
		tot.rcpts += nrcpt;
		tot.rcpts_refused += nrcpt - good;

		/* The envelope: one pipelined batch, or lock-step. */
		if (ehlo)
			line_fmt(f, DIR_C2S, "MAIL FROM:<%s> SIZE=%zu "
			    "BODY=8BITMIME", sender, m.n);
		else
			line_fmt(f, DIR_C2S, "MAIL FROM:<%s>", sender);
		if (!pipe)
			line_fmt(f, DIR_S2C, "%s", sp->mail_ok);
		for (size_t i = 0; i < nrcpt; i++) {
			line_fmt(f, DIR_C2S, "RCPT TO:<%s>%s", rcpt[i],
			    ehlo && sp == &profiles[0] ? " NOTIFY=FAILURE" : "");
			if (!pipe && ok[i])
				line_fmt(f, DIR_S2C, "%s", sp->rcpt_ok);
			else if (!pipe)
				line_fmt(f, DIR_S2C, sp->rcpt_bad, rcpt[i]);
		}
		if (pipe) {
			if (!bdat)
				line_fmt(f, DIR_C2S, "DATA");
			line_fmt(f, DIR_S2C, "%s", sp->mail_ok);
			for (size_t i = 0; i < nrcpt; i++) {
				if (ok[i])
					line_fmt(f, DIR_S2C, "%s", sp->rcpt_ok);
				else
					line_fmt(f, DIR_S2C, sp->rcpt_bad,
					    rcpt[i]);
			}
			if (!bdat)
				line_fmt(f, DIR_S2C, "%s",
				    good ? sp->data_go : sp->no_rcpt);
		} else if (good && !bdat) {
			line_fmt(f, DIR_C2S, "DATA");
			line_fmt(f, DIR_S2C, "%s", sp->data_go);
		}
		if (!good) {
			if (bdat || !pipe) {
				line_fmt(f, DIR_C2S, "RSET");
				line_fmt(f, DIR_S2C, "%s", sp->rset_ok);
			}
			continue;
		}

		/* The message: DATA (dot-stuffed) or BDAT chunks. */
		int accepted = rng_unit() >= 0.03;
		uint64_t qid = mid * 2654435761ULL;
		if (!bdat) {
			wire.n = 0;
			dot_stuff(&wire, &m);
			turn_add(f, DIR_C2S, wire.p, wire.n);
			if (accepted)
				line_fmt(f, DIR_S2C, sp->data_ok, qid);
			else
				line_fmt(f, DIR_S2C, "%s", sp->data_bad);
			turn_mark_think(f);
		} else {
			size_t off = 0;
			while (off < m.n) {
				size_t n = rng_range(4096, 262144);
				int last = n >= m.n - off;
				if (last)
					n = m.n - off;
				line_fmt(f, DIR_C2S, "BDAT %zu%s", n,
				    last ? " LAST" : "");
				turn_add(f, DIR_C2S, m.p + off, n);
				off += n;
				if (!last)
					line_fmt(f, DIR_S2C, sp->bdat_ok, n);
				else if (accepted)
					line_fmt(f, DIR_S2C, sp->data_ok, qid);
				else
					line_fmt(f, DIR_S2C, "%s",
					    sp->data_bad);
			}
			turn_mark_think(f);
			tot.messages_bdat++;
		}
		tot.messages_sent++;
		tot.messages_accepted += (uint64_t)accepted;
		tot.attachments += natt;
		manifest_message(f, t, mid, bdat ? "BDAT" : "DATA",
		    accepted ? "accepted" : "rejected", nrcpt, nrcpt - good,
		    m.n, att, natt);
		if (t < ntrans && rng_unit() < 0.3) {
			line_fmt(f, DIR_C2S, "RSET");
			line_fmt(f, DIR_S2C, "%s", sp->rset_ok);
		}
	}
	line_fmt(f, DIR_C2S, "QUIT");
	line_fmt(f, DIR_S2C, "%s", sp->quit);
	free(m.p);
	free(wire.p);
}

static void
turn_random(struct flow *f, int dir, size_t n)
{
	if (n > scratch_cap) {
		scratch = realloc(scratch, n);
		if (scratch == NULL)
			die("realloc");
		scratch_cap = n;
	}
	rng_fill(scratch, n);
	turn_add(f, dir, scratch, n);
}

/* TLS records of one content type with random bodies, as a TLS stream
 * looks to a dissector: valid record headers, at most 2^14 bytes each. */
static void
turn_tls(struct flow *f, int dir, uint8_t type, size_t n)
{
	struct buf b = { 0 };
	buf_reserve(&b, n + (n / 16384 + 1) * 5);
	while (n) {
		size_t r = n > 16384 ? 16384 : n;
		uint8_t h[5] = { type, 3, 3, (uint8_t)(r >> 8), (uint8_t)r };
		buf_put(&b, h, 5);
		rng_fill(b.p + b.n, r);
		b.n += r;
		n -= r;
	}
	turn_add(f, dir, b.p, b.n);
	free(b.p);
}

/* Background: a TLS-looking exchange on 443 or plain HTTP on 80. */
static void
background_script(struct flow *f)
{
	unsigned rounds = (unsigned)rng_range(1, 4);
	if (f->port[DIR_S2C] == 443) {
		turn_tls(f, DIR_C2S, 0x16, 512);
		turn_tls(f, DIR_S2C, 0x16, rng_range(2500, 6000));
		turn_tls(f, DIR_C2S, 0x16, 120);
		turn_tls(f, DIR_S2C, 0x16, 46);
		for (unsigned r = 0; r < rounds; r++) {
			turn_tls(f, DIR_C2S, 0x17, rng_range(200, 900));
			turn_tls(f, DIR_S2C, 0x17, rng_logu(500, 1.5e6));
		}
		return;
	}
	for (unsigned r = 0; r < rounds; r++) {
		size_t n = rng_logu(500, 1.5e6);
		line_fmt(f, DIR_C2S, "GET /static/%" PRIu64 "-%u.bin HTTP/1.1\r\n"
		    "Host: www.example.com\r\nUser-Agent: bench/1.0\r\n"
		    "Accept: */*\r\n", f->id, r);
		line_fmt(f, DIR_S2C, "HTTP/1.1 200 OK\r\nContent-Type: "
		    "application/octet-stream\r\nContent-Length: %zu\r\n", n);
		turn_random(f, DIR_S2C, n);
	}
}

/* ---- packets ---- */

static FILE *out;
static uint64_t now_us;

static inline void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static uint64_t
csum_add(uint64_t s, const uint8_t *p, size_t n)
{
	while (n >= 4) {
		s += (uint32_t)p[0] << 8 | p[1];
		s += (uint32_t)p[2] << 8 | p[3];
		p += 4;
		n -= 4;
	}
	while (n >= 2) {
		s += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		n -= 2;
	}
	if (n)
		s += (uint32_t)p[0] << 8;
	return s;
}

static uint16_t
csum_fold(uint64_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

enum { TH_FIN = 1, TH_SYN = 2, TH_RST = 4, TH_PSH = 8, TH_ACK = 16 };

static void
emit(struct flow *f, int dir, uint8_t flags, const uint8_t *pl, size_t n)
{
	static uint8_t pkt[16 + 14 + 40 + 24 + 1500];
	static const uint8_t mac[2][6] = {
		{ 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 },	/* client side */
		{ 0x02, 0x00, 0x5e, 0x10, 0x00, 0x02 },	/* server side */
	};
	int syn = (flags & TH_SYN) != 0;
	size_t iphl = f->v6 ? 40 : 20, thl = syn ? 24 : 20;
	size_t alen = f->v6 ? 16 : 4;
	uint8_t *e = pkt + 16, *ip = e + 14, *th = ip + iphl;
	const uint8_t *src = f->ip[dir], *dst = f->ip[!dir];

	memcpy(e, mac[!dir], 6);
	memcpy(e + 6, mac[dir], 6);
	put16(e + 12, f->v6 ? 0x86dd : 0x0800);
	if (f->v6) {
		put32(ip, 0x60000000u | (uint32_t)(f->id * 7919 & 0xfffff));
		put16(ip + 4, (uint32_t)(thl + n));
		ip[6] = 6;
		ip[7] = dir ? 56 : 64;
		memcpy(ip + 8, src, 16);
		memcpy(ip + 24, dst, 16);
	} else {
		ip[0] = 0x45;
		ip[1] = 0;
		put16(ip + 2, (uint32_t)(20 + thl + n));
		put16(ip + 4, f->ipid[dir]++);
		put16(ip + 6, 0x4000);
		ip[8] = dir ? 56 : 64;
		ip[9] = 6;
		put16(ip + 10, 0);
		memcpy(ip + 12, src, 4);
		memcpy(ip + 16, dst, 4);
		put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	}
	put16(th, f->port[dir]);
	put16(th + 2, f->port[!dir]);
	put32(th + 4, f->seq[dir]);
	put32(th + 8, (flags & TH_ACK) ? f->seq[!dir] : 0);
	th[12] = (uint8_t)((thl / 4) << 4);
	th[13] = flags;
	put16(th + 14, 64240);
	put16(th + 16, 0);
	put16(th + 18, 0);
	if (syn) {
		th[20] = 2;
		th[21] = 4;
		put16(th + 22, f->mss);
	}
	if (n)
		memcpy(th + thl, pl, n);
	uint64_t s = csum_add(0, src, alen);
	s = csum_add(s, dst, alen);
	s += 6 + (uint64_t)(thl + n);
	s = csum_add(s, th, thl + n);
	put16(th + 16, csum_fold(s));

	uint32_t len = (uint32_t)(14 + iphl + thl + n);
	uint32_t hdr[4] = { (uint32_t)(now_us / 1000000),
	    (uint32_t)(now_us % 1000000), len, len };
	memcpy(pkt, hdr, 16);
	if (fwrite(pkt, 16 + len, 1, out) != 1)
		die("write");
	tot.packets++;
	tot.bytes += 16 + len;
}

/* Plays one packet of the flow; returns 0 when the flow is over. */
static int
flow_step(struct flow *f)
{
	uint64_t delay = 0;
	switch (f->phase) {
	case PH_SYN:
		emit(f, DIR_C2S, TH_SYN, NULL, 0);
		f->seq[DIR_C2S]++;
		f->phase = PH_SYNACK;
		delay = f->rtt_us / 2;
		break;
	case PH_SYNACK:
		emit(f, DIR_S2C, TH_SYN | TH_ACK, NULL, 0);
		f->seq[DIR_S2C]++;
		f->phase = PH_ACK3;
		delay = f->rtt_us / 2;
		break;
	case PH_ACK3:
		emit(f, DIR_C2S, TH_ACK, NULL, 0);
		f->phase = PH_DATA;
		delay = rng_range(50, 2000);
		break;
	case PH_DATA: {
		if (f->need_ack >= 0) {
			emit(f, f->need_ack, TH_ACK, NULL, 0);
			f->need_ack = -1;
			f->unacked = 0;
			delay = rng_range(5, 40);
			break;
		}
		while (f->cur < f->nturns && f->turns[f->cur].len == 0)
			f->cur++;
		if (f->cur == f->nturns) {
			f->phase = PH_FIN1;
			return flow_step(f);
		}
		const struct turn *t = &f->turns[f->cur];
		size_t chunk = t->len - f->off;
		if (chunk > f->mss)
			chunk = f->mss;
		int last = f->off + chunk == t->len;
		emit(f, t->dir, TH_ACK | (last ? TH_PSH : 0),
		    f->data.p + t->off + f->off, chunk);
		f->seq[t->dir] += (uint32_t)chunk;
		f->off += chunk;
		f->unacked++;
		if (last) {
			f->cur++;
			f->off = 0;
			if (f->cur == f->nturns) {
				f->phase = PH_FIN1;
				delay = rng_range(100, 3000);
			} else if (f->turns[f->cur].dir != t->dir) {
				f->unacked = 0;	/* the answer acks it */
				delay = f->rtt_us / 2 + rng_range(30, 800);
				if (f->turns[f->cur].think)
					delay += rng_range(1000, 15000);
			} else {
				delay = rng_range(10, 60);
			}
		} else if (f->unacked >= 2) {
			f->need_ack = !t->dir;
			delay = rng_range(5, 40);
		} else {
			delay = rng_range(10, 60);
		}
		break;
	}
	case PH_FIN1:	/* the server closes after its 221 (or response) */
		emit(f, DIR_S2C, TH_FIN | TH_ACK, NULL, 0);
		f->seq[DIR_S2C]++;
		f->phase = PH_FIN2;
		delay = f->rtt_us / 2;
		break;
	case PH_FIN2:
		emit(f, DIR_C2S, TH_FIN | TH_ACK, NULL, 0);
		f->seq[DIR_C2S]++;
		f->phase = PH_LASTACK;
		delay = f->rtt_us / 2;
		break;
	case PH_LASTACK:
		emit(f, DIR_S2C, TH_ACK, NULL, 0);
		f->phase = PH_DONE;
		return 0;
	case PH_DONE:
		return 0;
	}
	f->next_us = now_us + delay;
	return 1;
}

static struct flow *
flow_new(uint64_t id, enum flow_kind kind)
{
	struct flow *f = calloc(1, sizeof(*f));
	if (f == NULL)
		die("calloc");
	f->id = id;
	f->kind = kind;
	f->v6 = rng_unit() < (kind == FLOW_SMTP ? 0.10 : 0.05);
	f->mss = f->v6 ? 1440 : 1460;
	f->rtt_us = (uint32_t)rng_logu(200, 40000);
	f->seq[0] = (uint32_t)rng_next();
	f->seq[1] = (uint32_t)rng_next();
	f->ipid[0] = (uint16_t)rng_next();
	f->ipid[1] = (uint16_t)rng_next();
	f->need_ack = -1;
	uint32_t idx = (uint32_t)(id % 4096), hi = (uint32_t)(id / 4096);
	f->port[DIR_C2S] = (uint16_t)(10000 + hi % 50000);
	f->port[DIR_S2C] = kind == FLOW_SMTP ? 25 :
	    rng_unit() < 0.7 ? 443 : 80;
	uint8_t *c = f->ip[DIR_C2S], *s = f->ip[DIR_S2C];
	if (f->v6) {
		static const uint8_t pfx[8] = { 0x20, 0x01, 0x0d, 0xb8 };
		memcpy(c, pfx, 8);
		memcpy(s, pfx, 8);
		c[5] = 0xc1;
		put16(c + 14, idx + 1);
		s[5] = kind == FLOW_SMTP ? 0x25 : 0x44;
		s[15] = (uint8_t)(10 + id % 8);
		char a[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, c, a, sizeof(a));
		snprintf(f->client_str, sizeof(f->client_str), "[%s]:%u", a,
		    f->port[DIR_C2S]);
	} else {
		c[0] = 10;
		c[1] = 16;
		c[2] = (uint8_t)(idx / 250);
		c[3] = (uint8_t)(1 + idx % 250);
		if (kind == FLOW_SMTP) {
			s[0] = 203, s[1] = 0, s[2] = 113;
			s[3] = (uint8_t)(10 + id % 8);
		} else {
			s[0] = 198, s[1] = 51, s[2] = 100;
			s[3] = (uint8_t)(1 + id % 50);
		}
		snprintf(f->client_str, sizeof(f->client_str), "%u.%u.%u.%u:%u",
		    c[0], c[1], c[2], c[3], f->port[DIR_C2S]);
	}
	if (kind == FLOW_SMTP) {
		smtp_script(f);
		tot.sessions++;
		tot.sessions_v6 += (uint64_t)f->v6;
		tot.smtp_payload[f->v6] += f->data.n;
	} else {
		background_script(f);
		tot.background++;
		tot.bg_payload += f->data.n;
	}
	return f;
}

static void
flow_free(struct flow *f)
{
	free(f->data.p);
	free(f->turns);
	free(f);
}

/* ---- a min-heap of flows by next packet time ---- */

static struct flow **heap;
static size_t nheap;

static int
heap_less(const struct flow *a, const struct flow *b)
{
	return a->next_us < b->next_us ||
	    (a->next_us == b->next_us && a->id < b->id);
}

static void
heap_push(struct flow *f)
{
	size_t i = nheap++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!heap_less(f, heap[p]))
			break;
		heap[i] = heap[p];
		i = p;
	}
	heap[i] = f;
}

static struct flow *
heap_pop(void)
{
	struct flow *top = heap[0], *last = heap[--nheap];
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		const struct flow *mf = last;
		if (l < nheap && heap_less(heap[l], mf))
			m = l, mf = heap[l];
		if (r < nheap && heap_less(heap[r], mf))
			m = r;
		if (m == i)
			break;
		heap[i] = heap[m];
		i = m;
	}
	if (nheap)
		heap[i] = last;
	return top;
}

static uint64_t
parse_size(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	switch (*end) {
	case 'k': case 'K': v *= 1e3; break;
	case 'm': case 'M': v *= 1e6; break;
	case 'g': case 'G': v *= 1e9; break;
	case '\0': break;
	default:
		fprintf(stderr, "gen_capture: bad size %s\n", s);
		exit(2);
	}
	return (uint64_t)v;
}

int
main(int argc, char **argv)
{
	const char *size_arg = "50M", *path = NULL;
	uint64_t seed = 1;
	size_t conc = 48;
	int opt;
	while ((opt = getopt(argc, argv, "s:S:c:o:")) != -1) {
		switch (opt) {
		case 's': size_arg = optarg; break;
		case 'S': seed = strtoull(optarg, NULL, 0); break;
		case 'c': conc = strtoul(optarg, NULL, 0); break;
		case 'o': path = optarg; break;
		default:
			fprintf(stderr, "usage: gen_capture [-s SIZE] [-S seed] "
			    "[-c concurrent] -o FILE.pcap\n");
			return 2;
		}
	}
	if (path == NULL || conc == 0) {
		fprintf(stderr, "gen_capture: -o FILE.pcap is required\n");
		return 2;
	}
	uint64_t target = parse_size(size_arg);
	char mpath[4096];
	size_t pl = strlen(path);
	if (pl > 5 && strcmp(path + pl - 5, ".pcap") == 0)
		pl -= 5;
	snprintf(mpath, sizeof(mpath), "%.*s.manifest.json", (int)pl, path);

	rng_seed(seed);
	if ((out = fopen(path, "wb")) == NULL)
		die(path);
	static char obuf[1 << 22];
	setvbuf(out, obuf, _IOFBF, sizeof(obuf));
	if ((manifest = fopen(mpath, "w")) == NULL)
		die(mpath);
	fprintf(manifest, "{\n \"messages\": [");

	uint32_t gh[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1 };
	if (fwrite(gh, sizeof(gh), 1, out) != 1)
		die("write");
	tot.bytes = sizeof(gh);

	heap = calloc(conc, sizeof(*heap));
	if (heap == NULL)
		die("calloc");
	now_us = 1699869600ULL * 1000000;	/* 2023-11-13 10:00 UTC */
	uint64_t next_id = 1, planned = 0, smtp_planned = 0, bg_planned = 0;
	for (;;) {
		while (nheap < conc && planned < target) {
			enum flow_kind k = bg_planned * 4 < smtp_planned ?
			    FLOW_BACKGROUND : FLOW_SMTP;
			struct flow *f = flow_new(next_id++, k);
			uint64_t est = f->data.n + (f->data.n / f->mss + 12 +
			    f->nturns) * (16 + 14 + 20 + 20 + (f->v6 ? 20 : 0));
			planned += est;
			*(k == FLOW_SMTP ? &smtp_planned : &bg_planned) += est;
			f->next_us = now_us + rng_range(0, 3000);
			heap_push(f);
		}
		if (nheap == 0)
			break;
		struct flow *f = heap_pop();
		now_us = f->next_us;
		if (flow_step(f))
			heap_push(f);
		else
			flow_free(f);
	}
	if (fflush(out) != 0 || fclose(out) != 0)
		die(path);

	uint64_t smtp = tot.smtp_payload[0] + tot.smtp_payload[1];
	fprintf(manifest, "\n ],\n"
	    " \"capture\": \"%s\", \"size\": \"%s\", \"seed\": %" PRIu64 ",\n"
	    " \"bytes\": %" PRIu64 ", \"packets\": %" PRIu64 ",\n"
	    " \"sessions\": %" PRIu64 ", \"sessions_ipv6\": %" PRIu64 ",\n"
	    " \"background_flows\": %" PRIu64 ",\n"
	    " \"transactions\": %" PRIu64 ", \"messages_sent\": %" PRIu64
	    ", \"messages_accepted\": %" PRIu64 ", \"messages_bdat\": %" PRIu64
	    ",\n \"rcpts\": %" PRIu64 ", \"rcpts_refused\": %" PRIu64
	    ", \"attachments\": %" PRIu64 ",\n"
	    " \"smtp_payload_bytes\": %" PRIu64
	    ", \"smtp_payload_bytes_ipv4\": %" PRIu64
	    ", \"smtp_payload_bytes_ipv6\": %" PRIu64
	    ", \"background_payload_bytes\": %" PRIu64 "\n}\n",
	    path, size_arg, seed, tot.bytes, tot.packets, tot.sessions,
	    tot.sessions_v6, tot.background, tot.transactions,
	    tot.messages_sent, tot.messages_accepted, tot.messages_bdat,
	    tot.rcpts, tot.rcpts_refused, tot.attachments, smtp,
	    tot.smtp_payload[0], tot.smtp_payload[1], tot.bg_payload);
	if (fclose(manifest) != 0)
		die(mpath);
	fprintf(stderr, "gen_capture: %s: %" PRIu64 " bytes, %" PRIu64
	    " packets, %" PRIu64 " SMTP sessions (%" PRIu64 " IPv6), %" PRIu64
	    " messages, %" PRIu64 " background flows (%.1f%% of payload)\n",
	    path, tot.bytes, tot.packets, tot.sessions, tot.sessions_v6,
	    tot.messages_sent, tot.background,
	    100.0 * (double)tot.bg_payload / (double)(smtp + tot.bg_payload));
	free(scratch);
	free(heap);
	return 0;
}

/* hash.c: md5/sha1/sha256. Where the CPU has the SHA extensions, md5 and
 * sha256 together (every hash asks for both), and sha1 when asked, go
 * through md5sha.c in one pass; elsewhere sha1 and sha256 go through
 * OpenSSL libcrypto's EVP interface (Debian's well-kept crypto library)
 * and md5 through md5.c. Both of ours can run two streams at once. The
 * updates go through hash_queue.c, which runs runs of two different
 * hashes side by side (hash_run_pair): a message's raw bytes and its
 * part's decoded bytes. Never reads wire data itself: bytes in, hex out.
 * With hash_threaded(1) the queue has a second thread to run on; with 0
 * it batches the runs and runs them here when its slot fills or a hash
 * finishes.
 * Waiting for it at the end of every part would make the two threads
 * take turns, so hash_finish() only reserves the members and queues the
 * hash; hash_resolve(), called before an event is read, waits once for
 * the latest and fills them all, and hash_resolve_done() fills, without
 * waiting, those the worker has finished (an event whose hash_mark() the
 * worker has passed can then be read). The results are the same either
 * way. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "hash.h"
#include "hash_queue.h"
#include "md5.h"
#include "md5sha.h"

static const char *const hash_names[3] = { "md5", "sha1", "sha256" };

struct hash {
	struct md5	 md5;
	struct md5sha	 both;		/* md5, sha256 (and sha1), one_pass */
	EVP_MD_CTX	*ctx[3];	/* [1] sha1, [2] sha256 ([0] unused) */
	int		 which;		/* the digests in use */
	int		 one_pass;	/* md5, sha256 and any sha1 in `both` */
	int		 queued;	/* runs were handed to the worker */
	uint64_t	 ticket;	/* ... the last of them */
	struct json_object *obj;	/* finished, waiting for the worker */
	struct hash	*next;		/* in the pool, or pending */
};

static int	hash_want_thread;
static int	hash_one_pass_on = -1;	/* -1: as the CPU allows */
/* Finished hashes whose digests wait for the worker, oldest first. */
static struct hash *hash_pending, *hash_pending_tail;
static uint64_t	 hash_pending_ticket;	/* the latest of their tickets: a
					 * part ends after its message's
					 * last raw bytes were queued */

/* The digests are fetched from the provider once (an implicit fetch per
 * EVP_DigestInit_ex with EVP_sha1() etc. costs a lookup every time), and
 * finished hashes keep their contexts in a small pool for the next part:
 * no allocation per part. Kept until exit (reachable, not leaked). */
#define HASH_POOL	16

static EVP_MD		*hash_mds[3];
static struct hash	*hash_pool;
static int		 hash_npool;

/* i: 1 sha1, 2 sha256 (md5 is md5.c's). */
static const EVP_MD *
hash_md(int i)
{
	static const char *const fetch_names[3] = { NULL, "SHA1", "SHA256" };

	if (hash_mds[i] == NULL)
		hash_mds[i] = EVP_MD_fetch(NULL, fetch_names[i], NULL);
	if (hash_mds[i] != NULL)
		return hash_mds[i];
	return i == 1 ? EVP_sha1() : EVP_sha256();
}

struct hash *
hash_new(int which)
{
	struct hash *h;
	int i;

	if ((h = hash_pool) != NULL) {
		hash_pool = h->next;
		hash_npool--;
		h->next = NULL;
	} else if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->which = 0;
	h->queued = 0;
	if (hash_one_pass_on == -1)
		hash_one_pass_on = md5sha_available();
	h->one_pass = hash_one_pass_on &&
	    (which & (HASH_MD5 | HASH_SHA256)) == (HASH_MD5 | HASH_SHA256);
	if (h->one_pass) {
		md5sha_init(&h->both, which & HASH_SHA1);
		h->which = which & HASH_ALL;
		return h;
	}
	if (which & HASH_MD5) {
		md5_init(&h->md5);
		h->which |= HASH_MD5;
	}
	for (i = 1; i < 3; i++) {
		if (!(which & (1 << i)))
			continue;
		if ((h->ctx[i] == NULL &&
		    (h->ctx[i] = EVP_MD_CTX_new()) == NULL) ||
		    !EVP_DigestInit_ex2(h->ctx[i], hash_md(i), NULL)) {
			hash_free(h);
			return NULL;
		}
		h->which |= 1 << i;
	}
	return h;
}

/* What libcrypto runs for h, outside the one pass: sha1 and sha256. */
static void
hash_run_evp(struct hash *h, const void *p, size_t n)
{
	if (h->one_pass)
		return;
	if (h->which & HASH_SHA256)
		EVP_DigestUpdate(h->ctx[2], p, n);
	if (h->which & HASH_SHA1)
		EVP_DigestUpdate(h->ctx[1], p, n);
}

static void
hash_run(void *target, const void *p, size_t n)
{
	struct hash *h = target;

	if (h->one_pass)
		md5sha_update(&h->both, p, n);
	else if (h->which & HASH_MD5)
		md5_update(&h->md5, p, n);
	hash_run_evp(h, p, n);
}

/* Runs of two different hashes (the queue never pairs a hash with
 * itself): their md5s, or md5s and sha256s, side by side. */
static void
hash_run_pair(void *ta, const void *pa, size_t na, void *tb, const void *pb,
    size_t nb)
{
	struct hash *a = ta, *b = tb;

	if (a->one_pass && b->one_pass && a != b)
		md5sha_update2(&a->both, pa, na, &b->both, pb, nb);
	else if (!a->one_pass && !b->one_pass &&
	    (a->which & b->which & HASH_MD5) && a != b)
		md5_update2(&a->md5, pa, na, &b->md5, pb, nb);
	else {
		hash_run(a, pa, na);
		hash_run(b, pb, nb);
		return;
	}
	hash_run_evp(a, pa, na);
	hash_run_evp(b, pb, nb);
}

void
hash_one_pass(int on)
{
	hash_one_pass_on = on ? md5sha_available() : 0;
}

void
hash_threaded(int on)
{
	hash_want_thread = on;
	if (hash_queue_running() && hash_queue_threaded() != on)
		hash_threads_stop();
}

void
hash_threads_stop(void)
{
	hash_resolve();
	hash_queue_stop();
}

void
hash_update(struct hash *h, const void *p, size_t n)
{
	if (h == NULL || n == 0)
		return;
	/* Started at the first bytes: after -Z dropped privileges. Without
	 * the thread the queue still batches runs here, so that a message's
	 * and its part's md5s run side by side. */
	if (!hash_queue_running() && hash_queue_start(hash_run, hash_run_pair,
	    hash_want_thread) == -1 && hash_want_thread) {
		hash_want_thread = 0;
		(void)hash_queue_start(hash_run, hash_run_pair, 0);
	}
	if (!hash_queue_running()) {
		hash_run(h, p, n);
		return;
	}
	h->ticket = hash_queue_put(h, p, n);
	h->queued = 1;
}

/* The worker is done with h's contexts. */
static void
hash_settle(const struct hash *h)
{
	if (h->queued)
		hash_queue_wait(h->ticket);
}

static void
hex(const unsigned char *d, unsigned int len, char *out)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		out[2 * i] = "0123456789abcdef"[d[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[d[i] & 15];
	}
	out[2 * len] = '\0';
}

/* The digests into obj's members (made by hash_finish, in their place). */
static void
hash_fill(struct hash *h, struct json_object *obj)
{
	unsigned char d[3][EVP_MAX_MD_SIZE];
	unsigned int len[3] = { MD5_BYTES, 0, SHA256_BYTES };
	char text[2 * EVP_MAX_MD_SIZE + 1];
	struct json_object *v;
	int i;

	if (h->one_pass) {
		md5sha_final(&h->both, d[0], d[1], d[2]);
		len[1] = SHA1_BYTES;
	} else if (h->which & HASH_MD5)
		md5_final(&h->md5, d[0]);
	for (i = 1; i < 3 && !h->one_pass; i++)
		if (h->which & (1 << i))
			EVP_DigestFinal_ex(h->ctx[i], d[i], &len[i]);
	for (i = 0; i < 3; i++) {
		if (!(h->which & (1 << i)))
			continue;
		hex(d[i], len[i], text);
		if (json_object_object_get_ex(obj, hash_names[i], &v))
			json_object_set_string(v, text);
	}
}

void
hash_finish(struct hash *h, struct json_object *obj)
{
	int i;

	if (h == NULL)
		return;
	/* The members now, so that they keep their place among the others. */
	for (i = 0; i < 3; i++)
		if (h->which & (1 << i))
			json_object_object_add_ex(obj, hash_names[i],
			    json_object_new_string(""),
			    JSON_C_OBJECT_ADD_CONSTANT_KEY);
	if (h->queued && !hash_queue_threaded()) {
		hash_queue_wait(h->ticket);	/* runs the batch here */
		h->queued = 0;
	}
	if (!h->queued) {
		hash_fill(h, obj);
		hash_free(h);
		return;
	}
	/* The worker may still be on it: filled by hash_resolve(). */
	h->obj = json_object_get(obj);
	h->next = NULL;
	if (hash_pending_tail != NULL)
		hash_pending_tail->next = h;
	else {
		hash_pending = h;
		hash_pending_ticket = h->ticket;
	}
	hash_pending_tail = h;
	if (h->ticket > hash_pending_ticket)
		hash_pending_ticket = h->ticket;
	hash_queue_publish();
}

/* Marks are tickets plus one, so that 0 can say "nothing to wait for". */
uint64_t
hash_mark(void)
{
	return hash_pending == NULL ? 0 : hash_pending_ticket + 1;
}

int
hash_mark_done(uint64_t mark)
{
	return mark == 0 || hash_queue_done(mark - 1);
}

void
hash_mark_wait(uint64_t mark)
{
	if (mark != 0)
		hash_queue_wait(mark - 1);
}

/* The digests of a finished hash the worker is done with, into its obj. */
static void
hash_land(struct hash *h)
{
	h->queued = 0;
	hash_fill(h, h->obj);
	json_object_put(h->obj);
	h->obj = NULL;
	hash_free(h);
}

void
hash_resolve_done(void)
{
	struct hash *h;

	while ((h = hash_pending) != NULL && hash_queue_done(h->ticket)) {
		hash_pending = h->next;
		hash_land(h);
	}
	if (hash_pending == NULL)
		hash_pending_tail = NULL;
}

void
hash_resolve(void)
{
	struct hash *h, *next;

	if (hash_pending == NULL)
		return;
	hash_queue_wait(hash_pending_ticket);
	for (h = hash_pending; h != NULL; h = next) {
		next = h->next;
		hash_land(h);
	}
	hash_pending = hash_pending_tail = NULL;
}

void
hash_free(struct hash *h)
{
	int i;

	if (h == NULL)
		return;
	hash_settle(h);
	h->queued = 0;
	if (hash_npool < HASH_POOL) {
		/* the contexts are re-initialised by the next hash_new */
		h->which = 0;
		h->next = hash_pool;
		hash_pool = h;
		hash_npool++;
		return;
	}
	for (i = 0; i < 3; i++)
		EVP_MD_CTX_free(h->ctx[i]);
	free(h);
}

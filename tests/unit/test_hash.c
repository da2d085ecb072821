/* test_hash.c: the digests are the same whether they run here or on the
 * worker thread, however the updates of several hashes interleave, cross
 * the queue's slots or fill its ring, and equal OpenSSL's one-shot
 * digests of the same bytes; known vectors anchor both. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "hash.h"
#include "hash_queue.h"
#include "test_evp_hex.h"
#include "test_rand.h"

struct digests {
	char	md5[33], sha1[41], sha256[65];
	size_t	from, to;	/* the bytes hashed: data[from, to) */
};

static void
read_digests(json_object *o, struct digests *d)
{
	json_object *v;

	memset(d, 0, sizeof(*d));
	if (json_object_object_get_ex(o, "md5", &v))
		strncpy(d->md5, json_object_get_string(v), sizeof(d->md5) - 1);
	if (json_object_object_get_ex(o, "sha1", &v))
		strncpy(d->sha1, json_object_get_string(v), sizeof(d->sha1) - 1);
	if (json_object_object_get_ex(o, "sha256", &v))
		strncpy(d->sha256, json_object_get_string(v),
		    sizeof(d->sha256) - 1);
}

static void
finish(struct hash *h, struct digests *d)
{
	json_object *o = json_object_new_object();

	hash_finish(h, o);
	hash_resolve();
	read_digests(o, d);
	json_object_put(o);
}

/* A million 'a' in pieces of 1000 (FIPS 180 and RFC 1321 vectors). */
static void
million_a(int threaded)
{
	char piece[1000];
	struct digests d;
	struct hash *h;
	int i;

	hash_threaded(threaded);
	memset(piece, 'a', sizeof(piece));
	assert_non_null(h = hash_new(HASH_ALL));
	for (i = 0; i < 1000; i++)
		hash_update(h, piece, sizeof(piece));
	finish(h, &d);
	assert_string_equal(d.md5, "7707d6ae4e027c70eea2a935c2296f21");
	assert_string_equal(d.sha1, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	assert_string_equal(d.sha256, "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0");
	hash_threads_stop();
}

static void
test_vectors_here(void **state)
{
	(void)state;
	million_a(0);
}

static void
test_vectors_on_the_worker(void **state)
{
	(void)state;
	million_a(1);
}

#define NH	5
#define DATA	(6u << 20)

/* Five hashes at once, updates of 0 to 200 KB in a random order, each
 * hash restarted (from the pool) several times; returns the digests of
 * every finished hash in order. Same seed, same sequence of calls. */
static size_t
interleaved(int threaded, const unsigned char *data, struct digests *out,
    size_t max)
{
	struct hash *h[NH];
	json_object *held[64];
	uint64_t marks[64];
	size_t pos_held[64];
	size_t pos[NH], start[NH], from[64], nout = 0, nheld = 0, step;
	int i, k;

	hash_threaded(threaded);
	rng = 0x9e3779b97f4a7c15ULL;
	for (i = 0; i < NH; i++) {
		assert_non_null(h[i] = hash_new(i == 0 ? HASH_MD5 | HASH_SHA256
		    : HASH_ALL));
		pos[i] = start[i] = 0;
	}
	for (step = 0; step < 3000; step++) {
		size_t n;

		i = (int)(next_rand() % NH);
		n = next_rand() % 4 == 0 ? next_rand() % (200u << 10)
		    : next_rand() % 3000;
		if (pos[i] + n > DATA)
			n = DATA - pos[i];
		hash_update(h[i], data + pos[i], n);
		pos[i] += n;
		if (next_rand() % 50 == 0 || pos[i] == DATA) {
			/* finished now, read later: the worker may still
			 * be on it, and on hashes queued after it */
			assert_true(nheld < 64);
			held[nheld] = json_object_new_object();
			from[nheld] = start[i];
			hash_finish(h[i], held[nheld]);
			marks[nheld] = hash_mark();
			pos_held[nheld++] = pos[i];
			assert_non_null(h[i] = hash_new(HASH_ALL));
			pos[i] = start[i] = next_rand() % 4096;
		}
		if (nheld > 0 && (next_rand() % 8 == 0 || nheld == 64)) {
			size_t p = nheld;

			if (next_rand() % 2 == 0) {
				/* the oldest few, as output.c drains: wait for
				 * the last one's mark only, fill what is done */
				p = 1 + next_rand() % nheld;
				hash_mark_wait(marks[p - 1]);
				hash_resolve_done();
			} else
				hash_resolve();
			for (k = 0; k < (int)p; k++) {
				assert_true(nout < max);
				read_digests(held[k], &out[nout]);
				out[nout].from = from[k];
				out[nout++].to = pos_held[k];
				json_object_put(held[k]);
			}
			for (k = (int)p; k < (int)nheld; k++) {
				held[k - p] = held[k];
				marks[k - p] = marks[k];
				from[k - p] = from[k];
				pos_held[k - p] = pos_held[k];
			}
			nheld -= p;
		}
		if (next_rand() % 500 == 0) {	/* dropped unfinished */
			hash_free(h[i]);
			assert_non_null(h[i] = hash_new(HASH_ALL));
			start[i] = pos[i];
		}
	}
	hash_threads_stop();	/* resolves what is held */
	for (k = 0; k < (int)nheld; k++) {
		assert_true(nout < max);
		read_digests(held[k], &out[nout]);
		out[nout].from = from[k];
		out[nout++].to = pos_held[k];
		json_object_put(held[k]);
	}
	for (k = 0; k < NH; k++) {
		assert_true(nout < max);
		finish(h[k], &out[nout]);
		out[nout].from = start[k];
		out[nout++].to = pos[k];
	}
	return nout;
}

static void
assert_digests_of(const struct digests *got, const unsigned char *data)
{
	char want[2 * EVP_MAX_MD_SIZE + 1];
	const unsigned char *p = data + got->from;
	size_t n = got->to - got->from;

	evp_hex(EVP_md5(), p, n, want);
	assert_string_equal(got->md5, want);
	evp_hex(EVP_sha256(), p, n, want);
	assert_string_equal(got->sha256, want);
	if (got->sha1[0] != '\0') {
		evp_hex(EVP_sha1(), p, n, want);
		assert_string_equal(got->sha1, want);
	}
}

/* The same digests here and on the worker, and OpenSSL's of the same
 * bytes. */
static void
check_interleaved(const unsigned char *data, const struct digests *here,
    const struct digests *there, size_t n1, size_t n2)
{
	size_t i, md5_sha256_only = 0;

	assert_int_equal(n1, n2);
	assert_true(n1 > 20);
	for (i = 0; i < n1; i++) {
		assert_string_equal(here[i].md5, there[i].md5);
		assert_string_equal(here[i].sha1, there[i].sha1);
		assert_string_equal(here[i].sha256, there[i].sha256);
		assert_int_equal(strlen(there[i].md5), 32);
		assert_digests_of(&there[i], data);
		md5_sha256_only += there[i].sha1[0] == '\0';
	}
	assert_int_equal(md5_sha256_only, 1);	/* h[0]'s first life */
}

/* Both ways of running the digests: in one pass (md5sha.c, where the
 * CPU allows it) and apart. */
static void
test_worker_equals_here(void **state)
{
	static struct digests here[400], there[400];
	unsigned char *data = malloc(DATA);
	size_t i, n1, n2;

	(void)state;
	assert_non_null(data);
	rng = 42;
	for (i = 0; i < DATA; i++)
		data[i] = (unsigned char)next_rand();
	n1 = interleaved(0, data, here, 400);
	n2 = interleaved(1, data, there, 400);
	check_interleaved(data, here, there, n1, n2);
	hash_one_pass(0);	/* md5.c and libcrypto's sha256, on any CPU */
	n1 = interleaved(0, data, here, 400);
	n2 = interleaved(1, data, there, 400);
	hash_one_pass(1);
	check_interleaved(data, here, there, n1, n2);
	free(data);
}

/* More than the ring holds (1 MB) in one update, then at once. */
static void
test_ring_overflow_waits(void **state)
{
	size_t n = 9u << 20;
	unsigned char *data = calloc(1, n);
	struct digests a, b;
	struct hash *h;

	(void)state;
	assert_non_null(data);
	hash_threaded(1);
	assert_non_null(h = hash_new(HASH_ALL));
	hash_update(h, data, n);
	finish(h, &a);
	hash_threaded(0);
	assert_non_null(h = hash_new(HASH_ALL));
	hash_update(h, data, n);
	finish(h, &b);
	assert_string_equal(a.sha256, b.sha256);
	assert_string_equal(a.md5, b.md5);
	free(data);
}

/* A message's hash finishes after its last part's, but its last bytes
 * were queued before them: resolving waits for the latest ticket of all,
 * not for the last hash finished. */
static void
test_finished_last_queued_first(void **state)
{
	size_t n = 3u << 20;
	unsigned char *data = malloc(n);
	json_object *oa = json_object_new_object();
	json_object *ob = json_object_new_object();
	struct hash *a, *b;
	struct digests da, db, want;
	size_t i;

	(void)state;
	assert_non_null(data);
	for (i = 0; i < n; i++)
		data[i] = (unsigned char)(i * 7 + (i >> 9));
	hash_threaded(0);
	assert_non_null(a = hash_new(HASH_ALL));
	hash_update(a, data, n);
	finish(a, &want);
	hash_threaded(1);
	assert_non_null(b = hash_new(HASH_ALL));	/* the message */
	assert_non_null(a = hash_new(HASH_ALL));	/* its part */
	hash_update(b, "x", 1);
	hash_update(a, data, n);
	hash_finish(a, oa);
	hash_finish(b, ob);
	hash_resolve();
	read_digests(oa, &da);
	read_digests(ob, &db);
	assert_string_equal(da.sha256, want.sha256);
	assert_string_equal(da.md5, want.md5);
	assert_string_equal(db.md5, "9dd4e461268c8034f5c8564e155c67a6");
	hash_threads_stop();
	json_object_put(oa);
	json_object_put(ob);
	free(data);
}

/* The CPUs counted are those the process may use: one after its
 * affinity is cut to one, whatever the machine has. */
static void
test_cpus_follow_affinity(void **state)
{
	cpu_set_t all, one;
	int cpu;

	(void)state;
	assert_int_equal(sched_getaffinity(0, sizeof(all), &all), 0);
	assert_int_equal(hash_queue_cpus(), CPU_COUNT(&all));
	for (cpu = 0; !CPU_ISSET(cpu, &all); cpu++)
		;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
	assert_int_equal(hash_queue_cpus(), 1);
	assert_int_equal(sched_setaffinity(0, sizeof(all), &all), 0);
	assert_int_equal(hash_queue_cpus(), CPU_COUNT(&all));
}

/* The threads of this process named `name` (/proc/self/task/TID/comm). */
static int
threads_named(const char *name)
{
	char path[300], comm[32];
	struct dirent *de;
	DIR *d = opendir("/proc/self/task");
	FILE *f;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
		    de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;	/* the thread just ended */
		if (fgets(comm, sizeof(comm), f) != NULL) {
			comm[strcspn(comm, "\n")] = '\0';
			n += strcmp(comm, name) == 0;
		}
		fclose(f);
	}
	closedir(d);
	return n;
}

/* The worker carries its name while it runs, and is gone once stopped:
 * an operator's `top -H` tells the digests' share from the analysis'. */
static void
test_worker_is_named(void **state)
{
	struct hash *h;
	struct digests d;

	(void)state;
	assert_int_equal(threads_named(HASH_QUEUE_THREAD_NAME), 0);
	hash_threaded(1);
	assert_non_null(h = hash_new(HASH_ALL));
	hash_update(h, "abc", 3);	/* starts the worker */
	finish(h, &d);
	assert_string_equal(d.md5, "900150983cd24fb0d6963f7d28e17f72");
	assert_int_equal(threads_named(HASH_QUEUE_THREAD_NAME), 1);
	hash_threads_stop();
	assert_int_equal(threads_named(HASH_QUEUE_THREAD_NAME), 0);
}

/* Many short runs of five hashes, of a few equal lengths, so that both
 * of the worker's lanes often run dry at once and refill from a slot
 * where each hash's runs lie scattered: every hash must still see its
 * own bytes in order (OpenSSL's digests of them), on the worker and here. */
static void
test_lanes_keep_each_order(void **state)
{
	enum { LT = 5, PER = 300000 };
	static const size_t sizes[] = { 64, 64, 100, 37, 64, 4096 };
	unsigned char *data = malloc((size_t)LT * PER);
	json_object *o[LT];
	struct digests d;
	struct hash *h[LT];
	size_t pos[LT], i, n;
	int t, threaded, step;

	(void)state;
	assert_non_null(data);
	for (i = 0; i < (size_t)LT * PER; i++)
		data[i] = (unsigned char)next_rand();
	for (threaded = 1; threaded >= 0; threaded--) {
		hash_threaded(threaded);
		for (t = 0; t < LT; t++) {
			assert_non_null(h[t] = hash_new(HASH_ALL));
			pos[t] = 0;
		}
		for (step = 0; step < 20000; step++) {
			/* runs of one hash in a row now and then */
			t = step % 7 < 2 ? step % LT : (int)(next_rand() % LT);
			n = sizes[next_rand() % (sizeof(sizes) /
			    sizeof(sizes[0]))];
			if (pos[t] + n > PER)
				continue;
			hash_update(h[t], data + (size_t)t * PER + pos[t], n);
			pos[t] += n;
		}
		for (t = 0; t < LT; t++) {
			o[t] = json_object_new_object();
			hash_finish(h[t], o[t]);
		}
		hash_resolve();
		for (t = 0; t < LT; t++) {
			read_digests(o[t], &d);
			d.from = (size_t)t * PER;
			d.to = d.from + pos[t];
			assert_true(pos[t] > 100000);
			assert_digests_of(&d, data);
			json_object_put(o[t]);
		}
		hash_threads_stop();
	}
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_here),
		cmocka_unit_test(test_cpus_follow_affinity),
		cmocka_unit_test(test_vectors_on_the_worker),
		cmocka_unit_test(test_worker_equals_here),
		cmocka_unit_test(test_lanes_keep_each_order),
		cmocka_unit_test(test_ring_overflow_waits),
		cmocka_unit_test(test_finished_last_queued_first),
		cmocka_unit_test(test_worker_is_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* hash.h: md5, sha1 and sha256 over a byte stream at once, the three
 * digests Suricata and other tools log for files. */
#ifndef SMTPSCOPE_HASH_H
#define SMTPSCOPE_HASH_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

struct hash;

/* which: HASH_MD5 | HASH_SHA1 | HASH_SHA256. NULL on out-of-memory. */
#define HASH_MD5	1
#define HASH_SHA1	2
#define HASH_SHA256	4
#define HASH_ALL	7

/* 1: run the digests on a second thread (started at the first bytes, if
 * it can be; else they run here). 0: here, and stop the thread. */
void		 hash_threaded(int on);
/* Waits for every queued run and stops the thread (at exit). */
void		 hash_threads_stop(void);

/* 0: md5.c and libcrypto's sha1 and sha256 even where md5sha.c could
 * run them in one pass (for the tests of both paths); 1: as the CPU allows.
 * Applies to the hashes made after it. */
void		 hash_one_pass(int on);

struct hash	*hash_new(int which);
void		 hash_update(struct hash *, const void *, size_t);
/* Adds "md5", "sha1", "sha256" (lower-case hex) to obj and frees h. With
 * the thread the members hold "" until hash_resolve(): obj must not be
 * read before (it is kept alive until then). */
void		 hash_finish(struct hash *, struct json_object *obj);
/* Fills every finished hash's members (waits for the thread if needed). */
void		 hash_resolve(void);
/* What an event built now waits for: once hash_mark_done(mark), every
 * hash finished so far has its digests in after hash_resolve_done(). 0:
 * nothing (done at once). The hashes finish in order of their marks. */
uint64_t	 hash_mark(void);
int		 hash_mark_done(uint64_t mark);
void		 hash_mark_wait(uint64_t mark);
/* Fills, oldest first, the finished hashes the worker is done with;
 * never waits. */
void		 hash_resolve_done(void);
void		 hash_free(struct hash *);

#endif

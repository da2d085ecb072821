/* hash_queue.c: a ring of slots between the analysis thread (the only
 * producer) and one worker thread. A slot holds records, each a target
 * and its bytes; consecutive runs for the same target grow one record,
 * so a message's chunks and a part's decoded blocks cost one call each
 * on the worker, not one per put. Memory is fixed (NSLOTS x SLOT_BYTES);
 * a full ring makes the producer wait, never grow.
 *
 * head (slots published) and tail (slots consumed) are atomics: each side
 * spins a moment before it sleeps, and takes the mutex only to sleep or
 * to wake a sleeper (flags `idle` and `waiting`). Context switches are
 * what this costs most on a virtual machine, so they are the exception.
 * No lost wake-up: the sleeper sets its flag, then checks the condition;
 * the other side changes the state, then checks the flag (all seq_cst),
 * and signals under the mutex the sleeper holds until it waits.
 *
 * Consecutive records of a slot go to run_pair two at a time (md5, or
 * md5 and sha256, run two streams side by side). Without a thread (threaded 0) the queue is
 * one slot that publish() runs at once on the caller's thread: the runs
 * are still batched and paired. */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash_queue.h"

#define SLOT_BYTES	(64u << 10)
#define NSLOTS		16u		/* 1 MB in all */
#define REC_ALIGN	sizeof(void *)
#define EAGER_BYTES	(8u << 10)	/* handed over early to an idle worker */
#define SPINS		4000		/* about 20 to 100 us before sleeping */

struct record {
	void	*target;
	size_t	 n;			/* bytes following the header */
};

struct slot {
	size_t		 used;
	unsigned char	 buf[SLOT_BYTES];
};

/* Fields are grouped by the thread that writes them, each group on its
 * own cache line: a line the worker writes (tail, idle) while the
 * producer writes another field of it (the open record, at every put)
 * would go back and forth between the cores at every access. */
#define CACHE_LINE	64

static struct {
	/* set at start, read by both */
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 work;		/* a slot was published, or stop */
	pthread_cond_t	 done;		/* a slot was consumed */
	struct slot	*slots;
	hash_queue_run	 run;
	hash_queue_run_pair run_pair;
	unsigned	 nslots;	/* NSLOTS, or 1 inline */
	int		 spins;		/* SPINS; 0 when both share one CPU */
	atomic_int	 stopping;
	/* written by the producer */
	_Alignas(CACHE_LINE) _Atomic uint64_t head;	/* slots published */
	atomic_int	 waiting;	/* the producer sleeps, or is about to */
	/* written by the worker */
	_Alignas(CACHE_LINE) _Atomic uint64_t tail;	/* slots consumed */
	atomic_int	 idle;		/* the worker sleeps, or is about to */
	/* the producer's alone */
	_Alignas(CACHE_LINE) int running;
	int		 inline_run;	/* no thread: publish() runs the slot */
	int		 open;		/* slots[head % nslots] is ours */
	struct record	*last;		/* the open slot's last record */
} q = { .mu = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER,
	.done = PTHREAD_COND_INITIALIZER };

static void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/* Spins, then sleeps on cond with *flag set, until ready() holds. */
static void
await(int (*ready)(uint64_t), uint64_t arg, atomic_int *flag,
    pthread_cond_t *cond)
{
	int i;

	for (i = 0; i < q.spins; i++) {
		if (ready(arg))
			return;
		cpu_relax();
	}
	pthread_mutex_lock(&q.mu);
	atomic_store(flag, 1);
	while (!ready(arg))
		pthread_cond_wait(cond, &q.mu);
	atomic_store(flag, 0);
	pthread_mutex_unlock(&q.mu);
}

/* Wakes the other side if it sleeps (after the state it waits on moved). */
static void
wake(atomic_int *flag, pthread_cond_t *cond)
{
	if (atomic_load(flag)) {
		pthread_mutex_lock(&q.mu);
		pthread_cond_signal(cond);
		pthread_mutex_unlock(&q.mu);
	}
}

static int
work_ready(uint64_t tail)
{
	return atomic_load(&q.head) != tail || atomic_load(&q.stopping);
}

static int
room_ready(uint64_t head)
{
	return head - atomic_load(&q.tail) < q.nslots;
}

static int
ticket_done(uint64_t ticket)
{
	return atomic_load(&q.tail) > ticket;
}

static struct record *
record_at(struct slot *s, size_t off)
{
	return off < s->used ? (struct record *)(void *)(s->buf + off) : NULL;
}

static size_t
record_next(size_t off, const struct record *r)
{
	off += sizeof(*r) + r->n;
	return (off + REC_ALIGN - 1) & ~(REC_ALIGN - 1);
}

/* Runs the slot's records in order, two at a time where they can be
 * paired (consecutive records never share a target: a run for the same
 * target grows the last record). */
static void
slot_consume(struct slot *s)
{
	size_t off = 0;
	struct record *r, *r2;

	while ((r = record_at(s, off)) != NULL) {
		off = record_next(off, r);
		if (q.run_pair != NULL && (r2 = record_at(s, off)) != NULL) {
			off = record_next(off, r2);
			q.run_pair(r->target, r + 1, r->n, r2->target, r2 + 1,
			    r2->n);
		} else
			q.run(r->target, r + 1, r->n);
	}
}

static void *
worker(void *arg)
{
	uint64_t tail = atomic_load(&q.tail);

	(void)arg;
	/* Named, so that `top -H` and perf tell its share from the
	 * analysis thread's (which of the two is saturated). */
	pthread_setname_np(pthread_self(), HASH_QUEUE_THREAD_NAME);
	for (;;) {
		await(work_ready, tail, &q.idle, &q.work);
		if (atomic_load(&q.head) == tail)
			break;			/* stopping, and all done */
		slot_consume(&q.slots[tail % q.nslots]);
		atomic_store(&q.tail, ++tail);
		wake(&q.waiting, &q.done);
	}
	return NULL;
}

int
hash_queue_start(hash_queue_run run, hash_queue_run_pair run_pair,
    int threaded)
{
	sigset_t all, old;
	int err;

	if (q.running)
		return 0;
	q.nslots = threaded ? NSLOTS : 1;
	if ((q.slots = malloc(q.nslots * sizeof(*q.slots))) == NULL)
		return -1;
	q.run = run;
	q.run_pair = run_pair;
	/* Spinning for the other thread on the only CPU we may use keeps
	 * it from running: sleep at once there. */
	q.spins = hash_queue_cpus() > 1 ? SPINS : 0;
	atomic_store(&q.stopping, 0);
	q.open = 0;
	q.last = NULL;
	q.inline_run = !threaded;
	if (!threaded) {
		q.running = 1;
		return 0;
	}
	/* Signals (INT, TERM, USR1, HUP) belong to the main loop. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&q.thread, NULL, worker, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err != 0) {
		free(q.slots);
		q.slots = NULL;
		return -1;
	}
	q.running = 1;
	return 0;
}

int
hash_queue_cpus(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

int
hash_queue_running(void)
{
	return q.running;
}

int
hash_queue_threaded(void)
{
	return q.running && !q.inline_run;
}

/* Hands the open slot to the worker, or runs it here without one. */
static void
publish(void)
{
	if (q.inline_run) {
		slot_consume(&q.slots[atomic_load(&q.head) % q.nslots]);
		atomic_store(&q.tail, atomic_load(&q.tail) + 1);
	}
	atomic_store(&q.head, atomic_load(&q.head) + 1);
	wake(&q.idle, &q.work);
	q.open = 0;
	q.last = NULL;
}

/* Makes slots[head % NSLOTS] ours, waiting for the worker if the ring is
 * full. The worker reads only slots below head: no lock after this. */
static struct slot *
open_slot(void)
{
	uint64_t head = atomic_load(&q.head);
	struct slot *s = &q.slots[head % q.nslots];

	if (!q.open) {
		await(room_ready, head, &q.waiting, &q.done);
		s->used = 0;
		q.open = 1;
	}
	return s;
}

uint64_t
hash_queue_put(void *target, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t ticket = atomic_load(&q.head);

	while (n > 0) {
		struct slot *s = open_slot();
		size_t room, take;

		if (q.last == NULL || q.last->target != target) {
			s->used = (s->used + REC_ALIGN - 1) & ~(REC_ALIGN - 1);
			if (s->used + sizeof(struct record) >= SLOT_BYTES) {
				publish();
				continue;
			}
			q.last = (struct record *)(void *)(s->buf + s->used);
			q.last->target = target;
			q.last->n = 0;
			s->used += sizeof(struct record);
		}
		room = SLOT_BYTES - s->used;
		take = n < room ? n : room;
		memcpy(s->buf + s->used, b, take);
		s->used += take;
		q.last->n += take;
		b += take;
		n -= take;
		ticket = atomic_load(&q.head);
		/* A full slot goes; so does a part of one when the worker has
		 * nothing to do: it then keeps pace instead of starting on a
		 * message only when the message ends. */
		if (s->used == SLOT_BYTES || (!q.inline_run &&
		    s->used >= EAGER_BYTES && atomic_load_explicit(&q.tail,
		    memory_order_relaxed) == ticket))
			publish();
	}
	return ticket;
}

void
hash_queue_publish(void)
{
	if (q.running && q.open &&
	    q.slots[atomic_load(&q.head) % q.nslots].used > 0)
		publish();
}

int
hash_queue_done(uint64_t ticket)
{
	return !q.running || ticket_done(ticket);
}

void
hash_queue_wait(uint64_t ticket)
{
	if (!q.running)
		return;
	if (q.open && ticket >= atomic_load(&q.head))
		publish();
	if (ticket >= atomic_load(&q.head))
		return;			/* never published: nothing to wait for */
	await(ticket_done, ticket, &q.waiting, &q.done);
}

void
hash_queue_stop(void)
{
	if (!q.running)
		return;
	if (q.open)
		publish();
	if (!q.inline_run) {
		atomic_store(&q.stopping, 1);
		pthread_mutex_lock(&q.mu);
		pthread_cond_signal(&q.work);
		pthread_mutex_unlock(&q.mu);
		pthread_join(q.thread, NULL);
	}
	free(q.slots);
	q.slots = NULL;
	q.running = 0;
}

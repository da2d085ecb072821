/* hash_queue.c: a ring of slots between the analysis thread (the only
 * producer) and one worker thread. A slot holds records, each a target
 * and its bytes; consecutive runs for the same target grow one record,
 * so a message's chunks and a part's decoded blocks cost one call each
 * on the worker, not one per put. The producer fills the open slot
 * without locking and takes the mutex only to publish it or wait for a
 * free one: once per SLOT_BYTES at most. Memory is fixed (NSLOTS x
 * SLOT_BYTES); a full ring makes the producer wait, never grow. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "hash_queue.h"

#define SLOT_BYTES	(64u << 10)
#define NSLOTS		64u		/* 4 MB in all */
#define REC_ALIGN	sizeof(void *)
#define EAGER_BYTES	(8u << 10)	/* handed over early to an idle worker */

struct record {
	void	*target;
	size_t	 n;			/* bytes following the header */
};

struct slot {
	size_t		 used;
	unsigned char	 buf[SLOT_BYTES];
};

static struct {
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 work;		/* a slot was published, or stop */
	pthread_cond_t	 done;		/* a slot was consumed */
	struct slot	*slots;
	hash_queue_run	 run;
	uint64_t	 head;		/* slots published (mu) */
	uint64_t	 tail;		/* slots consumed (mu) */
	int		 stopping;	/* (mu) */
	atomic_int	 idle;		/* the worker waits for a slot */
	int		 running;	/* producer side only from here on */
	int		 open;		/* slots[head % NSLOTS] is ours */
	struct record	*last;		/* the open slot's last record */
} q = { .mu = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER,
	.done = PTHREAD_COND_INITIALIZER };

static void
slot_consume(struct slot *s)
{
	size_t off = 0;

	while (off < s->used) {
		struct record *r = (struct record *)(void *)(s->buf + off);

		q.run(r->target, r + 1, r->n);
		off += sizeof(*r) + r->n;
		off = (off + REC_ALIGN - 1) & ~(REC_ALIGN - 1);
	}
}

static void *
worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&q.mu);
	for (;;) {
		while (q.tail == q.head && !q.stopping) {
			atomic_store_explicit(&q.idle, 1, memory_order_relaxed);
			pthread_cond_wait(&q.work, &q.mu);
			atomic_store_explicit(&q.idle, 0, memory_order_relaxed);
		}
		if (q.tail == q.head)
			break;
		pthread_mutex_unlock(&q.mu);
		slot_consume(&q.slots[q.tail % NSLOTS]);
		pthread_mutex_lock(&q.mu);
		q.tail++;
		pthread_cond_broadcast(&q.done);
	}
	pthread_mutex_unlock(&q.mu);
	return NULL;
}

int
hash_queue_start(hash_queue_run run)
{
	sigset_t all, old;
	int err;

	if (q.running)
		return 0;
	if ((q.slots = malloc(NSLOTS * sizeof(*q.slots))) == NULL)
		return -1;
	q.run = run;
	q.stopping = q.open = 0;
	q.last = NULL;
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
hash_queue_running(void)
{
	return q.running;
}

/* Hands the open slot to the worker. */
static void
publish(void)
{
	pthread_mutex_lock(&q.mu);
	q.head++;
	pthread_cond_signal(&q.work);
	pthread_mutex_unlock(&q.mu);
	q.open = 0;
	q.last = NULL;
}

/* Makes slots[head % NSLOTS] ours, waiting for the worker if the ring is
 * full. The worker reads only slots below head, so no lock after this. */
static struct slot *
open_slot(void)
{
	struct slot *s = &q.slots[q.head % NSLOTS];

	if (!q.open) {
		pthread_mutex_lock(&q.mu);
		while (q.head - q.tail >= NSLOTS)
			pthread_cond_wait(&q.done, &q.mu);
		pthread_mutex_unlock(&q.mu);
		s->used = 0;
		q.open = 1;
	}
	return s;
}

uint64_t
hash_queue_put(void *target, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t ticket = q.head;

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
		ticket = q.head;
		/* A full slot goes; so does a part of one when the worker has
		 * nothing to do: it then keeps pace instead of starting on a
		 * message only when the message ends. */
		if (s->used == SLOT_BYTES || (s->used >= EAGER_BYTES &&
		    atomic_load_explicit(&q.idle, memory_order_relaxed)))
			publish();
	}
	return ticket;
}

void
hash_queue_publish(void)
{
	if (q.running && q.open && q.slots[q.head % NSLOTS].used > 0)
		publish();
}

void
hash_queue_wait(uint64_t ticket)
{
	if (!q.running)
		return;
	if (q.open && ticket >= q.head)
		publish();
	pthread_mutex_lock(&q.mu);
	while (q.tail <= ticket && q.tail < q.head)
		pthread_cond_wait(&q.done, &q.mu);
	pthread_mutex_unlock(&q.mu);
}

void
hash_queue_stop(void)
{
	if (!q.running)
		return;
	if (q.open)
		publish();
	pthread_mutex_lock(&q.mu);
	q.stopping = 1;
	pthread_cond_signal(&q.work);
	pthread_mutex_unlock(&q.mu);
	pthread_join(q.thread, NULL);
	free(q.slots);
	q.slots = NULL;
	q.running = 0;
}

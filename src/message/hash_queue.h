/* hash_queue.h: hands byte runs to a second thread, in order, so that the
 * digests (the single largest cost of message analysis) run beside the
 * parsing instead of after it. Generic: the queue knows targets only as
 * pointers and calls back `run(target, bytes, n)` on its thread, in the
 * order the runs were put. Used by hash.c alone (and main.c, for
 * hash_queue_cpus()); one producer thread. */
#ifndef SMTPSCOPE_HASH_QUEUE_H
#define SMTPSCOPE_HASH_QUEUE_H

#include <stddef.h>
#include <stdint.h>

typedef void	(*hash_queue_run)(void *target, const void *p, size_t n);
/* Two consecutive runs of different targets at once, as if run(a) then
 * run(b): a worker may interleave independent work (md5.c, md5sha.c). */
typedef void	(*hash_queue_run_pair)(void *a, const void *pa, size_t na,
		    void *b, const void *pb, size_t nb);

/* The worker's name, as `top -H`, ps -L and /proc/PID/task/TID/comm show
 * it (at most 15 characters). */
#define HASH_QUEUE_THREAD_NAME	"smtpscope-hash"

/* Starts the thread (signals blocked in it). -1 if it cannot: the caller
 * then runs the work itself. run_pair may be NULL. threaded 0: no
 * thread, the runs are batched in one slot and run on this thread when
 * it fills or is waited for (so that they can still be paired). */
int	hash_queue_start(hash_queue_run run, hash_queue_run_pair run_pair,
	    int threaded);
int	hash_queue_running(void);
/* The CPUs this process may run on (its affinity: taskset, a cpuset),
 * not those the machine has. */
int	hash_queue_cpus(void);
/* Running, with a thread. */
int	hash_queue_threaded(void);
/* Copies the run in (blocks while the queue is full) and returns a
 * ticket: once hash_queue_wait(ticket) returns, `run` has seen it. */
uint64_t hash_queue_put(void *target, const void *p, size_t n);
void	hash_queue_wait(uint64_t ticket);
/* 1 when hash_queue_wait(ticket) would not wait (published tickets). */
int	hash_queue_done(uint64_t ticket);
/* Hands over what was put so far without waiting (the worker may start). */
void	hash_queue_publish(void);
/* Waits for everything put, stops and joins the thread. */
void	hash_queue_stop(void);

#endif

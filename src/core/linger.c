/* linger.c — lingering close: half-close, drain, close (see linger.h). */
#include "linger.h"

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct lingering {
	int fd;
	long deadline_ms;
	size_t drained;
};

struct linger_set {
	pthread_t thread;
	pthread_mutex_t mu;
	int wake[2];                 /* a pipe: a new socket, or stop */
	int stopping;
	struct lingering s[LINGER_MAX_SOCKETS];
	int n;
};

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Reads what is there; 1 when the socket is done (EOF, error, limit). */
static int drain(struct lingering *g)
{
	char buf[16384];
	ssize_t k = recv(g->fd, buf, sizeof buf, MSG_DONTWAIT);
	if (k > 0) {
		g->drained += (size_t)k;
		return g->drained > LINGER_MAX_BYTES;
	}
	return 1; /* 0 = EOF; -1 with EAGAIN is not reached after POLLIN */
}

/* One poll round over the lingering sockets; drops the finished ones. */
static void round_once(struct linger_set *l)
{
	struct pollfd p[LINGER_MAX_SOCKETS + 1];
	struct lingering copy[LINGER_MAX_SOCKETS];
	pthread_mutex_lock(&l->mu);
	int n = l->n;
	for (int i = 0; i < n; i++)
		copy[i] = l->s[i];
	pthread_mutex_unlock(&l->mu);
	p[0] = (struct pollfd){ .fd = l->wake[0], .events = POLLIN };
	for (int i = 0; i < n; i++)
		p[i + 1] = (struct pollfd){ .fd = copy[i].fd, .events = POLLIN };
	poll(p, (nfds_t)n + 1, 200);
	if (p[0].revents & POLLIN) {
		char b[64];
		(void)!read(l->wake[0], b, sizeof b);
	}
	/* Only this thread removes or closes sockets; others only append. */
	long now = now_ms();
	int keep = 0;
	for (int i = 0; i < n; i++) {
		struct lingering *g = &copy[i];
		int ready = p[i + 1].revents & (POLLIN | POLLHUP | POLLERR);
		if (now >= g->deadline_ms || (ready && drain(g)))
			close(g->fd);
		else
			copy[keep++] = *g;
	}
	pthread_mutex_lock(&l->mu);
	for (int i = n; i < l->n; i++) /* added while we polled */
		copy[keep++] = l->s[i];
	for (int i = 0; i < keep; i++)
		l->s[i] = copy[i];
	l->n = keep;
	pthread_mutex_unlock(&l->mu);
}

static void *run(void *arg)
{
	struct linger_set *l = arg;
	for (;;) {
		pthread_mutex_lock(&l->mu);
		int stop = l->stopping;
		pthread_mutex_unlock(&l->mu);
		if (stop)
			return NULL;
		round_once(l);
	}
}

struct linger_set *linger_start(void)
{
	struct linger_set *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	if (pipe(l->wake) != 0) {
		free(l);
		return NULL;
	}
	pthread_mutex_init(&l->mu, NULL);
	if (pthread_create(&l->thread, NULL, run, l) != 0) {
		close(l->wake[0]);
		close(l->wake[1]);
		pthread_mutex_destroy(&l->mu);
		free(l);
		return NULL;
	}
	return l;
}

void linger_add(struct linger_set *l, int fd)
{
	shutdown(fd, SHUT_WR); /* the answer is complete: FIN after it */
	pthread_mutex_lock(&l->mu);
	if (l->stopping || l->n >= LINGER_MAX_SOCKETS) {
		pthread_mutex_unlock(&l->mu);
		close(fd);
		return;
	}
	l->s[l->n++] = (struct lingering){ .fd = fd, .deadline_ms = now_ms() + LINGER_SECONDS * 1000 };
	pthread_mutex_unlock(&l->mu);
	(void)!write(l->wake[1], "", 1);
}

void linger_stop(struct linger_set *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	l->stopping = 1;
	pthread_mutex_unlock(&l->mu);
	(void)!write(l->wake[1], "", 1);
	pthread_join(l->thread, NULL);
	for (int i = 0; i < l->n; i++)
		close(l->s[i].fd);
	close(l->wake[0]);
	close(l->wake[1]);
	pthread_mutex_destroy(&l->mu);
	free(l);
}

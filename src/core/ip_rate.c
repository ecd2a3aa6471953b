/* ip_rate.c — per-address request rates (ip_rate.h): a fixed table of
 * slots keyed by a hash of kind and address, each with the seconds of its
 * last requests in a ring. */
#include "ip_rate.h"

#include <pthread.h>
#include <string.h>

#define SLOTS 4096
#define RING 64 /* the most per_minute can be */

struct slot {
	uint64_t key;
	int64_t at[RING]; /* seconds of the last requests, a ring */
	int next;
};

static struct slot slots[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static uint64_t hash(const char *kind, const char *ip)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (const char *s = kind; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	h = (h ^ '|') * 1099511628211ull;
	for (const char *s = ip ? ip : ""; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h | 1; /* 0 marks a free slot */
}

int ip_rate_admit(const char *kind, const char *ip, int per_minute, int64_t now)
{
	uint64_t k = hash(kind, ip);
	int n = per_minute < 1 ? 1 : per_minute > RING ? RING : per_minute, admit;
	pthread_mutex_lock(&mu);
	struct slot *s = &slots[k % SLOTS];
	if (s->key != k)
		memset(s, 0, sizeof *s), s->key = k;
	/* the n-th last request: within the minute means n already made */
	int64_t oldest = s->at[(s->next - n + RING) % RING];
	admit = oldest == 0 || oldest <= now - 60;
	if (admit) {
		s->at[s->next] = now;
		s->next = (s->next + 1) % RING;
	}
	pthread_mutex_unlock(&mu);
	return admit;
}

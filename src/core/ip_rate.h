/*
 * ip_rate.h — a per-address rate for the routes anyone may call without a
 * session (the public information-request form): at most n requests of one
 * kind from one address in a sliding minute, counted in memory (a restart
 * forgets; an address takes over the slot its hash shares with another —
 * rare with 4,096 slots — and starts that slot's count afresh).
 */
#ifndef FAZHI_IP_RATE_H
#define FAZHI_IP_RATE_H

#include <stdint.h>

/* 1 when ip may make one more request of kind now (and counts it), 0 when
 * it has made per_minute of them in the last 60 seconds. Thread-safe. */
int ip_rate_admit(const char *kind, const char *ip, int per_minute, int64_t now);

#endif

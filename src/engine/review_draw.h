/*
 * review_draw.h — the 案卷评查 sample, drawn reproducibly: the same seed
 * and the same closed cases always give the same sample, whatever order
 * the cases come in. The generator is SM3 in counter mode: the i-th number
 * of a body's draw is the first 8 bytes (big-endian) of
 * SM3("fazhi-case-review|<seed>|<body id>|<i>"), and the draw a partial
 * Fisher–Yates shuffle of the body's case ids sorted ascending (the i-th
 * pick is position i + number mod (n − i); the modulo bias is below
 * n / 2^64). The reviewers' rotation starts at SM3("…|<seed>|reviewers").
 */
#ifndef FAZHI_REVIEW_DRAW_H
#define FAZHI_REVIEW_DRAW_H

#include <stdint.h>

#define REVIEW_SEED_MAX 64 /* characters of a seed */

/* How many of n cases a body's sample holds: per_body when given (> 0),
 * else percent of n rounded up (at least 1 of a non-empty list); never
 * more than n. */
int review_sample_size(int n, int per_body, int percent);

/* Draws k of the n case ids of one body: sorts ids ascending, then moves
 * the sample to ids[0..k) (sorted ascending). Returns the sample's size,
 * min(k, n). */
int review_draw(const char *seed, int64_t body_id, int64_t *ids, int n, int k);

/* The reviewers' rotation start for seed among m reviewers (0 when m is 0). */
int review_rotation(const char *seed, int m);

/* The generator's one step: the first 8 bytes of SM3(text), big-endian.
 * Shared by every reproducible draw (review_draw.c, draw.c). */
uint64_t review_sm3_u64(const char *text);

/* A fresh seed: 16 random bytes as 32 hex digits (CSPRNG). */
void review_seed_new(char out[33]);

#endif

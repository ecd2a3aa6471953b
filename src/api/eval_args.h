/*
 * eval_args.h — what the evaluation routes read first (evaluation.c,
 * evaluation_runs.c, evaluation_gaps.c): the region (default: the caller's
 * scope, else the top region), the year and the indicator system; each
 * refusal answered here.
 */
#ifndef FAZHI_API_EVAL_ARGS_H
#define FAZHI_API_EVAL_ARGS_H

#include "api.h"
#include "indicator.h"

struct eval_args {
	char region[16], path[128], name[64];
	int year;
	struct indicator_system *sys; /* the caller frees it */
};

/* The region alone (the board): region, path and name of x. */
int api_eval_region(struct api *a, const char *region, struct eval_args *x);
/* From the given values; answers the error itself and returns -1. */
int api_eval_args(struct api *a, const char *region, const char *period, const char *system, struct eval_args *x);
/* From the query's region, period and system. */
int api_eval_query(struct api *a, struct eval_args *x);

#endif

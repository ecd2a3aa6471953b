/*
 * scan.h — the inspection's 入企码 page (scan_page.c) and its acts
 * (scan_act.c), shared between the two files.
 */
#ifndef FAZHI_DOMAIN_INSPECTION_SCAN_H
#define FAZHI_DOMAIN_INSPECTION_SCAN_H

#include <stdio.h>

#include "record.h"

struct api;
struct qr_claim;

/* The inspection a token names, loaded as the system. */
struct insp_scan {
	const struct reg_def *r;
	struct rec_ctx ctx;   /* the system, audited as the request's actor */
	struct record rec;
	int found;            /* rec loaded */
	int foreign;          /* the token's enterprise is not the inspection's */
	char body[256], body_code[64], enterprise[256];
};

/* 0 (s->found 0 when there is no such inspection), or -1 on a store error. */
int insp_scan_load(struct api *a, const struct qr_claim *c, struct insp_scan *s);
void insp_scan_free(struct insp_scan *s);
const char *insp_state(const struct insp_scan *s);
/* HTML-escapes s into f. */
void insp_esc(FILE *f, const char *s);
/* Audits a refusal on the inspection (detail via, code, reason). */
void insp_scan_refused(struct api *a, const char *action, int64_t id, const char *code, const char *reason);
/* POST /c/{token}/{action} for a found inspection of the token's
 * enterprise: confirm, rate, complain; answers a page. */
void insp_scan_act(struct api *a, struct insp_scan *s, const char *action);

#endif

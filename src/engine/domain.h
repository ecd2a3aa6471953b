/*
 * domain.h — domain hooks: a register's rules that no declaration can
 * express, in C, in src/domain/<register>/ (the folder named exactly as
 * the definition's "name"). A folder registers one ops table with
 * DOMAIN_HOOKS(name, .validate = …, …), like API_ROUTES: a constructor,
 * nothing else to edit. The record engine calls the hooks inside the
 * record's transaction on every path (API, console, imports); a hook
 * refuses with fz_* (a stable code and a Chinese message, nothing
 * written). `fazhi demo` runs every folder's demo generator.
 */
#ifndef FAZHI_DOMAIN_H
#define FAZHI_DOMAIN_H

#include "record.h"

struct demo_ctx;

struct domain_ops {
	const char *name; /* the register's definition name */
	/* Sets the fields the register derives (a due date from a period the
	 * province sets…); t is the transition being taken, NULL on create
	 * and update. Runs before the required fields are checked. */
	int (*derive)(const struct rec_ctx *c, const struct reg_def *r, struct record *rec,
		      const struct reg_transition *t, struct fz_err *e);
	/* Checks the record as it is about to be written. */
	int (*validate)(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec,
			struct fz_err *e);
	/* May t be taken now, with the values it brings (beyond from-state,
	 * role, side and required fields, which the engine checks)? */
	int (*gate)(const struct rec_ctx *c, const struct reg_def *r, const struct reg_transition *t,
		    const struct record *rec, struct fz_err *e);
	/* Recomputes the dates derive took from the statutory clock, under the
	 * calendar now current (a year was loaded or corrected); dates a person
	 * set (an approved extension) stay. */
	int (*redate)(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e);
	/* After the record and its counters are written (old NULL on create). */
	int (*after_write)(const struct rec_ctx *c, const struct reg_def *r, const struct record *old,
			   const struct record *rec, struct fz_err *e);
	/* The record's statutory dates, each explained: appends to list
	 * {"field", "label", "due", "explain"} — how the clock counted it
	 * (start, days skipped, pauses, extensions), what the console's
	 * 期限说明 shows. */
	int (*deadlines)(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, json_t *list,
			 struct fz_err *e);
	/* A law in the library was amended or repealed (change: "修改" or
	 * "废止", in force from day): the register opens review tasks for
	 * its records that cite it (law_title, e.g. "中华人民共和国行政处罚法"),
	 * adding their number to *opened. */
	int (*law_changed)(const struct rec_ctx *c, const struct reg_def *r, const char *law_title, const char *change,
			   const char *day, int *opened, struct fz_err *e);
	/* For a register of disputes over acts (复议, 诉讼): the column group
	 * of the 政府信息公开 annual report's table 四 the case belongs to
	 * ("行政复议", "未经复议直接起诉", "复议后起诉") and its result there
	 * ("结果维持", "结果纠正", "其他结果", "尚未审结"); NULL when none. */
	const char *(*dispute)(const struct record *rec, const char **result);
	/* The register's demo records of `year` (see demo.h). */
	int (*demo)(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e);
};

void domain_add(const struct domain_ops *ops);
/* The ops of a register, or NULL (a register with no C). */
const struct domain_ops *domain_find(const char *name);
int domain_count(void);
const struct domain_ops *domain_at(int i);
/* Every folder's ops names a loaded definition; -1 with a message. */
int domain_check(char *why, size_t n);

/* A register's setting "<register>.<key>" (declared in its definition)
 * under the context's settings, or the default without them. */
int domain_setting(const struct rec_ctx *c, const struct reg_def *r, const char *key);

/* Makes rec an item of the register that receives gaps (整改台账) for
 * rec's body — source and issue its text, due its deadline, dated start —
 * and links it from rec's "remedy" field; in the caller's transaction.
 * 409 no_gap_register when no register receives gaps. */
int domain_remedy(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, const char *source,
		  const char *issue, const char *due, const char *start, struct fz_err *e);

/* Tells every register with a law_changed hook that law_title changed;
 * the number of review tasks opened into *opened. In c's transaction. */
int domain_law_changed(const struct rec_ctx *c, const char *law_title, const char *change, const char *day, int *opened,
		       struct fz_err *e);

#define DOMAIN_HOOKS(reg, ...)                                                 \
	static const struct domain_ops reg##_domain_ops = { .name = #reg, __VA_ARGS__ }; \
	__attribute__((constructor)) static void reg##_domain_register(void)    \
	{                                                                      \
		domain_add(&reg##_domain_ops);                                 \
	}

#endif

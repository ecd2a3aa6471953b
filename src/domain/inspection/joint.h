/*
 * joint.h — 综合查一次 within the register: the offer of a joint visit
 * (joint.c), the members following one another (joint_follow.c) and the
 * bodies' answers over HTTP (joint_api.c).
 */
#ifndef FAZHI_DOMAIN_INSPECTION_JOINT_H
#define FAZHI_DOMAIN_INSPECTION_JOINT_H

#include "domain/inspection/inspection.h"

/* The audit entity of a merge offered (joint_merges). */
#define JOINT_ENTITY "joint_merge"

/* Writers of one enterprise's offers in turn (db_lock): "JON" + its id. */
#define JOINT_LOCK_KEY 0x4A4F4E000000LL
/* Takes the lock of the enterprise's offers inside a transaction (a bulk
 * demo writes without one, alone); 0, or -1 with e set. */
int joint_lock(const struct rec_ctx *c, int64_t enterprise, struct fz_err *e);

/* Whether the state is one a plan may still be merged in (计划, 已报备). */
int joint_planned(const struct reg_def *r, int state);
/* The after_write hook's part: offers or joins a merge when a plan is
 * created or registered, leaves open merges when it moves on alone, and
 * lets a joint group follow its member. Writes it makes itself do not
 * come back here. */
int joint_after_write(const struct rec_ctx *c, const struct reg_def *r, const struct record *old,
		      const struct record *rec, struct fz_err *e);
/* Offers rec (planned) a joint visit: joins the open merge of its
 * enterprise whose window meets its own, or opens one with the other
 * bodies' plans whose windows meet; nothing when there are none. */
int joint_offer(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e);
/* After an answer or a member leaving: dropped below two live members,
 * merged when every live member accepted, else still open. */
int joint_settle(const struct rec_ctx *c, const struct reg_def *r, int64_t id, struct fz_err *e);
/* rec, a joint group's member, moved (old its state before): the others
 * are checked in with it, given its rating and complaint, or it is given
 * theirs when it records its result. */
int joint_follow(const struct rec_ctx *c, const struct reg_def *r, const struct record *old,
		 const struct record *rec, struct fz_err *e);
/* Writes an audit entry on merge id as c's actor (detail stolen). */
int joint_audit(const struct rec_ctx *c, const char *action, int64_t id, const char *result, json_t *detail);

#endif

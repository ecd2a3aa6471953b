/*
 * attach.h — 印证材料 as rows: the attachments of register records and of
 * tasks (分解任务) — one version per row, a replacement kept as history, a
 * withdrawal kept with who, when and why — and the rule every uploaded
 * file meets (type by content, name), shared with the evidence files of
 * indicators. The content lives in the attachment store (attach_store.h).
 * Callers check permission and scope first (the owner loaded within the
 * caller's scope); writes run in the caller's transaction.
 */
#ifndef FAZHI_ATTACH_H
#define FAZHI_ATTACH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "attach_store.h"
#include "audit.h"
#include "db.h"
#include "error.h"

#define ATTACH_MAX_PER_OWNER 20 /* attachments in force on one record or task */
#define ATTACH_MAX_ROWS 100     /* rows of one record or task: every version, withdrawn ones too */
#define ATTACH_NAME_MAX 100     /* characters of a file name (and at most 255 bytes) */
#define ATTACH_REASON_MAX 200   /* characters of a replacement's or withdrawal's reason */

/* What an attachment belongs to: kind "record" or "assignment" (the
 * attachment_owners vocabulary) and its id. */
struct attach_owner {
	const char *kind;
	int64_t id;
	/* a record's state as a file is added: the step it proves (a
	 * replacement keeps the replaced file's); NULL for tasks */
	const char *state;
};

/* An uploaded file as the request gives it. */
struct attach_file {
	const char *type;     /* the declared Content-Type */
	const char *filename; /* the user's name for it */
	const void *p;
	size_t n;
};

/* The accepted file types: the declared type must be one of them and the
 * content must start as that type does. 415 unsupported_media_type
 * otherwise; an empty file or a bad name 422 (attach_check_name). */
int attach_check_file(const struct attach_file *f, struct fz_err *e);
/* A file name: valid UTF-8, 1..ATTACH_NAME_MAX characters, no path
 * separator, control character, or "."/".." alone. 422 on field filename. */
int attach_check_name(const char *name, struct fz_err *e);
/* A reason (替换、撤回): 1..ATTACH_REASON_MAX characters of UTF-8 text,
 * trimmed. 422 on field reason. */
int attach_check_reason(const char *reason, struct fz_err *e);

/* One attachment row as stored. */
struct attach_row {
	int64_t id, replaced_by;
	int withdrawn;
	char sm3[65];
	char filename[256];
	char content_type[128];
};

/* Adds f (already checked) to owner: content into the store, a row, as
 * user. 409 attachment_limit when the owner holds ATTACH_MAX_PER_OWNER in
 * force or ATTACH_MAX_ROWS in all. *id and sm3: the new row's. */
int attach_add(db *d, struct attach_store *s, const struct attach_owner *o, const struct attach_file *f,
	       int64_t user, int64_t *id, char sm3[65], struct fz_err *e);
/* Replaces attachment old of owner (in force: 409 otherwise) with f: a new
 * row naming old, which is kept as history. *id and sm3: the new row's. */
int attach_replace(db *d, struct attach_store *s, const struct attach_owner *o, int64_t old,
		   const struct attach_file *f, const char *reason, int64_t user, int64_t *id, char sm3[65],
		   struct fz_err *e);
/* Withdraws attachment id of owner (any version not withdrawn yet: 409
 * otherwise): the row stays, with who, when and why. */
int attach_withdraw(db *d, const struct attach_owner *o, int64_t id, const char *reason, int64_t user,
		    struct fz_err *e);
/* Attachment id of owner; 404 when it is another's or absent. */
int attach_load(db *d, const struct attach_owner *o, int64_t id, struct attach_row *out, struct fz_err *e);
/* Every row of owner, oldest first, as the API shows them (status
 * current / replaced / withdrawn with its label, uploader and withdrawer
 * by display name, the owner's state it was added in); *in_force: those
 * current. NULL with e on a store
 * error. */
json_t *attach_list(db *d, const struct attach_owner *o, int *in_force, struct fz_err *e);
/* Whether owner has any attachment row: 1, 0, or -1 on a store error. */
int attach_any(db *d, const struct attach_owner *o);
/* How many of owner's attachments are in force (neither replaced nor
 * withdrawn): the proofs a step can show; -1 on a store error. */
int64_t attach_in_force(db *d, const struct attach_owner *o);

/* Moves evidence files still held in the database (in_store = 0) into the
 * store: each row's content checked against its recorded SM3 digest,
 * written (and synced) as a file, then the row marked in_store and its
 * BLOB emptied in one transaction. A crash between the two leaves the row
 * as it was, to be moved again (the file is already there); a row whose
 * content does not match its digest is left as it is and counted in
 * *refused. One audit entry as actor when anything moved or was refused.
 * 0, or -1 with err on a store or file error. */
int attach_move_evidence(db *d, struct attach_store *s, const struct audit_actor *actor, int *moved,
			 int *refused, char *err, size_t n);

#endif

/*
 * roles.h — the role matrix, in one table: what each role may do. The
 * three separated administrators (三员: sysadmin, secadmin, auditor) share
 * no permission; only the auditor reads the audit log and nobody can
 * change it.
 */
#ifndef FAZHI_ROLES_H
#define FAZHI_ROLES_H

enum perm {
	PERM_ORG_READ = 1u << 0,      /* regions, bodies, people */
	PERM_ORG_WRITE = 1u << 1,     /* regions, bodies */
	PERM_PEOPLE_WRITE = 1u << 2,  /* people and certificates */
	PERM_SUBJECT_READ = 1u << 3,  /* enterprises, natural persons */
	PERM_SUBJECT_WRITE = 1u << 4,
	PERM_SUBJECT_PII = 1u << 5,   /* see ID numbers unmasked, in scope */
	PERM_USER_ADMIN = 1u << 6,    /* accounts, roles, scopes */
	PERM_SECURITY = 1u << 7,      /* security settings */
	PERM_AUDIT_READ = 1u << 8,
	PERM_RECORD_READ = 1u << 9,   /* register records in scope */
	PERM_RECORD_WRITE = 1u << 10,
	PERM_EVAL_READ = 1u << 11,    /* evaluations, boards, bulletins */
	PERM_EVAL_RUN = 1u << 12,     /* run evaluations, decompose, gaps → items */
	PERM_EVAL_SCORE = 1u << 13,   /* score manual indicators */
	PERM_EVIDENCE = 1u << 14,     /* upload evidence */
	PERM_SUBJECT_REVIEW = 1u << 15, /* review duplicates across scopes (a coordinator's work) */
	PERM_RECORD_URGE = 1u << 16,  /* 催办、督办 other bodies' items (the office) */
	PERM_SYSTEM = 1u << 17,       /* settings, webhooks, backups, health (系统管理员) */
	PERM_RECORD_BACKDATE = 1u << 20, /* import history dated before today */
};

struct role {
	const char *name;
	const char *label;  /* 中文 */
	unsigned perms;
	int admin;          /* one of the three separated administrators */
	/* The label at each level of the user's region (region_code_level 1–4:
	 * 依法治省办, 依法治市办, 依法治县（区）办…); NULL: label everywhere. */
	const char *const *level_labels;
};

const struct role *role_find(const char *name);
int role_can(const char *role, unsigned perm);
int role_count(void);
/* The role's label for a user whose scope is at region level (1–4; 0
 * when unknown): a coordinator of a county is 依法治县（区）办协调员. */
const char *role_label_at(const struct role *r, int level);
const struct role *role_at(int i);

/* The permissions by name ("record.write") and label, in bit order: the
 * route table, `fazhi roles` and GET /api/v1/meta print them. */
struct perm_def {
	unsigned bit;
	const char *name;
	const char *label;
};
int perm_count(void);
const struct perm_def *perm_at(int i);
/* The definition of a single bit, or NULL (0, several bits, unknown). */
const struct perm_def *perm_find(unsigned bit);

/* The matrix as JSON, the one form GET /api/v1/meta and `fazhi roles`
 * print: {"permissions":[{name,label}…], "roles":[{name,label,admin,
 * permissions:[name…]}…]}. NULL when out of memory. */
typedef struct json_t json_t;
json_t *roles_json(void);

#endif

/*
 * settings.h — security thresholds and other operator settings. Defaults
 * follow common 等保 assessment practice (docs/security.md); the settings
 * table overrides them (`fazhi settings set KEY VALUE`).
 */
#ifndef FAZHI_SETTINGS_H
#define FAZHI_SETTINGS_H

#include <stddef.h>

#include "db.h"

/* Settings a register definition declares ("settings" in its JSON: the
 * periods each province sets, with their source), at most this many. */
#define SETTINGS_MAX_DECLARED 64

struct settings {
	int pw_min_len;          /* 8 */
	int pw_admin_min_len;    /* administrator roles: 12 */
	int pw_history;          /* earlier passwords that may not be reused: 5 */
	int lock_threshold;      /* failures in the window before an account locks: 5 */
	int lock_minutes;        /* 15 */
	int ip_lock_threshold;   /* failures in the window from one address before it locks: 5 */
	int login_window_minutes; /* the sliding window failures are counted in: 15 */
	int login_rate_per_minute; /* login attempts per minute, all addresses together: 300 */
	int admin_delay_seconds; /* administrators: the interval between attempts grows by this per failure past the threshold: 2 */
	int admin_delay_max_seconds; /* … at most: 10 */
	int idle_minutes;        /* session idle timeout: 30 */
	int session_max_minutes; /* absolute session lifetime: 720 */
	int pw_max_age_days;     /* periodic change: 90 (0 = never) */
	int audit_keep_days;     /* never purge younger entries: 180 */
	int duplicate_probe_limit; /* creates per user and hour that collide outside the scope: 5 */
	int import_max_rows;     /* rows one HTTP import may hold: 5000 */
	int import_batch_rows;   /* rows per transaction of a CLI import: 1000 */
	int export_max_rows;     /* rows one .xlsx export holds: 100000 (then a 已截断 row) */
	int audit_checkpoint_minutes; /* signed audit checkpoint interval in serve: 60 */
	int cert_expiry_warn_days; /* a valid certificate this close to its end is "expiring": 30 */
	int due_soon_working_days; /* the 工作台's "due soon": within 3 working days */
	int law_review_days;     /* a citing document's or benchmark's review after its law changed: 60 */
	int training_min_hours;  /* an officer's yearly training: at least 60 学时 (纲要 2021–2025) */
	int notify_interval_seconds; /* serve's notification pass: every 60 s */
	int draw_weight[5];      /* 双随机: weight per credit grade A, B, C, D, none: 1 2 4 8 2 */
	int demo_data;           /* 1: made by `fazhi demo`, the console says 演示数据 */
	int declared[SETTINGS_MAX_DECLARED]; /* values of the declared settings, in order */
};

void settings_defaults(struct settings *s);
/* Loads overrides from the settings table; unknown keys are ignored. -1 on
 * a store error or a stored value outside its range (fail closed). */
int settings_load(db *d, struct settings *s);
/* Validates and stores one setting; -1 with a message for a bad key/value. */
int settings_set(db *d, const char *key, const char *value, char *why, size_t n);
/* Iterates the known keys, built-in then declared: name, Chinese label
 * (for a declared one, with its source), value in s. */
int settings_count(void);
const char *settings_key(int i);
const char *settings_label(int i);
int settings_value(const struct settings *s, int i);
/* Whose it is: 1 the security administrator's (passwords, locking,
 * sessions, the audit log), 0 the system administrator's. */
int settings_security(int i);
void settings_range(int i, int *def, int *min, int *max);
/* The index of key, or -1. */
int settings_index(const char *key);
/* The value of a setting by key; -1 for an unknown key. */
int settings_get(const struct settings *s, const char *key);

/* Declares a setting at start-up (before any settings_load). Declaring a
 * key again replaces its label, default and range; a key of a built-in
 * setting, a bad range or a full table is refused with a message. */
int settings_declare(const char *key, const char *label, int def, int min, int max, char *why, size_t n);

#endif

/*
 * register.h — registers declared as data (data/registers/NAME.json): fields
 * with types and validation, states, transitions with roles, gates and
 * required fields, the statutory deadline and the metrics they publish.
 * Each field carries its write rule: which roles, which side of the work
 * (the assigning office or the handling body, the record's own body) and
 * in which states may write it. Definitions are loaded and checked once
 * at start-up; a bad definition is refused with the file and the JSON
 * path at fault.
 */
#ifndef FAZHI_REGISTER_H
#define FAZHI_REGISTER_H

#include <jansson.h>
#include <stddef.h>

#define REG_MAX_FIELDS 96
#define REG_MAX_STATES 16
#define REG_MAX_TRANSITIONS 24
#define REG_MAX_METRICS 24
#define REG_MAX_LIST 24
#define REG_MAX_SETTINGS 16
#define REG_MAX_FILTERS 4
#define REG_MAX_RANKINGS 4
#define REG_MAX_REMINDERS 4

/* RF_REF: the id of a record of another register ("register": its name),
 * a link between registers declared in the definition. RF_SUBJECT: the id
 * of a subject (an enterprise by its USCC, a person by ID number: the
 * subjects table) within the writer's scope — a case's 当事人. */
enum reg_field_type { RF_STRING, RF_TEXT, RF_ENUM, RF_DATE, RF_INT, RF_REF, RF_SUBJECT };

/* The side of the work a user stands on for a record: the handling side
 * is a user bound to the record's body (its 责任单位/承办单位); the
 * assigning side is any other user whose scope holds the record (the
 * office that assigned the work). The system (no user) stands on both. */
enum reg_side { RS_ANY, RS_ASSIGNING, RS_HANDLING };

/* Who may write a field, and when. Absent "write": any role that may
 * write records, either side, at creation and in every non-final state. */
struct reg_write {
	const char *roles[REG_MAX_LIST]; /* empty: any role that may write records */
	int nroles;
	enum reg_side side;
	int create;              /* may be given when the record is created */
	unsigned states;         /* bit per state in which it may change; 0: never
				  * after creation (only a transition's "set") */
};

struct reg_field {
	const char *name, *label;
	enum reg_field_type type;
	int required;
	int max;                 /* characters (strings) */
	int not_after_today;     /* dates: no later than the day of the write */
	const char *choices[REG_MAX_LIST];
	int nchoices;
	const char *ref;         /* RF_REF: the register linked to */
	struct reg_write write;
};

struct reg_state {
	const char *name, *label;
	int initial, final;
};

struct reg_transition {
	const char *name, *label;
	int from[REG_MAX_STATES];
	int nfrom;
	int to;
	const char *roles[REG_MAX_LIST]; /* empty: any role allowed to write */
	int nroles;
	enum reg_side side;      /* "side"; "not_own_body": true is RS_ASSIGNING */
	int require[REG_MAX_FIELDS];
	int nrequire;
	int set_field, set_from; /* "set": {"deadline": "extension_to"}: the engine
				  * copies set_from into set_field; -1: none */
	int stamp;               /* "stamp": a date field the engine sets to the
				  * day of the transition when it has no value yet
				  * (the first reply…); -1: none */
	int unstamp;             /* "unstamp": such a field the engine clears (a
				  * returned 申请销号 no longer meets the deadline) */
	int returns;             /* "returns": true: the assigning side sends the
				  * record back for more work (退回, 不予延期); the
				  * handling body is told, with the reason, the
				  * transition's first required field */
};

enum reg_deadline_kind { RD_NONE, RD_FIELD, RD_CALENDAR_DAYS, RD_WORKING_DAYS, RD_MONTHS, RD_YEARS };

struct reg_deadline {
	enum reg_deadline_kind kind;
	int field;               /* RD_FIELD: a date field */
	int days;                /* RD_CALENDAR_DAYS, RD_WORKING_DAYS */
	int count;               /* RD_MONTHS ("months": N), RD_YEARS ("years": N) */
	int met;                 /* "met": the date field holding the day the
				  * deadline was met (on-time judged there, not
				  * at closing); -1: met when closed */
	const char *basis;       /* legal basis, shown with the due date */
};

struct reg_metric {
	const char *name, *label;
	unsigned states;         /* bit per state; 0 = any state */
	int on_time;             /* met no later than due */
	int by_due;              /* "date": "due": counted on the due date (a
				  * record without one is not counted), not the start */
	int field;               /* -1: none; else the field must be one of in[] */
	const char *in[REG_MAX_LIST];
	int nin;
};

/* "receives_gaps": the register evaluation's gaps become items of (at
 * most one): which field takes the source, the issue and the indicator;
 * the deadline is its "deadline" field; the labels of the task board's
 * two columns for its open and overdue items. */
struct reg_gaps {
	int on;
	int source_field, issue_field, indicator_field;
	const char *source_value;
	const char *open_label, *overdue_label;
};

/* "case_file_review": the register whose records the office's 案卷评查
 * samples (at most one; case_review.h): records in one of the states
 * (结案) closed within the review's year; number_field names the case
 * number the reviewers and the review's 整改事项 quote. */
struct reg_review {
	int on;
	unsigned states;         /* bit per state */
	int number_field;        /* a string field */
};

/* "rankings": a rate of two of the register's metrics per body (the
 * coordinator's board ranks the bodies by it: 败诉率, 纠错率…). */
struct reg_ranking {
	const char *name, *label;
	const char *numerator, *denominator; /* metric names of this register */
	int lower_is_better;
};

/* "reminders": a notice to the body and the coordinators once, when a
 * date field other than the deadline (a hearing…) is within days_before
 * and not past, while the record is open and, if "when" is given, its
 * choice field holds one of the values listed. */
struct reg_reminder {
	int field;               /* a date field */
	int when_field;          /* a choice field, or -1: always */
	const char *in[REG_MAX_LIST];
	int nin;
	int days_before;         /* 0 … 60 */
	const char *label;       /* what the date is, in the notice */
};

/* A period the province sets ("settings"): declared to settings.h at load
 * as "<register>.<name>", its label naming the legal source. */
struct reg_setting {
	const char *key, *label, *basis;
	int def, min, max;
};

struct reg_def {
	const char *name, *label, *description;
	int title_field;
	struct reg_field fields[REG_MAX_FIELDS];
	int nfields;
	struct reg_state states[REG_MAX_STATES];
	int nstates;
	int initial;
	struct reg_transition transitions[REG_MAX_TRANSITIONS];
	int ntransitions;
	struct reg_deadline deadline;
	struct reg_metric metrics[REG_MAX_METRICS];
	int nmetrics;
	struct reg_setting settings[REG_MAX_SETTINGS];
	int nsettings;
	struct reg_gaps gaps;
	struct reg_review review;
	struct reg_ranking rankings[REG_MAX_RANKINGS];
	int nrankings;
	struct reg_reminder reminders[REG_MAX_REMINDERS];
	int nreminders;
	/* "filters": the choice fields its list may be narrowed by
	 * (GET …/records?f.<field>=<choice>), beside state, body and dates */
	int filters[REG_MAX_FILTERS];
	int nfilters;
	json_t *src;             /* keeps the strings alive */
};

/* Loads and checks the shipped definitions, then those in the directory
 * FAZHI_REGISTERS_DIR (when set: each adds a register or replaces the
 * shipped one of the same name); 0, or -1 with a message. */
int register_load_builtin(char *why, size_t n);
/* Loads one definition from JSON text (name is for messages). */
int register_load_text(const char *name, const char *text, struct reg_def *out, char *why, size_t n);
const struct reg_def *register_find(const char *name);
/* The register declaring "receives_gaps", or NULL. */
const struct reg_def *register_gap_receiver(void);
/* The register declaring "case_file_review", or NULL. */
const struct reg_def *register_reviewed(void);
int register_count(void);
const struct reg_def *register_at(int i);
int register_state(const struct reg_def *r, const char *name);
/* Whether reminder m of r is due for a record holding data on the day
 * numbered today (date_to_days): its date within days_before and not past,
 * the condition met. The date (borrowed from data), or NULL. */
const char *register_reminder_due(const struct reg_def *r, const struct reg_reminder *m, json_t *data, int today);

int register_field(const struct reg_def *r, const char *name);
const struct reg_transition *register_transition(const struct reg_def *r, const char *name);
/* "交办方" / "承办方" / "" for a side. */
const char *register_side_label(enum reg_side s);
/* The write rule of a field in words (for refusals and the docs):
 * "协调员（交办方）在创建时及“已答复”状态下填写". */
void register_write_rule_text(const struct reg_def *r, const struct reg_field *f, char *out, size_t n);
struct settings;
/* The value of the register's setting "<name>.<key>"; -1 when unknown. */
int register_setting(const struct reg_def *r, const struct settings *cfg, const char *key);
/* The definition as the API shows it (fields, states, transitions…). */
json_t *register_json(const struct reg_def *r);

#endif

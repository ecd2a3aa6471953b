/*
 * cli.h — `fazhi <command>`: commands register themselves (CLI_COMMAND),
 * so adding one is adding a file. Shared helpers open the store, load the
 * personal-data key and print bilingual help.
 */
#ifndef FAZHI_CLI_H
#define FAZHI_CLI_H

#include "audit.h"
#include "db.h"

struct cli_cmd {
	const char *name;
	const char *summary;  /* "中文 / English" one line */
	const char *usage;    /* full help, Chinese and English */
	int (*run)(int argc, char **argv);
};

#define CLI_MAX_COMMANDS 32
void cli_register(const struct cli_cmd *c);
extern const struct cli_cmd *cli_commands[CLI_MAX_COMMANDS];
extern int cli_ncommands;

#define CLI_COMMAND(id, ...)                                                  \
	static const struct cli_cmd id##_cmd = { __VA_ARGS__ };               \
	__attribute__((constructor)) static void id##_register(void) { cli_register(&id##_cmd); }

/* Opens the store (and migrates when asked); prints the error and returns
 * NULL on failure. */
db *cli_open_db(const char *uri, int migrate);
/* The key file beside a SQLite database (PATH.key), else FAZHI_KEY_FILE or
 * ./fazhi.key. */
void cli_key_path(const char *uri, char *out, size_t n);
int cli_load_key(const char *uri, unsigned char key[32], int create);
/* Loads the register definitions (declaring their settings); on failure
 * prints why and returns -1. */
int cli_load_registers(void);
struct settings;
/* Loads the definitions and the settings; on failure prints why, -1. */
int cli_load_settings(db *d, struct settings *s);
/* Where the audit log's trust files live (audit_anchor.h): FAZHI_AUDIT_DIR
 * plus "/"; else a SQLite database's path plus "."; else (PostgreSQL) the
 * personal-data key's path without ".key", plus ".". cli_open_db loads
 * them, and creates missing ones when it migrates. */
void cli_audit_prefix(const char *uri, char *out, size_t n);
/* Where uploaded files live (attach_store.h): FAZHI_FILES_DIR; else a
 * SQLite database's path plus ".files"; else (PostgreSQL) the personal-data
 * key's path without ".key", plus ".files" (docs/operations.md). */
void cli_files_dir(const char *uri, char *out, size_t n);
/* Opens that store (creating it when create is set); prints why and
 * answers NULL on failure. */
struct attach_store;
struct attach_store *cli_open_files(const char *uri, int create);
/* A command's options, as a table (one parser for every command):
 * --name VALUE or --name=VALUE into a string, a whole number within
 * [min, max], a repeatable list (each value appended to a JSON array), or
 * a flag set to 1. */
enum cli_opt_kind { CLI_STR, CLI_INT, CLI_LIST, CLI_FLAG };
struct cli_opt {
	const char *name;          /* "db" for --db */
	enum cli_opt_kind kind;
	void *out;                 /* const char ** / int * / json_t * (array) / int * */
	long min, max;             /* CLI_INT */
};
#define CLI_OPT_STR(name, out) { name, CLI_STR, out, 0, 0 }
#define CLI_OPT_INT(name, out, min, max) { name, CLI_INT, out, min, max }
#define CLI_OPT_LIST(name, out) { name, CLI_LIST, out, 0, 0 }
#define CLI_OPT_FLAG(name, out) { name, CLI_FLAG, out, 0, 0 }
#define CLI_OPT_END { NULL, CLI_STR, NULL, 0, 0 }
/*
 * Parses argv[first..argc): the options of opts (ended by {NULL}) and the
 * other words, kept in order in pos[0..maxpos). On an unknown option, a
 * missing value, a number out of range or too many words (a repeated
 * option replaces the earlier value) it prints why (naming the option) and returns -1 (exit status 2);
 * else the number of words.
 */
int cli_parse(int argc, char **argv, int first, const struct cli_opt *opts, char **pos, int maxpos);

/* `fazhi laws import DIR` (cmd_laws.c), shared with `fazhi demo`: imports
 * and prints the figures (and each file refused or skipped, when
 * list_refused); 0 on success (refused files included), else 1. */
int cli_laws_import(const char *uri, const char *dir, int list_refused);
/* `fazhi demo`'s laws: the built-in data/laws, then the full data set when
 * present (a note when not). 0, else 1. */
int cli_laws_demo(const char *uri);

/* Whether argv asks for help (-h/--help); prints usage when it does. */
int cli_wants_help(const struct cli_cmd *c, int argc, char **argv);

/* Prints v (NULL: out of memory) indented, ASCII-escaped, and releases
 * it; the command's exit status. */
typedef struct json_t json_t;
int cli_print_json(json_t *v);

/* The audit actor for the operator at this terminal. */
extern const struct audit_actor cli_actor;

#endif

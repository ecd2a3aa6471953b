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
/* Whether argv asks for help (-h/--help); prints usage when it does. */
int cli_wants_help(const struct cli_cmd *c, int argc, char **argv);

/* Prints v (NULL: out of memory) indented, ASCII-escaped, and releases
 * it; the command's exit status. */
typedef struct json_t json_t;
int cli_print_json(json_t *v);

/* The audit actor for the operator at this terminal. */
extern const struct audit_actor cli_actor;

#endif

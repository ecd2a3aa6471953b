/* cmd_settings.c — `fazhi settings [set KEY VALUE]`: security thresholds. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "settings.h"

static int run(int argc, char **argv);

CLI_COMMAND(settings, "settings", "查看或修改安全设置 / show or change settings",
	    "用法 / Usage: fazhi settings [--db URI]            列出 / list\n"
	    "              fazhi settings set KEY VALUE [--db URI]  修改 / change (restart serve to apply)",
	    run)

static int run(int argc, char **argv)
{
	const char *uri = DB_DEFAULT_URI;
	const struct cli_opt opts[] = { CLI_OPT_STR("db", &uri), CLI_OPT_END };
	char *w[3];
	if (cli_wants_help(&settings_cmd, argc, argv))
		return 0;
	int nw = cli_parse(argc, argv, 1, opts, w, 3);
	if (nw < 0 || (nw > 0 && strcmp(w[0], "set") != 0)) {
		fprintf(stderr, "%s\n", settings_cmd.usage);
		return 2;
	}
	db *d = cli_open_db(uri, 0);
	if (!d)
		return 1;
	int rc = cli_load_registers() != 0;
	if (rc == 0 && nw > 0) {
		char why[1024];
		if (nw != 3) {
			fprintf(stderr, "fazhi: settings set KEY VALUE\n");
			rc = 2;
		} else if (db_begin(d) != 0 || settings_set(d, w[1], w[2], why, sizeof why) != 0) {
			db_rollback(d);
			fprintf(stderr, "fazhi: %s\n", why);
			rc = 1;
		} else {
			json_t *det = json_pack("{s:s, s:s}", "key", w[1], "value", w[2]);
			rc = audit_append(d, &cli_actor, "update", "setting", w[1], "ok", det) || db_commit(d);
			json_decref(det);
		}
	} else if (rc == 0) {
		struct settings s;
		if (cli_load_settings(d, &s) != 0)
			rc = 1;
		for (int i = 0; rc == 0 && i < settings_count(); i++)
			printf("%-22s %6d  %s\n", settings_key(i), settings_value(&s, i), settings_label(i));
	}
	db_close(d);
	return rc;
}

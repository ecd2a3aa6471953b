/*
 * cmd_roles.c — `fazhi roles [--json]`: the role matrix of roles.c (each
 * role's permissions; the three separated administrators marked), the same
 * JSON GET /api/v1/meta gives the console. No database needed.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "roles.h"

static int run(int argc, char **argv);

CLI_COMMAND(roles, "roles", "列出角色及其权限 / print the role matrix",
	    "用法 / Usage: fazhi roles [--json | --markdown]\n"
	    "  列出每个角色拥有的权限（三员：系统管理员、安全管理员、审计管理员互不重叠）。\n"
	    "  Prints each role's permissions (the three separated administrators share none).\n"
	    "  --json       {\"permissions\":[{name,label}…],\"roles\":[{name,label,admin,permissions}…]}\n"
	    "  --markdown   the role table of docs/api.md",
	    run)

static void print_markdown(void)
{
	puts("| role | 名称 | permissions |\n| --- | --- | --- |");
	for (int i = 0; i < role_count(); i++) {
		const struct role *r = role_at(i);
		printf("| `%s` | %s%s |", r->name, r->label, r->admin ? "（三员）" : "");
		const char *sep = " ";
		for (int j = 0; j < perm_count(); j++)
			if (r->perms & perm_at(j)->bit) {
				printf("%s`%s`", sep, perm_at(j)->name);
				sep = ", ";
			}
		puts(" |");
	}
}

static int run(int argc, char **argv)
{
	if (cli_wants_help(&roles_cmd, argc, argv))
		return 0;
	int json = argc == 2 && strcmp(argv[1], "--json") == 0;
	int md = argc == 2 && strcmp(argv[1], "--markdown") == 0;
	if (argc > 2 || (argc == 2 && !json && !md)) {
		fprintf(stderr, "%s\n", roles_cmd.usage);
		return 2;
	}
	if (md) {
		print_markdown();
		return 0;
	}
	if (!json) {
		for (int i = 0; i < role_count(); i++) {
			const struct role *r = role_at(i);
			printf("%-15s %s%s\n", r->name, r->label, r->admin ? "（管理员）" : "");
			for (int j = 0; j < perm_count(); j++)
				if (r->perms & perm_at(j)->bit)
					printf("    %-16s %s\n", perm_at(j)->name, perm_at(j)->label);
		}
		return 0;
	}
	return cli_print_json(roles_json());
}

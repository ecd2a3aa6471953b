/*
 * cmd_routes.c — `fazhi routes [--json|--markdown]`: the router's table,
 * checked first (router_check), as a text table, as JSON (tests are
 * generated from it: tests/integration/scope_routes.test.mjs, the
 * never-called check) or as the Markdown docs/api.md carries between its
 * route-table markers (docs.test.mjs compares them). No database needed.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "cli.h"
#include "roles.h"

static int run(int argc, char **argv);

CLI_COMMAND(routes, "routes", "列出 HTTP 接口路由表 / print the HTTP route table",
	    "用法 / Usage: fazhi routes [--json | --markdown]\n"
	    "  检查并列出服务器的全部路由：方法、路径、所需权限、标志、请求体上限及拥有该权限的角色。\n"
	    "  路由表有误（重复、歧义、缺少权限）时报错并返回 1，服务器同样拒绝启动。\n"
	    "  Checks and prints every route: method, path, permission, flags, body limit and the\n"
	    "  roles holding the permission. A faulty table (duplicate, ambiguous, no permission)\n"
	    "  is an error (exit 1), as it stops `fazhi serve`.\n"
	    "  --json       [{\"method\",\"path\",\"permission\",\"flags\",\"max_body\",\"fields\",\"roles\"}, …]\n"
	    "  --markdown   the route table of docs/api.md",
	    run)

static json_t *flags_json(unsigned f)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ R_PUBLIC, "public" }, { R_SIGNED_IN, "signed_in" }, { R_PASSWORD, "password" }, { R_RAW, "raw" },
	};
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (f & names[i].bit)
			json_array_append_new(a, json_string(names[i].name));
	return a;
}

/* Whether a role may call the route (what dispatch.c checks). */
static int role_may(const struct role *ro, const struct route *r)
{
	return (r->flags & (R_PUBLIC | R_SIGNED_IN)) || (ro->perms & r->perm) == r->perm;
}

static json_t *route_json(const struct route *r)
{
	json_t *roles = json_array();
	for (int i = 0; i < role_count(); i++)
		if (role_may(role_at(i), r))
			json_array_append_new(roles, json_string(role_at(i)->name));
	json_t *fields = r->fields ? json_array() : json_null();
	for (int i = 0; r->fields && r->fields[i]; i++)
		json_array_append_new(fields, json_string(r->fields[i]));
	return json_pack("{s:s, s:s, s:s, s:o, s:I, s:o, s:o}", "method", r->method, "path", r->pattern,
			 "permission", route_permission(r), "flags", flags_json(r->flags), "max_body",
			 (json_int_t)route_body_limit(r), "fields", fields, "roles", roles);
}

static int print_json(void)
{
	json_t *out = json_array();
	for (int i = 0; i < router_count(); i++)
		json_array_append_new(out, route_json(router_at(i)));
	return cli_print_json(out);
}

static const char *access_text(const struct route *r, char *buf, size_t n)
{
	const struct perm_def *p = perm_find(r->perm);
	if (p)
		snprintf(buf, n, "`%s` %s", p->name, p->label);
	else
		snprintf(buf, n, "%s", (r->flags & R_PUBLIC) ? "公开（无需登录）" : "任一已登录用户");
	return buf;
}

static void print_markdown(void)
{
	char acc[256];
	puts("| method | path | permission | body limit | body fields |\n| --- | --- | --- | --- | --- |");
	for (int i = 0; i < router_count(); i++) {
		const struct route *r = router_at(i);
		size_t lim = route_body_limit(r);
		char limit[32] = "—";
		if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "DELETE") != 0)
			snprintf(limit, sizeof limit, "%zu %s", lim >= 1 << 20 ? lim >> 20 : lim >> 10,
				 lim >= 1 << 20 ? "MB" : "KB");
		printf("| %s | `%s` | %s | %s | ", r->method, r->pattern, access_text(r, acc, sizeof acc), limit);
		for (int k = 0; r->fields && r->fields[k]; k++)
			printf("%s`%s`", k ? ", " : "", r->fields[k]);
		puts(r->fields && r->fields[0] ? " |" : r->fields ? "（无） |" : (r->flags & R_RAW) ? "（文件） |" : "— |");
	}
}

static void print_text(void)
{
	for (int i = 0; i < router_count(); i++) {
		const struct route *r = router_at(i);
		printf("%-6s %-52s %s\n", r->method, r->pattern, route_permission(r));
	}
}

static int run(int argc, char **argv)
{
	char why[512];
	if (cli_wants_help(&routes_cmd, argc, argv))
		return 0;
	const char *mode = argc == 2 ? argv[1] : argc == 1 ? "" : NULL;
	if (!mode || (*mode && strcmp(mode, "--json") != 0 && strcmp(mode, "--markdown") != 0)) {
		fprintf(stderr, "%s\n", routes_cmd.usage);
		return 2;
	}
	if (router_check(why, sizeof why) != 0) {
		fprintf(stderr, "fazhi: %s\n", why);
		return 1;
	}
	if (strcmp(mode, "--json") == 0)
		return print_json();
	if (*mode)
		print_markdown();
	else
		print_text();
	return 0;
}

/*
 * cmd_routes.c — `fazhi routes --json`: the router's table as JSON, one
 * object per registered route (method, pattern, perm, flags, and the roles
 * whose permissions cover perm), plus the roles. Tests are generated from
 * it (tests/integration/scope_routes.test.mjs), so a route added later is
 * covered without editing them. No database needed.
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
	    "用法 / Usage: fazhi routes --json\n"
	    "  以 JSON 输出服务器注册的全部路由：方法、路径模式、所需权限、标志及拥有该权限的角色。\n"
	    "  Prints every registered route as JSON: method, pattern, perm (bits), flags\n"
	    "  (public, password, raw) and the roles whose permissions cover perm.",
	    run)

static json_t *flags_json(unsigned f)
{
	json_t *a = json_array();
	if (f & R_PUBLIC)
		json_array_append_new(a, json_string("public"));
	if (f & R_PASSWORD)
		json_array_append_new(a, json_string("password"));
	if (f & R_RAW)
		json_array_append_new(a, json_string("raw"));
	return a;
}

static json_t *route_json(const struct route *r)
{
	json_t *roles = json_array();
	for (int i = 0; i < role_count(); i++)
		if ((r->flags & R_PUBLIC) || (role_at(i)->perms & r->perm) == r->perm)
			json_array_append_new(roles, json_string(role_at(i)->name));
	return json_pack("{s:s, s:s, s:I, s:o, s:o}", "method", r->method, "pattern", r->pattern, "perm",
			 (json_int_t)r->perm, "flags", flags_json(r->flags), "roles", roles);
}

static int run(int argc, char **argv)
{
	if (cli_wants_help(&routes_cmd, argc, argv))
		return 0;
	if (argc != 2 || strcmp(argv[1], "--json") != 0) {
		fprintf(stderr, "%s\n", routes_cmd.usage);
		return 2;
	}
	json_t *routes = json_array(), *roles = json_array();
	for (int i = 0; i < router_count(); i++)
		json_array_append_new(routes, route_json(router_at(i)));
	for (int i = 0; i < role_count(); i++)
		json_array_append_new(roles, json_pack("{s:s, s:s, s:b}", "name", role_at(i)->name, "label",
						       role_at(i)->label, "admin", role_at(i)->admin));
	json_t *out = json_pack("{s:o, s:o}", "routes", routes, "roles", roles);
	char *text = out ? json_dumps(out, JSON_INDENT(1) | JSON_ENSURE_ASCII) : NULL;
	json_decref(out);
	if (!text) {
		fprintf(stderr, "fazhi: 内存不足 / out of memory\n");
		return 1;
	}
	puts(text);
	free(text);
	return 0;
}

/*
 * test_cli.c — the one option parser of the commands (cli_parse): values
 * as --name VALUE and --name=VALUE, whole numbers within their range,
 * repeatable lists, flags, words kept in order, and each fault refused.
 */
#include <jansson.h>

#include "t.h"

#include "cli.h"

struct got {
	const char *db;
	int n, flag;
	json_t *list;
};

static int parse(struct got *g, char **pos, int maxpos, int argc, char **argv)
{
	*g = (struct got){ .db = "default", .list = json_array() };
	const struct cli_opt opts[] = {
		CLI_OPT_STR("db", &g->db), CLI_OPT_INT("n", &g->n, 1, 10), CLI_OPT_FLAG("flag", &g->flag),
		CLI_OPT_LIST("item", g->list), CLI_OPT_END,
	};
	return cli_parse(argc, argv, 1, opts, pos, maxpos);
}

int main(void)
{
	struct got g;
	char *pos[2];
	char *a1[] = { "test", "--db", "sqlite:x.db", "word", "--n=7", "--flag", "--item", "a", "--item=b", "-" };
	CHECK_INT(parse(&g, pos, 2, 10, a1), 2);
	CHECK_STR(g.db, "sqlite:x.db");
	CHECK_INT(g.n, 7);
	CHECK_INT(g.flag, 1);
	CHECK_INT(json_array_size(g.list), 2);
	CHECK_STR(json_string_value(json_array_get(g.list, 1)), "b");
	CHECK_STR(pos[0], "word");
	CHECK_STR(pos[1], "-"); /* "-" (stdin) is a word */
	json_decref(g.list);

	char *a2[] = { "test", "--", "--db" }; /* after "--" everything is a word */
	CHECK_INT(parse(&g, pos, 2, 3, a2), 1);
	CHECK_STR(pos[0], "--db");
	CHECK_STR(g.db, "default");
	json_decref(g.list);

	char *bad[][3] = {
		{ "test", "--nope", "" },    /* unknown */
		{ "test", "--db", NULL },    /* missing value */
		{ "test", "--n", "11" },     /* out of range */
		{ "test", "--n", "3x" },     /* not a number */
		{ "test", "--flag=1", "" },  /* a flag takes no value */
		{ "test", "w1", "w2" },      /* too many words (max 1) */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int argc = bad[i][2] ? (bad[i][2][0] ? 3 : 2) : 2;
		CHECK_INT(parse(&g, pos, 1, argc, bad[i]), -1);
		json_decref(g.list);
	}
	char *a3[] = { "test", "--n", "2", "--n", "9" }; /* the later one wins, as with getopt */
	CHECK_INT(parse(&g, pos, 0, 5, a3), 0);
	CHECK_INT(g.n, 9);
	json_decref(g.list);
	return t_done();
}

/*
 * demo_data.c — the deterministic demo data set on 宁波市's regions (see demo_data.h).
 * Owns the word lists (regions, bodies, names, enterprise names), a small
 * splitmix64 PRNG seeded by the caller, the check characters of the
 * 统一社会信用代码 (GB 32100, with the GB 11714 organization code inside)
 * and of the 身份证号 (GB 11643), and the uniqueness bookkeeping.
 */
#include "demo_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- PRNG ---------------------------------------------------------------- */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* One independent stream per phase, so that e.g. the number of officers
 * does not change the enterprises. */
static void rng_init(struct rng *r, uint64_t seed, uint64_t phase)
{
	r->s = seed ^ (phase * 0xD1B54A32D192ED03ull);
	rng_next(r);
}

/* Uniform in [0, n); n > 0. The modulo bias is irrelevant here. */
static int rng_below(struct rng *r, int n)
{
	return (int)(rng_next(r) % (uint64_t)n);
}

/* True with probability pm/1000. */
static int rng_permille(struct rng *r, int pm)
{
	return rng_below(r, 1000) < pm;
}

struct weighted {
	const char *s;
	int w;
};

static const char *pick_weighted(struct rng *r, const struct weighted *list, int n)
{
	int total = 0, x, i;

	for (i = 0; i < n; i++)
		total += list[i].w;
	x = rng_below(r, total);
	for (i = 0; i < n - 1 && x >= list[i].w; i++)
		x -= list[i].w;
	return list[i].s;
}

#define PICK(r, a) ((a)[rng_below((r), COUNT(a))])

/* ---- dates (days since 1970-01-01, proleptic Gregorian) ------------------ */

static long days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* The last day of a term of `years` starting on day `from`: the day
 * before the anniversary (a missing 29 February counts as 1 March). */
static long term_end(long from, int years)
{
	int y, m, d;

	civil_from_days(from, &y, &m, &d);
	return days_from_civil(y + years, m, d) - 1;
}

static long rng_day(struct rng *r, long first, long last)
{
	return first + rng_below(r, (int)(last - first + 1));
}

/* "YYYY-MM-DD" or, with compact, "YYYYMMDD". */
static void format_day(long day, int compact, char *buf, size_t len)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	if (compact)
		snprintf(buf, len, "%04d%02d%02d", y, m, d);
	else
		snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

/* ---- check characters ---------------------------------------------------- */

static const char uscc_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int uscc_value(char c)
{
	const char *p = strchr(uscc_chars, c);
	return p && c ? (int)(p - uscc_chars) : 0;
}

/* GB 32100: weights 3^i mod 31 over the first 17 characters. */
static char uscc_check(const char *s)
{
	int i, w = 1, sum = 0, c;

	for (i = 0; i < 17; i++) {
		sum += uscc_value(s[i]) * w;
		w = w * 3 % 31;
	}
	c = 31 - sum % 31;
	return uscc_chars[c == 31 ? 0 : c];
}

/* GB 11714: the organization code's 9th character over its first 8. */
static char orgcode_check(const char *s)
{
	static const int w[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
	int i, sum = 0, c;

	for (i = 0; i < 8; i++) {
		int v = s[i] >= 'A' ? s[i] - 'A' + 10 : s[i] - '0';
		sum += v * w[i];
	}
	c = 11 - sum % 11;
	return c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
}

/* GB 11643: ISO 7064 MOD 11-2 over the first 17 digits. */
static char idcard_check(const char *s)
{
	int i, w = 1, sum = 0, c;

	for (i = 16; i >= 0; i--) {
		w = w * 2 % 11;
		sum += (s[i] - '0') * w;
	}
	c = (12 - sum % 11) % 11;
	return c == 10 ? 'X' : (char)('0' + c);
}

/* ---- a set of strings (uniqueness of codes and names) -------------------- */

struct strset {
	char **slot;
	size_t cap, n;
};

static uint64_t str_hash(const char *s)
{
	uint64_t h = 0xCBF29CE484222325ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001B3ull;
	return h;
}

static char **strset_find(char **slot, size_t cap, const char *s)
{
	size_t i = (size_t)str_hash(s) & (cap - 1);

	while (slot[i] && strcmp(slot[i], s) != 0)
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

static int strset_grow(struct strset *set)
{
	size_t cap = set->cap ? set->cap * 2 : 1024, i;
	char **slot = calloc(cap, sizeof *slot);

	if (!slot)
		return -1;
	for (i = 0; i < set->cap; i++)
		if (set->slot[i])
			*strset_find(slot, cap, set->slot[i]) = set->slot[i];
	free(set->slot);
	set->slot = slot;
	set->cap = cap;
	return 0;
}

/* 1 if added, 0 if already present, -1 out of memory. */
static int strset_add(struct strset *set, const char *s)
{
	char **p;

	if (set->n * 2 >= set->cap && strset_grow(set))
		return -1;
	p = strset_find(set->slot, set->cap, s);
	if (*p)
		return 0;
	if (!(*p = strdup(s)))
		return -1;
	set->n++;
	return 1;
}

static void strset_free(struct strset *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
}

/* ---- regions ------------------------------------------------------------- */

#define CITY_CODE "330200"
#define CITY_NAME "宁波市" /* real codes and names; the data are marked 演示数据 */

enum { OPT_STHJ = 1, OPT_JTYS = 2, OPT_ZJ = 4 };

struct county {
	const char *code, *name, *short_name;
	int weight;    /* share of subjects */
	unsigned opt;  /* optional departments (OPT_*) */
};

static const struct county counties[] = {
	{ "330203", "海曙区", "海曙", 10, OPT_STHJ | OPT_ZJ },
	{ "330205", "江北区", "江北", 7, OPT_STHJ },
	{ "330206", "北仑区", "北仑", 11, OPT_STHJ | OPT_JTYS },
	{ "330211", "镇海区", "镇海", 7, OPT_STHJ },
	{ "330212", "鄞州区", "鄞州", 16, OPT_STHJ | OPT_JTYS },
	{ "330213", "奉化区", "奉化", 7, 0 },
	{ "330225", "象山县", "象山", 8, OPT_STHJ },
	{ "330226", "宁海县", "宁海", 8, OPT_JTYS },
	{ "330281", "余姚市", "余姚", 12, OPT_STHJ | OPT_ZJ },
	{ "330282", "慈溪市", "慈溪", 14, OPT_STHJ | OPT_JTYS },
};
#define NCOUNTIES COUNT(counties)

/* Streets 0xx, towns 1xx, as in the statistical division codes. */
static const struct {
	const char *code, *name;
} towns[] = {
	{ "330203001", "南门街道" }, { "330203002", "江厦街道" },
	{ "330203004", "月湖街道" }, { "330203101", "古林镇" },
	{ "330205001", "中马街道" }, { "330205002", "白沙街道" },
	{ "330205101", "慈城镇" },
	{ "330206001", "新碶街道" }, { "330206002", "大碶街道" },
	{ "330206005", "柴桥街道" }, { "330206006", "春晓街道" },
	{ "330211001", "招宝山街道" }, { "330211002", "蛟川街道" },
	{ "330211101", "九龙湖镇" },
	{ "330212001", "钟公庙街道" }, { "330212003", "下应街道" },
	{ "330212102", "姜山镇" }, { "330212105", "咸祥镇" },
	{ "330213001", "锦屏街道" }, { "330213002", "岳林街道" },
	{ "330213101", "溪口镇" },
	{ "330225001", "丹东街道" }, { "330225002", "丹西街道" },
	{ "330225101", "石浦镇" }, { "330225102", "西周镇" },
	{ "330226001", "跃龙街道" }, { "330226002", "桃源街道" },
	{ "330226103", "西店镇" },
	{ "330281001", "凤山街道" }, { "330281003", "阳明街道" },
	{ "330281101", "泗门镇" },
	{ "330282001", "浒山街道" }, { "330282003", "宗汉街道" },
	{ "330282101", "周巷镇" }, { "330282104", "观海卫镇" },
};

static int town_in_county(int t, int c)
{
	return strncmp(towns[t].code, counties[c].code, 6) == 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int pick_county(struct rng *r)
{
	int total = 0, x, i;

	for (i = 0; i < NCOUNTIES; i++)
		total += counties[i].weight;
	x = rng_below(r, total);
	for (i = 0; i < NCOUNTIES - 1 && x >= counties[i].weight; i++)
		x -= counties[i].weight;
	return i;
}

/* ---- bodies -------------------------------------------------------------- */

/* A body below a government; its code is B<region>-<abbr> (pinyin
 * initials), its parent B<region>-<parent>, or the city's with branch. */
struct unit {
	const char *abbr, *name, *kind, *parent;
	unsigned opt;  /* 0: every county has it */
	int branch;    /* a county branch of a city department */
};

static const struct unit city_units[] = {
	{ "SFJ", "司法局", "department", "GOV", 0, 0 },
	{ "SCJG", "市场监督管理局", "department", "GOV", 0, 0 },
	{ "STHJ", "生态环境局", "department", "GOV", 0, 0 },
	{ "YJGL", "应急管理局", "department", "GOV", 0, 0 },
	{ "JTYS", "交通运输局", "department", "GOV", 0, 0 },
	{ "ZJ", "住房和城乡建设局", "department", "GOV", 0, 0 },
	{ "ZRZY", "自然资源和规划局", "department", "GOV", 0, 0 },
	{ "WJW", "卫生健康委员会", "department", "GOV", 0, 0 },
	{ "WGL", "文化广电旅游局", "department", "GOV", 0, 0 },
	{ "NYNC", "农业农村局", "department", "GOV", 0, 0 },
	{ "RSJ", "人力资源和社会保障局", "department", "GOV", 0, 0 },
	{ "GAJ", "公安局", "department", "GOV", 0, 0 },
	{ "SCJG-ZD", "市场监管综合行政执法队", "enforcement", "SCJG", 0, 0 },
	{ "STHJ-ZD", "生态环境保护综合行政执法队", "enforcement", "STHJ", 0, 0 },
	{ "JTYS-ZD", "交通运输综合行政执法队", "enforcement", "JTYS", 0, 0 },
	{ "ZHZF", "城市管理综合行政执法局", "enforcement", "GOV", 0, 0 },
};

static const struct unit county_units[] = {
	{ "SFJ", "司法局", "department", "GOV", 0, 0 },
	{ "SCJG", "市场监督管理局", "department", "GOV", 0, 0 },
	{ "SCJG-ZD", "市场监管综合行政执法队", "enforcement", "SCJG", 0, 0 },
	{ "ZHZF", "综合行政执法局", "enforcement", "GOV", 0, 0 },
	{ "YJGL", "应急管理局", "department", "GOV", 0, 0 },
	{ "STHJ", "生态环境局", "department", "STHJ", OPT_STHJ, 1 },
	{ "JTYS", "交通运输局", "department", "GOV", OPT_JTYS, 0 },
	{ "ZJ", "住房和城乡建设局", "department", "GOV", OPT_ZJ, 0 },
};

#define MAX_BODIES 160

struct body {
	char code[32];
	char name[96];
	const char *kind;
	const char *region;
	int parent;  /* index into gen.bodies; -1 for none */
	int slot;    /* certificate numbering: 0 the city, 1 + county index */
};

struct gen {
	demo_emit_fn emit;
	void *ctx;
	uint64_t seed;
	struct body bodies[MAX_BODIES];
	int nbodies;
	int cert_next[1 + NCOUNTIES];
	struct strset seen;
};

static int find_body(const struct gen *g, const char *code)
{
	int i;

	for (i = 0; i < g->nbodies; i++)
		if (strcmp(g->bodies[i].code, code) == 0)
			return i;
	return -1;
}

/* Appends a body; its parent (by code, or NULL) must already be there. */
static int add_body(struct gen *g, const char *code, const char *name, const char *kind,
		    const char *region, const char *parent, int slot)
{
	struct body *b;
	int p = parent ? find_body(g, parent) : -1;

	if (g->nbodies == MAX_BODIES || (parent && p < 0))
		return -1;
	b = &g->bodies[g->nbodies++];
	snprintf(b->code, sizeof b->code, "%s", code);
	snprintf(b->name, sizeof b->name, "%s", name);
	b->kind = kind;
	b->region = region;
	b->parent = p;
	b->slot = slot;
	return 0;
}

static int add_city_bodies(struct gen *g)
{
	char code[32], name[96], parent[32];
	int i;

	if (add_body(g, "B" CITY_CODE "-GOV", CITY_NAME "人民政府", "government", CITY_CODE, NULL, 0))
		return -1;
	for (i = 0; i < COUNT(city_units); i++) {
		const struct unit *u = &city_units[i];
		snprintf(code, sizeof code, "B%s-%s", CITY_CODE, u->abbr);
		snprintf(name, sizeof name, "%s%s", CITY_NAME, u->name);
		snprintf(parent, sizeof parent, "B%s-%s", CITY_CODE, u->parent);
		if (add_body(g, code, name, u->kind, CITY_CODE, parent, 0))
			return -1;
	}
	return 0;
}

static int add_county_unit(struct gen *g, int c, const struct unit *u)
{
	const struct county *k = &counties[c];
	char code[32], name[96], parent[32];

	snprintf(code, sizeof code, "B%s-%s", k->code, u->abbr);
	if (u->branch) {
		snprintf(name, sizeof name, "%s%s%s分局", CITY_NAME, u->name, k->short_name);
		snprintf(parent, sizeof parent, "B%s-%s", CITY_CODE, u->parent);
	} else {
		snprintf(name, sizeof name, "%s%s", k->name, u->name);
		snprintf(parent, sizeof parent, "B%s-%s", k->code, u->parent);
	}
	return add_body(g, code, name, u->kind, k->code, parent, 1 + c);
}

static int add_county_bodies(struct gen *g, int c)
{
	const struct county *k = &counties[c];
	char code[32], name[96], gov[32];
	int i;

	snprintf(gov, sizeof gov, "B%s-GOV", k->code);
	snprintf(name, sizeof name, "%s人民政府", k->name);
	if (add_body(g, gov, name, "government", k->code, NULL, 1 + c))
		return -1;
	for (i = 0; i < COUNT(county_units); i++) {
		const struct unit *u = &county_units[i];
		if ((u->opt == 0 || (k->opt & u->opt)) && add_county_unit(g, c, u))
			return -1;
	}
	for (i = 0; i < COUNT(towns); i++) {
		if (!town_in_county(i, c))
			continue;
		snprintf(code, sizeof code, "B%s-GOV", towns[i].code);
		snprintf(name, sizeof name, "%s%s", towns[i].name,
			 ends_with(towns[i].name, "街道") ? "办事处" : "人民政府");
		if (add_body(g, code, name, "township", towns[i].code, gov, 1 + c))
			return -1;
	}
	return 0;
}

static int build_bodies(struct gen *g)
{
	int c;

	if (add_city_bodies(g))
		return -1;
	for (c = 0; c < NCOUNTIES; c++)
		if (add_county_bodies(g, c))
			return -1;
	return 0;
}

/* ---- emission ------------------------------------------------------------ */

/* Hands obj to the callback and drops it; NULL (a failed json_pack) is -1. */
static int emit_obj(struct gen *g, json_t *obj)
{
	int rc;

	if (!obj)
		return -1;
	rc = g->emit(obj, g->ctx);
	json_decref(obj);
	return rc;
}

static int emit_region(struct gen *g, const char *code, const char *name, const char *parent)
{
	return emit_obj(g, json_pack("{s:s, s:s, s:s, s:s*}", "type", "region", "code", code,
				     "name", name, "parent", parent));
}

static int emit_regions(struct gen *g)
{
	int rc, i, c;

	if ((rc = emit_region(g, CITY_CODE, CITY_NAME, NULL)))
		return rc;
	for (c = 0; c < NCOUNTIES; c++)
		if ((rc = emit_region(g, counties[c].code, counties[c].name, CITY_CODE)))
			return rc;
	for (c = 0; c < NCOUNTIES; c++)
		for (i = 0; i < COUNT(towns); i++)
			if (town_in_county(i, c) &&
			    (rc = emit_region(g, towns[i].code, towns[i].name, counties[c].code)))
				return rc;
	return 0;
}

static int emit_bodies(struct gen *g)
{
	int rc, i;

	for (i = 0; i < g->nbodies; i++) {
		const struct body *b = &g->bodies[i];
		const char *parent = b->parent >= 0 ? g->bodies[b->parent].code : NULL;
		rc = emit_obj(g, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s*}", "type", "body",
					   "code", b->code, "name", b->name, "kind", b->kind,
					   "region", b->region, "parent", parent));
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- personal names ------------------------------------------------------ */

/* Weights roughly per 10,000 people, after the national surname census;
 * a few surnames common around Ningbo are added. */
static const struct weighted surnames[] = {
	{ "王", 710 }, { "李", 700 }, { "张", 670 }, { "刘", 540 }, { "陈", 460 },
	{ "杨", 310 }, { "黄", 240 }, { "赵", 220 }, { "吴", 200 }, { "周", 190 },
	{ "徐", 160 }, { "孙", 150 }, { "马", 150 }, { "朱", 130 }, { "胡", 130 },
	{ "郭", 110 }, { "何", 110 }, { "高", 100 }, { "林", 100 }, { "罗", 90 },
	{ "郑", 80 }, { "梁", 80 }, { "谢", 70 }, { "宋", 70 }, { "唐", 70 },
	{ "许", 65 }, { "韩", 60 }, { "冯", 60 }, { "邓", 60 }, { "曹", 55 },
	{ "彭", 55 }, { "曾", 50 }, { "肖", 50 }, { "田", 45 }, { "董", 45 },
	{ "袁", 45 }, { "潘", 45 }, { "于", 45 }, { "蒋", 45 }, { "蔡", 45 },
	{ "余", 40 }, { "杜", 40 }, { "叶", 40 }, { "程", 40 }, { "苏", 35 },
	{ "魏", 35 }, { "吕", 35 }, { "丁", 35 }, { "任", 35 }, { "沈", 35 },
	{ "姚", 30 }, { "卢", 30 }, { "姜", 30 }, { "崔", 30 }, { "钟", 30 },
	{ "谭", 28 }, { "陆", 28 }, { "汪", 28 }, { "范", 28 }, { "金", 28 },
	{ "石", 27 }, { "廖", 27 }, { "贾", 26 }, { "夏", 25 }, { "韦", 25 },
	{ "付", 25 }, { "方", 25 }, { "白", 25 }, { "邹", 24 }, { "孟", 24 },
	{ "熊", 24 }, { "秦", 23 }, { "邱", 23 }, { "江", 23 }, { "尹", 22 },
	{ "薛", 22 }, { "闫", 22 }, { "段", 21 }, { "雷", 21 }, { "侯", 20 },
	{ "龙", 20 }, { "史", 20 }, { "陶", 19 }, { "黎", 19 }, { "贺", 19 },
	{ "顾", 19 }, { "毛", 18 }, { "郝", 18 }, { "龚", 18 }, { "邵", 18 },
	{ "万", 17 }, { "钱", 17 }, { "严", 16 }, { "俞", 15 }, { "武", 15 },
	{ "戴", 15 }, { "莫", 14 }, { "孔", 14 }, { "向", 13 }, { "汤", 13 },
	{ "应", 12 }, { "虞", 8 }, { "舒", 8 }, { "屠", 8 }, { "竺", 6 },
};

static const char *const male_chars[] = {
	"伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平",
	"辉", "鹏", "华", "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆",
	"帅", "旭", "宁", "龙", "林", "洋", "峰", "建", "国", "志", "文", "海",
	"东", "亮", "成", "阳", "晨", "博", "昊", "然", "轩", "泽", "睿", "航",
	"宏", "毅", "诚", "哲", "翔", "昌", "彬", "锋", "坤", "晖", "庆", "荣",
	"兵", "新", "立", "德", "胜", "祥", "振", "松", "江", "瑞", "铭", "永",
	"福", "生", "金", "跃", "忠", "良", "栋", "凡", "家", "子", "天", "一",
	"思", "安", "嘉", "启", "舟", "远", "奇", "豪", "骏", "逸", "彦", "卫",
};

static const char *const female_chars[] = {
	"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪",
	"慧", "莉", "萍", "红", "琳", "倩", "颖", "洁", "佳", "欣", "怡", "悦",
	"琪", "雯", "菲", "蕾", "梅", "兰", "凤", "英", "秀", "珍", "瑶", "璐",
	"晶", "露", "楠", "婉", "妍", "蓉", "薇", "嘉", "彤", "诗", "梦", "月",
	"岚", "青", "晓", "婧", "茜", "雅", "馨", "紫", "涵", "萱", "媛", "春",
	"秋", "冰", "翠", "琴", "云", "虹", "丹", "华", "莹", "君", "文", "思",
	"一", "子", "安", "可", "心", "宁", "伊", "依", "语", "若", "欢", "乐",
	"素", "小", "亚", "卉", "姗", "淑", "贞", "玉", "美", "婕", "琼", "瑾",
};

static void gen_name(struct rng *r, int male, char *buf, size_t len)
{
	const char *const *chars = male ? male_chars : female_chars;
	int n = male ? COUNT(male_chars) : COUNT(female_chars);
	int a = rng_below(r, n), b = rng_below(r, n);
	const char *surname = pick_weighted(r, surnames, COUNT(surnames));

	if (rng_permille(r, 200))
		snprintf(buf, len, "%s%s", surname, chars[a]);
	else
		snprintf(buf, len, "%s%s%s", surname, chars[a], chars[a == b ? (b + 1) % n : b]);
}

/* ---- people (officers) --------------------------------------------------- */

static const struct weighted enforcement_titles[] = {
	{ "执法队员", 600 }, { "副中队长", 100 }, { "中队长", 80 }, { "副大队长", 30 },
	{ "大队长", 15 }, { "科员", 120 }, { "副科长", 40 }, { "科长", 15 },
};

static const struct weighted department_titles[] = {
	{ "科员", 450 }, { "一级科员", 100 }, { "四级主任科员", 120 }, { "三级主任科员", 60 },
	{ "副科长", 130 }, { "科长", 100 }, { "副局长", 25 }, { "执法队员", 15 },
};

static int body_weight(const struct body *b)
{
	if (strcmp(b->kind, "enforcement") == 0)
		return 4;
	return strcmp(b->kind, "department") == 0 ? 1 : 0;
}

/* The i-th officer's body: one for each enforcement body first, then
 * drawn with more weight on enforcement bodies than on departments. */
static const struct body *pick_body(const struct gen *g, struct rng *r, int i)
{
	int total = 0, x, k;

	for (k = 0; k < g->nbodies; k++) {
		if (strcmp(g->bodies[k].kind, "enforcement") == 0 && i-- == 0)
			return &g->bodies[k];
		total += body_weight(&g->bodies[k]);
	}
	x = rng_below(r, total);
	for (k = 0; k < g->nbodies; k++) {
		x -= body_weight(&g->bodies[k]);
		if (x < 0 && body_weight(&g->bodies[k]))
			break;
	}
	return &g->bodies[k];
}

static const char *slot_prefix(int slot)
{
	return slot ? counties[slot - 1].code : CITY_CODE;
}

/* 11 digits: the issuing region's code and a 5-digit serial, issued in
 * increasing order with small gaps (unique by construction). */
static void gen_cert_no(struct gen *g, struct rng *r, int slot, char *buf, size_t len)
{
	g->cert_next[slot] += 1 + rng_below(r, 3);
	snprintf(buf, len, "%s%05d", slot_prefix(slot), g->cert_next[slot]);
}

/* 5% of the terms ended before DEMO_CERT_WINDOW_FROM (start in 2020);
 * the others end after DEMO_CERT_WINDOW_UNTIL (start in 2022–2025). */
static void gen_cert_term(struct rng *r, char *from, char *until, size_t len)
{
	long day = rng_permille(r, 50)
		? rng_day(r, days_from_civil(2020, 1, 1), days_from_civil(2020, 12, 31))
		: rng_day(r, days_from_civil(2022, 1, 1), days_from_civil(2025, 12, 31));

	format_day(day, 0, from, len);
	format_day(term_end(day, 5), 0, until, len);
}

static const char *gen_cert_status(struct rng *r)
{
	int x = rng_below(r, 1000);
	return x < 30 ? "suspended" : x < 40 ? "revoked" : "active";
}

static int emit_officer(struct gen *g, struct rng *r, int i)
{
	const struct body *b = pick_body(g, r, i);
	int enforcement = strcmp(b->kind, "enforcement") == 0;
	char name[32], cert[32], from[32], until[32];
	const char *title, *issuer, *status;

	gen_name(r, rng_permille(r, 680), name, sizeof name);
	title = enforcement ? pick_weighted(r, enforcement_titles, COUNT(enforcement_titles))
			    : pick_weighted(r, department_titles, COUNT(department_titles));
	gen_cert_no(g, r, b->slot, cert, sizeof cert);
	issuer = rng_permille(r, 850) ? "浙江省人民政府" : CITY_NAME "人民政府";
	gen_cert_term(r, from, until, sizeof from);
	status = gen_cert_status(r);
	return emit_obj(g, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
				     "type", "person", "name", name, "body", b->code,
				     "title", title, "cert_no", cert, "cert_issuer", issuer,
				     "cert_valid_from", from, "cert_valid_until", until,
				     "cert_status", status));
}

static int emit_people(struct gen *g, int n)
{
	struct rng r;
	int i, rc;

	rng_init(&r, g->seed, 1);
	for (i = 0; i < COUNT(g->cert_next); i++)
		g->cert_next[i] = rng_below(&r, 2000);
	for (i = 0; i < n; i++)
		if ((rc = emit_officer(g, &r, i)))
			return rc;
	return 0;
}

/* ---- enterprises --------------------------------------------------------- */

static const char *const brands[] = {
	"兴华", "明辉", "海润", "永泰", "恒达", "鑫源", "华宇", "宏盛", "金诚", "瑞丰",
	"天成", "东升", "新科", "博远", "嘉禾", "卓越", "众鑫", "甬兴", "四明", "浙东",
	"东海", "海天", "宏达", "信诚", "富港", "丰泽", "德润", "万通", "汇通", "利达",
	"创新", "先锋", "长兴", "金鹰", "银河", "星辰", "华晨", "恒信", "广源", "顺发",
	"聚源", "鼎盛", "安泰", "祥和", "福瑞", "宝丰", "鸿运", "同创", "和润", "中恒",
	"亿达", "精工", "盛世", "锦程", "开元", "益民", "润发", "新亚", "远航", "腾飞",
	"泽宇", "佳和", "诚信", "君安", "立信", "荣盛", "达利", "美嘉", "金海", "蓝天",
	"绿源", "青山", "翔宇", "凯达", "伟业", "惠民", "俊杰", "志远", "弘毅", "明远",
	"东方", "南洋", "北斗", "泰和", "长丰", "丰源", "新潮", "海星", "海鹰", "金帆",
	"帆远", "润泽", "晨光", "永兴", "永康", "永盛", "旺达", "腾达", "创达", "联创",
	"中瑞", "宁兴", "甬城", "港城", "明州", "天一", "月湖", "三江", "江南", "江海",
	"沧海", "云帆", "海纳", "恒源", "裕丰", "晟达", "昌盛", "和兴", "隆兴", "复兴",
	"嘉诚", "欣荣", "耀华", "振华", "宏图", "骏马", "神舟", "奥新", "科瑞", "赛特",
	"普信", "博瑞", "优品", "佳美", "丽晶", "华越", "越达", "甬泰", "金叶", "银杏",
	"松柏", "翠竹", "梅园", "竹林", "海韵", "潮汐", "渔港", "万顺", "百川", "千禧",
};

static const char *const company_trades[] = {
	"电器", "五金", "塑业", "模具", "机械", "汽车部件", "纺织", "服饰", "家居用品",
	"文具", "电子", "科技", "信息技术", "新材料", "建材", "贸易", "进出口", "物流",
	"食品", "水产", "餐饮管理", "物业服务", "建设工程", "装饰工程", "环保科技",
	"化工", "医疗器械", "轴承", "紧固件", "照明电器", "小家电", "光电科技",
	"包装材料", "印刷", "旅游开发", "农业开发", "船舶修造", "港口服务", "检测技术",
	"软件开发", "教育咨询", "人力资源服务", "汽车销售服务", "供应链管理", "实业",
	"投资咨询",
};

static const struct weighted company_forms[] = {
	{ "有限公司", 880 }, { "有限责任公司", 80 }, { "股份有限公司", 40 },
};

/* Sole proprietorships named as a factory. */
static const char *const factory_trades[] = {
	"电器厂", "五金厂", "塑料厂", "模具厂", "服装厂", "针织厂", "纸箱厂", "印刷厂",
	"机械配件厂", "食品厂", "水产加工厂", "家具厂", "制衣厂", "橡胶制品厂",
};

static const char *const shop_trades[] = {
	"食品厂", "五金店", "水产经营部", "日用品商行", "小吃店", "便利店", "理发店",
	"服装店", "家电维修部", "汽车修理厂", "建材经营部", "农资店", "水果店", "茶叶店",
	"照相馆", "美容美发店", "快餐店", "面馆", "海鲜排档", "超市", "烟酒商行", "眼镜店",
	"粮油店", "手机维修店", "洗车店", "干洗店", "文具店", "花店", "早餐店", "副食品店",
};

static const char *const coop_trades[] = {
	"水产养殖", "果蔬", "杨梅", "茶叶", "粮油", "花卉苗木", "葡萄", "生猪养殖",
	"农机服务", "蜜梨", "竹笋", "草莓", "西兰花", "柑橘", "家禽养殖", "蔬菜种植",
	"榨菜", "白枇杷", "甲鱼养殖", "蜂业",
};

/* The USCC's type digit under registration authority 9: 1 enterprise,
 * 2 个体工商户, 3 农民专业合作社. */
static char pick_subject_type(struct rng *r)
{
	int x = rng_below(r, 1000);
	return x < 720 ? '1' : x < 940 ? '2' : '3';
}

/* The part of the name after the 字号. */
static void gen_trade(struct rng *r, char type, char *buf, size_t len)
{
	if (type == '2')
		snprintf(buf, len, "%s(个体工商户)", PICK(r, shop_trades));
	else if (type == '3')
		snprintf(buf, len, "%s专业合作社", PICK(r, coop_trades));
	else if (rng_permille(r, 80))
		snprintf(buf, len, "%s", PICK(r, factory_trades));
	else
		snprintf(buf, len, "%s%s", PICK(r, company_trades),
			 pick_weighted(r, company_forms, COUNT(company_forms)));
}

/* 区划 + 字号 + 行业 + 组织形式, unique: on a clash the 字号 grows by
 * another one (up to three), then starts over. */
static int gen_enterprise_name(struct gen *g, struct rng *r, int c, char type,
			       char *buf, size_t len)
{
	char brand[64] = "", trade[96];
	int rc, parts = 0;

	gen_trade(r, type, trade, sizeof trade);
	for (;;) {
		if (parts == 3) {
			brand[0] = 0;
			parts = 0;
		}
		strncat(brand, PICK(r, brands), sizeof brand - strlen(brand) - 1);
		parts++;
		/* 企业名称登记管理规定 第七条: a 市辖区 carries its city's name */
		snprintf(buf, len, "%s%s%s%s", ends_with(counties[c].name, "区") ? CITY_NAME : "", counties[c].name, brand,
			 trade);
		if ((rc = strset_add(&g->seen, buf)))
			return rc < 0 ? -1 : 0;
	}
}

/* Nine characters: 8 digits (older codes) or "MA" + 6 characters (codes
 * given since 2015), then the GB 11714 check character. */
static void gen_orgcode(struct rng *r, char *s)
{
	int i;

	if (rng_permille(r, 350)) {
		for (i = 0; i < 8; i++)
			s[i] = (char)('0' + rng_below(r, 10));
	} else {
		s[0] = 'M';
		s[1] = 'A';
		s[2] = '2';
		for (i = 3; i < 8; i++)
			s[i] = uscc_chars[rng_below(r, 31)];
	}
	s[8] = orgcode_check(s);
}

static int gen_uscc(struct gen *g, struct rng *r, int c, char type, char *s)
{
	int rc;

	do {
		s[0] = '9';
		s[1] = type;
		memcpy(s + 2, counties[c].code, 6);
		gen_orgcode(r, s + 8);
		s[17] = uscc_check(s);
		s[18] = 0;
	} while ((rc = strset_add(&g->seen, s)) == 0);
	return rc < 0 ? -1 : 0;
}

static int emit_enterprise(struct gen *g, struct rng *r)
{
	int c = pick_county(r);
	char type = pick_subject_type(r);
	char uscc[19], name[192];

	if (gen_uscc(g, r, c, type, uscc) || gen_enterprise_name(g, r, c, type, name, sizeof name))
		return -1;
	return emit_obj(g, json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "subject",
				     "kind", "enterprise", "uscc", uscc, "name", name,
				     "region", counties[c].code));
}

static int emit_enterprises(struct gen *g, int n)
{
	struct rng r;
	int i, rc;

	rng_init(&r, g->seed, 2);
	for (i = 0; i < n; i++)
		if ((rc = emit_enterprise(g, &r)))
			return rc;
	return 0;
}

/* ---- natural persons ----------------------------------------------------- */

/* County code, birth date 1950–2004, a sequence odd for men and even for
 * women, and the check character. */
static int gen_id_number(struct gen *g, struct rng *r, int c, int male, char *s)
{
	long first = days_from_civil(1950, 1, 1), last = days_from_civil(2004, 12, 31);
	char date[32];
	int seq, rc;

	do {
		format_day(rng_day(r, first, last), 1, date, sizeof date);
		seq = male ? 1 + 2 * rng_below(r, 500) : 2 + 2 * rng_below(r, 499);
		snprintf(s, 19, "%s%.8s%03d", counties[c].code, date, seq);
		s[17] = idcard_check(s);
		s[18] = 0;
	} while ((rc = strset_add(&g->seen, s)) == 0);
	return rc < 0 ? -1 : 0;
}

static int emit_natural_person(struct gen *g, struct rng *r)
{
	int c = pick_county(r), male = rng_permille(r, 500);
	char id[19], name[32];

	gen_name(r, male, name, sizeof name);
	if (gen_id_number(g, r, c, male, id))
		return -1;
	return emit_obj(g, json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "subject",
				     "kind", "person", "id_number", id, "name", name,
				     "region", counties[c].code));
}

static int emit_natural_persons(struct gen *g, int n)
{
	struct rng r;
	int i, rc;

	rng_init(&r, g->seed, 3);
	for (i = 0; i < n; i++)
		if ((rc = emit_natural_person(g, &r)))
			return rc;
	return 0;
}

/* ---- public -------------------------------------------------------------- */

static int size_ok(const struct demo_size *s)
{
	return s->enterprises >= 0 && s->enterprises <= DEMO_MAX_ENTERPRISES &&
	       s->persons >= 0 && s->persons <= DEMO_MAX_PERSONS &&
	       s->officers >= 0 && s->officers <= DEMO_MAX_OFFICERS;
}

int demo_generate(const struct demo_size *size, uint64_t seed, demo_emit_fn emit, void *ctx)
{
	static const struct demo_size defaults = {
		DEMO_DEFAULT_ENTERPRISES, DEMO_DEFAULT_PERSONS, DEMO_DEFAULT_OFFICERS
	};
	struct gen *g;
	int rc;

	if (!size)
		size = &defaults;
	if (!emit || !size_ok(size) || !(g = calloc(1, sizeof *g)))
		return -1;
	g->emit = emit;
	g->ctx = ctx;
	g->seed = seed;
	rc = build_bodies(g);
	if (!rc)
		rc = emit_regions(g);
	if (!rc)
		rc = emit_bodies(g);
	if (!rc)
		rc = emit_people(g, size->officers);
	if (!rc)
		rc = emit_enterprises(g, size->enterprises);
	if (!rc)
		rc = emit_natural_persons(g, size->persons);
	strset_free(&g->seen);
	free(g);
	return rc;
}

const char *demo_city_code(void)
{
	return CITY_CODE;
}

const char *demo_county_codes(int i)
{
	return i >= 0 && i < NCOUNTIES ? counties[i].code : NULL;
}

const char *demo_body_code(const char *role)
{
	if (!role)
		return NULL;
	if (strcmp(role, "coordinator") == 0 || strcmp(role, "legal_reviewer") == 0)
		return "B" CITY_CODE "-SFJ";
	if (strcmp(role, "department") == 0)
		return "B330282-SCJG";
	if (strcmp(role, "officer") == 0)
		return "B330282-SCJG-ZD";
	return NULL;
}

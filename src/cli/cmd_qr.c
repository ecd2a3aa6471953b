/* cmd_qr.c — `fazhi qr make`: a 入企码 (qr_token.h) for tests and operators. */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clock.h"
#include "qr_svg.h"
#include "qr_token.h"

static int run(int argc, char **argv);

CLI_COMMAND(qr, "qr", "生成入企码（make） / make a QR token",
	    "用法 / Usage: fazhi qr make [--db URI] --record ID --subject ID --days N [--svg FILE] [--url-base URL]\n\n"
	    "用本库的入企码签名密钥（PATH.qr-sign.pem，首次使用时创建）为检查记录 ID、被检查企业 ID 签发入企码，\n"
	    "有效期为今天起 N 天（含今天，中国时间）。打印令牌；--svg 时把二维码（内容为 URL 前缀加 /c/令牌，\n"
	    "默认仅 /c/令牌）写入 FILE。\n"
	    "Signs a token for the visit record ID and enterprise (subject) ID with the store's QR key (created\n"
	    "on first use), valid for N days from today (China time). Prints the token; with --svg writes the QR\n"
	    "code of URL/c/TOKEN (without --url-base just /c/TOKEN) as SVG to FILE.",
	    run)

static int write_svg(const char *path, const char *text)
{
	char *svg = qr_svg(text);
	FILE *f = svg ? fopen(path, "w") : NULL;
	int ok = f && fputs(svg, f) >= 0;
	if (f && fclose(f) != 0)
		ok = 0;
	free(svg);
	if (!ok)
		fprintf(stderr, "fazhi: 无法写入二维码文件 / cannot write %s\n", path);
	return ok ? 0 : -1;
}

static int run(int argc, char **argv)
{
	const char *uri = DB_DEFAULT_URI, *svg = NULL, *base = "";
	int record = 0, subject = 0, days = 0;
	const struct cli_opt opts[] = {
		CLI_OPT_STR("db", &uri), CLI_OPT_INT("record", &record, 1, INT32_MAX),
		CLI_OPT_INT("subject", &subject, 1, INT32_MAX), CLI_OPT_INT("days", &days, 1, 366),
		CLI_OPT_STR("svg", &svg), CLI_OPT_STR("url-base", &base), CLI_OPT_END,
	};
	if (cli_wants_help(&qr_cmd, argc, argv))
		return 0;
	if (argc < 2 || strcmp(argv[1], "make") != 0) {
		printf("%s\n", qr_cmd.usage);
		return 2;
	}
	if (cli_parse(argc, argv, 2, opts, NULL, 0) < 0)
		return 2;
	if (!record || !subject || !days) {
		fprintf(stderr, "fazhi: 须给出 --record、--subject 与 --days / --record, --subject and --days are required\n");
		return 2;
	}
	db *d = cli_open_db(uri, 0);
	if (!d)
		return 1;
	struct qr_claim c = { QR_KIND_INSPECTION, record, subject, qr_today() + days - 1 };
	char tok[QR_TOKEN_LEN + 1], url[4096 + QR_TOKEN_LEN], id[24], until[DATE_STR];
	int rc = qr_token_make(qr_key(), &c, tok) == 0 ? 0 : 1;
	if (rc == 0) {
		date_format(date_from_days(c.expires), until);
		json_t *detail = json_pack("{s:i, s:s}", "subject_id", subject, "valid_until", until);
		snprintf(id, sizeof id, "%d", record);
		audit_append(d, &cli_actor, "qr_make", "qr_token", id, "ok", detail);
		json_decref(detail);
		printf("%s\n", tok);
		snprintf(url, sizeof url, "%s/c/%s", base, tok);
		if (svg && write_svg(svg, url) != 0)
			rc = 1;
	} else {
		fprintf(stderr, "fazhi: 无法签发入企码 / cannot sign the token\n");
	}
	db_close(d);
	return rc;
}

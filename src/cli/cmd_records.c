/* cmd_records.c — `fazhi records import`: register records from JSON Lines or CSV. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "record_import.h"

static int run(int argc, char **argv);

CLI_COMMAND(records, "records", "登记簿记录批量导入（import） / import register records",
	    "用法 / Usage: fazhi records import [--db URI] --register NAME [--format jsonl|csv] FILE\n\n"
	    "格式按 --format，缺省按扩展名：.csv 为 CSV，其他为 JSON Lines。\n"
	    "JSON Lines：每行一个 JSON 对象：{\"body\":\"机关编码\",\"start_date\":\"YYYY-MM-DD\",\"data\":{…},\n"
	    "  \"history\":[{\"transition\":\"close\",\"date\":\"YYYY-MM-DD\",\"data\":{…}}]}\n"
	    "  history 按日期重放状态流转，期限、状态和计数与实时登记一致。\n"
	    "CSV（UTF-8，可带 BOM；Excel 请“另存为 CSV UTF-8”）：第一行为表头，列名用字段名或中文名，\n"
	    "  如 责任单位,起算日期,问题来源,问题描述,整改期限；每行一条记录，按初始状态创建；空单元格为未填。\n"
	    "  行号与 Excel 一致（表头为第 1 行）。日期可写 2024-03-05 或 2024/3/5。\n"
	    "全部校验通过才写入，否则逐行报告错误、不导入任何记录。登记簿: rectification（整改台账）、proposal（建议提案）。\n"
	    "Format by --format, else by extension (.csv = CSV, otherwise JSON Lines). JSON Lines: one object\n"
	    "per line; history replays transitions on their dates. CSV: UTF-8, a header row of field names or\n"
	    "Chinese labels, one record per row (created in the initial state). All or nothing; docs/import.md.",
	    run)

static int run(int argc, char **argv)
{
	static const struct option opts[] = { { "db", required_argument, 0, 'd' },
					      { "register", required_argument, 0, 'r' },
					      { "format", required_argument, 0, 'f' }, { 0, 0, 0, 0 } };
	const char *uri = DB_DEFAULT_URI, *reg = NULL, *format = NULL;
	int c;
	if (cli_wants_help(&records_cmd, argc, argv))
		return 0;
	if (argc < 2 || strcmp(argv[1], "import") != 0) {
		printf("%s\n", records_cmd.usage);
		return 2;
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			uri = optarg;
		else if (c == 'r')
			reg = optarg;
		else if (c == 'f')
			format = optarg;
		else
			return 2;
	}
	const struct reg_def *r = register_find(reg);
	if (!r || optind != argc - 1) {
		fprintf(stderr, "fazhi: 需要 --register（rectification 或 proposal）和一个导入文件\n");
		return 2;
	}
	if (format && strcmp(format, "csv") != 0 && strcmp(format, "jsonl") != 0) {
		fprintf(stderr, "fazhi: --format 应为 jsonl 或 csv\n");
		return 2;
	}
	enum record_format f = format ? (format[0] == 'c' ? RECORD_CSV : RECORD_JSONL) : record_format_of(argv[optind]);
	FILE *in = strcmp(argv[optind], "-") == 0 ? stdin : fopen(argv[optind], "r");
	if (!in) {
		fprintf(stderr, "fazhi: 无法打开 %s\n", argv[optind]);
		return 1;
	}
	db *d = cli_open_db(uri, 0);
	if (!d)
		return 1;
	struct rec_ctx ctx;
	rec_ctx_init(&ctx, d, NULL, &cli_actor);
	struct record_report rep = { .errors = stderr };
	int rc = record_import_stream(&ctx, r, f, in, &rep);
	if (in != stdin)
		fclose(in);
	if (rc == 0)
		printf("导入完成 / imported: %s %" PRId64 " 条 records\n", r->label, rep.rows);
	else if (rc < 0)
		fprintf(stderr, "fazhi: 导入失败，未写入任何记录: %s\n", db_errmsg(d));
	db_close(d);
	return rc == 0 ? 0 : 1;
}

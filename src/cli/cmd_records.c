/* cmd_records.c — `fazhi records import`: register records from JSON Lines,
 * CSV or an .xlsx workbook, as the system, in batched transactions after a checking pass
 * (settings import_batch_rows); the import's SM3 digest, row count and id
 * range go to the imports table and the audit log. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "record_import.h"
#include "settings.h"

static int run(int argc, char **argv);

CLI_COMMAND(records, "records", "登记簿记录批量导入（import） / import register records",
	    "用法 / Usage: fazhi records import [--db URI] --register NAME [--format jsonl|csv|xlsx] FILE\n\n"
	    "格式按 --format，缺省按内容和扩展名：Excel 工作簿（.xlsx）、.csv 为 CSV，其他为 JSON Lines。\n"
	    "JSON Lines：每行一个 JSON 对象：{\"body\":\"机关编码\",\"start_date\":\"YYYY-MM-DD\",\"data\":{…},\n"
	    "  \"history\":[{\"transition\":\"close\",\"date\":\"YYYY-MM-DD\",\"data\":{…}}]}\n"
	    "  history 按日期重放状态流转，期限、状态和计数与实时登记一致。\n"
	    "CSV（UTF-8，可带 BOM；Excel 请“另存为 CSV UTF-8”）：第一行为表头，列名用字段名或中文名，\n"
	    "  如 责任单位,起算日期,问题来源,问题描述,整改期限（列名即登记簿定义中的字段）；每行一条记录，\n"
	    "  按初始状态创建；空单元格为未填。\n"
	    "  行号与 Excel 一致（表头为第 1 行）。日期可写 2024-03-05 或 2024/3/5。\n"
	    "Excel（.xlsx）：读取第一个工作表，表头和各列同 CSV；日期单元格按日期读取。\n"
	    "责任单位可填单位编码，或系统中显示的单位名称（同名单位须填编码）。\n"
	    "先逐行校验全部记录，全部通过才分批写入（每批行数见设置 import_batch_rows），否则逐行报告错误、\n"
	    "  不导入任何记录。命令行以系统身份导入，可补录早于今天的历史（审计日志记录文件 SM3 摘要与记录编号范围）。\n"
	    "登记簿（NAME）: 见 GET /api/v1/registers 或 data/registers/*.json 的 name。\n"
	    "Format by --format, else by content and extension (.xlsx workbook, .csv = CSV, otherwise JSON\n"
	    "Lines). JSON Lines: one object per line; history replays transitions on their dates. CSV or the\n"
	    "first worksheet of an .xlsx: a header row of field names or Chinese labels, one record per row\n"
	    "(created in the initial state); a body by its code or its name. Every row is checked first;\n"
	    "then written in batched transactions (setting import_batch_rows); docs/import.md.",
	    run)

/* The file, or standard input copied to a temporary file (the import
 * reads its input more than once). NULL with a message. */
static FILE *open_input(const char *path)
{
	if (strcmp(path, "-") != 0) {
		FILE *in = fopen(path, "r");
		if (!in)
			fprintf(stderr, "fazhi: 无法打开 %s\n", path);
		return in;
	}
	FILE *tmp = tmpfile();
	char buf[65536];
	size_t n;
	while (tmp && (n = fread(buf, 1, sizeof buf, stdin)) > 0)
		if (fwrite(buf, 1, n, tmp) != n) {
			fclose(tmp);
			tmp = NULL;
		}
	if (!tmp || ferror(stdin) || fseek(tmp, 0, SEEK_SET) != 0) {
		fprintf(stderr, "fazhi: 无法读取标准输入\n");
		if (tmp)
			fclose(tmp);
		return NULL;
	}
	return tmp;
}

static int run(int argc, char **argv)
{
	const char *uri = DB_DEFAULT_URI, *reg = NULL, *format = NULL;
	const struct cli_opt opts[] = { CLI_OPT_STR("db", &uri), CLI_OPT_STR("register", &reg),
					CLI_OPT_STR("format", &format), CLI_OPT_END };
	char *path = NULL;
	if (cli_wants_help(&records_cmd, argc, argv))
		return 0;
	if (argc < 2 || strcmp(argv[1], "import") != 0) {
		printf("%s\n", records_cmd.usage);
		return 2;
	}
	int nw = cli_parse(argc, argv, 2, opts, &path, 1);
	if (nw < 0)
		return 2;
	const struct reg_def *r = register_find(reg);
	if (!r || nw != 1) {
		fprintf(stderr, "fazhi: 需要 --register NAME（");
		for (int i = 0; i < register_count(); i++)
			fprintf(stderr, "%s%s（%s）", i ? "、" : "", register_at(i)->name, register_at(i)->label);
		fprintf(stderr, "）和一个导入文件\n");
		return 2;
	}
	static const char *const formats[] = { [RECORD_JSONL] = "jsonl", [RECORD_CSV] = "csv", [RECORD_XLSX] = "xlsx" };
	enum record_format f = RECORD_NONE;
	for (int i = 0; format && i < RECORD_NONE; i++)
		if (strcmp(format, formats[i]) == 0)
			f = (enum record_format)i;
	if (format && f == RECORD_NONE) {
		fprintf(stderr, "fazhi: --format 应为 jsonl、csv 或 xlsx\n");
		return 2;
	}
	FILE *in = open_input(path);
	if (!in)
		return 1;
	char head[8];
	size_t nhead = fread(head, 1, sizeof head, in);
	rewind(in);
	if (!format)
		f = record_format_of(path, head, nhead, RECORD_JSONL);
	char sm3[65];
	if (record_import_digest(in, sm3) != 0) {
		fprintf(stderr, "fazhi: 无法读取 %s\n", path);
		fclose(in);
		return 1;
	}
	db *d = cli_open_db(uri, 0);
	if (!d) {
		fclose(in);
		return 1;
	}
	struct settings cfg;
	if (cli_load_settings(d, &cfg) != 0) {
		db_close(d);
		fclose(in);
		return 1;
	}
	struct rec_ctx ctx;
	rec_ctx_init(&ctx, d, NULL, &cli_actor);
	ctx.cfg = &cfg;
	struct record_report rep = { .errors = stderr };
	struct record_import_opts o = { .source = "cli", .filename = path, .sm3 = sm3,
					.batch_rows = cfg.import_batch_rows };
	int rc = record_import_stream(&ctx, r, f, in, &o, &rep);
	fclose(in);
	if (rc == 0)
		printf("导入完成 / imported: %s %" PRId64 " 条 records（导入批次 / import %" PRId64 "，编号 / ids %" PRId64
		       "–%" PRId64 "，SM3 %s）\n", r->label, rep.rows, rep.import_id, rep.first_id, rep.last_id, sm3);
	else if (rc < 0 && !rep.import_id)
		fprintf(stderr, "fazhi: 导入失败，未写入任何记录: %s\n", db_errmsg(d));
	else if (rc < 0)
		fprintf(stderr, "fazhi: 导入中断: %s\n", db_errmsg(d));
	db_close(d);
	return rc == 0 ? 0 : 1;
}

/* cmd_backup.c — `fazhi backup`: an online, consistent copy of the store,
 * mode 0600, and of the uploaded files it names (OUT.files, each checked
 * against its SM3 digest on the way: a damaged or missing file fails the
 * backup). The personal-data key goes beside it only when asked
 * (--with-key), with a warning: a backup and its key belong apart. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api/api.h"
#include "attach_store.h"
#include "cli.h"
#include "crypto.h"

static int run(int argc, char **argv);

CLI_COMMAND(backup, "backup", "在线备份数据库 / online backup",
	    "用法 / Usage: fazhi backup [--db URI] [--with-key] OUT\n\n"
	    "SQLite：以 VACUUM INTO 生成一致的副本；PostgreSQL：调用 pg_dump 生成自定义格式的备份（pg_restore 恢复）。\n"
	    "备份文件权限为 0600。个人信息加密密钥与审计密钥不随备份写出，请另行保管；\n"
	    "  --with-key  同时把个人信息加密密钥写为 OUT.key（0600，会打印警告）。\n"
	    "SQLite: a consistent copy via VACUUM INTO; PostgreSQL: pg_dump in custom format. Mode 0600.\n"
	    "上传的文件（印证材料）复制到 OUT.files 目录，逐个核对 SM3 摘要；有缺失或损坏的文件则备份失败。\n"
	    "Keys are not written beside the backup unless --with-key (the personal-data key as OUT.key).\n"
	    "Uploaded files go to OUT.files, each checked against its SM3 digest (a bad one fails the backup).",
	    run)

static int pg_dump(const char *uri, const char *out)
{
	pid_t pid = fork();
	if (pid == 0) {
		execlp("pg_dump", "pg_dump", "--format=custom", "--file", out, uri, (char *)NULL);
		perror("pg_dump");
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int copy_key(const char *uri, const char *out)
{
	unsigned char key[32];
	char path[4096];
	if (cli_load_key(uri, key, 0) != 0)
		return -1;
	snprintf(path, sizeof path, "%s.key", out);
	FILE *f = fopen(path, "wx");
	if (!f)
		return -1;
	fchmod(fileno(f), 0600);
	for (int i = 0; i < 32; i++)
		fprintf(f, "%02x", key[i]);
	fprintf(f, "\n");
	crypto_wipe(key, sizeof key);
	return fclose(f);
}

/* Every file the store names (attachments, evidence moved to the store),
 * from the attachment store into OUT.files, checked on the way. Read after
 * the copy of the database: every row in the copy is also here, and its
 * file was written before its row. *count: files copied; -1 on failure. */
static int copy_files(db *d, const char *uri, const char *out, int *count)
{
	char dir[4200];
	struct attach_store *src = NULL, *dst = NULL;
	struct fz_err e = { 0 };
	int rc = 0, step;
	*count = 0;
	snprintf(dir, sizeof dir, "%s.files", out);
	if (attach_store_open(dir, 1, &dst, e.msg, sizeof e.msg) != 0) {
		fprintf(stderr, "fazhi: %s\n", e.msg);
		return -1;
	}
	db_stmt *st = db_prepare(d, "SELECT sm3 FROM attachments UNION SELECT sm3 FROM evidence WHERE in_store = 1");
	while (rc == 0 && (step = db_step(st)) == DB_ROW) {
		if (!src && !(src = cli_open_files(uri, 0)))
			rc = -1;
		else if (attach_store_copy(src, dst, db_col_text(st, 0), API_MAX_UPLOAD, &e) != 0) {
			fprintf(stderr, "fazhi: 附件 %s: %s\n", db_col_text(st, 0), e.msg);
			rc = -1;
		} else {
			++*count;
		}
	}
	if (rc == 0 && step != DB_DONE) {
		fprintf(stderr, "fazhi: %s\n", db_errmsg(d));
		rc = -1;
	}
	db_done(st);
	attach_store_close(src);
	attach_store_close(dst);
	return rc;
}

static int run(int argc, char **argv)
{
	const char *uri = DB_DEFAULT_URI;
	int with_key = 0;
	const struct cli_opt opts[] = { CLI_OPT_STR("db", &uri), CLI_OPT_FLAG("with-key", &with_key), CLI_OPT_END };
	char *w[1];
	if (cli_wants_help(&backup_cmd, argc, argv))
		return 0;
	int nw = cli_parse(argc, argv, 1, opts, w, 1);
	if (nw != 1) {
		if (nw == 0)
			fprintf(stderr, "fazhi: 需要备份文件路径 OUT / OUT is required\n");
		return 2;
	}
	const char *out = w[0];
	if (access(out, F_OK) == 0) {
		fprintf(stderr, "fazhi: %s 已存在，不覆盖 / exists, not overwritten\n", out);
		return 1;
	}
	db *d = cli_open_db(uri, 0);
	if (!d)
		return 1;
	int rc;
	if (db_backend_of(d) == DB_POSTGRES) {
		rc = pg_dump(uri, out);
	} else {
		db_stmt *st = db_prepare(d, "VACUUM INTO $1");
		rc = st ? 0 : -1;
		if (st) {
			db_bind_text(st, 1, out);
			rc = db_run(st) == DB_DONE ? 0 : -1;
			db_done(st);
		}
	}
	if (rc == 0 && chmod(out, 0600) != 0)
		rc = -1;
	int files = 0;
	if (rc == 0)
		rc = copy_files(d, uri, out, &files);
	if (rc == 0 && with_key) {
		rc = copy_key(uri, out);
		fprintf(stderr, "警告 / WARNING: 个人信息加密密钥已写在备份旁（%s.key）。持有两者即可读出全部身份证号：\n"
				"请把密钥与备份分开保管，用完后安全删除。 / the personal-data key was written beside the backup.\n",
			out);
	}
	if (rc == 0) {
		json_t *detail = json_pack("{s:b, s:i}", "with_key", with_key, "files", files);
		audit_append(d, &cli_actor, "backup", "store", "", "ok", detail);
		json_decref(detail);
	}
	if (rc == 0)
		printf("备份完成 / backup written: %s（附件 / files: %d，%s.files）\n", out, files, out);
	else
		fprintf(stderr, "fazhi: 备份失败 / backup failed: %s\n", db_errmsg(d));
	db_close(d);
	return rc == 0 ? 0 : 1;
}

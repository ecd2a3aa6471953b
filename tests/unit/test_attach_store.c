/*
 * test_attach_store.c — the attachment store: a file written and read back
 * byte for byte under its SM3 digest (as OpenSSL's SM3 gives it), the same
 * content stored once, a tampered or missing file refused with its stable
 * code and nothing handed out, a damaged file healed by storing its
 * content again, a failed write leaving no file under a digest name and
 * nothing in tmp; and the upload rule (type by content, file names).
 */
#include "t.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach.h"
#include "attach_store.h"
#include "crypto.h"

static char dir[] = "/tmp/fazhi-attach-XXXXXX";

static void path_of(const char *digest, char *out, size_t n)
{
	snprintf(out, n, "%s/%.2s/%.2s/%s", dir, digest, digest + 2, digest);
}

static int count_entries(const char *path)
{
	DIR *d = opendir(path);
	int n = 0;
	struct dirent *de;
	while (d && (de = readdir(d)))
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	if (d)
		closedir(d);
	return d ? n : -1;
}

/* Every file outside tmp lies at ab/cd/<digest> and holds that digest's
 * content; answers how many there are, -1 at the first that does not. */
static int check_tree(void)
{
	int files = 0;
	DIR *d1 = opendir(dir);
	struct dirent *a, *b, *c;
	char p1[1024], p2[1400], p3[1800];
	while (d1 && (a = readdir(d1))) {
		if (a->d_name[0] == '.' || strcmp(a->d_name, "tmp") == 0)
			continue;
		snprintf(p1, sizeof p1, "%s/%s", dir, a->d_name);
		DIR *d2 = opendir(p1);
		while (d2 && (b = readdir(d2))) {
			if (b->d_name[0] == '.')
				continue;
			snprintf(p2, sizeof p2, "%s/%s", p1, b->d_name);
			DIR *d3 = opendir(p2);
			while (d3 && (c = readdir(d3))) {
				if (c->d_name[0] == '.')
					continue;
				snprintf(p3, sizeof p3, "%s/%s", p2, c->d_name);
				FILE *f = fopen(p3, "rb");
				char buf[4096], got[65];
				size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
				if (f)
					fclose(f);
				crypto_digest_hex(HASH_SM3, buf, n, got);
				if (!attach_digest_valid(c->d_name) || strcmp(got, c->d_name) != 0 ||
				    strncmp(c->d_name, a->d_name, 2) != 0 || strncmp(c->d_name + 2, b->d_name, 2) != 0)
					files = -1000;
				files++;
			}
			if (d3)
				closedir(d3);
		}
		if (d2)
			closedir(d2);
	}
	if (d1)
		closedir(d1);
	return files < 0 ? -1 : files;
}

static void test_put_get(struct attach_store *s)
{
	static const char abc_sm3[] = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0";
	struct fz_err e = { 0 };
	char digest[65], *out;
	size_t n;
	CHECK_INT(attach_store_put(s, "abc", 3, digest, &e), 0);
	CHECK_STR(digest, abc_sm3); /* GB/T 32905-2016 example 1 */
	CHECK_INT(attach_store_get(s, digest, 1 << 20, &out, &n, &e), 0);
	CHECK_INT(n, 3);
	CHECK(out && memcmp(out, "abc", 3) == 0);
	free(out);

	/* the same content once: no second file, the first one untouched */
	char path[4200];
	struct stat before, after;
	path_of(digest, path, sizeof path);
	CHECK_INT(stat(path, &before), 0);
	CHECK_INT(attach_store_put(s, "abc", 3, digest, &e), 0);
	CHECK_INT(stat(path, &after), 0);
	CHECK_INT(after.st_ino, before.st_ino);
	CHECK_INT(check_tree(), 1);

	/* bytes of every value, and a second file */
	char bin[256];
	for (int i = 0; i < 256; i++)
		bin[i] = (char)i;
	char d2[65];
	CHECK_INT(attach_store_put(s, bin, sizeof bin, d2, &e), 0);
	CHECK_INT(attach_store_get(s, d2, 1 << 20, &out, &n, &e), 0);
	CHECK(n == sizeof bin && memcmp(out, bin, n) == 0);
	free(out);
	CHECK_INT(check_tree(), 2);
	CHECK_INT(count_entries(strcat(strcpy(path, dir), "/tmp")), 0);
	/* larger than the reader's bound: refused */
	out = (char *)1;
	CHECK_INT(attach_store_get(s, d2, 100, &out, &n, &e), -1);
	CHECK(out == NULL);
}

static void test_refusals(struct attach_store *s)
{
	struct fz_err e = { 0 };
	char digest[65], path[4200], *out = (char *)1;
	size_t n = 7;
	CHECK_INT(attach_store_put(s, "原始内容", strlen("原始内容"), digest, &e), 0);
	path_of(digest, path, sizeof path);

	/* tampered: same length, one byte changed */
	FILE *f = fopen(path, "r+b");
	CHECK(f != NULL);
	if (f) {
		fputc('X', f);
		fclose(f);
	}
	CHECK_INT(attach_store_get(s, digest, 1 << 20, &out, &n, &e), -1);
	CHECK_STR(e.code, "attachment_corrupt");
	CHECK_INT(e.status, 500);
	CHECK(strstr(e.msg, "损坏") != NULL);
	CHECK(out == NULL && n == 0);

	/* storing the content again heals it */
	CHECK_INT(attach_store_put(s, "原始内容", strlen("原始内容"), digest, &e), 0);
	CHECK_INT(attach_store_get(s, digest, 1 << 20, &out, &n, &e), 0);
	free(out);

	/* missing */
	CHECK_INT(unlink(path), 0);
	memset(&e, 0, sizeof e);
	CHECK_INT(attach_store_get(s, digest, 1 << 20, &out, &n, &e), -1);
	CHECK_STR(e.code, "attachment_missing");
	CHECK(strstr(e.msg, "缺失") != NULL);
	CHECK(out == NULL);

	/* a name that is no digest never reaches the file system */
	CHECK_INT(attach_store_get(s, "../../etc/passwd", 1 << 20, &out, &n, &e), -1);
	CHECK_STR(e.code, "attachment_corrupt");
	CHECK(!attach_digest_valid("ABCDEF"));
	CHECK(!attach_digest_valid("66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0"));
}

/* A write that fails where the file is renamed into place leaves nothing:
 * no file under the digest's name, no temporary file. */
static void test_failed_write(struct attach_store *s)
{
	static const char body[] = "内容写入失败的情形";
	struct fz_err e = { 0 };
	char digest[65], shard[4200], tmp[4200], *out;
	size_t n;
	crypto_digest_hex(HASH_SM3, body, sizeof body - 1, digest);
	snprintf(shard, sizeof shard, "%s/%.2s", dir, digest);
	rmdir(shard); /* empty if an earlier test made it */
	FILE *f = fopen(shard, "w"); /* a file where the shard directory belongs */
	CHECK(f != NULL);
	if (f)
		fclose(f);
	CHECK_INT(attach_store_put(s, body, sizeof body - 1, digest, &e), -1);
	CHECK_STR(e.code, "attachment_store");
	CHECK_INT(attach_store_get(s, digest, 1 << 20, &out, &n, &e), -1);
	snprintf(tmp, sizeof tmp, "%s/tmp", dir);
	CHECK_INT(count_entries(tmp), 0);
	unlink(shard);
	CHECK_INT(attach_store_put(s, body, sizeof body - 1, digest, &e), 0);
	CHECK(check_tree() > 0);
	CHECK_INT(count_entries(tmp), 0);
}

static void test_open(void)
{
	struct attach_store *s;
	char err[256], missing[4200];
	snprintf(missing, sizeof missing, "%s/not-here", dir);
	CHECK_INT(attach_store_open(missing, 0, &s, err, sizeof err), -1);
	CHECK(s == NULL && strstr(err, "不存在") != NULL);
	CHECK_INT(attach_store_open("", 1, &s, err, sizeof err), -1);
}

static void test_upload_rule(void)
{
	struct fz_err e = { 0 };
	struct attach_file pdf = { "application/pdf", "整改报告（第一期）.pdf", "%PDF-1.4\n", 9 };
	CHECK_INT(attach_check_file(&pdf, &e), 0);
	struct attach_file bad = pdf;
	bad.type = "image/png";
	CHECK_INT(attach_check_file(&bad, &e), -1);
	CHECK_INT(e.status, 415);
	bad = pdf;
	bad.p = "hello";
	bad.n = 5;
	CHECK_INT(attach_check_file(&bad, &e), -1);
	CHECK_STR(e.code, "unsupported_media_type");
	bad = pdf;
	bad.n = 0;
	CHECK_INT(attach_check_file(&bad, &e), -1);
	CHECK_INT(e.status, 422);
	static const char *const names_bad[] = { "", ".", "..", "a/b.pdf", "a\\b.pdf", "a\nb.pdf", "\xff\xfe.pdf",
						 "a\x7f.pdf", NULL };
	for (int i = 0; names_bad[i]; i++) {
		memset(&e, 0, sizeof e);
		CHECK_INT(attach_check_name(names_bad[i], &e), -1);
		CHECK_STR(e.field, "filename");
		CHECK(strstr(e.msg, "文件名") != NULL);
	}
	CHECK_INT(attach_check_name(NULL, &e), -1);
	char longname[400] = "";
	for (int i = 0; i < ATTACH_NAME_MAX; i++)
		strcat(longname, "材");
	CHECK_INT(attach_check_name(longname, &e), -1); /* 100 characters, 300 bytes: over 255 bytes */
	memset(longname, 'a', ATTACH_NAME_MAX);
	longname[ATTACH_NAME_MAX] = 0;
	CHECK_INT(attach_check_name(longname, &e), 0);
	strcat(longname, "a");
	CHECK_INT(attach_check_name(longname, &e), -1);
	CHECK_INT(attach_check_name("关于 2026 年度法治政府建设的报告 v2.docx", &e), 0);
	CHECK_INT(attach_check_reason(NULL, &e), -1);
	CHECK_STR(e.field, "reason");
	CHECK_INT(attach_check_reason("上传错了文件", &e), 0);
	CHECK_INT(attach_check_reason("\xff", &e), -1);
}

int main(void)
{
	char cmd[200], err[256];
	struct attach_store *s;
	CHECK_INT(crypto_init(), 0);
	CHECK(mkdtemp(dir) != NULL);
	CHECK_INT(attach_store_open(dir, 1, &s, err, sizeof err), 0);
	if (s) {
		test_put_get(s);
		test_refusals(s);
		test_failed_write(s);
		attach_store_close(s);
	}
	test_open();
	test_upload_rule();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
	return t_done();
}

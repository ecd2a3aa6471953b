/* attach_store.c — files named by their SM3 digest (see attach_store.h). */
#include "attach_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"

struct attach_store {
	char dir[4096];
	int bulk; /* attach_store_bulk: no sync per file */
};

int attach_digest_valid(const char *s)
{
	size_t i = 0;
	for (; s && s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 64;
}

static int make_dir(const char *path)
{
	return mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

int attach_store_open(const char *dir, int create, struct attach_store **out, char *err, size_t n)
{
	struct stat sb;
	char tmp[4200];
	*out = NULL;
	if (!dir || !*dir || strlen(dir) >= sizeof((struct attach_store *)0)->dir - 80) {
		snprintf(err, n, "附件目录路径为空或过长");
		return -1;
	}
	snprintf(tmp, sizeof tmp, "%s/tmp", dir);
	if (create && (make_dir(dir) != 0 || make_dir(tmp) != 0)) {
		snprintf(err, n, "无法建立附件目录 %s: %s", dir, strerror(errno));
		return -1;
	}
	if (stat(tmp, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(err, n, "附件目录 %s 不存在或不完整（缺少 tmp 子目录）", dir);
		return -1;
	}
	struct attach_store *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, n, "内存不足");
		return -1;
	}
	snprintf(s->dir, sizeof s->dir, "%s", dir);
	*out = s;
	return 0;
}

void attach_store_close(struct attach_store *s) { free(s); }

void attach_store_bulk(struct attach_store *s, int on)
{
	if (s->bulk && !on)
		sync();
	s->bulk = on;
}

const char *attach_store_dir(const struct attach_store *s) { return s->dir; }

/* DIR/ab/cd/<digest>; with level 1 or 2 only the first one or two parts. */
static void path_of(const struct attach_store *s, const char *digest, int level, char *out, size_t n)
{
	if (level == 1)
		snprintf(out, n, "%s/%.2s", s->dir, digest);
	else if (level == 2)
		snprintf(out, n, "%s/%.2s/%.2s", s->dir, digest, digest + 2);
	else
		snprintf(out, n, "%s/%.2s/%.2s/%s", s->dir, digest, digest + 2, digest);
}

static int sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* Reads the whole regular file at path, at most max bytes. 0; 1 when it
 * does not exist; -1 when it cannot be read or is too large. */
static int read_file(const char *path, size_t max, char **out, size_t *n)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	*out = NULL;
	*n = 0;
	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size > max) {
		close(fd);
		return -1;
	}
	size_t len = (size_t)sb.st_size, got = 0;
	char *buf = malloc(len ? len : 1);
	while (buf && got < len) {
		ssize_t k = read(fd, buf + got, len - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	if (!buf || got != len) {
		free(buf);
		return -1;
	}
	*out = buf;
	*n = len;
	return 0;
}

int attach_store_get(struct attach_store *s, const char *digest, size_t max, char **out, size_t *n,
		     struct fz_err *e)
{
	char path[4200], got[65];
	*out = NULL;
	*n = 0;
	if (!attach_digest_valid(digest))
		return fz_fail(e, 500, "attachment_corrupt", NULL, "附件的 SM3 摘要记录无效，拒绝提供该文件");
	path_of(s, digest, 0, path, sizeof path);
	char *buf;
	size_t len;
	int rc = read_file(path, max, &buf, &len);
	if (rc == 1)
		return fz_fail(e, 500, "attachment_missing", NULL,
			       "附件文件缺失（SM3 %.12s…），无法提供；请联系系统管理员从备份恢复", digest);
	if (rc != 0 || crypto_digest_hex(HASH_SM3, buf, len, got) != 0 || strcmp(got, digest) != 0) {
		free(buf);
		return fz_fail(e, 500, "attachment_corrupt", NULL,
			       "附件文件已损坏（内容与其 SM3 摘要 %.12s… 不符），拒绝提供；请联系系统管理员从备份恢复",
			       digest);
	}
	*out = buf;
	*n = len;
	return 0;
}

/* Writes p to a new temporary file under DIR/tmp and syncs it; its path
 * in tmp. 0 or -1 (nothing left behind). */
static int write_temp(struct attach_store *s, const void *p, size_t n, char *tmp, size_t tn)
{
	snprintf(tmp, tn, "%s/tmp/put-XXXXXX", s->dir);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	size_t done = 0;
	while (done < n) {
		ssize_t k = write(fd, (const char *)p + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		done += (size_t)k;
	}
	int rc = done == n && (s->bulk || fsync(fd) == 0) ? 0 : -1;
	if (close(fd) != 0)
		rc = -1;
	if (rc != 0)
		unlink(tmp);
	return rc;
}

int attach_store_put(struct attach_store *s, const void *p, size_t n, char digest[65], struct fz_err *e)
{
	char path[4200], dir1[4200], dir2[4200], tmp[4200];
	struct fz_err ignored;
	if (crypto_digest_hex(HASH_SM3, p, n, digest) != 0)
		return fz_fail(e, 500, "attachment_store", NULL, "计算文件的 SM3 摘要失败");
	char *have;
	size_t len;
	if (attach_store_get(s, digest, n, &have, &len, &ignored) == 0) {
		free(have); /* stored before, intact */
		return 0;
	}
	path_of(s, digest, 0, path, sizeof path);
	path_of(s, digest, 1, dir1, sizeof dir1);
	path_of(s, digest, 2, dir2, sizeof dir2);
	if (write_temp(s, p, n, tmp, sizeof tmp) != 0)
		return fz_fail(e, 500, "attachment_store", NULL, "写入附件文件失败: %s", strerror(errno));
	int rc = make_dir(dir1) == 0 && make_dir(dir2) == 0 && rename(tmp, path) == 0 ? 0 : -1;
	if (rc != 0) {
		int saved = errno;
		unlink(tmp);
		return fz_fail(e, 500, "attachment_store", NULL, "保存附件文件失败: %s", strerror(saved));
	}
	/* the new name, and the directories made for it, survive a crash */
	if (!s->bulk && (sync_dir(dir2) != 0 || sync_dir(dir1) != 0 || sync_dir(s->dir) != 0))
		return fz_fail(e, 500, "attachment_store", NULL, "同步附件目录失败: %s", strerror(errno));
	return 0;
}

int attach_store_copy(struct attach_store *src, struct attach_store *dst, const char *digest, size_t max,
		      struct fz_err *e)
{
	char *buf, got[65];
	size_t n;
	if (attach_store_get(src, digest, max, &buf, &n, e) != 0)
		return -1;
	int rc = attach_store_put(dst, buf, n, got, e);
	free(buf);
	return rc;
}

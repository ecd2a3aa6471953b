/*
 * failalloc.c — allocation-failure injection for the faults.* tests (a
 * unit test linked with this file; see tests/CMakeLists.txt). malloc,
 * calloc and realloc are replaced for the whole process (glibc's
 * __libc_* underneath), so the test's code, SQLite, jansson and libc all
 * see the injected failure.
 *
 *   FAZHI_FAIL_ALLOC=N     the Nth allocation after start-up fails (once)
 *   FAZHI_FAIL_ALLOC=loop  one child process per N = 1, 2, 3 … until a
 *                          child ends without reaching its Nth allocation;
 *                          exits 1 if any child died of a signal (a crash,
 *                          an abort, a hang past FAILALLOC_TIMEOUT)
 *   FAZHI_FAIL_ALLOC_RUNS  at most this many children (default 400): when
 *                          the test makes more allocations, N advances by a
 *                          stride; 0 runs every N
 *
 * In sanitizer builds (FAILALLOC_WRAP) only the code linked into the test
 * is failed (ld --wrap), and a sanitizer's report counts as a crash.
 *
 * Only crashes fail: a check that fails after an injected failure is an
 * error returned cleanly. An abort inside a library that our code cannot
 * prevent (known_aborts) is counted and named, not failed. To look into
 * one N, run the test with FAZHI_FAIL_ALLOC=N under a debugger.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#define FAILALLOC_TIMEOUT 120 /* seconds for one child */
#define FAILALLOC_RUNS 400

struct shared {
	unsigned long count; /* allocations the child made */
	int reached;         /* its Nth allocation happened (and failed) */
};

/* Aborts that an allocation failure trips and this code cannot or should
 * not prevent, by a text the child wrote on stderr: jansson 2.14's lexer
 * (load.c) asserts when its string buffer could not grow; crypto_random
 * stops the process when OpenSSL's generator fails (by design: no key or
 * token is ever made from weak randomness). */
static const char *const known_aborts[] = { "lex_scan_string", "随机数发生器失败", NULL };

static unsigned long count, fail_at;
static struct shared *shared;
static int errfd = -1; /* the children's stderr */

/* Whether this allocation is the one to fail. */
static int fail_now(void)
{
	if (!fail_at)
		return 0;
	unsigned long n = __atomic_add_fetch(&count, 1, __ATOMIC_RELAXED);
	if (n != fail_at)
		return 0;
	if (shared)
		shared->reached = 1;
	errno = ENOMEM; /* as a real failure sets it: glibc's pthread_create asserts it */
	return 1;
}

#ifndef FAILALLOC_WRAP
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

void *malloc(size_t n) { return fail_now() ? NULL : __libc_malloc(n); }
void *calloc(size_t n, size_t size) { return fail_now() ? NULL : __libc_calloc(n, size); }
void *realloc(void *p, size_t n) { return fail_now() ? NULL : __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
#else
/* Sanitizer builds: the sanitizer owns malloc, so only the code linked
 * into the test (fazhi_core, the test) is redirected, by ld --wrap. */
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

void *__wrap_malloc(size_t n) { return fail_now() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return fail_now() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return fail_now() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return fail_now() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return fail_now() ? NULL : __real_strndup(s, n); }
#endif

static void child_exit(void)
{
	if (shared)
		shared->count = count;
}

/* One run of the test with allocation at (0: none) failing; returns the
 * wait status. */
static int run_child(unsigned long at)
{
	fflush(NULL);
	if (ftruncate(errfd, 0) != 0 || lseek(errfd, 0, SEEK_SET) != 0)
		_exit(2);
	shared->count = 0;
	shared->reached = 0;
	pid_t pid = fork();
	if (pid == 0) {
		count = 0;
		fail_at = at ? at : (unsigned long)-1; /* count without failing */
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, 1);
			close(null);
		}
		dup2(errfd, 2);
		alarm(FAILALLOC_TIMEOUT);
		atexit(child_exit);
		return -1; /* the child goes on into main */
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		perror("failalloc");
		_exit(2);
	}
	return status;
}

/* OpenSSL initialises itself (locks, providers, the generator) on first
 * use, which the server does at start-up, and crashes when that fails for
 * want of memory: the children start with it initialised. */
static void warm_up(void)
{
	unsigned char b[8];
	EVP_MD *md = EVP_MD_fetch(NULL, "SM3", NULL);
	EVP_MD_free(md);
	if (RAND_bytes(b, sizeof b) != 1)
		_exit(2);
}

/* The end of the child's stderr (its last words) into buf. */
static void last_words(char *buf, size_t size)
{
	off_t end = lseek(errfd, 0, SEEK_END), from = end > (off_t)size - 1 ? end - (off_t)size + 1 : 0;
	ssize_t n = pread(errfd, buf, size - 1, from);
	buf[n > 0 ? n : 0] = 0;
}

/* Whether a sanitizer reported an error (it exits instead of crashing). */
static int sanitizer_report(void)
{
	char buf[4096];
	last_words(buf, sizeof buf);
	return strstr(buf, "SUMMARY: AddressSanitizer") || strstr(buf, "SUMMARY: UndefinedBehaviorSanitizer") ||
	       strstr(buf, "runtime error:");
}

/* Whether the child's abort is a known library assertion. */
static int known_abort(int status)
{
	char buf[4096];
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
		return 0;
	last_words(buf, sizeof buf);
	for (int i = 0; known_aborts[i]; i++)
		if (strstr(buf, known_aborts[i]))
			return 1;
	return 0;
}

static void loop(void)
{
	shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("failalloc: mmap");
		_exit(2);
	}
	char errpath[] = "/tmp/fazhi-failalloc-XXXXXX";
	errfd = mkstemp(errpath);
	if (errfd < 0) {
		perror("failalloc: mkstemp");
		_exit(2);
	}
	unlink(errpath);
	const char *r = getenv("FAZHI_FAIL_ALLOC_RUNS");
	unsigned long runs = r ? strtoul(r, NULL, 10) : FAILALLOC_RUNS, crashes = 0, done = 0, known = 0;
	int status = run_child(0);
	if (status == -1)
		return;
	unsigned long total = shared->count;
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "failalloc: the test crashes without any failure (signal %d)\n", WTERMSIG(status));
		_exit(1);
	}
	if (sanitizer_report()) {
		fprintf(stderr, "failalloc: a sanitizer reports an error without any failure\n");
		_exit(1);
	}
	unsigned long step = runs && total > runs ? total / runs : 1;
	for (unsigned long n = 1;; n += step) {
		status = run_child(n);
		if (status == -1)
			return;
		done++;
		if (known_abort(status)) {
			known++;
		} else if (WIFSIGNALED(status)) {
			crashes++;
			fprintf(stderr, "failalloc: allocation %lu failed: the test died of signal %d (%s)\n", n,
				WTERMSIG(status), strsignal(WTERMSIG(status)));
		} else if (sanitizer_report()) {
			crashes++;
			fprintf(stderr, "failalloc: allocation %lu failed: a sanitizer reported an error\n", n);
		}
		if (!shared->reached)
			break;
	}
	printf("failalloc: %lu runs (every %lu of ~%lu allocations), %lu crashes, %lu known library aborts\n", done,
	       step, total, crashes, known);
	fflush(NULL);
	_exit(crashes ? 1 : 0);
}

__attribute__((constructor(101))) static void failalloc_init(void)
{
	const char *v = getenv("FAZHI_FAIL_ALLOC");
	if (!v || !*v)
		return;
	warm_up();
	if (strcmp(v, "loop") == 0)
		loop();
	else
		fail_at = strtoul(v, NULL, 10);
}

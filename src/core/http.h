/*
 * http.h — the HTTP server: libmicrohttpd underneath (epoll, thread pool),
 * a check of every request as soon as its headers are in (before any body
 * byte is read), bounded request bodies within a server-wide memory budget,
 * a request/response pair handed to one handler, security headers on every
 * answer, static files, the client address (X-Forwarded-For only from a
 * trusted proxy) and an access log with control characters escaped.
 * Connections are limited per address and must deliver their headers
 * within a deadline. It knows nothing of sessions or routes; src/api does.
 */
#ifndef FAZHI_HTTP_H
#define FAZHI_HTTP_H

#include <stddef.h>
#include <stdint.h>

struct MHD_Connection;

#define HTTP_MAX_HEADERS 8

struct http_req {
	const char *method;
	const char *path;       /* without the query string */
	const char *body;       /* NUL-terminated copy; NULL when empty */
	size_t body_len;
	int64_t length;         /* declared Content-Length; -1: chunked (unknown); 0: none */
	size_t body_limit;      /* set by the check: the most body bytes accepted */
	char ip[64];            /* the client's address (see trusted_proxies) */
	struct MHD_Connection *conn;
	void *state;            /* the server's per-request state (http.c) */
};

struct http_resp {
	int status;
	char *body;             /* malloc'd; owned by the response */
	size_t len;
	int fd;                 /* >= 0: serve this file (len bytes) instead */
	const char *content_type;
	const char *headers[HTTP_MAX_HEADERS][2]; /* static strings or owned[i] */
	char *owned[HTTP_MAX_HEADERS];
	int nheaders;
};

typedef void (*http_handler_fn)(struct http_req *r, struct http_resp *w, void *arg);
/* Called once per request when its headers are in and no body byte has
 * been read: sets r->body_limit and returns 0 to read the body and call
 * the handler, or fills w with a refusal and returns -1 (answered now). */
typedef int (*http_check_fn)(struct http_req *r, struct http_resp *w, void *arg);

struct http_server_opts {
	const char *host;       /* "127.0.0.1" */
	int port;
	int threads;            /* thread pool size */
	size_t body_memory;     /* bytes all request bodies in flight may hold together */
	unsigned per_ip_conns;  /* connections one address may hold (0 = no limit) */
	unsigned header_timeout;/* seconds a connection has to deliver a request's headers */
	const char *trusted_proxies; /* "CIDR,CIDR…" (IPv4/IPv6) whose X-Forwarded-For is read, or NULL */
	const char *access_log; /* path, "-" for stderr, NULL for none */
	int tls_proxy;          /* behind a TLS proxy: add HSTS */
	http_check_fn check;    /* NULL: accept every request with no body */
	http_handler_fn handler;
	void *arg;
};

struct http_server;
struct http_server *http_start(const struct http_server_opts *o, char *err, size_t errlen);
void http_stop(struct http_server *s);

const char *http_query(struct http_req *r, const char *key);
const char *http_header(struct http_req *r, const char *name);
const char *http_cookie(struct http_req *r, const char *name);

/* From the check: reserves n bytes of the body budget for this request
 * (released when it ends); -1 when the budget is spent. */
int http_body_reserve(struct http_req *r, size_t n);

/* Adds a header; value is copied. A header of the name of one the server
 * adds to every answer (Content-Security-Policy …) replaces that default. */
void http_add_header(struct http_resp *w, const char *name, const char *value);
/* Sets the body (copied). */
void http_set_body(struct http_resp *w, int status, const char *type, const char *p, size_t n);
/* Serves the file at path (which starts with '/') under root, a canonical
 * absolute directory (realpath), with caching headers; 0, or -1 when absent
 * or when it resolves outside root. */
int http_serve_file(struct http_resp *w, const char *root, const char *path);

#endif

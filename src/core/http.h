/*
 * http.h — the HTTP server: libmicrohttpd underneath (epoll, thread pool),
 * bounded request bodies, a request/response pair handed to one handler,
 * security headers on every answer, static files and an access log.
 * It knows nothing of sessions or routes; src/api does.
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
	int body_too_large;     /* the body exceeded the limit and was dropped */
	char ip[64];
	struct MHD_Connection *conn;
	void *ctx;              /* the handler's per-request state */
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

struct http_server_opts {
	const char *host;       /* "127.0.0.1" */
	int port;
	int threads;            /* thread pool size */
	size_t max_body;        /* bytes; larger bodies answer 413 */
	const char *access_log; /* path, "-" for stderr, NULL for none */
	int tls_proxy;          /* behind a TLS proxy: add HSTS */
	http_handler_fn handler;
	void *arg;
};

struct http_server;
struct http_server *http_start(const struct http_server_opts *o, char *err, size_t errlen);
void http_stop(struct http_server *s);

const char *http_query(struct http_req *r, const char *key);
const char *http_header(struct http_req *r, const char *name);
const char *http_cookie(struct http_req *r, const char *name);

/* Adds a header; value is copied. */
void http_add_header(struct http_resp *w, const char *name, const char *value);
/* Sets the body (copied). */
void http_set_body(struct http_resp *w, int status, const char *type, const char *p, size_t n);
/* Serves a file under root with caching headers; 0, or -1 when absent. */
int http_serve_file(struct http_resp *w, const char *root, const char *path);

#endif

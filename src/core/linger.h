/*
 * linger.h — lingering close for connections refused before their body
 * was read. Closing a socket whose receive buffer still holds the
 * client's body makes the kernel send a reset, which often destroys the
 * refusal (413, 401…) before the client reads it. A lingering socket is
 * half-closed (our side sends FIN after the answer) and its input drained
 * and discarded for a short, bounded time, as nginx's lingering_close
 * does. Bounded in sockets, bytes and time: memory stays constant.
 */
#ifndef FAZHI_LINGER_H
#define FAZHI_LINGER_H

#define LINGER_MAX_SOCKETS 64          /* beyond: closed at once */
#define LINGER_SECONDS 5               /* whole drain, per socket */
#define LINGER_MAX_BYTES (32u << 20)   /* drained per socket at most */

struct linger_set;

/* Starts the draining thread; NULL when it cannot. */
struct linger_set *linger_start(void);
/* Takes fd (a socket the caller no longer uses, e.g. a dup of one about
 * to be closed): half-closes it, drains it, then closes it. */
void linger_add(struct linger_set *l, int fd);
/* Stops the thread and closes every socket still lingering. */
void linger_stop(struct linger_set *l);

#endif

#ifndef DNP3D_BUS_CLIENT_H
#define DNP3D_BUS_CLIENT_H

/*
 * A bus member (NN_BUS, connect): the worker's side of the bus, and the
 * tools'. nanomsg reconnects by itself when the hub goes away and comes
 * back. Create it only after exec (nanomsg is not fork-safe); it starts
 * nanomsg's thread, so a seccomp filter loaded later needs TSYNC and must
 * allow socket(AF_UNIX) and connect.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bus/event.h"

struct bus_client;

/* Connect to url. source is this member's name in the events it emits
   ("feeder-1"), copied; may be NULL for a member that only listens.
   NULL with err filled on failure. */
struct bus_client *bus_client_open(const char *url, const char *source,
    char *err, size_t errlen);

/* The fd to poll for POLLIN (NN_RCVFD). */
int bus_client_fd(const struct bus_client *);

/* 1 while a connection to the hub is up, else 0 (does not block). */
int bus_client_is_connected(const struct bus_client *);

/*
 * Joining: a bus drops what is sent while the connection is not up at
 * both ends, and nanomsg counts a connection before its handshake ends.
 * So a client has joined only once the hub answered its ping
 * ({"op":"ping","id":N}, id random per client) with a pong carrying the
 * same id: the hub then both hears it and reaches it. bus_client_recv
 * takes that pong (the caller never sees it) and notes the join.
 */
/* 1 once joined on the current connection, else 0. */
int bus_client_joined(const struct bus_client *);
/* Call at least every 100 ms: pings while not joined, and notices a lost
   or new connection (the hub restarted). -1 when a join was just lost,
   else 0. */
int bus_client_tick(struct bus_client *);
/* 1 if msg is a pong for id (any pong when id < 0), else 0. */
int bus_client_is_pong(const char *msg, size_t len, int64_t id);
/* For one-shot senders: wait (blocking, at most timeout_ms) until joined;
   messages received meanwhile are dropped. 0 or -1. */
int bus_client_join(struct bus_client *, int timeout_ms);

/* Send one message (non-blocking; dropped with -1 when it cannot go). */
int bus_client_publish(struct bus_client *, const char *msg, size_t len);

/* Stamp source, the next seq and the current time, encode, send. */
int bus_client_emit(struct bus_client *, struct bus_event *ev);

/* Publish the `error` event answering a bad inbound message: code is the
   (negative or positive) enum bus_msg_error from bus_update_decode, detail
   its err text, op and id those of the bad message (NULL / -1: none). */
int bus_client_emit_error(struct bus_client *, const char *outstation,
    int code, const char *detail, const char *op, int64_t id);

/*
 * Receive one message into buf without blocking. Returns its length
 * (buf is NUL-terminated, so cap must exceed the longest message you
 * accept), 0 when nothing is pending, or -1: errno EMSGSIZE for a message
 * longer than cap - 1 (it is dropped), anything else is a socket error.
 */
ssize_t bus_client_recv(struct bus_client *, char *buf, size_t cap);

void bus_client_close(struct bus_client *);

#endif

#ifndef DNP3D_NOTIFY_H
#define DNP3D_NOTIFY_H

/*
 * Service manager notification (the sd_notify datagram protocol of
 * systemd, implemented here without libsystemd). When the environment
 * variable NOTIFY_SOCKET is unset or empty every call is a no-op, so the
 * listener calls these unconditionally.
 *
 * NOTIFY_SOCKET is an absolute path ("/run/systemd/notify") or an abstract
 * socket name written with a leading '@'. Each call sends one datagram;
 * newlines and other control characters in a status text are replaced by
 * spaces so that a status can never add fields of its own. A failure is
 * logged once (until the next success or a different failure) and is
 * otherwise ignored: a daemon must not stop because its manager is gone.
 */

/* "READY=1", plus "STATUS=<status>" when status is not NULL. */
void notify_ready(const char *status);

/* "STATUS=<status>": one line shown by systemctl status. */
void notify_status(const char *status);

/* "RELOADING=1" (and MONOTONIC_USEC): a reload has begun; READY=1
   (notify_ready) ends it. */
void notify_reloading(void);

/* "STOPPING=1": the daemon has begun to shut down. */
void notify_stopping(void);

#endif

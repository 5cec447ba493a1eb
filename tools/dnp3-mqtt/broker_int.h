#ifndef DNP3_MQTT_BROKER_INT_H
#define DNP3_MQTT_BROKER_INT_H

/* Between broker.c and broker_setup.c. */
#include <netdb.h>
#include <stdint.h>
#include <openssl/ssl.h>

struct mosquitto;

#include "mqtt.h"

struct broker_addr {
	char name[256];			/* as given */
	char addr[NI_MAXHOST];		/* resolved at start, numeric */
	int port;
	int tls;
	int literal;			/* name is an address */
};

struct broker {
	struct mosquitto *m;
	const struct mqtt_opts *o;
	struct broker_addr a;
	SSL_CTX *tls;
	broker_message_fn *on_message;
	void *arg;
	int up;
	unsigned unacked;
	int backoff_ms;
	int64_t retry_at;	/* 0: not waiting to reconnect */
	unsigned connects;	/* CONNACKs since the client was made */
	int stale;		/* reconnected: copies may be held */
	int probe_mid;		/* the UNSUBSCRIBE in flight, or 0 */
	int probe_spoiled;	/* something else was answered meanwhile */
	int probe_answered;
	int64_t probe_at;	/* no probe before */
};

int	broker_parse_url(const char *url, struct broker_addr *, char *err,
	    size_t errlen);
int	broker_resolve(struct broker_addr *, char *err, size_t errlen);
SSL_CTX	*broker_tls_context(const struct mqtt_opts *,
	    const struct broker_addr *, char *err, size_t errlen);

/* broker.c */
int	broker_client_init(struct broker *, char *err, size_t errlen);
int	broker_connect(struct broker *, char *err, size_t errlen);
void	broker_schedule_retry(struct broker *);

/* broker_refresh.c */
void	broker_probe_start(struct broker *, int64_t now);
void	broker_probe_check(struct broker *);
void	broker_on_unsubscribe(struct mosquitto *, void *arg, int mid);

#endif

#ifndef DNP3_MQTT_BROKER_INT_H
#define DNP3_MQTT_BROKER_INT_H

/* Between broker.c and broker_setup.c. */
#include <netdb.h>
#include <openssl/ssl.h>

#include "mqtt.h"

struct broker_addr {
	char name[256];			/* as given */
	char addr[NI_MAXHOST];		/* resolved at start, numeric */
	int port;
	int tls;
	int literal;			/* name is an address */
};

int	broker_parse_url(const char *url, struct broker_addr *, char *err,
	    size_t errlen);
int	broker_resolve(struct broker_addr *, char *err, size_t errlen);
SSL_CTX	*broker_tls_context(const struct mqtt_opts *,
	    const struct broker_addr *, char *err, size_t errlen);

#endif

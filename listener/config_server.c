/*
 * servers = ( { listen; link_error_mode; route; outstations = ( ... ); } ):
 * endpoints, and the checks that span outstations (unique names,
 * filters of one server that must not overlap; with route =
 * "link_address", not with the same link address; multidrop only with
 * that route).
 */
#include <stdlib.h>
#include <string.h>

#include "listener/config_parse.h"
#include "config/endpoint.h"
#include "listener/filter.h"

static int
want_list(struct cfgp *p, const config_setting_t *parent, const char *key,
    int max, const config_setting_t **out)
{
	const config_setting_t *s = config_setting_get_member(parent, key);
	int n;

	if (s == NULL)
		return cfgp_error(p, parent, key, "missing (required)");
	if (!config_setting_is_list(s))
		return cfgp_error(p, s, NULL, "expected a list ( { ... } ), "
		    "got %s", cfgp_type_name(config_setting_type(s)));
	n = config_setting_length(s);
	if (n < 1 || n > max)
		return cfgp_error(p, s, NULL, "%d entries, expected 1..%d", n,
		    max);
	*out = s;
	return n;
}

/* Checks the shape of every server and allocates the arrays. */
static int
allocate(struct cfgp *p, const config_setting_t *servers, int nsrv)
{
	const config_setting_t *srv, *os;
	long total = 0;
	int i, n;

	for (i = 0; i < nsrv; i++) {
		srv = config_setting_get_elem(servers, (unsigned int)i);
		if (!config_setting_is_group(srv))
			return cfgp_error(p, srv, NULL, "expected a group "
			    "{ ... }, got %s",
			    cfgp_type_name(config_setting_type(srv)));
		if (cfgp_scope_keys(p, srv, CK_SERVER) == -1 ||
		    (n = want_list(p, srv, "outstations", CFG_OUTSTATIONS_MAX,
		    &os)) == -1)
			return -1;
		if ((total += n) > CFG_OUTSTATIONS_MAX)
			return cfgp_error(p, os, NULL, "more than %d "
			    "outstations in the file", CFG_OUTSTATIONS_MAX);
	}
	p->cfg->servers = calloc((size_t)nsrv, sizeof(*p->cfg->servers));
	p->cfg->outstations = calloc((size_t)total,
	    sizeof(*p->cfg->outstations));
	p->os_set = calloc((size_t)total, sizeof(*p->os_set));
	if (p->cfg->servers == NULL || p->cfg->outstations == NULL ||
	    p->os_set == NULL)
		return cfgp_error(p, servers, NULL, "out of memory");
	return 0;
}

/* What the hooks of one server share. */
struct server_walk {
	uint32_t	idx;		/* into p->cfg->servers */
	uint32_t	first;		/* its first outstation */
};

static int
read_listen(struct cfgp *p, const config_setting_t *s, const char *key,
    struct cfgp_walk *w)
{
	const struct server_walk *sw = w->ctx;
	uint32_t i, idx = sw->idx;
	struct server_config *srv = &p->cfg->servers[idx];
	const config_setting_t *ls;
	char err[256];

	if (cfgp_string(p, s, key, 1, srv->listen, sizeof(srv->listen)) == -1)
		return -1;
	ls = config_setting_get_member(s, key);
	if (endpoint_parse(srv->listen, &srv->addr, &srv->addrlen, err,
	    sizeof(err)) == -1)
		return cfgp_error(p, ls, NULL, "%s", err);
	for (i = 0; i < idx; i++) {
		if (endpoint_equal(&p->cfg->servers[i].addr, &srv->addr))
			return cfgp_error(p, ls, NULL, "\"%s\" is already the "
			    "endpoint of servers.[%u]", srv->listen, i);
		/* 0.0.0.0:p and 127.0.0.1:p cannot both be bound. */
		if (endpoint_conflict(&p->cfg->servers[i].addr, &srv->addr))
			return cfgp_error(p, ls, NULL, "\"%s\" conflicts with "
			    "\"%s\" of servers.[%u]", srv->listen,
			    p->cfg->servers[i].listen, i);
	}
	return 0;
}

/* The name is new in the file, the filter new in its server. */
static int
check_unique(struct cfgp *p, const struct server_config *srv, uint32_t cur)
{
	struct outstation_config *os = p->cfg->outstations;
	char ex[FILTER_ADDR_STRLEN];
	uint8_t addr[16];
	uint32_t j;

	for (j = 0; j < cur; j++)
		if (strcmp(os[j].name, os[cur].name) == 0)
			return cfgp_error(p, config_setting_get_member(
			    p->os_set[cur], "name"), NULL, "\"%s\" is already "
			    "used at line %u", os[cur].name,
			    config_setting_source_line(
			    config_setting_get_member(p->os_set[j], "name")));
	for (j = srv->first; j < cur; j++) {
		/* By link address, a shared master needs distinct addresses. */
		if (srv->route == ROUTE_LINK_ADDRESS &&
		    os[j].address != os[cur].address)
			continue;
		if (!filter_overlap(&os[j].filter, &os[cur].filter, addr))
			continue;
		if (os[j].filter.any && os[cur].filter.any)
			strcpy(ex, "any address");
		else
			filter_format_addr(addr, ex, sizeof(ex));
		if (srv->route == ROUTE_LINK_ADDRESS)
			return cfgp_error(p, config_setting_get_member(
			    p->os_set[cur], "address"), NULL, "outstations "
			    "\"%s\" and \"%s\" both match %s and have link "
			    "address %u", os[j].name, os[cur].name, ex,
			    (unsigned)os[cur].address);
		return cfgp_error(p, config_setting_get_member(p->os_set[cur],
		    "filter"), NULL, "outstations \"%s\" and \"%s\" both "
		    "match %s", os[j].name, os[cur].name, ex);
	}
	return 0;
}

/* multidrop: the relay splits link frames by destination address, so
   only with route = "link_address" (which makes the addresses of the
   outstations a master reaches distinct, and refuses tls), for at most
   CFG_MULTIDROP_MAX outstations (a relay's links). */
static int
check_multidrop(struct cfgp *p, const config_setting_t *s,
    const struct outstation_config *oc, int n)
{
	const config_setting_t *m = config_setting_get_member(s, "multidrop");

	if (!oc->multidrop)
		return 0;
	if (oc->route != ROUTE_LINK_ADDRESS)
		return cfgp_error(p, m, NULL, "needs route = "
		    "\"link_address\"");
	if (n > CFG_MULTIDROP_MAX)
		return cfgp_error(p, m, NULL, "%d outstations, at most %d on "
		    "a multidrop server", n, CFG_MULTIDROP_MAX);
	return 0;
}

/*
 * The outstations, each from the server's keys (w->oc: the defaults and
 * the server's link_error_mode) and then its own.
 */
static int
read_outstations(struct cfgp *p, const config_setting_t *s, const char *key,
    struct cfgp_walk *w)
{
	const struct server_walk *sw = w->ctx;
	struct server_config *srv = &p->cfg->servers[sw->idx];
	struct outstation_config *oc;
	const config_setting_t *list;
	int i, n;

	if ((n = want_list(p, s, key, CFG_OUTSTATIONS_MAX, &list)) == -1)
		return -1;
	/* The classifier would see a TLS handshake, never a link frame. */
	if (w->oc->route == ROUTE_LINK_ADDRESS && w->oc->tls)
		return cfgp_error(p, config_setting_get_member(s, "route"),
		    NULL, "\"link_address\" cannot be combined with tls");
	if (check_multidrop(p, s, w->oc, n) == -1)
		return -1;
	srv->link_error_mode = w->oc->link_error_mode;
	srv->route = w->oc->route;
	srv->route_timeout_ms = w->oc->route_timeout_ms;
	srv->multidrop = w->oc->multidrop;
	srv->first = sw->first;
	for (i = 0; i < n; i++) {
		uint32_t cur = sw->first + (uint32_t)i;

		oc = &p->cfg->outstations[cur];
		p->os_set[cur] = config_setting_get_elem(list, (unsigned int)i);
		memcpy(oc, w->oc, sizeof(*oc));	/* padding too: all goes
						   to a worker */
		if (cfgp_outstation(p, p->os_set[cur], oc) == -1)
			return -1;
		memcpy(oc->endpoint, srv->listen, sizeof(oc->endpoint));
		srv->count++;
		p->cfg->outstation_count++;
		if (check_unique(p, srv, cur) == -1)
			return -1;
	}
	return 0;
}

static const struct cfgp_hook server_hooks[] = {
	{ "listen", read_listen },
	{ "tls.certificate", cfgp_tls_server_path },
	{ "tls.private_key", cfgp_tls_server_path },
	{ "tls.ca", cfgp_tls_server_path },
	{ "outstations", read_outstations },
	{ NULL, NULL }
};

static int
parse_server(struct cfgp *p, const config_setting_t *s, uint32_t idx,
    uint32_t first)
{
	struct outstation_config proto;
	struct server_walk sw = { .idx = idx, .first = first };
	struct cfgp_walk w = { .hooks = server_hooks, .oc = &proto,
	    .ctx = &sw };

	config_outstation_defaults(&proto);
	return cfgp_walk(p, s, CK_SERVER, &w);
}

int
cfgp_servers(struct cfgp *p, const config_setting_t *root)
{
	const config_setting_t *servers;
	uint32_t first = 0;
	int i, n;

	if ((n = want_list(p, root, "servers", CFG_SERVERS_MAX,
	    &servers)) == -1 || allocate(p, servers, n) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (parse_server(p, config_setting_get_elem(servers,
		    (unsigned int)i), (uint32_t)i, first) == -1)
			return -1;
		p->cfg->server_count++;
		first += p->cfg->servers[i].count;
	}
	return 0;
}

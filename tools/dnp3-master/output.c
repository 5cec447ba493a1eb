/*
 * What dnp3-master prints on stdout: one line per point, response, link
 * reply or summary, readable ("g30v1 index=3 value=5 flags=ONLINE") or as
 * one JSON object per line (--json, built with jansson). Errors go to
 * stderr through log.h.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "dnp3master.h"

#define TIME_STR_MAX	32
#define FLAGS_STR_MAX	128
#define OCTETS_STR_MAX	(4 * 255 + 1)

/* "2023-11-14T22:13:20.250Z" */
static void
time_str(uint64_t ms, char *buf, size_t cap)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, cap, "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		snprintf(buf, cap, "%" PRIu64 "ms", ms);
		return;
	}
	snprintf(buf + strlen(buf), cap - strlen(buf), ".%03uZ",
	    (unsigned)(ms % 1000));
}

/* Printable ASCII as is, anything else (and \ ") as \xNN. */
static void
octets_str(const struct dnp3_octets *o, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (uint16_t i = 0; i < o->len && len + 5 <= cap; i++) {
		uint8_t c = o->data[i];

		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"')
			buf[len++] = (char)c;
		else
			len += (size_t)snprintf(buf + len, cap - len, "\\x%02x",
			    c);
		buf[len] = '\0';
	}
}

/* A JSON string when the octets are UTF-8, else their hex digits. */
static json_t *
octets_json(const struct dnp3_octets *o)
{
	char hex[2 * 255 + 1];
	json_t *s;

	if ((s = json_stringn((const char *)o->data, o->len)) != NULL)
		return s;
	for (uint16_t i = 0; i < o->len && i < 255; i++)
		snprintf(hex + 2 * i, 3, "%02x", o->data[i]);
	hex[2 * (o->len < 255 ? o->len : 255)] = '\0';
	return json_pack("{s:s}", "hex", hex);
}

static void
emit_json(json_t *j)
{
	if (j == NULL) {
		log_warnx("%s: out of memory", __func__);
		return;
	}
	/* 15 digits: 0.168, not 0.16800000000000001 */
	if (json_dumpf(j, stdout, JSON_COMPACT | JSON_REAL_PRECISION(15)) ==
	    0)
		fputc('\n', stdout);
	json_decref(j);
}

static json_t *
json_iin_bits(uint16_t iin)
{
	json_t *a = json_array();

	for (int i = 0; i < 16 && a != NULL; i++)
		if (iin & (1u << i))
			json_array_append_new(a,
			    json_string(master_iin_name((uint16_t)(1u << i))));
	return a;
}

static json_t *
json_flags(uint8_t kind, uint8_t flags)
{
	json_t *a = json_array();
	const char *name;

	for (int i = 0; i < 8 && a != NULL; i++)
		if ((flags & (1u << i)) && (name = master_flag_name(kind,
		    (uint8_t)(1u << i))) != NULL)
			json_array_append_new(a, json_string(name));
	return a;
}

void
out_response(const struct output *o, const struct master_response *r)
{
	char bits[256];
	size_t len = 0;

	if (o->quiet)
		return;
	if (o->json) {
		emit_json(json_pack("{s:s, s:i, s:b, s:b, s:b, s:i, s:o}",
		    "type", r->uns ? "unsolicited" : "response",
		    "seq", r->seq, "fir", r->fir, "fin", r->fin, "con", r->con,
		    "iin", r->iin, "iin_bits", json_iin_bits(r->iin)));
		return;
	}
	bits[0] = '\0';
	for (int i = 0; i < 16; i++)
		if ((r->iin & (1u << i)) && len < sizeof(bits))
			len += (size_t)snprintf(bits + len, sizeof(bits) - len,
			    " %s", master_iin_name((uint16_t)(1u << i)));
	printf("%s seq=%u iin=0x%04x%s\n", r->uns ? "unsolicited" :
	    "response", r->seq, r->iin, bits);
}

static void
point_json(const struct master_point *p)
{
	char ts[TIME_STR_MAX];
	char name[16];
	json_t *j;

	snprintf(name, sizeof(name), "g%uv%u", p->group, p->variation);
	j = json_pack("{s:s, s:i, s:i, s:s}", "type", "point", "group",
	    p->group, "variation", p->variation, "object", name);

	if (j == NULL) {
		emit_json(NULL);
		return;
	}
	if (p->indexed)
		json_object_set_new(j, "index", json_integer(p->index));
	switch (p->kind) {
	case DNP3_K_CROB:
		json_object_set_new(j, "op", json_string(
		    master_crob_op_name(p->obj.crob.code)));
		json_object_set_new(j, "code", json_integer(p->obj.crob.code));
		json_object_set_new(j, "count", json_integer(p->obj.crob.count));
		json_object_set_new(j, "on_ms", json_integer(p->obj.crob.on_ms));
		json_object_set_new(j, "off_ms",
		    json_integer(p->obj.crob.off_ms));
		json_object_set_new(j, "status", json_string(
		    master_status_name(p->obj.crob.status)));
		break;
	case DNP3_K_AOB:
		json_object_set_new(j, "value", json_real(p->obj.aob.value));
		json_object_set_new(j, "status", json_string(
		    master_status_name(p->obj.aob.status)));
		break;
	case DNP3_K_DELAY:
		json_object_set_new(j, "delay_ms", json_integer(
		    p->variation == 1 ? (json_int_t)p->obj.delay * 1000 :
		    (json_int_t)p->obj.delay));
		break;
	case DNP3_K_OCTETS:
		json_object_set_new(j, "value", octets_json(&p->obj.octets));
		break;
	case DNP3_K_TIME_INTERVAL:
		json_object_set_new(j, "interval_ms",
		    json_integer(p->obj.interval.interval_ms));
		break;
	case DNP3_K_TIME:
		break;
	default:
		json_object_set_new(j, "value", json_real(p->obj.point.value));
		if (p->desc->has_flags)
			json_object_set_new(j, "flags",
			    json_flags(p->kind, p->obj.point.flags));
	}
	if (p->time_valid || p->kind == DNP3_K_TIME_INTERVAL) {
		uint64_t ms = p->kind == DNP3_K_TIME_INTERVAL ?
		    p->obj.interval.time_ms : p->time_ms;

		time_str(ms, ts, sizeof(ts));
		json_object_set_new(j, "time", json_string(ts));
		json_object_set_new(j, "time_ms", json_integer((json_int_t)ms));
	}
	emit_json(j);
}

static void
point_text(const struct master_point *p)
{
	char flags[FLAGS_STR_MAX], ts[TIME_STR_MAX], oct[OCTETS_STR_MAX];

	printf("g%uv%u", p->group, p->variation);
	if (p->indexed)
		printf(" index=%" PRIu32, p->index);
	switch (p->kind) {
	case DNP3_K_CROB:
		printf(" op=%s count=%u on=%" PRIu32 " off=%" PRIu32
		    " status=%s", master_crob_op_name(p->obj.crob.code),
		    p->obj.crob.count, p->obj.crob.on_ms, p->obj.crob.off_ms,
		    master_status_name(p->obj.crob.status));
		break;
	case DNP3_K_AOB:
		printf(" value=%.17g status=%s", p->obj.aob.value,
		    master_status_name(p->obj.aob.status));
		break;
	case DNP3_K_DELAY:
		printf(" delay_ms=%" PRIu32, p->variation == 1 ?
		    (uint32_t)p->obj.delay * 1000 : p->obj.delay);
		break;
	case DNP3_K_OCTETS:
		octets_str(&p->obj.octets, oct, sizeof(oct));
		printf(" value=\"%s\"", oct);
		break;
	case DNP3_K_TIME_INTERVAL:
		time_str(p->obj.interval.time_ms, ts, sizeof(ts));
		printf(" time=%s interval_ms=%" PRIu32, ts,
		    p->obj.interval.interval_ms);
		break;
	case DNP3_K_TIME:
		break;
	default:
		printf(" value=%.17g", p->obj.point.value);
		if (p->desc->has_flags) {
			master_flags_str(p->kind, p->obj.point.flags, ',',
			    flags, sizeof(flags));
			printf(" flags=%s", flags[0] ? flags : "0");
		}
	}
	if (p->time_valid) {
		time_str(p->time_ms, ts, sizeof(ts));
		printf(" time=%s", ts);
	}
	putchar('\n');
}

int
out_point(void *arg, const struct master_point *p)
{
	const struct output *o = arg;

	if (o->quiet)
		return 0;
	if (o->json)
		point_json(p);
	else
		point_text(p);
	return 0;
}

static const char *
link_func_name(uint8_t f)
{
	switch (f) {
	case LINK_SEC_ACK:
		return "ACK";
	case LINK_SEC_NACK:
		return "NACK";
	case LINK_SEC_LINK_STATUS:
		return "LINK_STATUS";
	case LINK_SEC_NOT_SUPPORTED:
		return "NOT_SUPPORTED";
	default:
		return "UNKNOWN";
	}
}

void
out_link(const struct output *o, uint8_t sec_func, uint16_t from)
{
	if (o->quiet)
		return;
	if (o->json)
		emit_json(json_pack("{s:s, s:i, s:s}", "type", "link",
		    "from", from, "function", link_func_name(sec_func)));
	else
		printf("link from=%u function=%s\n", from,
		    link_func_name(sec_func));
}

void
out_control(const struct output *o, uint8_t status)
{
	if (o->quiet)
		return;
	if (o->json)
		emit_json(json_pack("{s:s, s:s}", "type", "control",
		    "status", master_status_name(status)));
	else
		printf("control status=%s\n", master_status_name(status));
}

void
out_timesync(const struct output *o, uint64_t time_ms, int64_t delay_ms)
{
	char ts[TIME_STR_MAX];

	if (o->quiet)
		return;
	time_str(time_ms, ts, sizeof(ts));
	if (o->json)
		emit_json(json_pack("{s:s, s:s, s:I, s:I}", "type", "timesync",
		    "time", ts, "time_ms", (json_int_t)time_ms, "delay_ms",
		    (json_int_t)delay_ms));
	else
		printf("timesync time=%s delay_ms=%" PRId64 "\n", ts,
		    delay_ms);
}

void
out_summary(const struct output *o, const char *cmd, uint32_t count,
    uint32_t failures, uint64_t min_us, uint64_t avg_us, uint64_t max_us)
{
	if (o->json) {
		emit_json(json_pack("{s:s, s:s, s:I, s:I, s:f, s:f, s:f}",
		    "type", "summary", "command", cmd,
		    "count", (json_int_t)count, "failures",
		    (json_int_t)failures, "min_ms", min_us / 1000.0,
		    "avg_ms", avg_us / 1000.0, "max_ms", max_us / 1000.0));
		return;
	}
	printf("%s: %" PRIu32 " requests, %" PRIu32 " failed, latency "
	    "min/avg/max %.3f/%.3f/%.3f ms\n", cmd, count, failures,
	    min_us / 1000.0, avg_us / 1000.0, max_us / 1000.0);
}

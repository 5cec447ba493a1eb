/*
 * Framing of the listener-worker channel (see channel.h).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common/le.h"
#include "ipc/channel.h"
#include "ipc/fdpass.h"

int
chan_send(int sock, enum chan_type type, const void *data, size_t len,
    int fd)
{
	uint8_t rec[CHAN_HDR_LEN + CHAN_PAYLOAD_MAX];

	if (len > CHAN_PAYLOAD_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	put_le32(rec, CHAN_MAGIC);
	put_le16(rec + 4, CHAN_VERSION);
	put_le16(rec + 6, (uint16_t)type);
	put_le32(rec + 8, (uint32_t)len);
	if (len > 0)
		memcpy(rec + CHAN_HDR_LEN, data, len);
	return fdpass_send(sock, rec, CHAN_HDR_LEN + len, fd);
}

static int
check_header(const uint8_t *rec, size_t n, struct chan_msg *msg)
{
	if (n < CHAN_HDR_LEN)
		return CHAN_ESHORT;
	if (get_le32(rec) != CHAN_MAGIC)
		return CHAN_EMAGIC;
	if (get_le16(rec + 4) != CHAN_VERSION)
		return CHAN_EVERSION;
	msg->type = get_le16(rec + 6);
	msg->len = get_le32(rec + 8);
	if (msg->len != n - CHAN_HDR_LEN)
		return CHAN_ELENGTH;
	if (msg->type < CHAN_CONFIG || msg->type >= CHAN_TYPE_END)
		return CHAN_ETYPE;
	if ((msg->fd >= 0) != chan_type_has_fd(msg->type))
		return CHAN_EFDS;
	return CHAN_OK;
}

int
chan_recv(int sock, struct chan_msg *msg)
{
	uint8_t rec[CHAN_HDR_LEN + CHAN_PAYLOAD_MAX];
	ssize_t n;
	int status;

	msg->type = 0;
	msg->len = 0;
	n = fdpass_recv(sock, rec, sizeof(rec), &msg->fd);
	if (n <= 0)
		return (int)n;	/* fdpass_status and chan_status agree */
	status = check_header(rec, (size_t)n, msg);
	if (status != CHAN_OK) {
		if (msg->fd >= 0)
			close(msg->fd);
		msg->fd = -1;
		return status;
	}
	memcpy(msg->data, rec + CHAN_HDR_LEN, msg->len);
	return CHAN_OK;
}

const char *
chan_strerror(int status)
{
	switch (status) {
	case CHAN_OK:
		return "no error";
	case CHAN_EOF:
	case CHAN_ESYS:
	case CHAN_ETRUNC:
	case CHAN_ECTRUNC:
	case CHAN_EFDS:
	case CHAN_ECMSG:
		return fdpass_strerror(status);
	case CHAN_ESHORT:
		return "message shorter than its header";
	case CHAN_EMAGIC:
		return "bad magic";
	case CHAN_EVERSION:
		return "unsupported version";
	case CHAN_ELENGTH:
		return "length field does not match the message";
	case CHAN_ETYPE:
		return "unknown message type";
	default:
		return "unknown error";
	}
}

const char *
chan_type_name(uint16_t type)
{
	switch (type) {
	case CHAN_CONFIG:
		return "config";
	case CHAN_READY:
		return "ready";
	case CHAN_CONNECTION:
		return "connection";
	case CHAN_STOP:
		return "stop";
	case CHAN_MASTER:
		return "master";
	case CHAN_BUS:
		return "bus";
	case CHAN_HUB_CONFIG:
		return "hub config";
	case CHAN_HUB_NAMES:
		return "hub names";
	case CHAN_HUB_WORKER:
		return "hub worker";
	case CHAN_HUB_PUBLISH:
		return "hub publish";
	default:
		return "unknown";
	}
}

bool
chan_type_has_fd(uint16_t type)
{
	return type == CHAN_CONNECTION || type == CHAN_BUS ||
	    type == CHAN_HUB_WORKER;
}

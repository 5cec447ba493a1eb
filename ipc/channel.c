/*
 * Framing of the listener-worker channel (see channel.h).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dnp3/app/le.h"
#include "ipc/channel.h"
#include "ipc/fdpass.h"

/* Header and payload into rec; the record's length, or 0 if too long. */
static size_t
frame(uint8_t *rec, enum chan_type type, const void *data, size_t len)
{
	if (len > CHAN_PAYLOAD_MAX) {
		errno = EMSGSIZE;
		return 0;
	}
	put_le32(rec, CHAN_MAGIC);
	put_le16(rec + 4, CHAN_VERSION);
	put_le16(rec + 6, (uint16_t)type);
	put_le32(rec + 8, (uint32_t)len);
	if (len > 0)
		memcpy(rec + CHAN_HDR_LEN, data, len);
	return CHAN_HDR_LEN + len;
}

int
chan_send(int fd, enum chan_type type, const void *data, size_t len)
{
	uint8_t rec[CHAN_HDR_LEN + CHAN_PAYLOAD_MAX];
	size_t n = frame(rec, type, data, len);
	ssize_t w;

	if (n == 0)
		return -1;
	/* send() for MSG_NOSIGNAL on the socket; a pipe is not one. */
	do {
		w = send(fd, rec, n, MSG_NOSIGNAL);
		if (w == -1 && errno == ENOTSOCK)
			w = write(fd, rec, n);
	} while (w == -1 && errno == EINTR);
	if (w == -1)
		return -1;
	if ((size_t)w != n) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

int
chan_send_fd(int sock, enum chan_type type, const void *data, size_t len,
    int fd)
{
	uint8_t rec[CHAN_HDR_LEN + CHAN_PAYLOAD_MAX];
	size_t n = frame(rec, type, data, len);

	if (n == 0)
		return -1;
	return fdpass_send(sock, rec, n, fd);
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

int
chan_read(int fd, struct chan_msg *msg)
{
	/* One byte more than a record may have: a longer packet shows. */
	uint8_t rec[CHAN_HDR_LEN + CHAN_PAYLOAD_MAX + 1];
	ssize_t n;

	msg->type = 0;
	msg->len = 0;
	msg->fd = -1;
	do {
		n = read(fd, rec, sizeof(rec));
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return CHAN_ESYS;
	if (n == 0)
		return CHAN_EOF;
	if ((size_t)n > CHAN_HDR_LEN + CHAN_PAYLOAD_MAX)
		return CHAN_ETRUNC;
	int status = check_header(rec, (size_t)n, msg);
	if (status == CHAN_OK)
		memcpy(msg->data, rec + CHAN_HDR_LEN, msg->len);
	return status;
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
	case CHAN_ECMSG:
		return fdpass_strerror(status);
	case CHAN_EFDS:
		return "descriptor where none belongs, or missing";
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
	case CHAN_PING:
		return "ping";
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
	case CHAN_HUB_STATUS:
		return "hub status";
	case CHAN_HUB_WSTATUS:
		return "hub worker status";
	case CHAN_STATE:
		return "state";
	case CHAN_CLASSIFY_CONFIG:
		return "classify config";
	case CHAN_CLASSIFY_CONN:
		return "classify connection";
	case CHAN_CLASSIFY_ANSWER:
		return "classify answer";
	case CHAN_RELAY_CONFIG:
		return "relay config";
	case CHAN_RELAY_LINK:
		return "relay link";
	case CHAN_RELAY_MASTER:
		return "relay master";
	case CHAN_RELAY_NEWS:
		return "relay news";
	default:
		return "unknown";
	}
}

bool
chan_type_has_fd(uint16_t type)
{
	return type == CHAN_CONNECTION || type == CHAN_BUS ||
	    type == CHAN_HUB_WORKER || type == CHAN_CLASSIFY_CONN ||
	    type == CHAN_RELAY_LINK || type == CHAN_RELAY_MASTER;
}

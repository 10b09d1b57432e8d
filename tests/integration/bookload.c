/* bookload: a booking client for the integration tests, one REQ socket. */
/*
 * usage: bookload [-o create|show] [-g FIFO -r READYFILE] [-s SENTLOG]
 *                 [-t MS] [-p MS] ENDPOINT TOKEN
 *
 * Reads one request a line on stdin and sends them in turn on its own REQ
 * socket (so that several processes are several clients):
 *
 *   -o create (default)  "KEY SLOT [HOLD]": booking.create with that
 *                        idempotency key, slot (and hold), for the patient
 *                        {"name": "Bookload Patient", "phone": "+33600000042"}
 *   -o show              "BOOKING": booking.show
 *
 * and writes one line a request on stdout, each with a single write():
 *
 *   "<line> ok <booking> <slot> <status>"   the reply's booking
 *   "<line> err <code>"                      an error reply
 *   "<line> lost"                            no reply within -t
 *
 * After a lost request the socket is closed and a new one opened: the
 * request is abandoned, as by a client that gave up (nanomsg's REQ socket
 * would otherwise resend it).
 *
 *   -g FIFO     once connected, wait until FIFO gets a writer (every
 *               client waiting on one FIFO starts at the same moment);
 *               -r READYFILE gets a line appended once waiting
 *   -s SENTLOG  append the line to SENTLOG before each send
 *   -t MS       reply timeout (default 5000)
 *   -p MS       pause between requests (default 0): a steady load
 *
 * Exit: 0 once stdin is done, 1 on a socket or file error, 2 on usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>

#define BL_LINE_MAX	512
#define BL_GO_WAIT_MS	30000

struct bl {
	const char	*endpoint, *token, *op;
	int		 timeout_ms, pause_ms;
	int		 sent_fd;	/* or -1 */
	int		 sock;
	unsigned	 n;		/* request ids */
};

static void
bl_usage(void)
{
	fprintf(stderr, "usage: bookload [-o create|show] [-g FIFO -r "
	    "READYFILE] [-s SENTLOG] [-t MS] [-p MS] ENDPOINT TOKEN\n");
	exit(2);
}

/* Write all of buf, or exit: a half-written line would mislead a test. */
static void
bl_write(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			perror("bookload: write");
			exit(1);
		}
		buf += w;
		len -= (size_t)w;
	}
}

static int
bl_open(struct bl *b)
{
	int maxsize = -1;

	if ((b->sock = nn_socket(AF_SP, NN_REQ)) < 0 ||
	    nn_setsockopt(b->sock, NN_SOL_SOCKET, NN_SNDTIMEO, &b->timeout_ms,
	    sizeof(b->timeout_ms)) < 0 ||
	    nn_setsockopt(b->sock, NN_SOL_SOCKET, NN_RCVTIMEO, &b->timeout_ms,
	    sizeof(b->timeout_ms)) < 0 ||
	    nn_setsockopt(b->sock, NN_SOL_SOCKET, NN_RCVMAXSIZE, &maxsize,
	    sizeof(maxsize)) < 0 || nn_connect(b->sock, b->endpoint) < 0) {
		fprintf(stderr, "bookload: %s: %s\n", b->endpoint,
		    nn_strerror(nn_errno()));
		if (b->sock >= 0)
			nn_close(b->sock);
		b->sock = -1;
		return -1;
	}
	return 0;
}

/* Wait until someone opens fifo for writing (or writes to it). */
static int
bl_wait_go(const char *fifo, const char *ready)
{
	struct pollfd p;
	int fd, rfd, rc;

	/* Non-blocking: no writer yet is fine, poll waits for one. */
	if ((fd = open(fifo, O_RDONLY | O_NONBLOCK)) < 0) {
		perror(fifo);
		return -1;
	}
	if (ready != NULL) {
		if ((rfd = open(ready, O_WRONLY | O_APPEND | O_CREAT,
		    0600)) < 0) {
			perror(ready);
			close(fd);
			return -1;
		}
		bl_write(rfd, "ready\n", 6);
		close(rfd);
	}
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	do
		rc = poll(&p, 1, BL_GO_WAIT_MS);
	while (rc < 0 && errno == EINTR);
	close(fd);
	if (rc <= 0) {
		fprintf(stderr, "bookload: %s: no go within %d ms\n", fifo,
		    BL_GO_WAIT_MS);
		return -1;
	}
	return 0;
}

/* The request for one input line, as text; NULL if the line is bad. */
static char *
bl_request(struct bl *b, char *line)
{
	char *f1, *f2, *f3, *save = NULL, id[32], *text;
	cJSON *req, *args, *p;

	f1 = strtok_r(line, " \t", &save);
	f2 = strtok_r(NULL, " \t", &save);
	f3 = strtok_r(NULL, " \t", &save);
	if (f1 == NULL)
		return NULL;
	req = cJSON_CreateObject();
	snprintf(id, sizeof(id), "bl-%ld-%u", (long)getpid(), b->n++);
	cJSON_AddNumberToObject(req, "v", 1);
	cJSON_AddStringToObject(req, "id", id);
	cJSON_AddStringToObject(req, "op", strcmp(b->op, "show") == 0 ?
	    "booking.show" : "booking.create");
	cJSON_AddStringToObject(req, "token", b->token);
	args = cJSON_AddObjectToObject(req, "args");
	if (strcmp(b->op, "show") == 0)
		cJSON_AddStringToObject(args, "booking", f1);
	else {
		if (f2 == NULL) {
			cJSON_Delete(req);
			return NULL;
		}
		cJSON_AddStringToObject(args, "idempotency_key", f1);
		cJSON_AddStringToObject(args, "slot", f2);
		if (f3 != NULL)
			cJSON_AddStringToObject(args, "hold", f3);
		p = cJSON_AddObjectToObject(args, "patient");
		cJSON_AddStringToObject(p, "name", "Bookload Patient");
		cJSON_AddStringToObject(p, "phone", "+33600000042");
		cJSON_AddStringToObject(args, "reason", "load");
	}
	text = cJSON_PrintUnformatted(req);
	cJSON_Delete(req);
	return text;
}

static const char *
bl_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : "?";
}

/* The verdict on a reply: "ok BOOKING SLOT STATUS" or "err CODE". */
static void
bl_verdict(const char *reply, size_t len, char *out, size_t outlen)
{
	cJSON *r = cJSON_ParseWithLength(reply, len);
	const cJSON *res, *err;

	if (r == NULL) {
		snprintf(out, outlen, "err NOT_JSON");
		return;
	}
	res = cJSON_GetObjectItemCaseSensitive(r, "result");
	err = cJSON_GetObjectItemCaseSensitive(r, "error");
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "ok")) &&
	    cJSON_IsObject(res))
		snprintf(out, outlen, "ok %s %s %s", bl_str(res, "booking"),
		    bl_str(res, "slot"), bl_str(res, "status"));
	else
		snprintf(out, outlen, "err %s", bl_str(err, "code"));
	cJSON_Delete(r);
}

/* One request and its reply; writes the line; -1: a socket error. */
static int
bl_one(struct bl *b, char *line)
{
	char shown[BL_LINE_MAX], verdict[BL_LINE_MAX], out[2 * BL_LINE_MAX];
	char *text, *reply = NULL;
	struct timespec pause;
	int len, n;

	snprintf(shown, sizeof(shown), "%s", line);
	if ((text = bl_request(b, line)) == NULL) {
		fprintf(stderr, "bookload: bad line \"%s\"\n", shown);
		return 0;
	}
	if (b->sent_fd >= 0) {
		n = snprintf(out, sizeof(out), "%s\n", shown);
		bl_write(b->sent_fd, out, (size_t)n);
	}
	len = nn_send(b->sock, text, strlen(text), 0);
	cJSON_free(text);
	if (len >= 0)
		len = nn_recv(b->sock, &reply, NN_MSG, 0);
	if (len < 0) {
		if (nn_errno() != ETIMEDOUT && nn_errno() != EAGAIN) {
			fprintf(stderr, "bookload: %s\n",
			    nn_strerror(nn_errno()));
			return -1;
		}
		snprintf(verdict, sizeof(verdict), "lost");
		/* Give the request up: a new socket will not resend it. */
		nn_close(b->sock);
		if (bl_open(b) != 0)
			return -1;
	} else {
		bl_verdict(reply, (size_t)len, verdict, sizeof(verdict));
		nn_freemsg(reply);
	}
	n = snprintf(out, sizeof(out), "%s %s\n", shown, verdict);
	bl_write(1, out, (size_t)n);
	if (b->pause_ms > 0) {
		pause.tv_sec = b->pause_ms / 1000;
		pause.tv_nsec = (long)(b->pause_ms % 1000) * 1000000L;
		while (nanosleep(&pause, &pause) != 0 && errno == EINTR)
			;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct bl b = { .op = "create", .timeout_ms = 5000, .sent_fd = -1,
	    .sock = -1 };
	const char *fifo = NULL, *ready = NULL, *sent = NULL;
	char line[BL_LINE_MAX];
	int c, status = 0;

	while ((c = getopt(argc, argv, "o:g:r:s:t:p:")) != -1)
		switch (c) {
		case 'o':
			b.op = optarg;
			break;
		case 'g':
			fifo = optarg;
			break;
		case 'r':
			ready = optarg;
			break;
		case 's':
			sent = optarg;
			break;
		case 't':
			b.timeout_ms = atoi(optarg);
			break;
		case 'p':
			b.pause_ms = atoi(optarg);
			break;
		default:
			bl_usage();
		}
	if (argc - optind != 2 || b.timeout_ms <= 0 || b.pause_ms < 0 ||
	    (strcmp(b.op, "create") != 0 && strcmp(b.op, "show") != 0))
		bl_usage();
	b.endpoint = argv[optind];
	b.token = argv[optind + 1];
	if (sent != NULL && (b.sent_fd = open(sent, O_WRONLY | O_APPEND |
	    O_CREAT, 0600)) < 0) {
		perror(sent);
		return 1;
	}
	if (bl_open(&b) != 0 || (fifo != NULL && bl_wait_go(fifo, ready) != 0))
		status = 1;
	while (status == 0 && fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] != '\0' && bl_one(&b, line) != 0)
			status = 1;
	}
	if (b.sock >= 0)
		nn_close(b.sock);
	if (b.sent_fd >= 0)
		close(b.sent_fd);
	return status;
}

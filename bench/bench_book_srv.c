/* What the booking benchmark serves against: snpd, and the echo ceiling. */
#include "bench/bench_book_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>

pid_t
bb_snpd_start(const struct bb_cfg *c, const struct bb_terr *t)
{
	char cfg[4200], log[4200];
	pid_t pid;
	int fd;

	snprintf(cfg, sizeof(cfg), "%s/snpd.json", t->dir);
	snprintf(log, sizeof(log), "%s/snpd.log", t->dir);
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) != 0)
		return pid;
	if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600)) < 0 ||
	    dup2(fd, 2) < 0)
		_exit(127);
	close(fd);
	/* The default level, notice: no line per request, as in service. */
	execl(c->snpd, "snpd", "-c", cfg, "--now", GEN_BOOK_NOW, (char *)NULL);
	fprintf(stderr, "bench_book: %s: %s\n", c->snpd, strerror(errno));
	_exit(127);
}

int
bb_stop(pid_t pid)
{
	struct timespec ts = { 0, 20 * 1000000 };
	int status = 0;

	if (pid <= 0)
		return -1;
	kill(pid, SIGTERM);
	for (int i = 0; i < 750; i++) {		/* 15 s */
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0)
			return -1;
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "bench_book: pid %d still running after SIGTERM: "
	    "killed\n", (int)pid);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/* The query a request names in its id, "q<N>-…", or -1. */
static int
bb_echo_query(const char *body, size_t len, int n_q)
{
	const char *p = memmem(body, len < 64 ? len : 64, "\"id\":\"q", 7);
	int q = 0;

	if (p == NULL)
		return -1;
	for (p += 7; p < body + len && *p >= '0' && *p <= '9'; p++)
		q = 10 * q + (*p - '0');
	return q < n_q ? q : -1;
}

/*
 * The ceiling: snpd's socket (raw REP, ipc://, NN_RCVFD polled, drained
 * with NN_DONTWAIT, each reply sent along its request's header, as
 * daemon/srv.c) with no work between receiving and replying. The reply
 * is snpd's own to the same search, recorded before, so that both move
 * the same bytes; any other request gets a short one.
 */
static int
bb_echo_main(const struct bb_terr *t, const struct bb_shm *shm)
{
	static const char other[] = "{\"v\":1,\"id\":null,\"ok\":true,"
	    "\"result\":{}}";
	int s = nn_socket(AF_SP_RAW, NN_REP), max = -1, fd, n, q;
	size_t optlen = sizeof(fd);
	struct nn_msghdr hdr;
	struct nn_iovec iov;
	struct pollfd pfd;
	void *body, *ctrl;

	if (s < 0 || nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVMAXSIZE, &max,
	    sizeof(max)) < 0 || nn_bind(s, t->echo_url) < 0 ||
	    nn_getsockopt(s, NN_SOL_SOCKET, NN_RCVFD, &fd, &optlen) < 0) {
		fprintf(stderr, "bench_book: echo: %s\n",
		    nn_strerror(nn_errno()));
		return 1;
	}
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	for (;;) {
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			return 1;
		for (;;) {
			memset(&hdr, 0, sizeof(hdr));
			body = ctrl = NULL;
			iov.iov_base = &body;
			iov.iov_len = NN_MSG;
			hdr.msg_iov = &iov;
			hdr.msg_iovlen = 1;
			hdr.msg_control = &ctrl;
			hdr.msg_controllen = NN_MSG;
			if ((n = nn_recvmsg(s, &hdr, NN_DONTWAIT)) < 0)
				break;
			q = bb_echo_query(body, (size_t)n, t->n_q);
			nn_freemsg(body);
			memset(&hdr, 0, sizeof(hdr));
			if (q >= 0) {
				iov.iov_base = shm->arena + t->q[q].reply_off;
				iov.iov_len = t->q[q].reply_len;
			} else {
				iov.iov_base = (void *)(uintptr_t)other;
				iov.iov_len = sizeof(other) - 1;
			}
			hdr.msg_iov = &iov;
			hdr.msg_iovlen = 1;
			hdr.msg_control = &ctrl;
			hdr.msg_controllen = NN_MSG;
			/* srv.c: nanomsg keeps the header, sent or not. */
			(void)nn_sendmsg(s, &hdr, NN_DONTWAIT);
		}
	}
}

pid_t
bb_echo_start(const struct bb_terr *t, const struct bb_shm *shm)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == 0)
		_exit(bb_echo_main(t, shm));
	return pid;
}

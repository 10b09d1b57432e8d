/* Run a measurement in a fresh process: its peak RSS and caches are its own. */
#include "bench/bench_fork.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int
bench_fork(int (*fn)(void *arg, void *res), void *arg, void *res,
    size_t size)
{
	int fd[2], status;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	memset(res, 0, size);
	fflush(stdout);
	if (pipe(fd) != 0)
		return -1;
	if ((pid = fork()) < 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		int rc;

		close(fd[0]);
		rc = fn(arg, res);
		fflush(stdout);
		if (write(fd[1], res, size) != (ssize_t)size)
			_exit(1);
		_exit(rc == 0 ? 0 : 1);
	}
	close(fd[1]);
	while (got < size && (n = read(fd[0], (char *)res + got,
	    size - got)) > 0)
		got += (size_t)n;
	close(fd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 || got != size)
		return -1;
	return 0;
}

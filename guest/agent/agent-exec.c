/* Owns running one command for the agent: fork/execvp in its own process group, capped capture, deadline kill. */
#define _GNU_SOURCE
#include "agent-exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* After the command exits (or is killed), how long pipes held open by its leftovers may delay the answer. */
#define PIPE_GRACE_MS 200
/* How often the wait loop checks for the child's exit when no output arrives. */
#define SLICE_MS 50

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void child_run(char *const argv[], int out_fd, int err_fd, int status_fd) {
  /* A new session makes the command lead its own process group, so a kill reaches everything it started. */
  setsid();
  sigset_t all;
  sigemptyset(&all);
  sigprocmask(SIG_SETMASK, &all, NULL);
  /* Ignored signals stay ignored across exec: give the command the defaults. */
  signal(SIGPIPE, SIG_DFL);
  signal(SIGCHLD, SIG_DFL);
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) {
    dup2(devnull, 0);
    if (devnull != 0) close(devnull);
  } else {
    close(0);
  }
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  execvp(argv[0], argv);
  int e = errno;
  ssize_t ignored = write(status_fd, &e, sizeof e);
  (void)ignored;
  _exit(127);
}

/* Reads what is there on fd into dst up to max (the rest is dropped); returns 0 at EOF, 1 while open. */
static int drain(int fd, buf_t *dst, size_t max, int *truncated) {
  char chunk[65536];
  ssize_t n = read(fd, chunk, sizeof chunk);
  if (n == 0) return 0;
  if (n < 0) return (errno == EINTR || errno == EAGAIN) ? 1 : 0;
  size_t room = dst->len < max ? max - dst->len : 0;
  size_t keep = (size_t)n < room ? (size_t)n : room;
  if (keep > 0) buf_put(dst, chunk, keep);
  if (keep < (size_t)n) *truncated = 1;
  return 1;
}

int agent_exec(char *const argv[], long timeout_ms, size_t max_output, exec_result_t *res) {
  memset(res, 0, sizeof *res);
  buf_init(&res->out);
  buf_init(&res->err);
  buf_put(&res->out, "", 0);
  buf_put(&res->err, "", 0);
  int po[2], pe[2], ps[2];
  if (pipe2(po, O_CLOEXEC) != 0) return -1;
  if (pipe2(pe, O_CLOEXEC) != 0) { close(po[0]); close(po[1]); return -1; }
  if (pipe2(ps, O_CLOEXEC) != 0) { close(po[0]); close(po[1]); close(pe[0]); close(pe[1]); return -1; }
  pid_t pid = fork();
  if (pid < 0) {
    close(po[0]); close(po[1]); close(pe[0]); close(pe[1]); close(ps[0]); close(ps[1]);
    return -1;
  }
  if (pid == 0) child_run(argv, po[1], pe[1], ps[1]);
  close(po[1]);
  close(pe[1]);
  close(ps[1]);

  /* The status pipe closes on a successful exec (CLOEXEC) or carries the errno of a failed one. */
  int child_errno = 0;
  ssize_t got;
  do got = read(ps[0], &child_errno, sizeof child_errno);
  while (got < 0 && errno == EINTR);
  close(ps[0]);
  if (got == (ssize_t)sizeof child_errno) {
    res->exec_errno = child_errno ? child_errno : EINVAL;
    close(po[0]);
    close(pe[0]);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
    return 0;
  }

  long long deadline = now_ms() + timeout_ms;
  long long pipes_until = -1; /* set once the child is gone: stop waiting for its pipes then */
  int status = 0, reaped = 0;
  int fds[2] = { po[0], pe[0] };
  buf_t *dst[2] = { &res->out, &res->err };
  while (fds[0] >= 0 || fds[1] >= 0 || !reaped) {
    long long now = now_ms();
    if (!reaped) {
      pid_t w = waitpid(pid, &status, WNOHANG);
      if (w == pid || (w < 0 && errno == ECHILD)) {
        reaped = 1;
        pipes_until = now + PIPE_GRACE_MS;
      } else if (now >= deadline && !res->timed_out) {
        res->timed_out = 1;
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
      }
    }
    if (reaped && (fds[0] < 0 && fds[1] < 0)) break;
    if (reaped && now >= pipes_until) {
      /* Leftovers of the command still hold the pipes: end its group, answer with what came. */
      kill(-pid, SIGKILL);
      break;
    }
    struct pollfd pfd[2];
    nfds_t n = 0;
    int which[2];
    for (int i = 0; i < 2; i++) {
      if (fds[i] < 0) continue;
      pfd[n].fd = fds[i];
      pfd[n].events = POLLIN;
      pfd[n].revents = 0;
      which[n++] = i;
    }
    int wait = SLICE_MS;
    if (!reaped && !res->timed_out && deadline - now < wait) wait = (int)(deadline - now > 0 ? deadline - now : 0);
    if (n == 0) {
      /* Output is closed; only the exit is missing. */
      struct timespec ts = { 0, (long)wait * 1000000L };
      nanosleep(&ts, NULL);
      continue;
    }
    int r = poll(pfd, n, wait);
    if (r < 0 && errno != EINTR) break;
    for (nfds_t k = 0; r > 0 && k < n; k++) {
      if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      int i = which[k];
      if (!drain(fds[i], dst[i], max_output, &res->truncated)) {
        close(fds[i]);
        fds[i] = -1;
      }
    }
  }
  for (int i = 0; i < 2; i++)
    if (fds[i] >= 0) close(fds[i]);
  if (!reaped) {
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  }
  if (WIFEXITED(status)) res->exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) res->exit_code = 128 + WTERMSIG(status);
  else res->exit_code = -1;
  return (res->out.failed || res->err.failed) ? -1 : 0;
}

void exec_result_free(exec_result_t *res) {
  buf_free(&res->out);
  buf_free(&res->err);
}

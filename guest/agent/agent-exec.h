/* Owns running one command for the agent: argv, captured output with a cap, a deadline, the exit status. */
#ifndef RAYOS_AGENT_EXEC_H
#define RAYOS_AGENT_EXEC_H

#include <stddef.h>

#include "agent-json.h"

typedef struct {
  int exit_code;   /* exit status, or 128 + signal number */
  int timed_out;   /* killed (SIGKILL, whole process group) at the deadline */
  int truncated;   /* more than max_output bytes on stdout or stderr */
  int exec_errno;  /* nonzero: the program could not be started (ENOENT, EACCES, ...) */
  buf_t out;
  buf_t err;
} exec_result_t;

/* Returns 0 when the command ran (or could not be started: see exec_errno), -1 on an agent-side failure. */
int agent_exec(char *const argv[], long timeout_ms, size_t max_output, exec_result_t *res);
void exec_result_free(exec_result_t *res);

#endif

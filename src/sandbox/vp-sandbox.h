/* vp-sandbox.h: a VoxParse-compatible HTTP server with generated calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VP_SANDBOX_DEFAULT_API_KEY "sandbox-key"
#define VP_SANDBOX_DEFAULT_JOBS 300
#define VP_SANDBOX_DEFAULT_SEED 1

#define VP_TYPE_SANDBOX (vp_sandbox_get_type ())
G_DECLARE_FINAL_TYPE (VpSandbox, vp_sandbox, VP, SANDBOX, GObject)

/* @api_key: the one key the server accepts. */
VpSandbox  *vp_sandbox_new            (guint64      seed,
                                       guint        n_jobs,
                                       const char  *api_key);

/* Listens on 127.0.0.1:@port (0 picks a free port) and serves from the
 * thread-default main context of the caller. */
gboolean    vp_sandbox_listen         (VpSandbox   *self,
                                       guint        port,
                                       GError     **error);
/* Same, but serves from a thread of its own with its own main context, so
 * that a busy caller (a window, a benchmark) never slows the server down.
 * Returns once the server listens.  Stopped in dispose. */
gboolean    vp_sandbox_start_thread   (VpSandbox   *self,
                                       guint        port,
                                       GError     **error);

/* "http://127.0.0.1:PORT"; NULL before listening */
const char *vp_sandbox_get_base_url   (VpSandbox   *self);
const char *vp_sandbox_get_api_key    (VpSandbox   *self);
guint       vp_sandbox_get_n_jobs     (VpSandbox   *self);

/* The id of the job at @position in the list (0 = newest); NULL past the end */
char       *vp_sandbox_dup_job_id     (VpSandbox   *self,
                                       guint        position);

/* Creates @n new jobs at the head of the list, newer than any before.
 * Thread-safe. */
void        vp_sandbox_add_jobs       (VpSandbox   *self,
                                       guint        n);
/* Moves a job to "queued", "processing", "completed" or "failed".
 * Thread-safe.  Returns FALSE if there is no such job or status. */
gboolean    vp_sandbox_set_job_status (VpSandbox   *self,
                                       const char  *job_id,
                                       const char  *status);
/* The number of requests served so far (all paths). Thread-safe. */
guint       vp_sandbox_get_request_count (VpSandbox *self);

/* Additions beyond the first contract: */

/* The port listened on; 0 before listening */
guint       vp_sandbox_get_port       (VpSandbox   *self);
/* Every @seconds (0 = never, the default), queued jobs become processing
 * and processing jobs finish (completed, or failed for the few the
 * generator meant to fail), so a demo sees jobs complete.  Thread-safe. */
void        vp_sandbox_set_advance_interval (VpSandbox *self,
                                             guint      seconds);
/* Makes @job_id a long Pro call of about @n_words words (~40,000 for four
 * hours): its duration, cost and result change accordingly.  Thread-safe.
 * Returns FALSE if there is no such job. */
gboolean    vp_sandbox_set_long_call  (VpSandbox   *self,
                                       const char  *job_id,
                                       guint        n_words);

G_END_DECLS

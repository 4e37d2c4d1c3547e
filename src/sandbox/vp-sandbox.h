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

/* ------------------------------------------------------------------ */
/* Faults: what a flaky network, a broken proxy or a hostile server do  */

/**
 * VpSandboxFault:
 * @VP_SANDBOX_FAULT_LATENCY: every answer waits @param ms (default 200)
 * @VP_SANDBOX_FAULT_SERVER_ERROR: answered with status @param (500, 502
 *   or 503; default 503)
 * @VP_SANDBOX_FAULT_RATE_LIMIT: 429 with Retry-After: @param seconds
 *   (default 1; 0 sends no Retry-After)
 * @VP_SANDBOX_FAULT_DROP: chunked, and the connection goes away in the
 *   middle of the body
 * @VP_SANDBOX_FAULT_TRUNCATE: a Content-Length larger than the body sent,
 *   then the connection is closed
 * @VP_SANDBOX_FAULT_NOT_JSON: a 200 whose body is a proxy's HTML page
 * @VP_SANDBOX_FAULT_WRONG_TYPES: JSON of the right shape whose fields have
 *   the wrong types (ids stay strings)
 * @VP_SANDBOX_FAULT_HUGE_TRANSCRIPT: results only: a transcript (and
 *   transcript_cleaned) of @param MB each (default 10)
 * @VP_SANDBOX_FAULT_DEEP_NESTING: arrays nested @param deep (default 100000)
 * @VP_SANDBOX_FAULT_INVALID_UTF8: the usual body with invalid UTF-8 in its
 *   first string
 * @VP_SANDBOX_FAULT_TRICKLE: the usual body, one byte every @param ms
 *   (default 10), chunked
 * @VP_SANDBOX_FAULT_REDIRECT: 302 to the same path on the foreign origin
 * @VP_SANDBOX_FAULT_FOREIGN_RESULT_URL: jobs only: result_url names the
 *   foreign origin
 * @VP_SANDBOX_FAULT_ECHO_KEY: 401 whose error message repeats the key the
 *   request carried
 *
 * Latency and trickle change how an answer is delivered and combine with
 * the others; of the others, the first one (in this order) that applies to
 * a request decides the answer.  Faults apply to the requests /v1 routes
 * (a missing key and unknown paths are answered as usual).
 */
typedef enum {
  VP_SANDBOX_FAULT_LATENCY,
  VP_SANDBOX_FAULT_SERVER_ERROR,
  VP_SANDBOX_FAULT_RATE_LIMIT,
  VP_SANDBOX_FAULT_DROP,
  VP_SANDBOX_FAULT_TRUNCATE,
  VP_SANDBOX_FAULT_NOT_JSON,
  VP_SANDBOX_FAULT_WRONG_TYPES,
  VP_SANDBOX_FAULT_HUGE_TRANSCRIPT,
  VP_SANDBOX_FAULT_DEEP_NESTING,
  VP_SANDBOX_FAULT_INVALID_UTF8,
  VP_SANDBOX_FAULT_TRICKLE,
  VP_SANDBOX_FAULT_REDIRECT,
  VP_SANDBOX_FAULT_FOREIGN_RESULT_URL,
  VP_SANDBOX_FAULT_ECHO_KEY,
  VP_SANDBOX_N_FAULTS
} VpSandboxFault;

/* Which requests a fault applies to */
typedef enum {
  VP_SANDBOX_REQUESTS_LIST    = 1 << 0,  /* GET /v1/jobs */
  VP_SANDBOX_REQUESTS_JOB     = 1 << 1,  /* GET /v1/jobs/{id} */
  VP_SANDBOX_REQUESTS_RESULT  = 1 << 2,  /* GET /v1/jobs/{id}/result */
  VP_SANDBOX_REQUESTS_PRICING = 1 << 3,  /* GET /v1/pricing */
  VP_SANDBOX_REQUESTS_ALL     = 0xf,
} VpSandboxRequests;

/* "latency", "server-error", "rate-limit", "drop", "truncate", "not-json",
 * "wrong-types", "huge-transcript", "deep-nesting", "invalid-utf8",
 * "trickle", "redirect", "foreign-result-url", "echo-key" */
const char *vp_sandbox_fault_to_string   (VpSandboxFault     fault);
gboolean    vp_sandbox_fault_from_string (const char        *name,
                                          VpSandboxFault    *fault);

/* Switches @fault on for every request it can apply to.  @param < 0 picks
 * the default.  Thread-safe, like all the fault functions. */
void        vp_sandbox_set_fault         (VpSandbox         *self,
                                          VpSandboxFault     fault,
                                          double             param);
/* @rate: the share of the requests it applies to that it hits, 0 < rate
 * <= 1, spread evenly and deterministically (0.5: every second one).
 * @requests: 0 for all. */
void        vp_sandbox_set_fault_full    (VpSandbox         *self,
                                          VpSandboxFault     fault,
                                          double             param,
                                          double             rate,
                                          VpSandboxRequests  requests);
void        vp_sandbox_clear_fault       (VpSandbox         *self,
                                          VpSandboxFault     fault);
void        vp_sandbox_clear_faults      (VpSandbox         *self);
/* "NAME[=PARAM][,rate=R][,only=list|job|result|pricing[+...]]", as
 * voxparse-sandbox --fault takes it. */
gboolean    vp_sandbox_add_fault_spec    (VpSandbox         *self,
                                          const char        *spec,
                                          GError           **error);
/* How many answers a fault has changed so far */
guint       vp_sandbox_get_fault_count   (VpSandbox         *self);
/* Requests served per kind (only those the routes know) */
guint       vp_sandbox_get_requests_for  (VpSandbox         *self,
                                          VpSandboxRequests  kind);

/* The foreign origin: a second listener (127.0.0.2 when the system allows
 * it, else another port of 127.0.0.1) that serves the same calls to anyone,
 * as a storage host or an attacker would, and records every X-API-Key it
 * is sent.  Redirects and foreign result_urls point there.  NULL before
 * listening. */
const char *vp_sandbox_get_foreign_base_url      (VpSandbox *self);
guint       vp_sandbox_get_foreign_request_count (VpSandbox *self);
/* The distinct X-API-Key values received so far, by the sandbox itself or
 * (@foreign) by the foreign origin; NULL-terminated, never NULL. */
char      **vp_sandbox_dup_keys_received         (VpSandbox *self,
                                                  gboolean   foreign);

G_END_DECLS

/* test-faults.c: VpClient and VpJobList while the sandbox misbehaves
 *
 * One fault at a time (vp_sandbox_set_fault()), against the in-process
 * sandbox served from its own thread: the error each fault gives, how many
 * requests the client makes (retries are bounded and never against 401 or
 * 404), that loaded jobs stay, and that everything works again once the
 * fault is cleared, with the same client.  A 5 ms timeout on the test's
 * main context ("the probe") shows the main loop kept turning while a
 * faulty answer was on its way; its largest gap is reported, not asserted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-faults"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "vp-client.h"
#include "vp-error.h"
#include "vp-job-list.h"
#include "vp-sandbox.h"
#include "test-util.h"

#define TEST_KEY "faults-key-5c1e9d"
#define MAX_RETRIES 2

typedef struct {
  VpSandbox *sandbox;
  VpClient  *client;
  char      *completed_id;

  /* the probe */
  guint      probe_id;
  guint      probe_ticks;
  gint64     probe_last;
  gint64     probe_max_gap;
} Fixture;

static gboolean
probe_cb (gpointer user_data)
{
  Fixture *f = user_data;
  gint64 now = g_get_monotonic_time ();

  if (f->probe_last != 0)
    f->probe_max_gap = MAX (f->probe_max_gap, now - f->probe_last);
  f->probe_last = now;
  f->probe_ticks++;

  return G_SOURCE_CONTINUE;
}

static void
probe_start (Fixture *f)
{
  f->probe_ticks = 0;
  f->probe_last = 0;
  f->probe_max_gap = 0;
  f->probe_id = g_timeout_add (5, probe_cb, f);
}

static void
probe_stop (Fixture    *f,
            const char *what)
{
  g_clear_handle_id (&f->probe_id, g_source_remove);
  g_test_message ("probe during %s: %u ticks, largest gap %.1f ms",
                  what, f->probe_ticks, f->probe_max_gap / 1000.0);
}

static GPtrArray *
list_jobs (Fixture  *f,
           guint     limit,
           GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vp_client_list_jobs_async (f->client, limit, 0, NULL, test_store_result_cb, &result);
  return vp_client_list_jobs_finish (f->client, test_wait_for_result (&result), error);
}

static VpJob *
get_job (Fixture     *f,
         const char  *id,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vp_client_get_job_async (f->client, id, NULL, test_store_result_cb, &result);
  return vp_client_get_job_finish (f->client, test_wait_for_result (&result), error);
}

static VpResult *
get_result (Fixture  *f,
            VpJob    *job,
            GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vp_client_get_result_async (f->client, job, NULL, test_store_result_cb, &result);
  return vp_client_get_result_finish (f->client, test_wait_for_result (&result), error);
}

/* The completed job, fetched without faults */
static VpJob *
completed_job (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  VpJob *job;

  vp_sandbox_clear_faults (f->sandbox);
  job = get_job (f, f->completed_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (vp_job_get_result_url (job));

  return job;
}

static void
assert_list_works (Fixture *f)
{
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  jobs = list_jobs (f, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 5);
}

static void
assert_no_key_abroad (Fixture *f)
{
  g_auto(GStrv) foreign = vp_sandbox_dup_keys_received (f->sandbox, TRUE);
  g_auto(GStrv) home = vp_sandbox_dup_keys_received (f->sandbox, FALSE);

  g_assert_cmpuint (g_strv_length (foreign), ==, 0);
  g_assert_true (g_strv_contains ((const char * const *) home, TEST_KEY));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = vp_sandbox_new (11, 40, TEST_KEY);
  g_assert_true (vp_sandbox_start_thread (f->sandbox, 0, &error));
  g_assert_no_error (error);
  g_assert_nonnull (vp_sandbox_get_foreign_base_url (f->sandbox));
  g_assert_cmpstr (vp_sandbox_get_foreign_base_url (f->sandbox), !=, vp_sandbox_get_base_url (f->sandbox));

  f->completed_id = vp_sandbox_dup_job_id (f->sandbox, 3);
  g_assert_true (vp_sandbox_set_job_status (f->sandbox, f->completed_id, "completed"));

  f->client = vp_client_new (vp_sandbox_get_base_url (f->sandbox), TEST_KEY);
  /* Short waits between tries keep the suite quick; the count is the
   * default one. */
  g_object_set (f->client, "retry-delay", 5, "max-retries", MAX_RETRIES, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_handle_id (&f->probe_id, g_source_remove);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->client);
  g_clear_object (&f->sandbox);
  g_clear_pointer (&f->completed_id, g_free);
}

/* -------------------------------------------------------------------------
 * Delays
 */

static void
test_latency (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  vp_sandbox_set_fault (f->sandbox, VP_SANDBOX_FAULT_LATENCY, 300);

  probe_start (f);
  jobs = list_jobs (f, 5, &error);
  probe_stop (f, "a 300 ms latency");
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 5);
  g_assert_cmpuint (f->probe_ticks, >, 0);
  g_assert_cmpuint (vp_sandbox_get_requests_for (f->sandbox, VP_SANDBOX_REQUESTS_LIST), ==, 1);
}

static void
test_trickle (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  vp_sandbox_set_fault (f->sandbox, VP_SANDBOX_FAULT_TRICKLE, 1);

  probe_start (f);
  jobs = list_jobs (f, 1, &error);
  probe_stop (f, "a trickle of one byte a millisecond");
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_cmpuint (f->probe_ticks, >, 0);
}

static void
on_cancel_trickle_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GError **out = user_data;
  g_autoptr(VpResult) call = NULL;

  call = vp_client_get_result_finish (VP_CLIENT (object), result, out);
  g_assert_null (call);
  g_assert_nonnull (*out);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_trickle_cancelled (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(VpJob) job = completed_job (f);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + TEST_WAIT_SECONDS * G_USEC_PER_SEC;
  guint faults_before = vp_sandbox_get_fault_count (f->sandbox);

  /* A result of some KB at a byte every 50 ms would take minutes. */
  vp_sandbox_set_fault_full (f->sandbox, VP_SANDBOX_FAULT_TRICKLE, 50, 1.0, VP_SANDBOX_REQUESTS_RESULT);
  vp_client_get_result_async (f->client, job, cancellable, on_cancel_trickle_cb, &error);

  /* Cancel once the answer has begun to trickle. */
  while (vp_sandbox_get_fault_count (f->sandbox) == faults_before &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_timeout_add (200, cancel_cb, cancellable);

  while (error == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The server is fine, and so is the client, once the fault is gone. */
  vp_sandbox_clear_faults (f->sandbox);
  assert_list_works (f);
}

/* -------------------------------------------------------------------------
 * Server errors and rate limits: retried, a bounded number of times
 */

static void
test_server_error (Fixture       *f,
                   gconstpointer  data)
{
  guint status = GPOINTER_TO_UINT (data);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  vp_sandbox_set_fault (f->sandbox, VP_SANDBOX_FAULT_SERVER_ERROR, status);

  jobs = list_jobs (f, 5, &error);
  g_assert_null (jobs);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_SERVER_ERROR);
  g_assert_cmpuint (vp_client_error_get_http_status (error), ==, status);
  g_assert_nonnull (strstr (error->message, "The server had a problem"));
  /* The first try and MAX_RETRIES more, no more */
  g_assert_cmpuint (vp_sandbox_get_requests_for (f->sandbox, VP_SANDBOX_REQUESTS_LIST), ==, 1 + MAX_RETRIES);

  vp_sandbox_clear_faults (f->sandbox);
  assert_list_works (f);
}

static void
test_server_error_share (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Every second request fails: the retry makes each call succeed. */
  vp_sandbox_set_fault_full (f->sandbox, VP_SANDBOX_FAULT_SERVER_ERROR, 502, 0.5, 0);

  for (guint i = 0; i < 4; i++)
    assert_list_works (f);

  /* The 2nd, 4th and 6th requests failed, and were tried again. */
  g_assert_cmpuint (vp_sandbox_get_requests_for (f->sandbox, VP_SANDBOX_REQUESTS_LIST), ==, 7);
}

static void
test_rate_limited_retried (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  /* Retry-After: 1 is waited out, twice, then reported. */
  vp_sandbox_set_fault (f->sandbox, VP_SANDBOX_FAULT_RATE_LIMIT, 1);

  probe_start (f);
  jobs = list_jobs (f, 5, &error);
  probe_stop (f, "two Retry-After waits");
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_RATE_LIMITED);
  g_assert_cmpuint (vp_client_error_get_retry_after (error), ==, 1);
  g_assert_cmpuint (vp_sandbox_get_requests_for (f->sandbox, VP_SANDBOX_REQUESTS_LIST), ==, 1 + MAX_RETRIES);
  g_assert_cmpuint (f->probe_ticks, >, 0);

  vp_sandbox_clear_faults (f->sandbox);
  assert_list_works (f);
}

static void
test_rate_limited_long (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  /* Too long to wait for: said at once. */
  vp_sandbox_set_fault (f->sandbox, VP_SANDBOX_FAULT_RATE_LIMIT, 120);

  jobs = list_jobs (f, 5, &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_RATE_LIMITED);
  g_assert_cmpuint (vp_client_error_get_retry_after (error), ==, 120);
  g_assert_cmpuint (vp_sandbox_get_requests_for (f->sandbox, VP_SANDBOX_REQUESTS_LIST), ==, 1);
}

static void
test_not_retried (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(VpClient) wrong = vp_client_new (vp_sandbox_get_base_url (f->sandbox), "wrong-key");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(VpJob) job = NULL;
  g_autoptr(GError) error = NULL;
  guint before;

  /* Faults are on, but 401 and 404 come first and are final. */
  vp_sandbox_set_fault (f->sandbox, VP_SANDBOX_FAULT_SERVER_ERROR, 503);
  g_object_set (wrong, "retry-delay", 5, NULL);

  before = vp_sandbox_get_request_count (f->sandbox);
  vp_client_list_jobs_async (wrong, 5, 0, NULL, test_store_result_cb, &result);
  jobs = vp_client_list_jobs_finish (wrong, test_wait_for_result (&result), &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (vp_sandbox_get_request_count (f->sandbox) - before, ==, 1);
  g_clear_error (&error);

  vp_sandbox_clear_faults (f->sandbox);
  before = vp_sandbox_get_request_count (f->sandbox);
  job = get_job (f, "no-such-job", &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_NOT_FOUND);
  g_assert_cmpuint (vp_sandbox_get_request_count (f->sandbox) - before, ==, 1);
}

/* -------------------------------------------------------------------------
 * Broken connections
 */

static void
test_broken (Fixture       *f,
             gconstpointer  data)
{
  VpSandboxFault fault = GPOINTER_TO_UINT (data);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  vp_sandbox_set_fault (f->sandbox, fault, -1);

  jobs = list_jobs (f, 20, &error);
  g_assert_null (jobs);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_CANNOT_CONNECT);
  g_test_message ("%s: %s", vp_sandbox_fault_to_string (fault), error->message);
  g_assert_nonnull (strstr (error->message, "broke"));
  g_assert_cmpuint (vp_sandbox_get_requests_for (f->sandbox, VP_SANDBOX_REQUESTS_LIST), ==, 1 + MAX_RETRIES);

  vp_sandbox_clear_faults (f->sandbox);
  assert_list_works (f);
}

/* -------------------------------------------------------------------------
 * Bodies that cannot be used: reported, not retried
 */

static void
test_unreadable (Fixture       *f,
                 gconstpointer  data)
{
  VpSandboxFault fault = GPOINTER_TO_UINT (data);
  g_autoptr(VpJob) job = completed_job (f);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(VpJob) details = NULL;
  g_autoptr(VpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint before = vp_sandbox_get_request_count (f->sandbox);

  vp_sandbox_set_fault (f->sandbox, fault, -1);

  jobs = list_jobs (f, 5, &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE);
  g_test_message ("%s, list: %s", vp_sandbox_fault_to_string (fault), error->message);
  if (fault == VP_SANDBOX_FAULT_NOT_JSON)
    g_assert_nonnull (strstr (error->message, "not valid JSON"));
  g_clear_error (&error);

  details = get_job (f, f->completed_id, &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  result = get_result (f, job, &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE);
  g_test_message ("%s, result: %s", vp_sandbox_fault_to_string (fault), error->message);

  /* One request each: a body that cannot be read is not asked again. */
  g_assert_cmpuint (vp_sandbox_get_request_count (f->sandbox) - before, ==, 3);

  vp_sandbox_clear_faults (f->sandbox);
  assert_list_works (f);
}

static void
test_wrong_types (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(VpJob) job = completed_job (f);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(VpJob) details = NULL;
  g_autoptr(VpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  VpJob *first;

  vp_sandbox_set_fault (f->sandbox, VP_SANDBOX_FAULT_WRONG_TYPES, -1);

  /* Tolerated: what has the wrong type is "not given", and noted. */
  jobs = list_jobs (f, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 5);
  first = g_ptr_array_index (jobs, 0);
  g_assert_nonnull (vp_job_get_id (first));
  g_assert_cmpint (vp_job_get_cost_cents (first), ==, -1);
  g_assert_nonnull (vp_job_get_problems (first));

  details = get_job (f, f->completed_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vp_job_get_id (details), ==, f->completed_id);
  g_assert_nonnull (vp_job_get_problems (details));

  result = get_result (f, job, &error);
  g_assert_no_error (error);
  g_assert_nonnull (vp_result_get_problems (result));
  g_test_message ("first problem: %s", vp_result_get_problems (result)[0]);
}

static void
test_huge_transcript (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(VpJob) job = completed_job (f);
  g_autoptr(VpResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vp_sandbox_set_fault (f->sandbox, VP_SANDBOX_FAULT_HUGE_TRANSCRIPT, 10);

  probe_start (f);
  result = get_result (f, job, &error);
  probe_stop (f, "a 10 MB transcript");
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (vp_result_get_transcript (result)), >=, 10 * 1024 * 1024);
  /* Read in a worker: the main loop went on meanwhile. */
  g_assert_cmpuint (f->probe_ticks, >, 0);
}

/* -------------------------------------------------------------------------
 * Other origins: the key stays home
 */

static void
test_redirect (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(VpJob) job = completed_job (f);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(VpResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vp_sandbox_set_fault (f->sandbox, VP_SANDBOX_FAULT_REDIRECT, -1);

  /* Followed, without the key; the foreign origin serves anyone. */
  jobs = list_jobs (f, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 5);
  result = get_result (f, job, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (vp_sandbox_get_foreign_request_count (f->sandbox), ==, 2);
  assert_no_key_abroad (f);
}

static void
test_foreign_result_url (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(VpJob) job = NULL;
  g_autoptr(VpResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vp_sandbox_set_fault (f->sandbox, VP_SANDBOX_FAULT_FOREIGN_RESULT_URL, -1);

  job = get_job (f, f->completed_id, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (vp_job_get_result_url (job), vp_sandbox_get_foreign_base_url (f->sandbox)));

  result = get_result (f, job, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vp_sandbox_get_foreign_request_count (f->sandbox), ==, 1);
  assert_no_key_abroad (f);
}

static void
test_echo_key (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  /* The server repeats the key in its error: the message does not. */
  vp_sandbox_set_fault (f->sandbox, VP_SANDBOX_FAULT_ECHO_KEY, -1);

  jobs = list_jobs (f, 5, &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED);
  g_test_message ("%s", error->message);
  g_assert_null (strstr (error->message, TEST_KEY));
  g_assert_nonnull (strstr (error->message, "[API key]"));
  g_assert_cmpuint (vp_sandbox_get_requests_for (f->sandbox, VP_SANDBOX_REQUESTS_LIST), ==, 1);
}

/* -------------------------------------------------------------------------
 * VpJobList: loaded jobs stay, and it recovers
 */

static gboolean
list_idle (VpJobList *list)
{
  return !vp_job_list_is_loading (list);
}

static void
wait_list_idle (VpJobList *list)
{
  gint64 deadline = g_get_monotonic_time () + TEST_WAIT_SECONDS * G_USEC_PER_SEC;

  while (!list_idle (list) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (list_idle (list));
}

static void
test_job_list_keeps_jobs (Fixture       *f,
                          gconstpointer  data)
{
  VpSandboxFault fault = GPOINTER_TO_UINT (data);
  g_autoptr(VpJobList) list = vp_job_list_new (f->client, 10);
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(VpJob) first = NULL;
  g_autoptr(VpJob) first_after = NULL;

  vp_job_list_load_more (list);
  wait_list_idle (list);
  g_assert_null (vp_job_list_get_error (list));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10);
  first = g_list_model_get_item (model, 0);

  /* Paging and refreshing fail; what was loaded stays. */
  vp_sandbox_set_fault_full (f->sandbox, fault, -1, 1.0, VP_SANDBOX_REQUESTS_LIST);
  vp_job_list_load_more (list);
  wait_list_idle (list);
  g_assert_nonnull (vp_job_list_get_error (list));
  g_test_message ("%s: %s", vp_sandbox_fault_to_string (fault), vp_job_list_get_error (list)->message);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10);

  vp_job_list_refresh (list);
  wait_list_idle (list);
  g_assert_nonnull (vp_job_list_get_error (list));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10);
  first_after = g_list_model_get_item (model, 0);
  g_assert_true (first_after == first);

  /* The fault clears: the same list goes on. */
  vp_sandbox_clear_faults (f->sandbox);
  vp_job_list_load_more (list);
  wait_list_idle (list);
  g_assert_null (vp_job_list_get_error (list));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 20);
}

static void
test_only_results (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(VpJob) job = completed_job (f);
  g_autoptr(VpResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* A fault limited to results leaves lists alone. */
  vp_sandbox_set_fault_full (f->sandbox, VP_SANDBOX_FAULT_SERVER_ERROR, 500, 1.0, VP_SANDBOX_REQUESTS_RESULT);
  assert_list_works (f);
  result = get_result (f, job, &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_SERVER_ERROR);
  g_assert_cmpuint (vp_sandbox_get_requests_for (f->sandbox, VP_SANDBOX_REQUESTS_RESULT), ==, 1 + MAX_RETRIES);
  g_clear_error (&error);

  vp_sandbox_clear_fault (f->sandbox, VP_SANDBOX_FAULT_SERVER_ERROR);
  result = get_result (f, job, &error);
  g_assert_no_error (error);
}

/* -------------------------------------------------------------------------
 * Fault specifications, as voxparse-sandbox --fault takes them
 */

static void
test_specs (void)
{
  static const char * const good[] = {
    "latency=100", "server-error=502,rate=0.25", "rate-limit=2,only=list+job",
    "drop", "truncate,only=result", "not-json", "wrong-types", "huge-transcript=1",
    "deep-nesting=1000", "invalid-utf8", "trickle=5", "redirect", "foreign-result-url",
    "echo-key,only=pricing",
  };
  static const char * const bad[] = {
    "", "nope", "latency=", "latency=abc", "latency=-1", "drop,rate=0", "drop,rate=2",
    "drop,rate=x", "drop,only=everything", "drop,extra", "=5",
  };
  g_autoptr(VpSandbox) sandbox = vp_sandbox_new (1, 1, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (vp_sandbox_add_fault_spec (sandbox, good[i], &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (vp_sandbox_add_fault_spec (sandbox, bad[i], &error));
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
    }

  for (guint i = 0; i < VP_SANDBOX_N_FAULTS; i++)
    {
      VpSandboxFault fault;

      g_assert_true (vp_sandbox_fault_from_string (vp_sandbox_fault_to_string (i), &fault));
      g_assert_cmpuint (fault, ==, i);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/faults/specs", test_specs);
  ADD ("/faults/latency", test_latency, NULL);
  ADD ("/faults/trickle", test_trickle, NULL);
  ADD ("/faults/trickle-cancelled", test_trickle_cancelled, NULL);
  ADD ("/faults/server-error/500", test_server_error, GUINT_TO_POINTER (500));
  ADD ("/faults/server-error/502", test_server_error, GUINT_TO_POINTER (502));
  ADD ("/faults/server-error/503", test_server_error, GUINT_TO_POINTER (503));
  ADD ("/faults/server-error/share", test_server_error_share, NULL);
  ADD ("/faults/rate-limit/retried", test_rate_limited_retried, NULL);
  ADD ("/faults/rate-limit/long", test_rate_limited_long, NULL);
  ADD ("/faults/not-retried-401-404", test_not_retried, NULL);
  ADD ("/faults/drop", test_broken, GUINT_TO_POINTER (VP_SANDBOX_FAULT_DROP));
  ADD ("/faults/truncate", test_broken, GUINT_TO_POINTER (VP_SANDBOX_FAULT_TRUNCATE));
  ADD ("/faults/not-json", test_unreadable, GUINT_TO_POINTER (VP_SANDBOX_FAULT_NOT_JSON));
  ADD ("/faults/deep-nesting", test_unreadable, GUINT_TO_POINTER (VP_SANDBOX_FAULT_DEEP_NESTING));
  ADD ("/faults/invalid-utf8", test_unreadable, GUINT_TO_POINTER (VP_SANDBOX_FAULT_INVALID_UTF8));
  ADD ("/faults/wrong-types", test_wrong_types, NULL);
  ADD ("/faults/huge-transcript", test_huge_transcript, NULL);
  ADD ("/faults/redirect", test_redirect, NULL);
  ADD ("/faults/foreign-result-url", test_foreign_result_url, NULL);
  ADD ("/faults/echo-key", test_echo_key, NULL);
  ADD ("/faults/only-results", test_only_results, NULL);
  ADD ("/faults/job-list-keeps-jobs/server-error", test_job_list_keeps_jobs,
       GUINT_TO_POINTER (VP_SANDBOX_FAULT_SERVER_ERROR));
  ADD ("/faults/job-list-keeps-jobs/drop", test_job_list_keeps_jobs,
       GUINT_TO_POINTER (VP_SANDBOX_FAULT_DROP));
  ADD ("/faults/job-list-keeps-jobs/not-json", test_job_list_keeps_jobs,
       GUINT_TO_POINTER (VP_SANDBOX_FAULT_NOT_JSON));

  return g_test_run ();
}

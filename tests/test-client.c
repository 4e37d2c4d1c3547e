/* test-client.c: VpClient against real HTTP servers over loopback
 *
 * Most tests talk to the in-process sandbox.  Where a test must see exactly
 * what the client sent (which headers reached which origin), or needs an
 * answer the sandbox does not give (a 503, a redirect), it adds a small
 * recording SoupServer of its own, as libsoup's own tests do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "vp-client.h"
#include "vp-error.h"
#include "vp-sandbox.h"
#include "test-util.h"

#define TEST_KEY "test-key-7f3a"

/* -------------------------------------------------------------------------
 * Waiting for results
 */

static GPtrArray *
list_jobs (VpClient  *client,
           guint      limit,
           guint      offset,
           GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vp_client_list_jobs_async (client, limit, offset, NULL, test_store_result_cb, &result);
  return vp_client_list_jobs_finish (client, test_wait_for_result (&result), error);
}

static VpJob *
get_job (VpClient    *client,
         const char  *id,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vp_client_get_job_async (client, id, NULL, test_store_result_cb, &result);
  return vp_client_get_job_finish (client, test_wait_for_result (&result), error);
}

static VpResult *
get_result (VpClient  *client,
            VpJob     *job,
            GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vp_client_get_result_async (client, job, NULL, test_store_result_cb, &result);
  return vp_client_get_result_finish (client, test_wait_for_result (&result), error);
}

static VpPricing *
get_pricing (VpClient  *client,
             GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vp_client_get_pricing_async (client, NULL, test_store_result_cb, &result);
  return vp_client_get_pricing_finish (client, test_wait_for_result (&result), error);
}

/* -------------------------------------------------------------------------
 * A recording server: canned answers per path, and what each path was sent
 */

typedef struct {
  guint  status;
  char  *body;
  char  *location;     /* for 3xx */
  char  *retry_after;  /* for 429 */
  guint  times;        /* answer this way so many times, then 200 {"jobs":[]} (0 = always) */
  guint  hits;
  char  *last_key;     /* X-API-Key of the last request, or NULL */
  gboolean saw_key;
  gboolean stall;      /* never answer (for cancellation) */
} Route;

typedef struct {
  SoupServer *server;
  GHashTable *routes;  /* path -> Route */
  char       *base_url;
  GPtrArray  *stalled;
} Recorder;

static void
route_free (gpointer data)
{
  Route *route = data;

  g_free (route->body);
  g_free (route->location);
  g_free (route->retry_after);
  g_free (route->last_key);
  g_free (route);
}

static void
recorder_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  Recorder *recorder = user_data;
  Route *route = g_hash_table_lookup (recorder->routes, path);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  const char *key;

  if (route == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                        "{\"error\":\"no route\"}", 20);
      return;
    }

  route->hits++;
  key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-API-Key");
  g_free (route->last_key);
  route->last_key = g_strdup (key);
  route->saw_key |= key != NULL;

  if (route->stall)
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (recorder->stalled, g_object_ref (msg));
      return;
    }

  if (route->times > 0 && route->hits > route->times)
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                        "{\"jobs\":[],\"limit\":20,\"offset\":0}", 33);
      return;
    }

  soup_server_message_set_status (msg, route->status, NULL);
  if (route->location != NULL)
    soup_message_headers_replace (response_headers, "Location", route->location);
  if (route->retry_after != NULL)
    soup_message_headers_replace (response_headers, "Retry-After", route->retry_after);
  if (route->body != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                      route->body, strlen (route->body));
}

static Recorder *
recorder_new (void)
{
  g_autoptr(GError) error = NULL;
  Recorder *recorder = g_new0 (Recorder, 1);
  GSList *uris;

  recorder->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, route_free);
  recorder->stalled = g_ptr_array_new_with_free_func (g_object_unref);
  recorder->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (recorder->server, NULL, recorder_handler, recorder, NULL);
  soup_server_listen_local (recorder->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (recorder->server);
  g_assert_nonnull (uris);
  recorder->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return recorder;
}

static Route *
recorder_route (Recorder   *recorder,
                const char *path,
                guint       status,
                const char *body)
{
  Route *route = g_new0 (Route, 1);

  route->status = status;
  route->body = g_strdup (body);
  g_hash_table_replace (recorder->routes, g_strdup (path), route);

  return route;
}

static void
recorder_free (Recorder *recorder)
{
  for (guint i = 0; i < recorder->stalled->len; i++)
    soup_server_message_unpause (g_ptr_array_index (recorder->stalled, i));
  g_ptr_array_unref (recorder->stalled);
  soup_server_disconnect (recorder->server);
  g_object_unref (recorder->server);
  g_hash_table_unref (recorder->routes);
  g_free (recorder->base_url);
  g_free (recorder);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

static VpSandbox *
start_sandbox (guint n_jobs)
{
  g_autoptr(GError) error = NULL;
  VpSandbox *sandbox = vp_sandbox_new (42, n_jobs, TEST_KEY);

  vp_sandbox_listen (sandbox, 0, &error);
  g_assert_no_error (error);

  return sandbox;
}

/* -------------------------------------------------------------------------
 * The key
 */

static void
test_key_required (void)
{
  g_autoptr(VpSandbox) sandbox = start_sandbox (30);
  g_autoptr(VpClient) good = vp_client_new (vp_sandbox_get_base_url (sandbox), TEST_KEY);
  g_autoptr(VpClient) none = vp_client_new (vp_sandbox_get_base_url (sandbox), NULL);
  g_autoptr(VpClient) wrong = vp_client_new (vp_sandbox_get_base_url (sandbox), "not-the-key");
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  jobs = list_jobs (good, 10, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 10);
  g_clear_pointer (&jobs, g_ptr_array_unref);

  jobs = list_jobs (none, 10, 0, &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_null (jobs);
  g_assert_cmpuint (vp_client_error_get_http_status (error), ==, 401);
  g_clear_error (&error);

  jobs = list_jobs (wrong, 10, 0, &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_null (jobs);
  /* The message must be about the key, but never contain it. */
  g_assert_null (strstr (error->message, "not-the-key"));
}

/* A copy of a client talks to the same server with the same key (or
 * none), and retries the same way */
static void
test_key_dup (void)
{
  g_autoptr(VpSandbox) sandbox = start_sandbox (30);
  g_autoptr(VpClient) good = vp_client_new (vp_sandbox_get_base_url (sandbox), TEST_KEY);
  g_autoptr(VpClient) none = vp_client_new (vp_sandbox_get_base_url (sandbox), NULL);
  g_autoptr(VpClient) good_copy = NULL;
  g_autoptr(VpClient) none_copy = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  guint max_retries, retry_delay;

  g_object_set (good, "max-retries", 1, "retry-delay", 7, NULL);
  good_copy = vp_client_dup (good);
  none_copy = vp_client_dup (none);

  g_assert_cmpstr (vp_client_get_base_url (good_copy), ==, vp_client_get_base_url (good));
  g_assert_true (vp_client_has_api_key (good_copy));
  g_assert_false (vp_client_has_api_key (none_copy));
  g_object_get (good_copy, "max-retries", &max_retries, "retry-delay", &retry_delay, NULL);
  g_assert_cmpuint (max_retries, ==, 1);
  g_assert_cmpuint (retry_delay, ==, 7);

  jobs = list_jobs (good_copy, 10, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 10);

  g_clear_pointer (&jobs, g_ptr_array_unref);
  jobs = list_jobs (none_copy, 10, 0, &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_null (jobs);
}

static void
test_key_sent_to_origin (void)
{
  g_autoptr(Recorder) recorder = recorder_new ();
  g_autoptr(VpClient) client = vp_client_new (recorder->base_url, TEST_KEY);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  Route *route;

  route = recorder_route (recorder, "/v1/jobs", 200, "{\"jobs\":[],\"limit\":20,\"offset\":0}");
  jobs = list_jobs (client, 20, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 0);
  g_assert_cmpstr (route->last_key, ==, TEST_KEY);
}

static void
test_pricing_without_key (void)
{
  g_autoptr(VpSandbox) sandbox = start_sandbox (5);
  g_autoptr(Recorder) recorder = recorder_new ();
  g_autoptr(VpClient) client = vp_client_new (vp_sandbox_get_base_url (sandbox), NULL);
  g_autoptr(VpClient) keyed = vp_client_new (recorder->base_url, TEST_KEY);
  g_autoptr(VpPricing) pricing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  VpPlan *pro;
  Route *route;

  /* The sandbox serves pricing to a client that has no key at all. */
  pricing = get_pricing (client, &error);
  g_assert_no_error (error);
  pro = vp_pricing_find_plan (pricing, "pro");
  g_assert_nonnull (pro);
  g_assert_cmpfloat_with_epsilon (vp_plan_get_price_per_hour (pro), 0.39, 1e-9);
  g_assert_cmpstr (vp_pricing_get_currency (pricing), ==, "usd");
  g_clear_object (&pricing);

  /* And a client that has one does not send it there. */
  g_file_get_contents (g_test_get_filename (G_TEST_DIST, "fixtures", "reference-pricing.json", NULL),
                       &body, NULL, &error);
  g_assert_no_error (error);
  route = recorder_route (recorder, "/v1/pricing", 200, body);
  pricing = get_pricing (keyed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (route->hits, ==, 1);
  g_assert_false (route->saw_key);
}

static void
test_redirect_other_origin (void)
{
  g_autoptr(Recorder) home = recorder_new ();
  g_autoptr(Recorder) elsewhere = recorder_new ();
  g_autoptr(VpClient) client = vp_client_new (home->base_url, TEST_KEY);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = g_strconcat (elsewhere->base_url, "/v1/jobs", NULL);
  Route *hop, *landing;

  hop = recorder_route (home, "/v1/jobs", 302, NULL);
  hop->location = g_strdup (target);
  landing = recorder_route (elsewhere, "/v1/jobs", 200, "{\"jobs\":[],\"limit\":20,\"offset\":0}");

  jobs = list_jobs (client, 20, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hop->hits, ==, 1);
  g_assert_cmpstr (hop->last_key, ==, TEST_KEY);
  /* The other origin was asked, but never saw the key. */
  g_assert_cmpuint (landing->hits, ==, 1);
  g_assert_false (landing->saw_key);
}

static void
test_redirect_other_origin_refuses (void)
{
  g_autoptr(Recorder) home = recorder_new ();
  g_autoptr(Recorder) elsewhere = recorder_new ();
  g_autoptr(VpClient) client = vp_client_new (home->base_url, TEST_KEY);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = g_strconcat (elsewhere->base_url, "/v1/jobs", NULL);
  Route *hop;

  hop = recorder_route (home, "/v1/jobs", 302, NULL);
  hop->location = g_strdup (target);
  recorder_route (elsewhere, "/v1/jobs", 401, "{\"error\":\"Invalid or missing API key\"}");

  /* The key was never sent there: a 401 there is not about the key, and
   * must not send the user off to enter another one. */
  jobs = list_jobs (client, 20, 0, &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (error->message, "only ever sent to the configured server"));
  g_assert_null (jobs);
}

static void
test_redirect_same_origin (void)
{
  g_autoptr(Recorder) home = recorder_new ();
  g_autoptr(VpClient) client = vp_client_new (home->base_url, TEST_KEY);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  Route *hop, *landing;

  hop = recorder_route (home, "/v1/jobs", 307, NULL);
  hop->location = g_strdup ("/v2/jobs");
  landing = recorder_route (home, "/v2/jobs", 200, "{\"jobs\":[],\"limit\":20,\"offset\":0}");

  jobs = list_jobs (client, 20, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (landing->last_key, ==, TEST_KEY);
}

static void
test_redirect_loop (void)
{
  g_autoptr(Recorder) home = recorder_new ();
  g_autoptr(VpClient) client = vp_client_new (home->base_url, TEST_KEY);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  Route *hop;

  hop = recorder_route (home, "/v1/jobs", 302, NULL);
  hop->location = g_strdup ("/v1/jobs");

  jobs = list_jobs (client, 20, 0, &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE);
  g_assert_null (jobs);
  g_assert_cmpuint (hop->hits, <=, 6);
}

static void
test_result_url_other_origin (void)
{
  g_autoptr(Recorder) home = recorder_new ();
  g_autoptr(Recorder) storage = recorder_new ();
  g_autoptr(VpClient) client = vp_client_new (home->base_url, TEST_KEY);
  g_autoptr(VpJob) job = NULL;
  g_autoptr(VpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *job_body = NULL;
  Route *job_route, *result_route;

  job_body = g_strdup_printf ("{\"id\":\"j-1\",\"status\":\"completed\",\"type\":\"transcribe\","
                              "\"model\":\"standard\",\"duration_seconds\":60,\"cost_cents\":1,"
                              "\"created_at\":\"2026-04-19 19:13:18\",\"completed_at\":\"2026-04-19 19:15:22\","
                              "\"error\":null,\"result_url\":\"%s/results/j-1.json\"}",
                              storage->base_url);
  job_route = recorder_route (home, "/v1/jobs/j-1", 200, job_body);
  result_route = recorder_route (storage, "/results/j-1.json", 200,
                                 "{\"transcript\":\"hello\",\"duration_seconds\":60,\"language\":\"en\","
                                 "\"segments\":[],\"words\":[],"
                                 "\"ai_analysis\":{\"transcript_cleaned\":\"Agent: hello\"}}");

  job = get_job (client, "j-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job_route->last_key, ==, TEST_KEY);

  result = get_result (client, job, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vp_result_get_transcript (result), ==, "hello");
  g_assert_true (vp_result_is_lite (result));
  g_assert_cmpuint (result_route->hits, ==, 1);
  g_assert_false (result_route->saw_key);
}

/* -------------------------------------------------------------------------
 * Paging at the boundaries
 */

static void
check_paging (gconstpointer data)
{
  guint n_jobs = GPOINTER_TO_UINT (data);
  g_autoptr(VpSandbox) sandbox = start_sandbox (n_jobs);
  g_autoptr(VpClient) client = vp_client_new (vp_sandbox_get_base_url (sandbox), TEST_KEY);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  guint offset = 0;

  /* Pages of 100 (the most the API gives), then a limit over the maximum,
   * which the client keeps within 1..100. */
  for (;;)
    {
      g_autoptr(GPtrArray) page = list_jobs (client, 100, offset, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, ==, MIN (100, n_jobs - offset));

      for (guint i = 0; i < page->len; i++)
        {
          VpJob *job = g_ptr_array_index (page, i);
          g_autofree char *expected = vp_sandbox_dup_job_id (sandbox, offset + i);

          g_assert_cmpstr (vp_job_get_id (job), ==, expected);
          g_assert_true (g_hash_table_add (seen, g_strdup (vp_job_get_id (job))));
        }

      offset += page->len;
      if (page->len < 100)
        break;
    }

  g_assert_cmpuint (g_hash_table_size (seen), ==, n_jobs);

  {
    g_autoptr(GPtrArray) page = list_jobs (client, 1000, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (page->len, ==, MIN (100, n_jobs));
  }

  {
    g_autoptr(GPtrArray) page = list_jobs (client, 0, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (page->len, ==, MIN (1, n_jobs));
  }
}

/* -------------------------------------------------------------------------
 * Jobs and results from the sandbox
 */

static void
test_job_and_result (void)
{
  g_autoptr(VpSandbox) sandbox = start_sandbox (60);
  g_autoptr(VpClient) client = vp_client_new (vp_sandbox_get_base_url (sandbox), TEST_KEY);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  guint n_completed = 0, n_other = 0;

  page = list_jobs (client, 60, 0, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < page->len; i++)
    {
      VpJob *listed = g_ptr_array_index (page, i);
      g_autoptr(VpJob) job = get_job (client, vp_job_get_id (listed), &error);
      g_autoptr(VpResult) result = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (vp_job_get_id (job), ==, vp_job_get_id (listed));
      g_assert_cmpint (vp_job_get_status (job), ==, vp_job_get_status (listed));
      g_assert_nonnull (vp_job_get_created_at (job));

      result = get_result (client, job, &error);

      if (vp_job_get_status (job) == VP_JOB_STATUS_COMPLETED)
        {
          VpAnalysis *analysis;

          g_assert_no_error (error);
          g_assert_nonnull (vp_job_get_result_url (job));
          analysis = vp_result_get_analysis (result);
          g_assert_nonnull (analysis);
          g_assert_nonnull (vp_analysis_get_transcript_cleaned (analysis));
          if (!vp_result_is_lite (result))
            g_assert_nonnull (vp_analysis_get_call_summary (analysis));
          n_completed++;
        }
      else
        {
          /* "Returns 404 if the job is not completed" */
          g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_NOT_FOUND);
          g_assert_null (vp_job_get_result_url (job));
          g_clear_error (&error);
          n_other++;
        }
    }

  g_assert_cmpuint (n_completed, >, 0);
  g_assert_cmpuint (n_other, >, 0);
}

static void
test_unknown_job (void)
{
  g_autoptr(VpSandbox) sandbox = start_sandbox (3);
  g_autoptr(VpClient) client = vp_client_new (vp_sandbox_get_base_url (sandbox), TEST_KEY);
  g_autoptr(VpJob) job = NULL;
  g_autoptr(GError) error = NULL;

  job = get_job (client, "no-such-job", &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_NOT_FOUND);
  g_assert_null (job);
  g_clear_error (&error);

  /* An id is one path segment, whatever it holds: it cannot climb out to
   * another endpoint (pricing would answer 200). */
  job = get_job (client, "../pricing", &error);
  g_assert_nonnull (error);
  g_assert_true (error->domain == VP_CLIENT_ERROR);
  g_assert_null (job);
}

/* -------------------------------------------------------------------------
 * Errors
 */

static void
test_rate_limited (void)
{
  g_autoptr(Recorder) recorder = recorder_new ();
  g_autoptr(VpClient) client = vp_client_new (recorder->base_url, TEST_KEY);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  Route *route;

  g_object_set (client, "max-retries", 0, NULL);
  route = recorder_route (recorder, "/v1/jobs", 429, "{\"error\":\"Slow down\"}");
  route->retry_after = g_strdup ("7");

  jobs = list_jobs (client, 20, 0, &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_RATE_LIMITED);
  g_assert_cmpuint (vp_client_error_get_retry_after (error), ==, 7);
  g_assert_cmpuint (vp_client_error_get_http_status (error), ==, 429);
  g_assert_nonnull (strstr (error->message, "Slow down"));
}

static void
test_rate_limited_long_wait_not_retried (void)
{
  g_autoptr(Recorder) recorder = recorder_new ();
  g_autoptr(VpClient) client = vp_client_new (recorder->base_url, TEST_KEY);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  Route *route;

  /* Retries are on, but a wait of an hour is the user's to decide. */
  route = recorder_route (recorder, "/v1/jobs", 429, NULL);
  route->retry_after = g_strdup ("3600");

  jobs = list_jobs (client, 20, 0, &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_RATE_LIMITED);
  g_assert_cmpuint (vp_client_error_get_retry_after (error), ==, 3600);
  g_assert_cmpuint (route->hits, ==, 1);
}

static void
test_server_error (void)
{
  g_autoptr(Recorder) recorder = recorder_new ();
  g_autoptr(VpClient) client = vp_client_new (recorder->base_url, TEST_KEY);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  Route *route;

  g_object_set (client, "max-retries", 2, "retry-delay", 1, NULL);
  route = recorder_route (recorder, "/v1/jobs", 503, "{\"error\":\"Maintenance\"}");

  jobs = list_jobs (client, 20, 0, &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_SERVER_ERROR);
  g_assert_cmpuint (vp_client_error_get_http_status (error), ==, 503);
  /* Tried, and retried twice: bounded. */
  g_assert_cmpuint (route->hits, ==, 3);
}

static void
test_server_error_recovers (void)
{
  g_autoptr(Recorder) recorder = recorder_new ();
  g_autoptr(VpClient) client = vp_client_new (recorder->base_url, TEST_KEY);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  Route *route;

  g_object_set (client, "max-retries", 3, "retry-delay", 1, NULL);
  route = recorder_route (recorder, "/v1/jobs", 502, NULL);
  route->times = 2;

  jobs = list_jobs (client, 20, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (jobs);
  g_assert_cmpuint (route->hits, ==, 3);
}

static void
test_not_retried (void)
{
  g_autoptr(Recorder) recorder = recorder_new ();
  g_autoptr(VpClient) client = vp_client_new (recorder->base_url, TEST_KEY);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(VpJob) job = NULL;
  g_autoptr(GError) error = NULL;
  Route *unauthorized, *missing;

  g_object_set (client, "max-retries", 3, "retry-delay", 1, NULL);
  unauthorized = recorder_route (recorder, "/v1/jobs", 401, "{\"error\":\"Invalid API key\"}");
  missing = recorder_route (recorder, "/v1/jobs/gone", 404, "{\"error\":\"Job not found\"}");

  jobs = list_jobs (client, 20, 0, &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (unauthorized->hits, ==, 1);
  g_clear_error (&error);

  job = get_job (client, "gone", &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_NOT_FOUND);
  g_assert_cmpuint (missing->hits, ==, 1);
}

static void
test_cannot_connect (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(VpClient) client = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* A port that was free a moment ago and nobody listens on. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  client = vp_client_new (url, TEST_KEY);
  g_object_set (client, "max-retries", 1, "retry-delay", 1, NULL);
  jobs = list_jobs (client, 20, 0, &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_CANNOT_CONNECT);
  g_assert_null (jobs);
  /* Said once, in words (GIO's message already starts "Could not connect") */
  g_assert_cmpstr (error->message, ==, "127.0.0.1 refused the connection: no server is answering there");
}

static void
test_invalid_url (void)
{
  g_autoptr(VpClient) client = vp_client_new ("ftp://example.com", TEST_KEY);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  jobs = list_jobs (client, 20, 0, &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_URL);
}

static void
test_invalid_response (void)
{
  static const char *bodies[] = {
    "<html>Bad gateway</html>",
    "",
    "[1, 2, 3]",
    "{\"jobs\": 5}",
    "{\"jobs\": [{\"status\": \"completed\"}]}",
    "{\"jobs\": [17]}",
    "{\"jobs\": [{\"id\": \"a\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(Recorder) recorder = recorder_new ();
      g_autoptr(VpClient) client = vp_client_new (recorder->base_url, TEST_KEY);
      g_autoptr(GPtrArray) jobs = NULL;
      g_autoptr(GError) error = NULL;

      recorder_route (recorder, "/v1/jobs", 200, bodies[i]);
      jobs = list_jobs (client, 20, 0, &error);
      g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE);
      g_assert_null (jobs);
    }
}

static void
test_wrong_types_tolerated (void)
{
  g_autoptr(Recorder) recorder = recorder_new ();
  g_autoptr(VpClient) client = vp_client_new (recorder->base_url, TEST_KEY);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  VpJob *job;

  recorder_route (recorder, "/v1/jobs", 200,
                  "{\"jobs\":[{\"id\":\"x\",\"status\":\"completed\",\"cost_cents\":\"thirty\","
                  "\"duration_seconds\":[1],\"surprise\":{\"a\":1}}],\"limit\":20,\"offset\":0,"
                  "\"warnings\":[\"plan auto-upgraded\"]}");
  jobs = list_jobs (client, 20, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1);
  job = g_ptr_array_index (jobs, 0);
  g_assert_cmpstr (vp_job_get_id (job), ==, "x");
  g_assert_cmpint (vp_job_get_cost_cents (job), ==, -1);
  g_assert_cmpfloat (vp_job_get_duration_seconds (job), <, 0);
  g_assert_nonnull (vp_job_get_problems (job));
}

static void
test_large_result (void)
{
  g_autoptr(Recorder) recorder = recorder_new ();
  g_autoptr(VpClient) client = vp_client_new (recorder->base_url, TEST_KEY);
  g_autoptr(VpJob) job = NULL;
  g_autoptr(VpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) body = g_string_new ("{\"transcript\":\"");

  /* 10 MB of transcript, parsed in a worker thread. */
  for (guint i = 0; i < 10 * 1024 * 1024 / 8; i++)
    g_string_append (body, "word ok ");
  g_string_append (body, "\",\"duration_seconds\":14400,\"language\":\"en\",\"segments\":[],\"words\":[],"
                         "\"ai_analysis\":{\"transcript_cleaned\":\"Agent: hi\"}}");

  recorder_route (recorder, "/v1/jobs/big", 200,
                  "{\"id\":\"big\",\"status\":\"completed\",\"result_url\":\"/v1/jobs/big/result\"}");
  recorder_route (recorder, "/v1/jobs/big/result", 200, body->str);

  job = get_job (client, "big", &error);
  g_assert_no_error (error);
  result = get_result (client, job, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (vp_result_get_transcript (result)), ==, 10 * 1024 * 1024);
}

/* -------------------------------------------------------------------------
 * Cancellation
 */

static void
test_cancel (void)
{
  g_autoptr(Recorder) recorder = recorder_new ();
  g_autoptr(VpClient) client = vp_client_new (recorder->base_url, TEST_KEY);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  Route *route;

  route = recorder_route (recorder, "/v1/jobs", 200, NULL);
  route->stall = TRUE;

  vp_client_list_jobs_async (client, 20, 0, cancellable, test_store_result_cb, &result);

  /* Wait until the server holds the request, then give up on it. */
  while (route->hits == 0)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);

  jobs = vp_client_list_jobs_finish (client, test_wait_for_result (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (jobs);
}

static void
test_cancel_during_retry_wait (void)
{
  g_autoptr(Recorder) recorder = recorder_new ();
  g_autoptr(VpClient) client = vp_client_new (recorder->base_url, TEST_KEY);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  Route *route;

  /* A long back-off: cancelling must end the wait, not sit it out. */
  g_object_set (client, "max-retries", 3, "retry-delay", 60000, NULL);
  route = recorder_route (recorder, "/v1/jobs", 500, NULL);

  vp_client_list_jobs_async (client, 20, 0, cancellable, test_store_result_cb, &result);
  while (route->hits == 0)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);

  jobs = vp_client_list_jobs_finish (client, test_wait_for_result (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (route->hits, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/key/required", test_key_required);
  g_test_add_func ("/client/key/dup", test_key_dup);
  g_test_add_func ("/client/key/sent-to-origin", test_key_sent_to_origin);
  g_test_add_func ("/client/key/pricing-without-key", test_pricing_without_key);
  g_test_add_func ("/client/key/redirect-other-origin", test_redirect_other_origin);
  g_test_add_func ("/client/key/redirect-other-origin-refuses", test_redirect_other_origin_refuses);
  g_test_add_func ("/client/key/redirect-same-origin", test_redirect_same_origin);
  g_test_add_func ("/client/key/result-url-other-origin", test_result_url_other_origin);
  g_test_add_func ("/client/redirect-loop", test_redirect_loop);

  g_test_add_data_func ("/client/paging/0", GUINT_TO_POINTER (0), check_paging);
  g_test_add_data_func ("/client/paging/1", GUINT_TO_POINTER (1), check_paging);
  g_test_add_data_func ("/client/paging/99", GUINT_TO_POINTER (99), check_paging);
  g_test_add_data_func ("/client/paging/100", GUINT_TO_POINTER (100), check_paging);
  g_test_add_data_func ("/client/paging/101", GUINT_TO_POINTER (101), check_paging);

  g_test_add_func ("/client/job-and-result", test_job_and_result);
  g_test_add_func ("/client/errors/not-found", test_unknown_job);
  g_test_add_func ("/client/errors/rate-limited", test_rate_limited);
  g_test_add_func ("/client/errors/rate-limited-long-wait", test_rate_limited_long_wait_not_retried);
  g_test_add_func ("/client/errors/server-error", test_server_error);
  g_test_add_func ("/client/errors/server-error-recovers", test_server_error_recovers);
  g_test_add_func ("/client/errors/not-retried", test_not_retried);
  g_test_add_func ("/client/errors/cannot-connect", test_cannot_connect);
  g_test_add_func ("/client/errors/invalid-url", test_invalid_url);
  g_test_add_func ("/client/errors/invalid-response", test_invalid_response);
  g_test_add_func ("/client/wrong-types-tolerated", test_wrong_types_tolerated);
  g_test_add_func ("/client/large-result", test_large_result);
  g_test_add_func ("/client/cancel", test_cancel);
  g_test_add_func ("/client/cancel-during-retry-wait", test_cancel_during_retry_wait);

  return g_test_run ();
}

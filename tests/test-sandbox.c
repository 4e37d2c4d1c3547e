/* test-sandbox.c: the sandbox server over real HTTP
 *
 * Talks to an in-process VpSandbox with a plain SoupSession (no core
 * client), and to the voxparse-sandbox program with the real curl.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sandbox"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "vp-sandbox.h"

#define KEY "test-key"

/* everything the sandbox logged, to check the key never shows */
static GString *sandbox_log;
static gboolean show_debug;
G_LOCK_DEFINE_STATIC (sandbox_log);

typedef struct
{
  VpSandbox   *sandbox;
  SoupSession *session;
} Fixture;

typedef struct
{
  guint      status;
  char      *content_type;
  char      *allow;
  GBytes    *body;
  JsonNode  *json;
} Response;

static void
response_free (Response *r)
{
  g_free (r->content_type);
  g_free (r->allow);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_pointer (&r->json, json_node_unref);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = vp_sandbox_new (1, VP_SANDBOX_DEFAULT_JOBS, KEY);
  vp_sandbox_listen (f->sandbox, 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (vp_sandbox_get_base_url (f->sandbox), "http://127.0.0.1:"));
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  g_assert_finalize_object (f->sandbox);
}

static void
on_sent_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GBytes **body = user_data;
  g_autoptr(GError) error = NULL;

  *body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);
}

static Response *
finish_response (SoupMessage *msg,
                 GBytes      *body)
{
  Response *r = g_new0 (Response, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data;

  r->status = soup_message_get_status (msg);
  r->content_type = g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL));
  r->allow = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Allow"));
  r->body = body;

  /* every response is JSON, errors included */
  g_assert_cmpstr (r->content_type, ==, "application/json");
  data = g_bytes_get_data (body, &len);
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  r->json = json_node_copy (json_parser_get_root (parser));

  if (r->status >= 400)
    {
      JsonObject *obj = json_node_get_object (r->json);

      g_assert_cmpuint (json_object_get_size (obj), ==, 1);
      g_assert_nonnull (json_object_get_string_member (obj, "error"));
    }

  return r;
}

/* @key NULL: no X-API-Key header */
static Response *
request (Fixture    *f,
         const char *method,
         const char *path,
         const char *key)
{
  g_autofree char *url = g_strconcat (vp_sandbox_get_base_url (f->sandbox), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  GBytes *body = NULL;

  g_assert_nonnull (msg);
  if (key != NULL)
    soup_message_headers_append (soup_message_get_request_headers (msg), "X-API-Key", key);

  /* the server runs in this thread's main context */
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent_cb, &body);
  while (body == NULL)
    g_main_context_iteration (NULL, TRUE);

  return finish_response (msg, body);
}

static Response *
get (Fixture    *f,
     const char *path)
{
  return request (f, "GET", path, KEY);
}

static JsonObject *
obj (Response *r)
{
  return json_node_get_object (r->json);
}

static JsonArray *
list_jobs (Response *r)
{
  g_assert_cmpuint (r->status, ==, 200);
  return json_object_get_array_member (obj (r), "jobs");
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *id = vp_sandbox_dup_job_id (f->sandbox, 5);
  g_autofree char *job_path = g_strdup_printf ("/v1/jobs/%s", id);
  g_autofree char *result_path = g_strdup_printf ("/v1/jobs/%s/result", id);
  const char *paths[] = { "/v1/jobs", "/v1/jobs?limit=10&offset=0", job_path, result_path, "/v1/unknown" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(Response) none = request (f, "GET", paths[i], NULL);
      g_autoptr(Response) wrong = request (f, "GET", paths[i], "wrong-secret");
      g_autoptr(Response) empty = request (f, "GET", paths[i], "");

      g_assert_cmpuint (none->status, ==, 401);
      g_assert_cmpuint (wrong->status, ==, 401);
      g_assert_cmpuint (empty->status, ==, 401);
      g_assert_cmpstr (json_object_get_string_member (obj (none), "error"), ==, "Invalid or missing API key");
    }

  {
    g_autoptr(Response) ok = get (f, "/v1/jobs");
    g_assert_cmpuint (ok->status, ==, 200);
  }
}

static void
test_pricing (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Response) r = request (f, "GET", "/v1/pricing", NULL);
  g_autoptr(Response) with_key = request (f, "GET", "/v1/pricing", "whatever");
  g_autoptr(Response) post = request (f, "POST", "/v1/pricing", NULL);
  JsonArray *plans;
  JsonObject *pro, *lite;

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (with_key->status, ==, 200);
  g_assert_cmpuint (post->status, ==, 405);

  plans = json_object_get_array_member (obj (r), "plans");
  g_assert_cmpuint (json_array_get_length (plans), ==, 2);
  pro = json_array_get_object_element (plans, 0);
  lite = json_array_get_object_element (plans, 1);
  g_assert_cmpstr (json_object_get_string_member (pro, "id"), ==, "pro");
  g_assert_cmpstr (json_object_get_string_member (pro, "name"), ==, "VoxParse Pro");
  g_assert_cmpfloat (json_object_get_double_member (pro, "price_per_hour"), ==, 0.39);
  g_assert_cmpstr (json_object_get_string_member (pro, "price_per_hour_display"), ==, "$0.39");
  g_assert_cmpstr (json_object_get_string_member (pro, "features"), ==, "Full 11-feature AI analysis JSON");
  g_assert_cmpstr (json_object_get_string_member (lite, "id"), ==, "lite");
  g_assert_cmpstr (json_object_get_string_member (lite, "name"), ==, "VoxParse Lite");
  g_assert_cmpfloat (json_object_get_double_member (lite, "price_per_hour"), ==, 0.15);
  g_assert_cmpstr (json_object_get_string_member (lite, "price_per_hour_display"), ==, "$0.15");
  g_assert_cmpstr (json_object_get_string_member (lite, "features"), ==, "Transcript, diarization, transcript_cleaned only");
  g_assert_cmpstr (json_object_get_string_member (obj (r), "currency"), ==, "usd");
  g_assert_cmpstr (json_object_get_string_member (obj (r), "note"), ==,
                   "Requests with plan=lite that enable standard features auto-upgrade to Pro. "
                   "A warnings[] array is added to the response.");
}

static void
test_list_default (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const fields[] = {
    "id", "status", "type", "model", "duration_seconds", "cost_cents",
    "created_at", "completed_at",
  };
  g_autoptr(Response) r = get (f, "/v1/jobs");
  JsonArray *jobs = list_jobs (r);
  const char *prev_created = NULL;

  g_assert_cmpuint (json_object_get_size (obj (r)), ==, 3);
  g_assert_cmpint (json_object_get_int_member (obj (r), "limit"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (obj (r), "offset"), ==, 0);
  g_assert_cmpuint (json_array_get_length (jobs), ==, 20);

  for (guint i = 0; i < 20; i++)
    {
      JsonObject *job = json_array_get_object_element (jobs, i);
      g_autofree char *id = vp_sandbox_dup_job_id (f->sandbox, i);
      const char *created = json_object_get_string_member (job, "created_at");
      const char *status = json_object_get_string_member (job, "status");

      g_assert_cmpuint (json_object_get_size (job), ==, G_N_ELEMENTS (fields));
      for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
        g_assert_true (json_object_has_member (job, fields[k]));

      g_assert_cmpstr (json_object_get_string_member (job, "id"), ==, id);
      g_assert_cmpstr (json_object_get_string_member (job, "type"), ==, "transcribe");
      g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$", created, 0, 0));
      if (g_str_equal (status, "completed") || g_str_equal (status, "failed"))
        g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$",
                                             json_object_get_string_member (job, "completed_at"), 0, 0));
      else
        g_assert_true (json_object_get_null_member (job, "completed_at"));

      /* newest first */
      if (prev_created != NULL)
        g_assert_cmpstr (created, <, prev_created);
      prev_created = created;
    }

  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (jobs, 0), "created_at"), ==, "2026-11-27 17:00:00");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (jobs, 0), "status"), ==, "queued");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (jobs, 1), "status"), ==, "processing");
}

static void
test_list_limits (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Response) r100 = get (f, "/v1/jobs?limit=100");
  g_autoptr(Response) r1000 = get (f, "/v1/jobs?limit=1000");
  g_autoptr(Response) r1 = get (f, "/v1/jobs?limit=1&offset=299");
  g_autoptr(Response) past = get (f, "/v1/jobs?limit=10&offset=300");
  g_autoptr(Response) far = get (f, "/v1/jobs?offset=2000000000");

  g_assert_cmpuint (json_array_get_length (list_jobs (r100)), ==, 100);
  g_assert_cmpint (json_object_get_int_member (obj (r100), "limit"), ==, 100);
  g_assert_cmpuint (json_array_get_length (list_jobs (r1000)), ==, 100);
  g_assert_cmpint (json_object_get_int_member (obj (r1000), "limit"), ==, 100);
  g_assert_cmpuint (json_array_get_length (list_jobs (r1)), ==, 1);
  g_assert_cmpint (json_object_get_int_member (obj (r1), "offset"), ==, 299);
  g_assert_cmpuint (json_array_get_length (list_jobs (past)), ==, 0);
  g_assert_cmpint (json_object_get_int_member (obj (past), "offset"), ==, 300);
  g_assert_cmpuint (json_array_get_length (list_jobs (far)), ==, 0);
}

static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint offset = 0;

  for (;;)
    {
      g_autofree char *path = g_strdup_printf ("/v1/jobs?limit=7&offset=%u", offset);
      g_autoptr(Response) r = get (f, path);
      JsonArray *jobs = list_jobs (r);
      guint n = json_array_get_length (jobs);

      for (guint i = 0; i < n; i++)
        {
          const char *id = json_object_get_string_member (json_array_get_object_element (jobs, i), "id");
          g_autofree char *expected = vp_sandbox_dup_job_id (f->sandbox, offset + i);

          g_assert_cmpstr (id, ==, expected);
          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, g_strdup (id));
        }

      if (n < 7)
        break;
      offset += n;
    }

  g_assert_cmpuint (g_hash_table_size (seen), ==, 300);
  g_assert_cmpuint (vp_sandbox_get_n_jobs (f->sandbox), ==, 300);
}

static void
test_bad_params (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const paths[] = {
    "/v1/jobs?limit=-1", "/v1/jobs?limit=abc", "/v1/jobs?limit=", "/v1/jobs?limit=0",
    "/v1/jobs?limit=99999999999999999999999", "/v1/jobs?limit=1e3", "/v1/jobs?limit=10.5",
    "/v1/jobs?offset=-5", "/v1/jobs?offset=x", "/v1/jobs?offset=4294967296",
    "/v1/jobs?limit=10&offset=%20", "/v1/jobs?limit=%00",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(Response) r = get (f, paths[i]);

      if (r->status != 400)
        g_error ("%s gave %u", paths[i], r->status);
    }

  /* and the server is still fine */
  {
    g_autoptr(Response) r = get (f, "/v1/jobs?limit=5&offset=3");
    g_assert_cmpuint (json_array_get_length (list_jobs (r)), ==, 5);
  }
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = vp_sandbox_dup_job_id (f->sandbox, 5);
  g_autofree char *other = g_strdup_printf ("/v1/jobs/%s/other", id);
  const char *paths[] = {
    "/", "/nothing", "/v1", "/v1/", "/v1/foo", "/v2/jobs", "/v1/jobs/",
    "/v1/jobs/00000000-0000-0000-0000-000000000000",
    "/v1/jobs/00000000-0000-0000-0000-000000000000/result",
    other,
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(Response) r = get (f, paths[i]);

      if (r->status != 404)
        g_error ("%s gave %u", paths[i], r->status);
    }
}

static void
test_method_not_allowed (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *id = vp_sandbox_dup_job_id (f->sandbox, 5);
  g_autofree char *job_path = g_strdup_printf ("/v1/jobs/%s", id);
  g_autofree char *result_path = g_strdup_printf ("/v1/jobs/%s/result", id);
  const char *methods[] = { "POST", "DELETE", "PUT", "PATCH" };
  const char *paths[] = { "/v1/jobs", job_path, result_path };

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
      {
        g_autoptr(Response) r = request (f, methods[m], paths[p], KEY);

        g_assert_cmpuint (r->status, ==, 405);
        g_assert_nonnull (r->allow);
        g_assert_nonnull (strstr (r->allow, "GET"));
      }
}

static void
test_job_and_result (Fixture       *f,
                     gconstpointer  data)
{
  guint n_completed = 0, n_failed = 0, n_pending = 0;

  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *id = vp_sandbox_dup_job_id (f->sandbox, i);
      g_autofree char *job_path = g_strdup_printf ("/v1/jobs/%s", id);
      g_autofree char *result_path = g_strdup_printf ("/v1/jobs/%s/result", id);
      g_autoptr(Response) job = get (f, job_path);
      g_autoptr(Response) result = get (f, result_path);
      const char *status;

      g_assert_cmpuint (job->status, ==, 200);
      g_assert_cmpstr (json_object_get_string_member (obj (job), "id"), ==, id);
      g_assert_true (json_object_has_member (obj (job), "error"));
      status = json_object_get_string_member (obj (job), "status");

      if (g_str_equal (status, "completed"))
        {
          JsonObject *analysis;

          n_completed++;
          g_assert_cmpuint (json_object_get_size (obj (job)), ==, 10);
          g_assert_cmpstr (json_object_get_string_member (obj (job), "result_url"), ==, result_path);
          g_assert_true (json_object_get_null_member (obj (job), "error"));
          g_assert_cmpuint (result->status, ==, 200);
          g_assert_nonnull (json_object_get_string_member (obj (result), "transcript"));
          g_assert_cmpint (json_object_get_int_member (obj (result), "duration_seconds"), ==,
                           json_object_get_int_member (obj (job), "duration_seconds"));
          analysis = json_object_get_object_member (obj (result), "ai_analysis");
          g_assert_nonnull (json_object_get_string_member (analysis, "transcript_cleaned"));
        }
      else
        {
          g_assert_cmpuint (json_object_get_size (obj (job)), ==, 9);
          g_assert_false (json_object_has_member (obj (job), "result_url"));
          g_assert_cmpuint (result->status, ==, 404);
          if (g_str_equal (status, "failed"))
            {
              n_failed++;
              g_assert_nonnull (json_object_get_string_member (obj (job), "error"));
            }
          else
            {
              n_pending++;
              g_assert_true (json_object_get_null_member (obj (job), "error"));
              g_assert_true (json_object_get_null_member (obj (job), "completed_at"));
            }
        }
    }

  g_assert_cmpuint (n_pending, >=, 2);
  g_assert_cmpuint (n_completed, >, 40);

  /* the same result twice, byte for byte (cached or not) */
  {
    g_autofree char *id = vp_sandbox_dup_job_id (f->sandbox, 3);
    g_autofree char *path = g_strdup_printf ("/v1/jobs/%s", id);
    g_autofree char *result_path = NULL;
    g_autoptr(Response) job = get (f, path);

    if (json_object_has_member (obj (job), "result_url"))
      {
        g_autoptr(Response) a = NULL;
        g_autoptr(Response) b = NULL;

        result_path = g_strdup (json_object_get_string_member (obj (job), "result_url"));
        a = get (f, result_path);
        b = get (f, result_path);
        g_assert_true (g_bytes_equal (a->body, b->body));
      }
  }
}

static void
test_add_jobs (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *old_head = vp_sandbox_dup_job_id (f->sandbox, 0);
  g_autofree char *again = NULL;
  g_autoptr(Response) r = NULL;
  JsonArray *jobs;

  vp_sandbox_add_jobs (f->sandbox, 5);
  g_assert_cmpuint (vp_sandbox_get_n_jobs (f->sandbox), ==, 305);
  again = vp_sandbox_dup_job_id (f->sandbox, 5);
  g_assert_cmpstr (again, ==, old_head);
  g_assert_null (vp_sandbox_dup_job_id (f->sandbox, 305));

  r = get (f, "/v1/jobs?limit=6");
  jobs = list_jobs (r);
  for (guint i = 0; i < 5; i++)
    {
      JsonObject *job = json_array_get_object_element (jobs, i);
      g_autofree char *id = vp_sandbox_dup_job_id (f->sandbox, i);

      g_assert_cmpstr (json_object_get_string_member (job, "id"), ==, id);
      g_assert_cmpstr (json_object_get_string_member (job, "id"), !=, old_head);
      g_assert_cmpstr (json_object_get_string_member (job, "created_at"), >, "2026-11-27 17:00:00");
    }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (jobs, 5), "id"), ==, old_head);
}

static void
test_set_job_status (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = vp_sandbox_dup_job_id (f->sandbox, 0);
  g_autofree char *path = g_strdup_printf ("/v1/jobs/%s", id);
  g_autofree char *result_path = g_strdup_printf ("/v1/jobs/%s/result", id);

  {
    g_autoptr(Response) job = get (f, path);
    g_autoptr(Response) result = get (f, result_path);

    g_assert_cmpstr (json_object_get_string_member (obj (job), "status"), ==, "queued");
    g_assert_cmpuint (result->status, ==, 404);
  }

  g_assert_true (vp_sandbox_set_job_status (f->sandbox, id, "processing"));
  {
    g_autoptr(Response) job = get (f, path);
    g_assert_cmpstr (json_object_get_string_member (obj (job), "status"), ==, "processing");
    g_assert_true (json_object_get_null_member (obj (job), "completed_at"));
  }

  g_assert_true (vp_sandbox_set_job_status (f->sandbox, id, "completed"));
  {
    g_autoptr(Response) job = get (f, path);
    g_autoptr(Response) result = get (f, result_path);

    g_assert_cmpstr (json_object_get_string_member (obj (job), "status"), ==, "completed");
    g_assert_cmpstr (json_object_get_string_member (obj (job), "result_url"), ==, result_path);
    g_assert_nonnull (json_object_get_string_member (obj (job), "completed_at"));
    g_assert_cmpuint (result->status, ==, 200);
  }

  g_assert_true (vp_sandbox_set_job_status (f->sandbox, id, "failed"));
  {
    g_autoptr(Response) job = get (f, path);
    g_autoptr(Response) result = get (f, result_path);

    g_assert_cmpstr (json_object_get_string_member (obj (job), "status"), ==, "failed");
    g_assert_nonnull (json_object_get_string_member (obj (job), "error"));
    g_assert_false (json_object_has_member (obj (job), "result_url"));
    g_assert_cmpuint (result->status, ==, 404);
  }

  g_assert_false (vp_sandbox_set_job_status (f->sandbox, id, "done"));
  g_assert_false (vp_sandbox_set_job_status (f->sandbox, "no-such-job", "completed"));
}

static void
test_long_call (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = vp_sandbox_dup_job_id (f->sandbox, 4);
  g_autofree char *path = g_strdup_printf ("/v1/jobs/%s", id);
  g_autofree char *result_path = g_strdup_printf ("/v1/jobs/%s/result", id);
  g_autoptr(Response) job = NULL;
  g_autoptr(Response) result = NULL;

  g_assert_true (vp_sandbox_set_job_status (f->sandbox, id, "completed"));
  g_assert_true (vp_sandbox_set_long_call (f->sandbox, id, 40000));
  g_assert_false (vp_sandbox_set_long_call (f->sandbox, "no-such-job", 40000));

  job = get (f, path);
  g_assert_cmpint (json_object_get_int_member (obj (job), "duration_seconds"), ==, 14400);
  result = get (f, result_path);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (result), "words")), >=, 40000);
  g_test_message ("long call result: %.1f MB", g_bytes_get_size (result->body) / 1e6);
}

static void
test_request_count_and_log (Fixture       *f,
                            gconstpointer  data)
{
  guint before = vp_sandbox_get_request_count (f->sandbox);

  G_LOCK (sandbox_log);
  g_string_truncate (sandbox_log, 0);
  G_UNLOCK (sandbox_log);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Response) a = get (f, "/v1/jobs?limit=1");
      g_autoptr(Response) b = request (f, "GET", "/v1/jobs", "wrong-secret");
      g_autoptr(Response) c = request (f, "GET", "/nothing", NULL);
    }

  g_assert_cmpuint (vp_sandbox_get_request_count (f->sandbox), ==, before + 9);

  G_LOCK (sandbox_log);
  g_assert_nonnull (strstr (sandbox_log->str, "GET /v1/jobs"));
  g_assert_null (strstr (sandbox_log->str, KEY));
  g_assert_null (strstr (sandbox_log->str, "wrong-secret"));
  G_UNLOCK (sandbox_log);
}

static void
test_advance (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *id = vp_sandbox_dup_job_id (f->sandbox, 0);
  g_autofree char *path = g_strdup_printf ("/v1/jobs/%s", id);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  vp_sandbox_set_advance_interval (f->sandbox, 1);

  /* bounded polling: queued -> processing -> completed/failed */
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(Response) job = get (f, path);
      const char *status = json_object_get_string_member (obj (job), "status");

      if (seen->len == 0 || !g_str_equal (g_ptr_array_index (seen, seen->len - 1), status))
        g_ptr_array_add (seen, g_strdup (status));
      if (g_str_equal (status, "completed") || g_str_equal (status, "failed"))
        break;

      /* wait for the next tick without a sleep: iterate the context */
      g_main_context_iteration (NULL, TRUE);
    }

  vp_sandbox_set_advance_interval (f->sandbox, 0);

  g_assert_cmpuint (seen->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "queued");
  g_assert_cmpstr (g_ptr_array_index (seen, 1), ==, "processing");
}

static void
on_get_in_thread (VpSandbox *sandbox)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (vp_sandbox_get_base_url (sandbox), "/v1/jobs?limit=3", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(Response) r = NULL;

  soup_message_headers_append (soup_message_get_request_headers (msg), "X-API-Key", KEY);
  /* synchronous: the server lives in its own thread */
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  r = finish_response (msg, g_steal_pointer (&body));
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (r), "jobs")), ==, 3);
}

static void
test_thread (void)
{
  g_autoptr(GError) error = NULL;

  for (guint round = 0; round < 3; round++)
    {
      VpSandbox *sandbox = vp_sandbox_new (3, 1000, KEY);

      g_assert_true (vp_sandbox_start_thread (sandbox, 0, &error));
      g_assert_no_error (error);
      g_assert_nonnull (vp_sandbox_get_base_url (sandbox));
      g_assert_cmpuint (vp_sandbox_get_port (sandbox), >, 0);

      on_get_in_thread (sandbox);
      on_get_in_thread (sandbox);
      g_assert_cmpuint (vp_sandbox_get_request_count (sandbox), ==, 2);

      vp_sandbox_set_advance_interval (sandbox, 60);
      vp_sandbox_add_jobs (sandbox, 10);
      g_assert_cmpuint (vp_sandbox_get_n_jobs (sandbox), ==, 1010);

      /* stops and joins the thread */
      g_assert_finalize_object (sandbox);
    }

  /* a port in use is an error, not a crash */
  {
    g_autoptr(VpSandbox) a = vp_sandbox_new (1, 10, KEY);
    g_autoptr(VpSandbox) b = vp_sandbox_new (1, 10, KEY);

    g_assert_true (vp_sandbox_start_thread (a, 0, &error));
    g_assert_false (vp_sandbox_start_thread (b, vp_sandbox_get_port (a), &error));
    g_assert_nonnull (error);
    g_assert_null (vp_sandbox_get_base_url (b));
  }
}

static void
test_many_jobs (void)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(VpSandbox) sandbox = vp_sandbox_new (1, 100000, KEY);
  g_autoptr(GError) error = NULL;
  double created = g_timer_elapsed (timer, NULL);
  Fixture f = { sandbox, soup_session_new () };

  g_assert_cmpuint (vp_sandbox_get_n_jobs (sandbox), ==, 100000);
  g_assert_true (vp_sandbox_listen (sandbox, 0, &error));

  g_timer_start (timer);
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *path = g_strdup_printf ("/v1/jobs?limit=100&offset=%u", i * 1999);
      g_autoptr(Response) r = get (&f, path);

      g_assert_cmpuint (json_array_get_length (list_jobs (r)), ==, 100);
    }
  g_test_message ("100000 jobs created in %.3f s; 50 pages of 100 in %.3f s",
                  created, g_timer_elapsed (timer, NULL));

  {
    g_autoptr(Response) r = get (&f, "/v1/jobs?limit=100&offset=99950");
    g_assert_cmpuint (json_array_get_length (list_jobs (r)), ==, 50);
  }

  g_clear_object (&f.session);
}

static void
test_curl (void)
{
  const char *binary = g_getenv ("VOXPARSE_SANDBOX");
  g_autofree char *curl = g_find_program_in_path ("curl");
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  g_autofree char *curl_out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  JsonObject *root;
  int wait_status;

  if (curl == NULL)
    {
      g_test_skip ("curl is not installed");
      return;
    }
  if (binary == NULL || !g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("VOXPARSE_SANDBOX does not name the voxparse-sandbox program");
      return;
    }

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             binary, "--port", "0", "--api-key", "curl-key",
                             "--jobs", "50", "--seed", "9", NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_test_message ("%s", line);

  regex = g_regex_new ("^VoxParse sandbox listening on (http://127\\.0\\.0\\.1:\\d+) \\(API key: curl-key\\)$", 0, 0, NULL);
  g_assert_true (g_regex_match (regex, line, 0, &match));
  base = g_match_info_fetch (match, 1);

  /* the reference's example, with our host and key */
  url = g_strdup_printf ("%s/v1/jobs?limit=10&offset=0", base);
  {
    const char *argv[] = { curl, "-s", "-S", "--fail", url, "-H", "X-API-Key: curl-key", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                  &curl_out, NULL, &wait_status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  }

  json_parser_load_from_data (parser, curl_out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "jobs")), ==, 10);
  g_assert_cmpint (json_object_get_int_member (root, "limit"), ==, 10);

  /* without the key */
  {
    const char *argv[] = { curl, "-s", "-o", "/dev/null", "-w", "%{http_code}", url, NULL };
    g_autofree char *code = NULL;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                  &code, NULL, &wait_status, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (code, ==, "401");
  }

  /* SIGTERM stops it cleanly */
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);
}

static void
test_program_help (void)
{
  const char *binary = g_getenv ("VOXPARSE_SANDBOX");
  g_autofree char *help = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status;

  if (binary == NULL || !g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("VOXPARSE_SANDBOX does not name the voxparse-sandbox program");
      return;
    }

  {
    const char *argv[] = { binary, "--help", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                  &help, NULL, &wait_status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  }

  g_assert_nonnull (strstr (help, "--port"));
  g_assert_nonnull (strstr (help, "--api-key"));
  g_assert_nonnull (strstr (help, "--jobs"));
  g_assert_nonnull (strstr (help, "--seed"));
  g_assert_nonnull (strstr (help, "--advance-every"));

  {
    const char *argv[] = { binary, "--port", "70000", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                  NULL, NULL, &wait_status, &error);
    g_assert_no_error (error);
    g_assert_false (g_spawn_check_wait_status (wait_status, NULL));
  }
}

/* Keeps what the sandbox logs at debug level, to check the key never
 * shows, and keeps test output short unless G_MESSAGES_DEBUG asks. */
static void
on_debug_message (const char     *log_domain,
                  GLogLevelFlags  log_level,
                  const char     *message,
                  gpointer        user_data)
{
  if (g_strcmp0 (log_domain, "vp-sandbox") == 0)
    {
      G_LOCK (sandbox_log);
      g_string_append (sandbox_log, message);
      g_string_append_c (sandbox_log, '\n');
      G_UNLOCK (sandbox_log);
    }

  if (show_debug)
    g_printerr ("# %s-DEBUG: %s\n", log_domain, message);
}

int
main (int   argc,
      char *argv[])
{
  sandbox_log = g_string_new (NULL);
  /* read before g_test_init(), which may set it */
  show_debug = g_getenv ("G_MESSAGES_DEBUG") != NULL;

  g_test_init (&argc, &argv, NULL);
  g_log_set_handler ("vp-sandbox", G_LOG_LEVEL_DEBUG, on_debug_message, NULL);
  g_log_set_handler ("GLib-GIO", G_LOG_LEVEL_DEBUG, on_debug_message, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/sandbox/auth", test_auth);
  ADD ("/sandbox/pricing", test_pricing);
  ADD ("/sandbox/list/default", test_list_default);
  ADD ("/sandbox/list/limits", test_list_limits);
  ADD ("/sandbox/list/paging", test_paging);
  ADD ("/sandbox/list/bad-params", test_bad_params);
  ADD ("/sandbox/not-found", test_not_found);
  ADD ("/sandbox/method-not-allowed", test_method_not_allowed);
  ADD ("/sandbox/job-and-result", test_job_and_result);
  ADD ("/sandbox/add-jobs", test_add_jobs);
  ADD ("/sandbox/set-job-status", test_set_job_status);
  ADD ("/sandbox/long-call", test_long_call);
  ADD ("/sandbox/request-count-and-log", test_request_count_and_log);
  ADD ("/sandbox/advance", test_advance);
  g_test_add_func ("/sandbox/thread", test_thread);
  g_test_add_func ("/sandbox/many-jobs", test_many_jobs);
  g_test_add_func ("/sandbox/program/curl", test_curl);
  g_test_add_func ("/sandbox/program/help", test_program_help);

#undef ADD

  return g_test_run ();
}

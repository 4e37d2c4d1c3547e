/* test-export.c: the export engine against real HTTP servers over loopback
 *
 * Most tests export the in-process sandbox's generated calls.  Where a test
 * needs results the sandbox does not give (the reference's example, cells
 * that look like formulas, a result that answers 404), it serves them from
 * a small SoupServer of its own.  CSV files are read back by Python's csv
 * module (check-csv.py), JSON files by json-glib, and both are compared
 * with what the test fetched itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-export"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "vp-client.h"
#include "vp-error.h"
#include "vp-export.h"
#include "vp-pii.h"
#include "vp-sandbox.h"
#include "test-util.h"

#define API_KEY "export-key"

typedef struct {
  VpSandbox *sandbox;
  VpClient  *client;
  char      *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  guint seed = GPOINTER_TO_UINT (data);

  /* data: another seed, with more calls */
  fixture->sandbox = vp_sandbox_new (seed ? seed : 7, seed ? 200 : 60, API_KEY);
  g_assert_true (vp_sandbox_listen (fixture->sandbox, 0, &error));
  g_assert_no_error (error);
  fixture->client = vp_client_new (vp_sandbox_get_base_url (fixture->sandbox), API_KEY);
  fixture->dir = g_dir_make_tmp ("test-export-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        remove_tree (child);
      }
  g_remove (path);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->sandbox);
}

/* -------------------------------------------------------------------------
 * Helpers: running things to completion
 */

typedef struct {
  guint    last_fetched;
  guint    last_written;
  guint    n_notifies;
  gboolean monotonic;
} Progress;

static void
on_progress_cb (VpExport   *export,
                GParamSpec *pspec,
                Progress   *progress)
{
  guint fetched = vp_export_get_n_fetched (export);
  guint written = vp_export_get_n_written (export);

  progress->n_notifies++;
  if (fetched < progress->last_fetched || written < progress->last_written ||
      fetched > vp_export_get_n_total (export) || written > fetched)
    progress->monotonic = FALSE;
  progress->last_fetched = fetched;
  progress->last_written = written;
}

static gboolean
run_export (VpExport      *export,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  Progress progress = { .monotonic = TRUE };
  gboolean ok;

  g_signal_connect (export, "notify::n-fetched", G_CALLBACK (on_progress_cb), &progress);
  g_signal_connect (export, "notify::n-written", G_CALLBACK (on_progress_cb), &progress);
  vp_export_run_async (export, cancellable, test_store_result_cb, &result);
  ok = vp_export_run_finish (export, test_wait_for_result (&result), error);
  g_signal_handlers_disconnect_by_data (export, &progress);

  g_assert_true (progress.monotonic);
  if (ok)
    g_assert_cmpuint (progress.last_fetched, ==, vp_export_get_n_total (export));

  return ok;
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* The CSV as Python's csv module reads it: {"bom","crlf","header","rows"} */
static JsonNode *
read_csv (const char *path)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "check-csv.py", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, "python3", script, path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("check-csv.py failed: %s", err);

  return json_from_string (out, &error);
}

static gboolean
have_python (void)
{
  g_autofree char *python = g_find_program_in_path ("python3");

  if (python == NULL)
    g_test_skip ("python3 is needed to read the CSV back");
  return python != NULL;
}

/* -------------------------------------------------------------------------
 * What a CSV cell must hold, worked out independently of the engine
 */

static char *
expect_text (const char *value)
{
  if (value == NULL)
    return g_strdup ("");
  if (value[0] != '\0' && strchr ("=+-@\t\r", value[0]) != NULL)
    return g_strconcat ("'", value, NULL);
  return g_strdup (value);
}

static char *
expect_list (const char * const *list)
{
  g_autofree char *joined = NULL;

  if (list == NULL)
    return g_strdup ("");
  joined = g_strjoinv (" | ", (char **) list);
  return expect_text (joined);
}

static void
check_number (JsonObject *row,
              const char *column,
              gboolean    given,
              double      value)
{
  const char *cell = json_object_get_string_member (row, column);

  g_test_message ("%s: %s", column, cell);
  if (!given)
    g_assert_cmpstr (cell, ==, "");
  else
    g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cell, NULL), value, 1e-9);
}

static void
check_text (JsonObject *row,
            const char *column,
            char       *expected)   /* takes it */
{
  g_autofree char *owned = expected;

  g_assert_true (json_object_has_member (row, column));
  g_assert_cmpstr (json_object_get_string_member (row, column), ==, expected);
}

static char *
format_time (GDateTime *time)
{
  return time ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
}

static void
check_csv_row (JsonObject *row,
               VpJob      *job,
               VpResult   *result)
{
  VpAnalysis *a = vp_result_get_analysis (result);
  double amount = 0;
  const char *disclosure = "";

  check_text (row, "id", g_strdup (vp_job_get_id (job)));
  check_text (row, "status", g_strdup (vp_job_status_to_string (vp_job_get_status (job))));
  check_text (row, "type", expect_text (vp_job_get_type_name (job)));
  check_text (row, "model", expect_text (vp_job_get_model (job)));
  check_number (row, "duration_seconds", vp_job_get_duration_seconds (job) >= 0,
                vp_job_get_duration_seconds (job));
  check_number (row, "cost_cents", vp_job_get_cost_cents (job) >= 0, vp_job_get_cost_cents (job));
  check_text (row, "created_at", format_time (vp_job_get_created_at (job)));
  check_text (row, "completed_at", format_time (vp_job_get_completed_at (job)));
  check_text (row, "error", expect_text (vp_job_get_error (job)));

#define TEXT(column, getter) check_text (row, column, expect_text (a ? getter (a) : NULL))
  TEXT ("call_summary", vp_analysis_get_call_summary);
  TEXT ("call_type", vp_analysis_get_call_type);
  TEXT ("call_outcome", vp_analysis_get_call_outcome);
  TEXT ("customer_name", vp_analysis_get_customer_name);
  TEXT ("customer_company", vp_analysis_get_customer_company);
  TEXT ("customer_email", vp_analysis_get_customer_email);
  TEXT ("customer_phone", vp_analysis_get_customer_phone);
  TEXT ("agent_name", vp_analysis_get_agent_name);
  TEXT ("agent_department", vp_analysis_get_agent_department);
  TEXT ("agent_id", vp_analysis_get_agent_id);
  TEXT ("payment_method", vp_analysis_get_payment_method);
  TEXT ("billing_date", vp_analysis_get_billing_date);
  TEXT ("customer_sentiment", vp_analysis_get_customer_sentiment);
  TEXT ("agent_performance", vp_analysis_get_agent_performance);
  TEXT ("transcript_cleaned", vp_analysis_get_transcript_cleaned);
#undef TEXT

  for (guint i = 0; i < 3; i++)
    {
      static const char * const money_columns[] = { "payment_today", "recurring_amount", "pending_balance" };
      static const VpMoneyField fields[] = {
        VP_MONEY_PAYMENT_TODAY, VP_MONEY_RECURRING_AMOUNT, VP_MONEY_PENDING_BALANCE,
      };
      gboolean given = a != NULL && vp_analysis_get_money (a, fields[i], &amount);

      check_number (row, money_columns[i], given, amount);
    }

  if (a && vp_analysis_get_recording_disclosure (a) == VP_DISCLOSURE_MADE)
    disclosure = "yes";
  else if (a && vp_analysis_get_recording_disclosure (a) == VP_DISCLOSURE_MISSING)
    disclosure = "no";
  check_text (row, "recording_disclosure", g_strdup (disclosure));

  check_text (row, "sensitive_data_shared",
              expect_list (a ? vp_analysis_get_sensitive_data_shared (a) : NULL));
  check_text (row, "key_issues", expect_list (a ? vp_analysis_get_key_issues (a) : NULL));
  check_text (row, "action_items", expect_list (a ? vp_analysis_get_action_items (a) : NULL));
  check_text (row, "agreements", expect_list (a ? vp_analysis_get_agreements (a) : NULL));
  check_text (row, "plan", g_strdup (vp_result_is_lite (result) ? "lite" : "pro"));
}

static JsonArray *
check_csv_file (const char *path,
                guint       n_rows)
{
  g_autoptr(JsonNode) csv = read_csv (path);
  JsonObject *object = json_node_get_object (csv);
  JsonArray *header = json_object_get_array_member (object, "header");
  const char * const *columns = vp_export_get_csv_columns ();

  g_assert_true (json_object_get_boolean_member (object, "bom"));
  g_assert_true (json_object_get_boolean_member (object, "crlf"));
  g_assert_cmpuint (json_array_get_length (header), ==, g_strv_length ((char **) columns));
  for (guint i = 0; columns[i] != NULL; i++)
    g_assert_cmpstr (json_array_get_string_element (header, i), ==, columns[i]);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "rows")), ==, n_rows);

  return json_array_ref (json_object_get_array_member (object, "rows"));
}

/* -------------------------------------------------------------------------
 * A server of the test's own: fixed jobs and result bodies
 */

typedef struct {
  SoupServer *server;
  GHashTable *jobs;      /* id -> job JSON */
  GHashTable *results;   /* id -> result body; absent: 404 */
  char       *base_url;
  /* When @hold: requests wait here and are answered newest first */
  gboolean    hold;
  GPtrArray  *held;
  guint       max_held;
  guint       release_id;
  GHashTable *ports;     /* client ports seen: connections used */
} Server;

static gboolean
on_release_cb (gpointer data)
{
  Server *self = data;

  if (self->held->len > 0)
    soup_server_message_unpause (g_ptr_array_steal_index (self->held, self->held->len - 1));
  if (self->held->len == 0)
    {
      self->release_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
on_server_request_cb (SoupServer        *server,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  Server *self = user_data;
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  const char *body = NULL;

  /* /v1/jobs/{id} and /v1/jobs/{id}/result */
  if (g_strv_length (parts) == 4)
    body = g_hash_table_lookup (self->jobs, parts[3]);
  else if (g_strv_length (parts) == 5 && g_str_equal (parts[4], "result"))
    body = g_hash_table_lookup (self->results, parts[3]);

  if (body == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"detail\":\"Not found\"}", 22);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));

  g_hash_table_add (self->ports, GUINT_TO_POINTER (g_inet_socket_address_get_port (
    G_INET_SOCKET_ADDRESS (soup_server_message_get_remote_address (msg)))));

  if (self->hold)
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (self->held, msg);
      self->max_held = MAX (self->max_held, self->held->len);
      /* Answered when the loop is idle, i.e. once every request the client
       * wanted to send at once has arrived */
      if (self->release_id == 0)
        self->release_id = g_idle_add_full (G_PRIORITY_LOW, on_release_cb, self, NULL);
    }
}

static Server *
server_new (void)
{
  Server *self = g_new0 (Server, 1);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  self->server = soup_server_new (NULL, NULL);
  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->held = g_ptr_array_new ();
  self->ports = g_hash_table_new (NULL, NULL);
  soup_server_add_handler (self->server, "/v1/jobs", on_server_request_cb, self, NULL);
  soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (self->server);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));

  return self;
}

static void
server_free (Server *self)
{
  g_clear_handle_id (&self->release_id, g_source_remove);
  soup_server_disconnect (self->server);
  g_object_unref (self->server);
  g_ptr_array_unref (self->held);
  g_hash_table_unref (self->ports);
  g_hash_table_unref (self->jobs);
  g_hash_table_unref (self->results);
  g_free (self->base_url);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

static void
server_add (Server     *self,
            const char *id,
            const char *job_json,
            const char *result_body)
{
  g_hash_table_insert (self->jobs, g_strdup (id), g_strdup (job_json));
  if (result_body != NULL)
    g_hash_table_insert (self->results, g_strdup (id), g_strdup (result_body));
}

static char *
read_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);

  return read_file (path);
}

/* -------------------------------------------------------------------------
 * Tests
 */

/* CSV of generated calls, given as VpJob objects from the list */
static void
test_export_csv_generated (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) jobs = test_list_jobs (fixture->client, 40, 0);
  g_autofree char *path = g_build_filename (fixture->dir, "calls.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VpExport) export = vp_export_new (fixture->client, VP_EXPORT_FORMAT_CSV, file);
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  const VpExportSkipped *skipped;
  guint n_skipped, n_completed = 0, row = 0;

  if (!have_python ())
    return;

  for (guint i = 0; i < jobs->len; i++)
    {
      vp_export_add_job (export, g_ptr_array_index (jobs, i));
      if (vp_job_get_status (g_ptr_array_index (jobs, i)) == VP_JOB_STATUS_COMPLETED)
        n_completed++;
    }
  g_assert_cmpuint (vp_export_get_n_total (export), ==, 40);

  g_assert_true (run_export (export, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (vp_export_get_n_exported (export), ==, n_completed);
  g_assert_cmpuint (vp_export_get_n_written (export), ==, n_completed);
  skipped = vp_export_get_skipped (export, &n_skipped);
  g_assert_cmpuint (n_skipped, ==, 40 - n_completed);
  g_assert_cmpuint (n_skipped, >, 0);   /* the generator's newest are queued/processing */
  for (guint i = 0; i < n_skipped; i++)
    g_assert_true (g_str_has_prefix (skipped[i].reason, "Job is still") ||
                   g_str_has_prefix (skipped[i].reason, "Job failed"));

  rows = check_csv_file (path, n_completed);

  /* Rows in selection order, every value as the server sent it */
  for (guint i = 0; i < jobs->len; i++)
    {
      VpJob *job = g_ptr_array_index (jobs, i);
      g_autoptr(VpResult) result = NULL;

      if (vp_job_get_status (job) != VP_JOB_STATUS_COMPLETED)
        continue;

      result = test_get_result (fixture->client, job);
      check_csv_row (json_array_get_object_element (rows, row++), job, result);
    }
  g_assert_cmpuint (count_entries (fixture->dir), ==, 1);
}

/* JSON of generated calls, given by id: job and result exactly as sent */
static void
test_export_json_generated (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) jobs = test_list_jobs (fixture->client, 30, 0);
  g_autofree char *path = g_build_filename (fixture->dir, "calls.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VpExport) export = vp_export_new (fixture->client, VP_EXPORT_FORMAT_JSON, file);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *contents = NULL;
  JsonArray *exported;
  JsonArray *skipped;
  guint n = 0, n_skipped = 0;

  for (guint i = 0; i < jobs->len; i++)
    vp_export_add_job_id (export, vp_job_get_id (g_ptr_array_index (jobs, i)));

  g_assert_true (run_export (export, NULL, &error));
  g_assert_no_error (error);

  contents = read_file (path);
  root = json_from_string (contents, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "format"), ==, "voxparse-export");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "version"), ==, 1);
  exported = json_object_get_array_member (json_node_get_object (root), "jobs");
  skipped = json_object_get_array_member (json_node_get_object (root), "skipped");

  for (guint i = 0; i < jobs->len; i++)
    {
      g_autoptr(VpJob) job = test_get_job (fixture->client, vp_job_get_id (g_ptr_array_index (jobs, i)));
      g_autoptr(VpResult) result = NULL;
      g_autoptr(JsonNode) sent_job = NULL;
      g_autoptr(JsonNode) sent_result = NULL;
      JsonObject *entry;
      GBytes *body;

      if (vp_job_get_status (job) != VP_JOB_STATUS_COMPLETED)
        {
          JsonObject *skip = json_array_get_object_element (skipped, n_skipped++);
          g_assert_cmpstr (json_object_get_string_member (skip, "id"), ==, vp_job_get_id (job));
          g_assert_nonnull (json_object_get_string_member (skip, "reason"));
          g_assert_true (g_strv_contains ((const char * const[]) { "queued", "processing", "failed", NULL },
                                          json_object_get_string_member (skip, "code")));
          continue;
        }

      result = test_get_result (fixture->client, job);
      body = vp_result_get_bytes (result);
      entry = json_array_get_object_element (exported, n++);

      sent_job = json_node_init_object (json_node_alloc (), vp_job_get_json (job));
      g_assert_true (json_node_equal (json_object_get_member (entry, "job"), sent_job));

      sent_result = json_from_string (g_bytes_get_data (body, NULL), &error);
      g_assert_no_error (error);
      g_assert_true (json_node_equal (json_object_get_member (entry, "result"), sent_result));

      /* Byte for byte, not re-serialized */
      {
        g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
        g_strchomp (text);
        g_assert_nonnull (strstr (contents, text));
      }
    }

  g_assert_cmpuint (json_array_get_length (exported), ==, n);
  g_assert_cmpuint (json_array_get_length (skipped), ==, n_skipped);
  g_assert_cmpuint (vp_export_get_n_exported (export), ==, n);
}

/* The reference's own example result, from a server of the test's own */
static void
test_export_reference (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(Server) server = server_new ();
  g_autofree char *job_json = read_fixture ("reference-get-job.json");
  g_autofree char *body = read_fixture ("reference-result.json");
  g_autoptr(VpClient) client = NULL;
  const char *id = "a1b2c3d4-e5f6-7890-abcd-ef1234567890";

  /* The reference's result_url is "/v1/jobs/a1b2c3d4-.../result" */
  server_add (server, id, job_json, NULL);
  g_hash_table_insert (server->results, g_strdup ("a1b2c3d4-..."), g_strdup (body));
  client = vp_client_new (server->base_url, "k");

  for (guint f = 0; f < 2; f++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, f ? "ref.json" : "ref.csv", NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(VpExport) export = vp_export_new (client, f ? VP_EXPORT_FORMAT_JSON : VP_EXPORT_FORMAT_CSV, file);
      g_autoptr(VpJob) job = test_get_job (client, id);
      g_autoptr(VpResult) result = test_get_result (client, job);
      g_autoptr(GError) error = NULL;

      vp_export_add_job_id (export, id);
      g_assert_true (run_export (export, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (vp_export_get_n_exported (export), ==, 1);

      if (f == 0)
        {
          g_autoptr(JsonArray) rows = NULL;

          if (!have_python ())
            return;
          rows = check_csv_file (path, 1);
          check_csv_row (json_array_get_object_element (rows, 0), job, result);
          g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0),
                                                          "sensitive_data_shared"),
                           ==, "phone number | SSN (last 4)");
        }
      else
        {
          g_autofree char *contents = read_file (path);
          g_autoptr(JsonNode) root = json_from_string (contents, &error);
          g_autoptr(JsonNode) sent = json_from_string (body, NULL);
          g_autoptr(JsonNode) sent_job = json_from_string (job_json, NULL);
          JsonObject *entry;

          g_assert_no_error (error);
          entry = json_array_get_object_element (json_object_get_array_member (json_node_get_object (root), "jobs"), 0);
          g_assert_true (json_node_equal (json_object_get_member (entry, "result"), sent));
          g_assert_true (json_node_equal (json_object_get_member (entry, "job"), sent_job));
        }
    }
}

#define FORMULA_RESULT \
  "{\"transcript\":\"=cmd|' /C calc'!A0\",\"duration_seconds\":12.5,\"language\":\"en\"," \
  "\"segments\":[],\"words\":[],\"unknown_field\":{\"kept\":[1,2.50,1e3]}," \
  "\"ai_analysis\":{\"call_summary\":\"=HYPERLINK(\\\"http://x\\\",\\\"click\\\")\"," \
  "\"call_type\":\"+billing\",\"call_outcome\":\"-resolved\"," \
  "\"customer\":{\"name\":\"@SUM(A1:A9)\",\"company\":\"Smith, Jones & \\\"Partners\\\"\"," \
  "\"email\":\"\\tmail@example.com\",\"phone\":\"+1 212 555 0178\"}," \
  "\"agent\":{\"name\":\"\\rCarriage\",\"department\":\"Line one\\nLine two\\r\\nLine three\",\"agent_id\":\"-12\"}," \
  "\"financial\":{\"payment_today\":-20.5,\"recurring_amount\":\"$49.99\",\"pending_balance\":0," \
  "\"payment_method\":\"card\",\"billing_date\":\"2026-12-01\"}," \
  "\"compliance\":{\"recording_disclosure\":false,\"sensitive_data_shared\":[\"credit card\",\"=phone\"]}," \
  "\"sentiment\":{\"customer_sentiment\":\"negative\",\"agent_performance\":\"poor\"}," \
  "\"key_issues\":[\"a, b\",\"c \\\"d\\\"\"],\"action_items\":[],\"agreements\":[\"=2+2\"]," \
  "\"transcript_cleaned\":\"Agent: Hello, \\\"quoted\\\"\\nCustomer: Ünïcödé — 日本語\"}}"

#define FORMULA_JOB(id) \
  "{\"id\":\"" id "\",\"status\":\"completed\",\"type\":\"transcribe\",\"model\":\"standard\"," \
  "\"duration_seconds\":12.5,\"cost_cents\":1,\"created_at\":\"2026-04-19 19:13:18\"," \
  "\"completed_at\":\"2026-04-19 19:15:22\",\"error\":null,\"result_url\":\"/v1/jobs/" id "/result\"}"

static void
clear_object (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

static void
clear_error (gpointer data)
{
  if (data != NULL)
    g_error_free (data);
}

/* For CSV the writer reads only the analysis out of the body (a scanner
 * skips the rest); whatever the body, the record or the skip must be what
 * reading the whole result gives. */
static void
test_export_csv_reading (Fixture       *fixture,
                         gconstpointer  data)
{
  static const char * const bodies[] = {
    /* escapes, non-ASCII, the words and segments before and after */
    "{\"words\":[{\"word\":\"caf\\u00e9 \\\"x\\\"\",\"start\":0,\"end\":1.5e0},{\"word\":\"Grüße\",\"start\":-0.0,\"end\":2}],"
    "\"ai_analysis\":{\"transcript_cleaned\":\"Grüße \\\\ \\/ \\b\"},"
    "\"segments\":[{\"text\":\"日本語\",\"start\":0,\"end\":1,\"extra\":[true,false,null,{}]}]}",
    /* the full analysis, with blanks everywhere */
    " \n" FORMULA_RESULT " \n",
    /* no analysis, or not an object */
    "{\"transcript\":\"t\",\"ai_analysis\":null}",
    "{\"transcript\":\"t\",\"ai_analysis\":[1]}",
    "{}",
    /* twice: json-glib decides */
    "{\"ai_analysis\":{\"transcript_cleaned\":\"first\"},\"ai_analysis\":{\"call_summary\":\"second\",\"transcript_cleaned\":\"x\"}}",
    /* an escaped name */
    "{\"ai_\\u0061nalysis\":{\"transcript_cleaned\":\"escaped\"}}",
    /* surrogates */
    "{\"words\":[{\"word\":\"\\ud83d\\ude00\",\"start\":0,\"end\":1}],\"ai_analysis\":{\"transcript_cleaned\":\"\\ud83d\\ude00\"}}",
    /* not a result */
    "{ not json",
    "[1,2]",
    "{\"words\":[1,2,],\"ai_analysis\":{\"transcript_cleaned\":\"x\"}}",
    "{\"words\":[01],\"ai_analysis\":{\"transcript_cleaned\":\"x\"}}",
    "{\"ai_analysis\":{\"transcript_cleaned\":\"x\"}} trailing",
    "{\"words\":[\"\xff\"],\"ai_analysis\":{\"transcript_cleaned\":\"x\"}}",
    "{\"words\":[\"a\tb\"],\"ai_analysis\":{\"transcript_cleaned\":\"x\"}}",
  };
  g_autoptr(Server) server = server_new ();
  g_autoptr(VpClient) client = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "reading.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VpExport) export = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (clear_object);
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (clear_error);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  const VpExportSkipped *skipped;
  guint n_skipped, n_rows = 0, n_expected_skipped = 0;

  if (!have_python ())
    return;

  client = vp_client_new (server->base_url, "k");
  export = vp_export_new (client, VP_EXPORT_FORMAT_CSV, file);
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *id = g_strdup_printf ("body-%02u", i);
      g_autofree char *job = g_strdup_printf ("{\"id\":\"%s\",\"status\":\"completed\"}", id);

      server_add (server, id, job, bodies[i]);
      vp_export_add_job_id (export, id);
    }

  /* What reading the whole result gives */
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *id = g_strdup_printf ("body-%02u", i);
      VpJob *job = test_get_job (client, id);
      g_autoptr(GAsyncResult) async_result = NULL;
      VpResult *result;
      GError *result_error = NULL;

      vp_client_get_result_async (client, job, NULL, test_store_result_cb, &async_result);
      result = vp_client_get_result_finish (client, test_wait_for_result (&async_result), &result_error);
      g_test_message ("body %u: %s", i, result_error ? result_error->message : "a result");
      g_ptr_array_add (jobs, job);
      g_ptr_array_add (results, result);
      g_ptr_array_add (errors, result_error);
      if (result != NULL)
        n_rows++;
    }

  g_assert_true (run_export (export, NULL, &error));
  g_assert_no_error (error);
  skipped = vp_export_get_skipped (export, &n_skipped);
  rows = check_csv_file (path, n_rows);
  n_rows = 0;

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *id = g_strdup_printf ("body-%02u", i);
      VpJob *job = g_ptr_array_index (jobs, i);
      VpResult *result = g_ptr_array_index (results, i);
      GError *result_error = g_ptr_array_index (errors, i);

      if (result == NULL)
        {
          g_autofree char *reason = g_strdup_printf ("The result could not be fetched: %s",
                                                     result_error->message);

          g_assert_cmpuint (n_expected_skipped, <, n_skipped);
          g_assert_cmpstr (skipped[n_expected_skipped].job_id, ==, id);
          g_assert_cmpstr (skipped[n_expected_skipped].code, ==, "result-not-fetched");
          g_assert_cmpstr (skipped[n_expected_skipped].reason, ==, reason);
          n_expected_skipped++;
        }
      else
        {
          JsonObject *row;

          g_assert_cmpuint (n_rows, <, json_array_get_length (rows));
          row = json_array_get_object_element (rows, n_rows++);
          g_assert_cmpstr (json_object_get_string_member (row, "id"), ==, id);
          check_csv_row (row, job, result);
        }
    }

  g_assert_cmpuint (n_skipped, ==, n_expected_skipped);
  g_assert_cmpuint (json_array_get_length (rows), ==, n_rows);
  g_assert_cmpuint (vp_export_get_n_exported (export), ==, n_rows);
  g_assert_cmpuint (n_expected_skipped, >=, 5);
}

/* Cells a spreadsheet would run, and quoting of commas, quotes, newlines */
static void
test_export_formula (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(VpClient) client = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "formula.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VpExport) export = NULL;
  g_autoptr(VpJob) job = NULL;
  g_autoptr(VpResult) result = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  const VpExportSkipped *skipped;
  guint n_skipped;
  JsonObject *row;

  if (!have_python ())
    return;

  server_add (server, "formula", FORMULA_JOB ("formula"), FORMULA_RESULT);
  server_add (server, "gone", FORMULA_JOB ("gone"), NULL);   /* result: 404 */
  client = vp_client_new (server->base_url, "k");
  export = vp_export_new (client, VP_EXPORT_FORMAT_CSV, file);
  vp_export_add_job_id (export, "gone");
  vp_export_add_job_id (export, "formula");

  g_assert_true (run_export (export, NULL, &error));
  g_assert_no_error (error);
  skipped = vp_export_get_skipped (export, &n_skipped);
  g_assert_cmpuint (n_skipped, ==, 1);
  g_assert_cmpstr (skipped[0].job_id, ==, "gone");
  g_assert_cmpstr (skipped[0].reason, ==, "The result could not be found (404)");
  g_assert_cmpstr (skipped[0].code, ==, "result-not-found");

  rows = check_csv_file (path, 1);
  row = json_array_get_object_element (rows, 0);
  job = test_get_job (client, "formula");
  result = test_get_result (client, job);
  check_csv_row (row, job, result);

  /* Spelled out, in case the helpers above are wrong in the same way */
  g_assert_cmpstr (json_object_get_string_member (row, "call_summary"), ==,
                   "'=HYPERLINK(\"http://x\",\"click\")");
  g_assert_cmpstr (json_object_get_string_member (row, "call_type"), ==, "'+billing");
  g_assert_cmpstr (json_object_get_string_member (row, "call_outcome"), ==, "'-resolved");
  g_assert_cmpstr (json_object_get_string_member (row, "customer_name"), ==, "'@SUM(A1:A9)");
  g_assert_cmpstr (json_object_get_string_member (row, "customer_company"), ==, "Smith, Jones & \"Partners\"");
  g_assert_cmpstr (json_object_get_string_member (row, "customer_email"), ==, "'\tmail@example.com");
  g_assert_cmpstr (json_object_get_string_member (row, "agent_name"), ==, "'\rCarriage");
  g_assert_cmpstr (json_object_get_string_member (row, "agent_department"), ==, "Line one\nLine two\r\nLine three");
  g_assert_cmpstr (json_object_get_string_member (row, "agent_id"), ==, "'-12");
  g_assert_cmpstr (json_object_get_string_member (row, "payment_today"), ==, "-20.5");
  g_assert_cmpstr (json_object_get_string_member (row, "recurring_amount"), ==, "49.99");
  g_assert_cmpstr (json_object_get_string_member (row, "pending_balance"), ==, "0");
  g_assert_cmpstr (json_object_get_string_member (row, "duration_seconds"), ==, "12.5");
  g_assert_cmpstr (json_object_get_string_member (row, "recording_disclosure"), ==, "no");
  g_assert_cmpstr (json_object_get_string_member (row, "sensitive_data_shared"), ==, "credit card | =phone");
  g_assert_cmpstr (json_object_get_string_member (row, "key_issues"), ==, "a, b | c \"d\"");
  g_assert_cmpstr (json_object_get_string_member (row, "action_items"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (row, "agreements"), ==, "'=2+2");
  g_assert_cmpstr (json_object_get_string_member (row, "transcript_cleaned"), ==,
                   "Agent: Hello, \"quoted\"\nCustomer: Ünïcödé — 日本語");

  /* JSON keeps the unknown field and the number forms byte for byte */
  {
    g_autofree char *json_path = g_build_filename (fixture->dir, "formula.json", NULL);
    g_autoptr(GFile) json_file = g_file_new_for_path (json_path);
    g_autoptr(VpExport) json_export = vp_export_new (client, VP_EXPORT_FORMAT_JSON, json_file);
    g_autofree char *contents = NULL;

    vp_export_add_job_id (json_export, "formula");
    g_assert_true (run_export (json_export, NULL, &error));
    g_assert_no_error (error);
    contents = read_file (json_path);
    g_assert_nonnull (strstr (contents, "\"unknown_field\":{\"kept\":[1,2.50,1e3]}"));
  }
}

/* A selection of completed, Lite, failed, processing, queued and unknown jobs */
static void
test_export_mixed (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) jobs = test_list_jobs (fixture->client, 60, 0);
  g_autofree char *path = g_build_filename (fixture->dir, "mixed.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VpExport) export = vp_export_new (fixture->client, VP_EXPORT_FORMAT_CSV, file);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(VpJob) failed = NULL;
  const char *pro = NULL, *lite = NULL, *to_fail = NULL, *to_process = NULL;
  const VpExportSkipped *skipped;
  g_autofree char *failed_reason = NULL;
  guint n_skipped;

  if (!have_python ())
    return;

  for (guint i = 0; i < jobs->len; i++)
    {
      VpJob *job = g_ptr_array_index (jobs, i);
      g_autoptr(VpResult) result = NULL;

      if (vp_job_get_status (job) != VP_JOB_STATUS_COMPLETED)
        continue;
      result = test_get_result (fixture->client, job);
      if (vp_result_is_lite (result) && lite == NULL)
        lite = vp_job_get_id (job);
      else if (!vp_result_is_lite (result) && pro == NULL)
        pro = vp_job_get_id (job);
      else if (to_fail == NULL)
        to_fail = vp_job_get_id (job);
      else if (to_process == NULL)
        to_process = vp_job_get_id (job);
    }
  g_assert_nonnull (pro);
  g_assert_nonnull (lite);
  g_assert_nonnull (to_process);

  g_assert_true (vp_sandbox_set_job_status (fixture->sandbox, to_fail, "failed"));
  g_assert_true (vp_sandbox_set_job_status (fixture->sandbox, to_process, "processing"));
  failed = test_get_job (fixture->client, to_fail);
  g_assert_nonnull (vp_job_get_error (failed));
  failed_reason = g_strdup_printf ("Job failed: %s", vp_job_get_error (failed));

  vp_export_add_job_id (export, to_fail);
  vp_export_add_job_id (export, pro);
  vp_export_add_job_id (export, "00000000-0000-0000-0000-000000000000");
  vp_export_add_job_id (export, lite);
  vp_export_add_job_id (export, to_process);

  g_assert_true (run_export (export, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (vp_export_get_n_exported (export), ==, 2);

  skipped = vp_export_get_skipped (export, &n_skipped);
  g_assert_cmpuint (n_skipped, ==, 3);
  g_assert_cmpstr (skipped[0].job_id, ==, to_fail);
  g_assert_cmpstr (skipped[0].reason, ==, failed_reason);
  g_assert_cmpstr (skipped[0].code, ==, "failed");
  g_assert_cmpstr (skipped[1].job_id, ==, "00000000-0000-0000-0000-000000000000");
  g_assert_cmpstr (skipped[1].reason, ==, "The job could not be found (404)");
  g_assert_cmpstr (skipped[1].code, ==, "job-not-found");
  g_assert_cmpstr (skipped[2].job_id, ==, to_process);
  g_assert_cmpstr (skipped[2].reason, ==, "Job is still processing");
  g_assert_cmpstr (skipped[2].code, ==, "processing");

  rows = check_csv_file (path, 2);
  {
    JsonObject *pro_row = json_array_get_object_element (rows, 0);
    JsonObject *lite_row = json_array_get_object_element (rows, 1);
    g_autoptr(VpJob) lite_job = test_get_job (fixture->client, lite);
    g_autoptr(VpResult) lite_result = test_get_result (fixture->client, lite_job);

    g_assert_cmpstr (json_object_get_string_member (pro_row, "id"), ==, pro);
    g_assert_cmpstr (json_object_get_string_member (pro_row, "plan"), ==, "pro");
    g_assert_cmpstr (json_object_get_string_member (lite_row, "id"), ==, lite);
    g_assert_cmpstr (json_object_get_string_member (lite_row, "plan"), ==, "lite");
    g_assert_cmpstr (json_object_get_string_member (lite_row, "call_summary"), ==, "");
    g_assert_cmpstr (json_object_get_string_member (lite_row, "recording_disclosure"), ==, "");
    g_assert_cmpstr (json_object_get_string_member (lite_row, "transcript_cleaned"), !=, "");
    check_csv_row (lite_row, lite_job, lite_result);
  }
}

/* Spoken numbers as digits: "four one six eight" -> "4168" */
static char *
digits_of (const char *text)
{
  static const char * const words[] = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
  };
  GString *out = g_string_new (NULL);
  const char *p = text;

  while (*p)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (out, *p++);
      else if (g_ascii_isalpha (*p))
        {
          const char *start = p;

          while (g_ascii_isalpha (*p))
            p++;
          for (guint i = 0; i < G_N_ELEMENTS (words); i++)
            if ((gsize) (p - start) == strlen (words[i]) &&
                g_ascii_strncasecmp (start, words[i], p - start) == 0)
              g_string_append_c (out, '0' + i);
          if (p - start == 2 && g_ascii_strncasecmp (start, "oh", 2) == 0)
            g_string_append_c (out, '0');
        }
      else
        p++;
    }

  return g_string_free (out, FALSE);
}

/* No number that @original holds survives in @masked; the last four stay */
static void
check_masked (const char *original,
              const char *masked)
{
  g_autoptr(GArray) spans = vp_pii_find (original);
  g_autoptr(GArray) left = vp_pii_find (masked);
  g_autofree char *masked_digits = digits_of (masked);

  g_assert_true (g_utf8_validate (masked, -1, NULL));
  g_assert_cmpuint (left->len, ==, 0);

  for (guint i = 0; i < spans->len; i++)
    {
      const VpPiiSpan *span = &g_array_index (spans, VpPiiSpan, i);
      g_autofree char *literal = g_strndup (original + span->start, span->end - span->start);
      g_autofree char *digits = digits_of (literal);

      g_assert_cmpuint (strlen (digits), ==, span->n_digits);
      if (span->n_digits > 4)
        {
          g_assert_null (strstr (masked_digits, digits));
          g_assert_nonnull (strstr (masked_digits, digits + span->n_digits - 4));
        }
      else
        g_assert_null (strstr (masked, literal));
    }
}

static gboolean
strv_has (const char * const *strv,
          const char         *value)
{
  return strv != NULL && g_strv_contains (strv, value);
}

/* The generator's calls: every number it says is found, and none is left
 * after masking */
static void
test_export_mask (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) jobs = test_list_jobs (fixture->client, 100, 0);
  g_autofree char *path = g_build_filename (fixture->dir, "masked.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VpExport) export = vp_export_new (fixture->client, VP_EXPORT_FORMAT_JSON, file);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *contents = NULL;
  JsonArray *exported;
  guint n_cards = 0, n_spoken = 0, n_ssn = 0, n_accounts = 0, n_phones = 0;

  vp_export_set_mask_pii (export, TRUE);

  for (guint i = 0; i < jobs->len; i++)
    {
      VpJob *job = g_ptr_array_index (jobs, i);
      VpResult *result;
      VpAnalysis *a;
      const char * const *shared;
      const char *text;
      g_autoptr(GArray) spans = NULL;
      gboolean kinds[4] = { FALSE, };

      if (vp_job_get_status (job) != VP_JOB_STATUS_COMPLETED)
        continue;

      result = test_get_result (fixture->client, job);
      g_ptr_array_add (results, result);
      vp_export_add_job (export, job);

      /* What the finder sees is what the generator says it put in */
      a = vp_result_get_analysis (result);
      if (a == NULL || vp_analysis_is_lite (a))
        continue;
      shared = vp_analysis_get_sensitive_data_shared (a);
      text = vp_analysis_get_transcript_cleaned (a);
      spans = vp_pii_find (text);
      for (guint j = 0; j < spans->len; j++)
        {
          const VpPiiSpan *span = &g_array_index (spans, VpPiiSpan, j);

          kinds[span->kind] = TRUE;
          if (span->kind == VP_PII_CARD_NUMBER && g_ascii_isalpha (text[span->start]))
            n_spoken++;
        }
      {
        g_autofree char *listed = shared ? g_strjoinv (", ", (char **) shared) : NULL;

        g_test_message ("%s: %s", vp_job_get_id (job), listed ? listed : "-");
      }
      g_assert_cmpint (kinds[VP_PII_CARD_NUMBER], ==, strv_has (shared, "credit card") &&
                       strstr (text, "read me the card number") != NULL);
      g_assert_cmpint (kinds[VP_PII_ACCOUNT_NUMBER], ==, strv_has (shared, "account number"));
      g_assert_cmpint (kinds[VP_PII_SSN], ==, strv_has (shared, "SSN (last 4)"));
      g_assert_cmpint (kinds[VP_PII_PHONE_NUMBER], ==, strv_has (shared, "phone number"));
      n_cards += kinds[VP_PII_CARD_NUMBER];
      n_ssn += kinds[VP_PII_SSN];
      n_accounts += kinds[VP_PII_ACCOUNT_NUMBER];
      n_phones += kinds[VP_PII_PHONE_NUMBER];
    }

  g_test_message ("%u cards (%u spoken), %u SSNs, %u accounts, %u phones",
                  n_cards, n_spoken, n_ssn, n_accounts, n_phones);
  g_assert_cmpuint (n_cards, >, 0);
  g_assert_cmpuint (n_ssn, >, 0);
  g_assert_cmpuint (n_accounts, >, 0);
  g_assert_cmpuint (n_phones, >, 0);

  g_assert_true (run_export (export, NULL, &error));
  g_assert_no_error (error);

  contents = read_file (path);
  root = json_from_string (contents, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (root), "mask_pii"));
  exported = json_object_get_array_member (json_node_get_object (root), "jobs");
  g_assert_cmpuint (json_array_get_length (exported), ==, results->len);

  for (guint i = 0; i < results->len; i++)
    {
      VpResult *result = g_ptr_array_index (results, i);
      JsonObject *masked = json_object_get_object_member (json_array_get_object_element (exported, i), "result");
      JsonArray *segments = json_object_get_array_member (masked, "segments");
      JsonArray *words = json_object_get_array_member (masked, "words");
      const VpSegment *orig_segments;
      const VpWord *orig_words;
      guint n_segments, n_words;
      g_autoptr(GString) orig_joined = g_string_new (NULL);
      g_autoptr(GString) masked_joined = g_string_new (NULL);

      check_masked (vp_result_get_transcript (result), json_object_get_string_member (masked, "transcript"));
      check_masked (vp_analysis_get_transcript_cleaned (vp_result_get_analysis (result)),
                    json_object_get_string_member (json_object_get_object_member (masked, "ai_analysis"),
                                                   "transcript_cleaned"));

      orig_segments = vp_result_get_segments (result, &n_segments);
      g_assert_cmpuint (json_array_get_length (segments), ==, n_segments);
      for (guint j = 0; j < n_segments; j++)
        {
          JsonObject *segment = json_array_get_object_element (segments, j);

          check_masked (orig_segments[j].text, json_object_get_string_member (segment, "text"));
          /* Timings are untouched */
          g_assert_cmpfloat (json_object_get_double_member (segment, "start"), ==, orig_segments[j].start);
        }

      orig_words = vp_result_get_words (result, &n_words);
      g_assert_cmpuint (json_array_get_length (words), ==, n_words);
      for (guint j = 0; j < n_words; j++)
        {
          JsonObject *word = json_array_get_object_element (words, j);

          g_string_append_printf (orig_joined, "%s ", orig_words[j].word);
          g_string_append_printf (masked_joined, "%s ", json_object_get_string_member (word, "word"));
          g_assert_cmpfloat (json_object_get_double_member (word, "end"), ==, orig_words[j].end);
        }
      check_masked (orig_joined->str, masked_joined->str);
    }
}

/* Cancelling in the middle leaves the file that was there untouched */
static void
on_first_written_cb (VpExport     *export,
                     GParamSpec   *pspec,
                     GCancellable *cancellable)
{
  if (vp_export_get_n_written (export) >= 1)
    g_cancellable_cancel (cancellable);
}

static void
test_export_cancel (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) jobs = test_list_jobs (fixture->client, 60, 0);
  g_autofree char *path = g_build_filename (fixture->dir, "keep.json", NULL);
  g_autofree char *fresh = g_build_filename (fixture->dir, "fresh.json", NULL);
  const char *precious = "precious contents\n";

  g_assert_true (g_file_set_contents (path, precious, -1, NULL));

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (round == 2 ? fresh : path);
      g_autoptr(VpExport) export = vp_export_new (fixture->client, VP_EXPORT_FORMAT_JSON, file);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;

      for (guint i = 0; i < jobs->len; i++)
        vp_export_add_job (export, g_ptr_array_index (jobs, i));

      if (round == 0)
        g_cancellable_cancel (cancellable);   /* before it starts */
      else
        g_signal_connect (export, "notify::n-written", G_CALLBACK (on_first_written_cb), cancellable);

      g_assert_false (run_export (export, cancellable, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (vp_export_get_n_written (export), <, vp_export_get_n_total (export));

      contents = read_file (path);
      g_assert_cmpstr (contents, ==, precious);
      g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
      /* No temporary file left behind */
      g_assert_cmpuint (count_entries (fixture->dir), ==, 1);
    }
}

static void
check_unwritable (VpClient   *client,
                  const char *path,
                  const char *message)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VpExport) export = vp_export_new (client, VP_EXPORT_FORMAT_CSV, file);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("Cannot write to %s: %s", path, message);

  vp_export_add_job_id (export, "anything");
  g_assert_false (run_export (export, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_assert_cmpstr (error->message, ==, expected);
  /* It fails before fetching anything */
  g_assert_cmpuint (vp_export_get_n_written (export), ==, 0);
}

static void
test_export_unwritable (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *regular = g_build_filename (fixture->dir, "a-file", NULL);
  g_autofree char *under_file = g_build_filename (regular, "out.csv", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "no-such-dir", "out.csv", NULL);
  g_autofree char *subdir = g_build_filename (fixture->dir, "a-dir", NULL);

  g_assert_true (g_file_set_contents (regular, "x", -1, NULL));
  g_assert_cmpint (g_mkdir (subdir, 0755), ==, 0);

  check_unwritable (fixture->client, under_file, g_strerror (ENOTDIR));
  check_unwritable (fixture->client, missing, g_strerror (ENOENT));
  check_unwritable (fixture->client, subdir, g_strerror (EISDIR));

  g_assert_cmpuint (count_entries (fixture->dir), ==, 2);
  g_assert_cmpuint (count_entries (subdir), ==, 0);
}

/* A full disk: a tiny tmpfs, when the test may mount one */
static void
test_export_disk_full (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *mnt = g_build_filename (fixture->dir, "small", NULL);
  g_autofree char *path = g_build_filename (mnt, "out.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VpExport) export = vp_export_new (fixture->client, VP_EXPORT_FORMAT_JSON, file);
  g_autoptr(GPtrArray) jobs = test_list_jobs (fixture->client, 60, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *mount_command = NULL;
  g_autofree char *umount_command = NULL;
  int status = -1;

  g_assert_cmpint (g_mkdir (mnt, 0755), ==, 0);
  mount_command = g_strdup_printf ("mount -t tmpfs -o size=64k tmpfs %s", mnt);
  if (!g_spawn_command_line_sync (mount_command, NULL, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      g_test_skip ("Cannot mount a small tmpfs here (not root?)");
      return;
    }

  g_assert_true (g_file_set_contents (path, "old\n", -1, NULL));
  for (guint i = 0; i < jobs->len; i++)
    vp_export_add_job (export, g_ptr_array_index (jobs, i));

  g_assert_false (run_export (export, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_true (g_str_has_prefix (error->message, "The disk is full"));
  contents = read_file (path);
  g_assert_cmpstr (contents, ==, "old\n");
  g_assert_cmpuint (count_entries (mnt), ==, 1);

  umount_command = g_strdup_printf ("umount %s", mnt);
  g_assert_true (g_spawn_command_line_sync (umount_command, NULL, NULL, &status, NULL));
}

/* A wrong key stops the whole export, and no file appears */
static void
test_export_unauthorized (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(VpClient) client = vp_client_new (vp_sandbox_get_base_url (fixture->sandbox), "wrong");
  g_autofree char *path = g_build_filename (fixture->dir, "out.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VpExport) export = vp_export_new (client, VP_EXPORT_FORMAT_CSV, file);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = vp_sandbox_dup_job_id (fixture->sandbox, i);
      vp_export_add_job_id (export, id);
    }

  g_assert_false (run_export (export, NULL, &error));
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (count_entries (fixture->dir), ==, 0);
}

/* Concurrency is bounded, connections reused, and an empty selection is
 * a file with only the header */
static void
test_export_empty (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "empty.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VpExport) export = vp_export_new (fixture->client, VP_EXPORT_FORMAT_CSV, file);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = NULL;

  if (!have_python ())
    return;

  g_assert_true (run_export (export, NULL, &error));
  g_assert_no_error (error);
  rows = check_csv_file (path, 0);
}

/* At most VP_EXPORT_MAX_CONCURRENT requests at once, on reused
 * connections, and the file in selection order although the server
 * answers the newest request first */
static void
test_export_concurrency (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(VpClient) client = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "order.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VpExport) export = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *contents = NULL;
  JsonArray *exported;
  const guint n = 40;

  server->hold = TRUE;
  client = vp_client_new (server->base_url, "k");
  export = vp_export_new (client, VP_EXPORT_FORMAT_JSON, file);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("job-%02u", i);
      g_autofree char *job = g_strdup_printf ("{\"id\":\"%s\",\"status\":\"completed\"}", id);
      g_autofree char *result = g_strdup_printf ("{\"transcript\":\"call %u\"}", i);

      server_add (server, id, job, result);
      vp_export_add_job_id (export, id);
    }

  g_assert_true (run_export (export, NULL, &error));
  g_assert_no_error (error);

  g_test_message ("at most %u requests at once, on %u connections",
                  server->max_held, g_hash_table_size (server->ports));
  g_assert_cmpuint (server->max_held, <=, VP_EXPORT_MAX_CONCURRENT);
  g_assert_cmpuint (server->max_held, >=, 2);
  g_assert_cmpuint (g_hash_table_size (server->ports), <=, VP_EXPORT_MAX_CONCURRENT);

  contents = read_file (path);
  root = json_from_string (contents, &error);
  g_assert_no_error (error);
  exported = json_object_get_array_member (json_node_get_object (root), "jobs");
  g_assert_cmpuint (json_array_get_length (exported), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *entry = json_array_get_object_element (exported, i);
      g_autofree char *id = g_strdup_printf ("job-%02u", i);
      g_autofree char *transcript = g_strdup_printf ("call %u", i);

      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "job"), "id"), ==, id);
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "result"), "transcript"), ==, transcript);
    }
}

/* The results of @n completed jobs, exported as CSV by a client that does
 * not retry by itself, against a sandbox that answers every result 429
 * with Retry-After: @retry_after */
static VpExport *
rate_limited_export_new (Fixture *fixture,
                         guint    n,
                         double   retry_after,
                         GFile   *file)
{
  g_autoptr(GPtrArray) jobs = test_list_jobs (fixture->client, 60, 0);
  g_autoptr(VpClient) client = vp_client_new (vp_sandbox_get_base_url (fixture->sandbox), API_KEY);
  VpExport *export;

  g_object_set (client, "max-retries", 0, NULL);
  export = vp_export_new (client, VP_EXPORT_FORMAT_CSV, file);
  for (guint i = 0; i < jobs->len && vp_export_get_n_total (export) < n; i++)
    if (vp_job_get_status (g_ptr_array_index (jobs, i)) == VP_JOB_STATUS_COMPLETED)
      vp_export_add_job (export, g_ptr_array_index (jobs, i));
  g_assert_cmpuint (vp_export_get_n_total (export), ==, n);

  vp_sandbox_set_fault_full (fixture->sandbox, VP_SANDBOX_FAULT_RATE_LIMIT, retry_after,
                             1.0, VP_SANDBOX_REQUESTS_RESULT);

  return export;
}

/* Answered 429 each time, a job is asked for three times in all, then
 * skipped with the reason; the file is still written */
static void
test_export_rate_limited (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "limited.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VpExport) export = rate_limited_export_new (fixture, 3, 1, file);
  g_autoptr(GError) error = NULL;
  const VpExportSkipped *skipped;
  guint n_skipped;

  g_assert_true (run_export (export, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (vp_sandbox_get_fault_count (fixture->sandbox), ==, 3 * 3);
  g_assert_cmpuint (vp_export_get_n_exported (export), ==, 0);
  skipped = vp_export_get_skipped (export, &n_skipped);
  g_assert_cmpuint (n_skipped, ==, 3);
  for (guint i = 0; i < n_skipped; i++)
    {
      g_assert_cmpstr (skipped[i].code, ==, "result-not-fetched");
      g_assert_nonnull (strstr (skipped[i].reason, "The result could not be fetched: "));
    }
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* Cancelled while it waits a minute to ask again, the export ends at
 * once, and the file is not written */
static void
test_export_cancel_while_waiting (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "waiting.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(VpExport) export = rate_limited_export_new (fixture, 4, 60, file);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vp_export_run_async (export, cancellable, test_store_result_cb, &result);
  /* Every job answered 429 once: all four wait */
  while (vp_sandbox_get_fault_count (fixture->sandbox) < 4)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);

  g_assert_false (vp_export_run_finish (export, test_wait_for_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (vp_sandbox_get_fault_count (fixture->sandbox), ==, 4);
  g_assert_cmpuint (vp_export_get_n_written (export), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_entries (fixture->dir), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/export/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("csv/generated", test_export_csv_generated);
  ADD ("json/generated", test_export_json_generated);
  ADD ("reference", test_export_reference);
  ADD ("formula", test_export_formula);
  ADD ("mixed", test_export_mixed);
  ADD ("mask", test_export_mask);
  /* More generated calls for the finder: other seeds */
  for (guint seed = 2; seed < 40; seed += 9)
    {
      g_autofree char *name = g_strdup_printf ("/export/mask/seed-%u", seed);
      g_test_add (name, Fixture, GUINT_TO_POINTER (seed), fixture_setup, test_export_mask, fixture_teardown);
    }
  ADD ("cancel", test_export_cancel);
  ADD ("rate-limited", test_export_rate_limited);
  ADD ("cancel-while-waiting", test_export_cancel_while_waiting);
  ADD ("unwritable", test_export_unwritable);
  ADD ("disk-full", test_export_disk_full);
  ADD ("unauthorized", test_export_unauthorized);
  ADD ("empty", test_export_empty);
  ADD ("concurrency", test_export_concurrency);
  ADD ("csv-reading", test_export_csv_reading);
#undef ADD

  return g_test_run ();
}

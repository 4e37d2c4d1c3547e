/* test-key-leaks.c: the API key goes to the configured origin and nowhere else
 *
 * With every log domain at debug level (G_MESSAGES_DEBUG=all) and every
 * message captured by a log writer of our own, the client, the job list
 * and the export run against the in-process sandbox under each fault it
 * can inject.  Then: the key is in no log line and no error message, the
 * foreign origin (redirects, result_url) never received it, exported
 * files do not contain it, and a crash prints it nowhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-key-leaks"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "vp-client.h"
#include "vp-error.h"
#include "vp-export.h"
#include "vp-job-list.h"
#include "vp-sandbox.h"
#include "test-util.h"

#define SECRET "kEy-9d2b7e61-leak-check"

static GString *captured;
G_LOCK_DEFINE_STATIC (captured);

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  G_LOCK (captured);
  for (gsize i = 0; i < n_fields; i++)
    {
      /* every field: the message, the domain, the code location */
      if (fields[i].length < 0)
        g_string_append (captured, fields[i].value);
      else
        g_string_append_len (captured, fields[i].value, fields[i].length);
      g_string_append_c (captured, ' ');
    }
  g_string_append_c (captured, '\n');
  G_UNLOCK (captured);

  /* Warnings and worse still reach the test's output (and stay fatal). */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

/* g_log() (g_debug(), g_message(), …) goes to the default handler, which
 * g_test_init() replaced with the test's own: captured there as well. */
static GLogFunc test_handler;
static gpointer test_handler_data;

static void
capture_handler (const char     *log_domain,
                 GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  G_LOCK (captured);
  g_string_append_printf (captured, "%s %s\n", log_domain ? log_domain : "", message);
  G_UNLOCK (captured);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    test_handler (log_domain, log_level, message, test_handler_data);
}

static void
assert_log_clean (void)
{
  G_LOCK (captured);
  /* The capture works: the client's and the sandbox's debug lines are in. */
  g_assert_nonnull (strstr (captured->str, "vp-client"));
  g_assert_nonnull (strstr (captured->str, "vp-sandbox"));
  if (strstr (captured->str, SECRET) != NULL)
    g_error ("The key is in the log:\n%s", captured->str);
  G_UNLOCK (captured);
}

static void
assert_error_clean (const GError *error)
{
  if (error != NULL)
    g_assert_null (strstr (error->message, SECRET));
}

static VpSandbox *
start_sandbox (void)
{
  g_autoptr(GError) error = NULL;
  VpSandbox *sandbox = vp_sandbox_new (21, 30, SECRET);

  g_assert_true (vp_sandbox_start_thread (sandbox, 0, &error));
  g_assert_no_error (error);

  return sandbox;
}

static void
assert_foreign_clean (VpSandbox *sandbox)
{
  g_auto(GStrv) keys = vp_sandbox_dup_keys_received (sandbox, TRUE);

  g_assert_cmpuint (g_strv_length (keys), ==, 0);
}

/* Everything the client does, once */
static void
exercise_client (VpClient   *client,
                 const char *job_id)
{
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(GAsyncResult) r4 = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(VpJob) job = NULL;
  g_autoptr(VpResult) result = NULL;
  g_autoptr(VpPricing) pricing = NULL;
  g_autoptr(GError) error = NULL;

  vp_client_list_jobs_async (client, 5, 0, NULL, test_store_result_cb, &r1);
  jobs = vp_client_list_jobs_finish (client, test_wait_for_result (&r1), &error);
  assert_error_clean (error);
  g_clear_error (&error);

  vp_client_get_job_async (client, job_id, NULL, test_store_result_cb, &r2);
  job = vp_client_get_job_finish (client, test_wait_for_result (&r2), &error);
  assert_error_clean (error);
  g_clear_error (&error);

  if (job != NULL)
    {
      vp_client_get_result_async (client, job, NULL, test_store_result_cb, &r3);
      result = vp_client_get_result_finish (client, test_wait_for_result (&r3), &error);
      assert_error_clean (error);
      g_clear_error (&error);
    }

  vp_client_get_pricing_async (client, NULL, test_store_result_cb, &r4);
  pricing = vp_client_get_pricing_finish (client, test_wait_for_result (&r4), &error);
  assert_error_clean (error);
}

static void
exercise_job_list (VpClient *client)
{
  g_autoptr(VpJobList) list = vp_job_list_new (client, 5);
  gint64 deadline = g_get_monotonic_time () + TEST_WAIT_SECONDS * G_USEC_PER_SEC;

  vp_job_list_load_more (list);
  while (vp_job_list_is_loading (list) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (vp_job_list_is_loading (list));
  if (vp_job_list_get_error (list) != NULL)
    assert_error_clean (vp_job_list_get_error (list));
}

/* Exports @job_id to a file and checks the file */
static void
exercise_export (VpClient       *client,
                 const char     *job_id,
                 VpExportFormat  format)
{
  g_autoptr(GFileIOStream) stream = NULL;
  g_autoptr(GFile) file = g_file_new_tmp ("key-leaks-XXXXXX", &stream, NULL);
  g_autoptr(VpExport) export = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  const VpExportSkipped *skipped;
  guint n_skipped = 0;

  g_assert_nonnull (file);
  g_io_stream_close (G_IO_STREAM (stream), NULL, NULL);

  export = vp_export_new (client, format, file);
  vp_export_add_job_id (export, job_id);
  vp_export_run_async (export, NULL, test_store_result_cb, &result);
  vp_export_run_finish (export, test_wait_for_result (&result), &error);
  assert_error_clean (error);

  skipped = vp_export_get_skipped (export, &n_skipped);
  for (guint i = 0; i < n_skipped; i++)
    g_assert_null (strstr (skipped[i].reason, SECRET));

  if (g_file_load_contents (file, NULL, &contents, &len, NULL, NULL))
    g_assert_null (g_strstr_len (contents, len, SECRET));

  g_file_delete (file, NULL, NULL);
}

static void
test_every_fault (void)
{
  g_autoptr(VpSandbox) sandbox = start_sandbox ();
  g_autoptr(VpClient) client = vp_client_new (vp_sandbox_get_base_url (sandbox), SECRET);
  g_autofree char *job_id = vp_sandbox_dup_job_id (sandbox, 4);

  g_assert_true (vp_sandbox_set_job_status (sandbox, job_id, "completed"));
  g_object_set (client, "retry-delay", 5, NULL);

  for (int fault = -1; fault < VP_SANDBOX_N_FAULTS; fault++)
    {
      vp_sandbox_clear_faults (sandbox);
      if (fault >= 0)
        {
          /* a 1 MB transcript and a quick trickle of small bodies are
           * enough here; test-faults has the big ones */
          double param = fault == VP_SANDBOX_FAULT_HUGE_TRANSCRIPT ? 1 :
                         fault == VP_SANDBOX_FAULT_TRICKLE ? 1 :
                         fault == VP_SANDBOX_FAULT_LATENCY ? 20 : -1;

          if (fault == VP_SANDBOX_FAULT_TRICKLE)
            vp_sandbox_set_fault_full (sandbox, fault, param, 1.0,
                                       VP_SANDBOX_REQUESTS_LIST | VP_SANDBOX_REQUESTS_PRICING);
          else
            vp_sandbox_set_fault (sandbox, fault, param);
        }
      g_test_message ("fault: %s", fault >= 0 ? vp_sandbox_fault_to_string (fault) : "none");

      exercise_client (client, job_id);
      exercise_job_list (client);
      exercise_export (client, job_id, VP_EXPORT_FORMAT_CSV);
      exercise_export (client, job_id, VP_EXPORT_FORMAT_JSON);
    }

  assert_log_clean ();
  assert_foreign_clean (sandbox);
  /* The key did go where it belongs. */
  {
    g_auto(GStrv) home = vp_sandbox_dup_keys_received (sandbox, FALSE);

    g_assert_true (g_strv_contains ((const char * const *) home, SECRET));
  }
  /* and the foreign origin was asked (redirects, result_url) */
  g_assert_cmpuint (vp_sandbox_get_foreign_request_count (sandbox), >, 0);
}

static void
test_foreign_origins (void)
{
  g_autoptr(VpSandbox) sandbox = start_sandbox ();
  g_autoptr(VpClient) client = vp_client_new (vp_sandbox_get_base_url (sandbox), SECRET);
  g_autofree char *job_id = vp_sandbox_dup_job_id (sandbox, 2);
  guint before;

  g_assert_true (vp_sandbox_set_job_status (sandbox, job_id, "completed"));

  /* Each way the server can name another origin, alone */
  vp_sandbox_set_fault (sandbox, VP_SANDBOX_FAULT_REDIRECT, -1);
  before = vp_sandbox_get_foreign_request_count (sandbox);
  exercise_client (client, job_id);
  g_assert_cmpuint (vp_sandbox_get_foreign_request_count (sandbox), >, before);
  assert_foreign_clean (sandbox);

  vp_sandbox_clear_faults (sandbox);
  vp_sandbox_set_fault (sandbox, VP_SANDBOX_FAULT_FOREIGN_RESULT_URL, -1);
  before = vp_sandbox_get_foreign_request_count (sandbox);
  exercise_client (client, job_id);
  exercise_export (client, job_id, VP_EXPORT_FORMAT_JSON);
  g_assert_cmpuint (vp_sandbox_get_foreign_request_count (sandbox), >, before);
  assert_foreign_clean (sandbox);

  /* A redirect on the result_url's way, too */
  vp_sandbox_set_fault (sandbox, VP_SANDBOX_FAULT_REDIRECT, -1);
  exercise_client (client, job_id);
  assert_foreign_clean (sandbox);
}

static void
test_echoed_key (void)
{
  g_autoptr(VpSandbox) sandbox = start_sandbox ();
  g_autoptr(VpClient) client = vp_client_new (vp_sandbox_get_base_url (sandbox), SECRET);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  /* The server repeats the key: the error message does not. */
  vp_sandbox_set_fault (sandbox, VP_SANDBOX_FAULT_ECHO_KEY, -1);
  vp_client_list_jobs_async (client, 5, 0, NULL, test_store_result_cb, &result);
  jobs = vp_client_list_jobs_finish (client, test_wait_for_result (&result), &error);
  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED);
  assert_error_clean (error);
  assert_log_clean ();
}

static void
test_crash (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(VpSandbox) sandbox = start_sandbox ();
      g_autoptr(VpClient) client = vp_client_new (vp_sandbox_get_base_url (sandbox), SECRET);
      char *value = NULL;

      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      exercise_client (client, "no-such-job");
      /* The key is write-only: reading it is refused, loudly. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      g_object_get (client, "api-key", &value, NULL);
      g_assert_null (value);
      g_error ("A crash while the client holds the key");
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*A crash while the client holds the key*");
  g_test_trap_assert_stderr_unmatched ("*" SECRET "*");
  g_test_trap_assert_stdout_unmatched ("*" SECRET "*");
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);

  g_test_init (&argc, &argv, NULL);

  captured = g_string_new (NULL);
  if (!g_test_subprocess ())
    {
      g_log_set_writer_func (capture_writer, NULL, NULL);
      test_handler = g_log_set_default_handler (capture_handler, NULL);
    }

  g_test_add_func ("/key-leaks/every-fault", test_every_fault);
  g_test_add_func ("/key-leaks/foreign-origins", test_foreign_origins);
  g_test_add_func ("/key-leaks/echoed-key", test_echoed_key);
  g_test_add_func ("/key-leaks/crash", test_crash);

  return g_test_run ();
}

/* test-audit.c: filters, the audit table, totals and export in the window
 *
 * Runs under a headless display (tests/headless.sh) against the in-process
 * sandbox.  The test fetches every result itself through a client of its
 * own and reads the raw bodies with json-glib to know what each filter
 * must list; waits are bounded main-loop iterations, never sleeps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-audit"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vp-audit-view-private.h"
#include "vp-client.h"
#include "vp-format.h"
#include "vp-sandbox.h"
#include "vp-window-private.h"
#include "test-util.h"
#include "test-widget-util.h"

#define TEST_KEY "audit-test-key"
#define TEST_SEED 5
#define TEST_JOBS 160

typedef struct {
  VpSandbox  *sandbox;
  VpClient   *client;
  VpClient   *probe;
  VpWindow   *window;
  GPtrArray  *jobs;       /* every job, newest first, from the probe */
  GHashTable *analyses;   /* id -> JsonObject "ai_analysis" (parsers kept) */
  GPtrArray  *parsers;
  char       *tmpdir;
} Fixture;

static void
probe_everything (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  for (guint offset = 0; offset < TEST_JOBS; offset += 100)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) page = NULL;

      vp_client_list_jobs_async (f->probe, 100, offset, NULL, test_store_result_cb, &result);
      WAIT_UNTIL (result != NULL);
      page = vp_client_list_jobs_finish (f->probe, result, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (f->jobs, g_object_ref (g_ptr_array_index (page, i)));
    }

  for (guint i = 0; i < f->jobs->len; i++)
    {
      VpJob *job = g_ptr_array_index (f->jobs, i);
      g_autoptr(GAsyncResult) async_result = NULL;
      g_autoptr(VpResult) result = NULL;
      JsonParser *parser;
      GBytes *bytes;
      JsonObject *root;

      if (vp_job_get_status (job) != VP_JOB_STATUS_COMPLETED)
        continue;

      vp_client_get_result_async (f->probe, job, NULL, test_store_result_cb, &async_result);
      WAIT_UNTIL (async_result != NULL);
      result = vp_client_get_result_finish (f->probe, async_result, &error);
      g_assert_no_error (error);

      parser = json_parser_new ();
      bytes = vp_result_get_bytes (result);
      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                                 g_bytes_get_size (bytes), &error));
      g_ptr_array_add (f->parsers, parser);
      root = json_node_get_object (json_parser_get_root (parser));
      if (json_object_has_member (root, "ai_analysis"))
        g_hash_table_insert (f->analyses, g_strdup (vp_job_get_id (job)),
                             json_object_get_object_member (root, "ai_analysis"));
    }
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = vp_sandbox_new (TEST_SEED, TEST_JOBS, TEST_KEY);
  g_assert_true (vp_sandbox_start_thread (f->sandbox, 0, &error));
  f->client = vp_client_new (vp_sandbox_get_base_url (f->sandbox), TEST_KEY);
  f->probe = vp_client_new (vp_sandbox_get_base_url (f->sandbox), TEST_KEY);
  f->jobs = g_ptr_array_new_with_free_func (g_object_unref);
  f->analyses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->parsers = g_ptr_array_new_with_free_func (g_object_unref);
  f->tmpdir = g_dir_make_tmp ("test-audit-XXXXXX", &error);
  g_assert_no_error (error);

  probe_everything (f);

  f->window = vp_window_new (NULL);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 760);
  vp_window_set_client (f->window, f->client, NULL);
  gtk_window_present (GTK_WINDOW (f->window));

  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (_vp_window_get_job_list (f->window))) > 0 &&
              !vp_job_list_is_loading (_vp_window_get_job_list (f->window)));
  /* The newest call opens once the list showing it was drawn */
  WAIT_UNTIL (_vp_window_get_shown_job_id (f->window) != NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_null (f->window);

  while (g_main_context_iteration (NULL, FALSE))
    ;

  if (f->tmpdir != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (f->tmpdir, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (f->tmpdir, name, NULL);
          g_remove (path);
        }
      g_rmdir (f->tmpdir);
      g_free (f->tmpdir);
    }
  g_clear_pointer (&f->analyses, g_hash_table_unref);
  g_clear_pointer (&f->parsers, g_ptr_array_unref);
  g_clear_pointer (&f->jobs, g_ptr_array_unref);
  g_clear_object (&f->probe);
  g_clear_object (&f->client);
  g_clear_object (&f->sandbox);
}

static gboolean
body_lacks_disclosure (JsonObject *analysis)
{
  JsonObject *compliance;

  if (analysis == NULL || !json_object_has_member (analysis, "compliance"))
    return FALSE;
  compliance = json_object_get_object_member (analysis, "compliance");

  return json_object_has_member (compliance, "recording_disclosure") &&
         !json_object_get_boolean_member (compliance, "recording_disclosure");
}

static gboolean
body_shares_card (JsonObject *analysis)
{
  JsonObject *compliance;
  JsonArray *kinds;

  if (analysis == NULL || !json_object_has_member (analysis, "compliance"))
    return FALSE;
  compliance = json_object_get_object_member (analysis, "compliance");
  if (!json_object_has_member (compliance, "sensitive_data_shared"))
    return FALSE;
  kinds = json_object_get_array_member (compliance, "sensitive_data_shared");
  for (guint i = 0; i < json_array_get_length (kinds); i++)
    if (g_strcmp0 (json_array_get_string_element (kinds, i), "credit card") == 0)
      return TRUE;

  return FALSE;
}

static gboolean
fetching_done (Fixture *f)
{
  VpResultCache *cache = _vp_window_get_result_cache (f->window);

  return vp_result_cache_get_n_in_flight (cache) == 0 &&
         vp_result_cache_get_n_queued (cache) == 0 &&
         !vp_job_list_is_loading (_vp_window_get_job_list (f->window)) &&
         !vp_job_list_has_more (_vp_window_get_job_list (f->window)) &&
         !_vp_window_is_filtering (f->window);
}

/* The filtered list holds exactly the jobs @truth picks. */
static void
assert_listed (Fixture  *f,
               gboolean (*truth) (JsonObject *analysis))
{
  GListModel *filtered = _vp_window_get_filtered (f->window);
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_expected = 0;

  for (guint i = 0; i < g_list_model_get_n_items (filtered); i++)
    {
      g_autoptr(VpJob) job = g_list_model_get_item (filtered, i);

      g_hash_table_add (listed, (gpointer) vp_job_get_id (job));
      g_assert_true (truth (g_hash_table_lookup (f->analyses, vp_job_get_id (job))));
    }

  for (guint i = 0; i < f->jobs->len; i++)
    {
      VpJob *job = g_ptr_array_index (f->jobs, i);

      if (truth (g_hash_table_lookup (f->analyses, vp_job_get_id (job))))
        {
          n_expected++;
          if (!g_hash_table_contains (listed, vp_job_get_id (job)))
            g_error ("job %s is missing from the filtered list", vp_job_get_id (job));
        }
    }

  g_assert_cmpuint (g_hash_table_size (listed), ==, n_expected);
  g_assert_cmpuint (n_expected, >, 0);
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(VpJobFilter) filter = vp_job_filter_new ();
  VpJobList *list = _vp_window_get_job_list (f->window);
  VpResultCache *cache = _vp_window_get_result_cache (f->window);
  guint n_requests;

  /* No filter: nothing fetched in the background */
  g_assert_cmpuint (vp_result_cache_get_n_queued (cache), ==, 0);

  vp_job_filter_set_disclosure (filter, VP_DISCLOSURE_FILTER_MISSING);
  _vp_window_set_filter (f->window, filter);

  /* Pages keep coming (all TEST_JOBS < SCAN_LIMIT), results arrive */
  WAIT_UNTIL (fetching_done (f));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, TEST_JOBS);
  g_assert_cmpuint (vp_result_cache_get_peak_in_flight (cache), <=, VP_RESULT_CACHE_DEFAULT_CONCURRENCY);
  assert_listed (f, body_lacks_disclosure);

  /* Another filter: the results are not fetched again (only results are
   * counted: the reader may check a pending job meanwhile) */
  n_requests = vp_sandbox_get_requests_for (f->sandbox, VP_SANDBOX_REQUESTS_RESULT);
  vp_job_filter_set_disclosure (filter, VP_DISCLOSURE_FILTER_ANY);
  vp_job_filter_set_sensitive (filter, VP_SENSITIVE_FILTER_CARD);
  _vp_window_set_filter (f->window, filter);
  WAIT_UNTIL (fetching_done (f));
  g_assert_cmpuint (vp_sandbox_get_requests_for (f->sandbox, VP_SANDBOX_REQUESTS_RESULT), ==, n_requests);
  assert_listed (f, body_shares_card);

  /* Nothing matches: the list says so and offers to clear */
  vp_job_filter_set_text (filter, "no call says zyzzyva");
  _vp_window_set_filter (f->window, filter);
  WAIT_UNTIL (fetching_done (f) && g_list_model_get_n_items (_vp_window_get_filtered (f->window)) == 0);
  WAIT_UNTIL (g_strcmp0 (_vp_window_get_list_state (f->window), "no-matches") == 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.clear-filters", NULL));
  WAIT_UNTIL (g_list_model_get_n_items (_vp_window_get_filtered (f->window)) == TEST_JOBS);
  g_assert_cmpstr (_vp_window_get_list_state (f->window), ==, "list");
}

static void
test_fetching_stops (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(VpJobFilter) filter = vp_job_filter_new ();
  VpResultCache *cache = _vp_window_get_result_cache (f->window);
  guint n_requests;

  vp_result_cache_set_max_concurrent (cache, 1);
  vp_job_filter_set_outcome (filter, "escalated");
  _vp_window_set_filter (f->window, filter);
  WAIT_UNTIL (vp_result_cache_get_n_results (cache) >= 3);

  /* The filter is cleared: the queue goes, what is on its way ends */
  _vp_window_set_filter (f->window, NULL);
  g_assert_cmpuint (vp_result_cache_get_n_queued (cache), ==, 0);
  WAIT_UNTIL (vp_result_cache_get_n_in_flight (cache) == 0);
  n_requests = vp_sandbox_get_requests_for (f->sandbox, VP_SANDBOX_REQUESTS_RESULT);
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (vp_sandbox_get_requests_for (f->sandbox, VP_SANDBOX_REQUESTS_RESULT), ==, n_requests);

  /* Again, and the window closes in the middle */
  _vp_window_set_filter (f->window, filter);
  g_assert_cmpuint (vp_result_cache_get_n_queued (cache) + vp_result_cache_get_n_in_flight (cache), >, 0);
  g_object_ref (cache);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_null (f->window);
  g_assert_cmpuint (vp_result_cache_get_n_queued (cache), ==, 0);
  WAIT_UNTIL (vp_result_cache_get_n_in_flight (cache) == 0);
  n_requests = vp_sandbox_get_requests_for (f->sandbox, VP_SANDBOX_REQUESTS_RESULT);
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (vp_sandbox_get_requests_for (f->sandbox, VP_SANDBOX_REQUESTS_RESULT), ==, n_requests);
  g_object_unref (cache);
}

static int
disclosure_rank (JsonObject *analysis)
{
  JsonObject *compliance;

  if (analysis == NULL || !json_object_has_member (analysis, "compliance"))
    return 3;
  compliance = json_object_get_object_member (analysis, "compliance");
  if (!json_object_has_member (compliance, "recording_disclosure"))
    return 1;

  return json_object_get_boolean_member (compliance, "recording_disclosure") ? 2 : 0;
}

static gboolean
body_payment (JsonObject *analysis,
              double     *amount)
{
  JsonObject *financial;
  JsonNode *node;

  if (analysis == NULL || !json_object_has_member (analysis, "financial"))
    return FALSE;
  financial = json_object_get_object_member (analysis, "financial");
  node = json_object_get_member (financial, "payment_today");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);

      while (*s != '\0' && !g_ascii_isdigit (*s) && *s != '-')
        s++;
      *amount = g_ascii_strtod (s, NULL);
    }
  else
    *amount = json_node_get_double (node);

  return TRUE;
}

/* Sorted by the disclosure: missing ones first, rows without a result last */
static void
assert_disclosure_order (Fixture     *f,
                         VpAuditView *audit)
{
  GListModel *sorted = vp_audit_view_get_sorted (audit);
  guint n_missing = 0;
  int last_rank = -1;

  for (guint i = 0; i < g_list_model_get_n_items (sorted); i++)
    {
      g_autoptr(VpJob) job = g_list_model_get_item (sorted, i);
      JsonObject *analysis = g_hash_table_lookup (f->analyses, vp_job_get_id (job));
      int r = analysis && json_object_has_member (analysis, "call_type") ? disclosure_rank (analysis) : 3;

      g_assert_cmpint (r, >=, last_rank);
      last_rank = r;
      if (r == 0)
        {
          g_autofree char *text = vp_audit_view_dup_cell_text (audit, i, "disclosure");

          g_assert_cmpstr (text, ==, "Missing");
          n_missing++;
        }
    }
  g_assert_cmpuint (n_missing, >, 0);
}

static void
test_audit_sorting (Fixture       *f,
                    gconstpointer  data)
{
  VpAuditView *audit = _vp_window_get_audit_view (f->window);
  GListModel *sorted = vp_audit_view_get_sorted (audit);
  double previous = -1;
  gboolean seen_without = FALSE;

  _vp_window_show_view (f->window, "audit");
  /* The audit table wants every result of the listed calls */
  WAIT_UNTIL (fetching_done (f));
  g_assert_cmpuint (g_list_model_get_n_items (sorted), ==, TEST_JOBS);

  /* It opens sorted by the disclosure, and sorts again as results come */
  WAIT_UNTIL (!_vp_audit_view_is_resort_pending (audit));
  assert_disclosure_order (f, audit);

  vp_audit_view_sort_by (audit, "disclosure", GTK_SORT_ASCENDING);
  assert_disclosure_order (f, audit);

  vp_audit_view_sort_by (audit, "payment", GTK_SORT_ASCENDING);
  for (guint i = 0; i < g_list_model_get_n_items (sorted); i++)
    {
      g_autoptr(VpJob) job = g_list_model_get_item (sorted, i);
      JsonObject *analysis = g_hash_table_lookup (f->analyses, vp_job_get_id (job));
      double amount;

      if (analysis != NULL && json_object_has_member (analysis, "call_type") && body_payment (analysis, &amount))
        {
          g_autofree char *text = vp_audit_view_dup_cell_text (audit, i, "payment");
          g_autofree char *expected = vp_format_money (amount);

          g_assert_false (seen_without);
          g_assert_cmpfloat (amount, >=, previous);
          g_assert_cmpstr (text, ==, expected);
          previous = amount;
        }
      else
        seen_without = TRUE;
    }
  g_assert_cmpfloat (previous, >, 0);

  /* Opening a row: the reader, on that call, on its compliance pane */
  {
    g_autoptr(VpJob) first = g_list_model_get_item (sorted, 0);

    vp_audit_view_activate_row (audit, 0);
    g_assert_cmpstr (_vp_window_get_view (f->window), ==, "calls");
    g_assert_cmpstr (_vp_window_get_shown_job_id (f->window), ==, vp_job_get_id (first));
    g_assert_cmpuint (_vp_window_get_pane (f->window), ==, 2);
  }
}

/* How many of the column titles in @header are whole: the box inside
 * each (its text and sort arrow) lies within the title, which clips it */
static guint
count_whole_titles (GtkWidget *header)
{
  guint n = 0;

  for (GtkWidget *title = gtk_widget_get_first_child (header);
       title != NULL;
       title = gtk_widget_get_next_sibling (title))
    {
      GtkWidget *content = gtk_widget_get_first_child (title);
      graphene_rect_t bounds;
      int natural;

      g_assert_nonnull (content);
      gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      g_assert_true (gtk_widget_compute_bounds (content, title, &bounds));
      n += gtk_widget_get_width (content) >= natural &&
           bounds.origin.x >= 0 &&
           bounds.origin.x + bounds.size.width <= gtk_widget_get_width (title);
    }

  return n;
}

/* No column title is cut off ("Pending Balance" was, by its column) */
static void
test_titles_fit (Fixture       *f,
                 gconstpointer  data)
{
  VpAuditView *audit = _vp_window_get_audit_view (f->window);
  GtkWidget *header;

  _vp_window_show_view (f->window, "audit");
  WAIT_UNTIL (fetching_done (f));

  header = test_find_by_css_name (GTK_WIDGET (audit), "header");
  g_assert_nonnull (header);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (GTK_COLUMN_VIEW (gtk_widget_get_parent (header)))),
                    ==, 9);

  WAIT_UNTIL (gtk_widget_get_width (header) > 0 && count_whole_titles (header) == 9);
  g_assert_cmpuint (count_whole_titles (header), ==, 9);

  /* Sorted by another column, its title gains the sort arrow */
  vp_audit_view_sort_by (audit, "pending", GTK_SORT_DESCENDING);
  WAIT_UNTIL (count_whole_titles (header) == 9);
  g_assert_cmpuint (count_whole_titles (header), ==, 9);
}

static void
test_totals (Fixture       *f,
             gconstpointer  data)
{
  GListModel *filtered = _vp_window_get_filtered (f->window);
  GtkSelectionModel *selection = _vp_window_get_selection (f->window);
  g_autofree char *expected = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *cost = NULL;
  double seconds = 0;
  gint64 cents = 0;
  guint n = g_list_model_get_n_items (filtered);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VpJob) job = g_list_model_get_item (filtered, i);

      seconds += MAX (vp_job_get_duration_seconds (job), 0);
      cents += MAX (vp_job_get_cost_cents (job), 0);
    }
  duration = vp_format_duration (seconds);
  cost = vp_format_cost_cents (cents);
  expected = g_strdup_printf ("%u calls · %s · %s", n, duration, cost);
  g_assert_cmpstr (_vp_window_get_totals_text (f->window), ==, expected);

  /* Several selected: their totals */
  gtk_selection_model_select_range (selection, 2, 3, TRUE);
  {
    g_autofree char *sel_expected = NULL;
    g_autofree char *sel_duration = NULL;
    g_autofree char *sel_cost = NULL;

    seconds = 0;
    cents = 0;
    for (guint i = 2; i < 5; i++)
      {
        g_autoptr(VpJob) job = g_list_model_get_item (filtered, i);

        seconds += MAX (vp_job_get_duration_seconds (job), 0);
        cents += MAX (vp_job_get_cost_cents (job), 0);
      }
    sel_duration = vp_format_duration (seconds);
    sel_cost = vp_format_cost_cents (cents);
    sel_expected = g_strdup_printf ("3 selected · %s · %s", sel_duration, sel_cost);
    g_assert_cmpstr (_vp_window_get_totals_text (f->window), ==, sel_expected);
  }

  /* The rates of /v1/pricing */
  WAIT_UNTIL (_vp_window_get_rates_text (f->window) != NULL);
  g_assert_nonnull (strstr (_vp_window_get_rates_text (f->window), "/h"));
}

static void
test_multi_select_and_export (Fixture       *f,
                              gconstpointer  data)
{
  GListModel *filtered = _vp_window_get_filtered (f->window);
  GtkSelectionModel *selection = _vp_window_get_selection (f->window);
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *contents = NULL;
  VpExportDialog *dialog;
  const char *failed_id = NULL, *pending_id = NULL;
  guint n_completed = 0;
  guint n_selected = 0;
  g_autoptr(GtkBitset) selected = NULL;

  /* A failed job, a queued/processing one and completed ones */
  gtk_selection_model_unselect_all (selection);
  for (guint i = 0; i < g_list_model_get_n_items (filtered) && (n_completed < 4 || !failed_id || !pending_id); i++)
    {
      g_autoptr(VpJob) job = g_list_model_get_item (filtered, i);
      VpJobStatus status = vp_job_get_status (job);

      if (status == VP_JOB_STATUS_FAILED && failed_id == NULL)
        failed_id = vp_job_get_id (job);
      else if ((status == VP_JOB_STATUS_PROCESSING || status == VP_JOB_STATUS_QUEUED) && pending_id == NULL)
        pending_id = vp_job_get_id (job);
      else if (status == VP_JOB_STATUS_COMPLETED && n_completed < 4)
        n_completed++;
      else
        continue;

      gtk_selection_model_select_item (selection, i, FALSE);
      n_selected++;
    }
  g_assert_nonnull (failed_id);
  g_assert_nonnull (pending_id);
  selected = gtk_selection_model_get_selection (selection);
  g_assert_cmpuint (gtk_bitset_get_size (selected), ==, n_selected);

  /* Selection mode shows check boxes; toggling it keeps the selection */
  g_object_set (f->window, "selection-mode", TRUE, NULL);

  path = g_build_filename (f->tmpdir, "calls.csv", NULL);
  file = g_file_new_for_path (path);
  dialog = _vp_window_export_to_file (f->window, file, VP_EXPORT_FORMAT_CSV, TRUE);
  g_assert_nonnull (dialog);
  WAIT_UNTIL (g_strcmp0 (vp_export_dialog_get_state (dialog), "done") == 0 ||
              g_strcmp0 (vp_export_dialog_get_state (dialog), "error") == 0);
  g_assert_cmpstr (vp_export_dialog_get_state (dialog), ==, "done");

  summary = vp_export_dialog_dup_summary (dialog);
  g_test_message ("%s", summary);
  g_assert_true (g_str_has_prefix (summary, "Exported 4 calls to calls.csv"));
  g_assert_nonnull (strstr (summary, "2 calls could not be exported"));
  g_assert_nonnull (strstr (summary, failed_id));
  g_assert_nonnull (strstr (summary, pending_id));

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, failed_id));
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF") || g_ascii_isalpha (contents[0]));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_export_unwritable (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/proc/no-such-dir/calls.json");
  g_autofree char *summary = NULL;
  VpExportDialog *dialog;

  dialog = _vp_window_export_to_file (f->window, file, VP_EXPORT_FORMAT_JSON, FALSE);
  g_assert_nonnull (dialog);
  WAIT_UNTIL (g_strcmp0 (vp_export_dialog_get_state (dialog), "progress") != 0);
  g_assert_cmpstr (vp_export_dialog_get_state (dialog), ==, "error");
  summary = vp_export_dialog_dup_summary (dialog);
  g_test_message ("%s", summary);
  g_assert_true (g_str_has_prefix (summary, "The calls could not be exported."));

  /* Closing the window takes the dialog with it */
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_null (f->window);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("TZ", "UTC", TRUE);

  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/audit/filters", test_filters);
  ADD ("/audit/fetching-stops", test_fetching_stops);
  ADD ("/audit/sorting", test_audit_sorting);
  ADD ("/audit/titles-fit", test_titles_fit);
  ADD ("/audit/totals", test_totals);
  ADD ("/audit/multi-select-and-export", test_multi_select_and_export);
  ADD ("/audit/export-unwritable", test_export_unwritable);

#undef ADD

  return g_test_run ();
}

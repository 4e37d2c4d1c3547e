/* test-window.c: the window against the in-process sandbox
 *
 * Runs under a headless display (tests/headless.sh).  The window talks real
 * HTTP to a sandbox served from its own thread; the test fetches the same
 * calls through a separate client of its own and compares what the widgets
 * show with what the server sent.  Waits are bounded main-loop iterations,
 * never sleeps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "vp-client.h"
#include "vp-filter-bar.h"
#include "vp-format.h"
#include "vp-job-view-private.h"
#include "vp-job-filter.h"
#include "vp-job-list.h"
#include "vp-job-row.h"
#include "vp-sandbox.h"
#include "vp-tooltip.h"
#include "vp-window-private.h"
#include "test-util.h"
#include "test-widget-util.h"

#define TEST_KEY "window-test-key"
#define TEST_SEED 7
#define TEST_JOBS 300

typedef struct {
  VpSandbox *sandbox;
  VpClient  *client;   /* the window's */
  VpClient  *probe;    /* the test's own */
  VpWindow  *window;
  GPtrArray *first_page;
} Fixture;

typedef enum {
  WANT_PRO_WITH_MONEY,
  WANT_PRO,
  WANT_LITE,
} Want;

/* The @skip-th completed job of the first page whose result is what we
 * want; the result is returned in @out_result. */
static VpJob *
find_completed (Fixture   *f,
                Want       want,
                guint      skip,
                VpResult **out_result)
{
  for (guint i = 0; i < f->first_page->len; i++)
    {
      VpJob *job = g_ptr_array_index (f->first_page, i);
      g_autoptr(VpResult) result = NULL;
      VpAnalysis *analysis;
      gboolean match;

      if (vp_job_get_status (job) != VP_JOB_STATUS_COMPLETED)
        continue;

      result = test_get_result (f->probe, job);
      analysis = vp_result_get_analysis (result);
      if (analysis == NULL)
        continue;

      switch (want)
        {
        case WANT_PRO_WITH_MONEY:
          match = !vp_analysis_is_lite (analysis) && vp_analysis_discusses_money (analysis);
          break;
        case WANT_PRO:
          match = !vp_analysis_is_lite (analysis) && vp_analysis_get_call_summary (analysis) != NULL;
          break;
        case WANT_LITE:
        default:
          match = vp_analysis_is_lite (analysis);
          break;
        }

      if (match && skip-- == 0)
        {
          if (out_result != NULL)
            *out_result = g_steal_pointer (&result);
          return job;
        }
    }

  return NULL;
}

static VpJob *
find_with_status (Fixture     *f,
                  VpJobStatus  status)
{
  for (guint i = 0; i < f->first_page->len; i++)
    {
      VpJob *job = g_ptr_array_index (f->first_page, i);

      if (vp_job_get_status (job) == status)
        return job;
    }

  return NULL;
}

static char *
field (Fixture    *f,
       const char *pane,
       const char *name)
{
  return _vp_window_dup_field_text (f->window, pane, name);
}

static void
assert_field (Fixture    *f,
              const char *pane,
              const char *name,
              const char *expected)
{
  g_autofree char *text = field (f, pane, name);

  if (expected == NULL)
    expected = "Not given";

  g_assert_cmpstr (text, ==, expected);
}

static void
assert_field_ci (Fixture    *f,
                 const char *pane,
                 const char *name,
                 const char *expected)
{
  g_autofree char *text = field (f, pane, name);

  if (expected == NULL)
    expected = "Not given";

  g_assert_nonnull (text);
  if (g_ascii_strcasecmp (text, expected) != 0)
    g_error ("%s.%s shows “%s”, expected “%s”", pane, name, text, expected);
}

static void
assert_list_field (Fixture            *f,
                   const char         *name,
                   const char * const *items)
{
  g_autofree char *text = field (f, "overview", name);

  if (items == NULL)
    {
      g_assert_cmpstr (text, ==, "Not given");
      return;
    }

  if (items[0] == NULL)
    {
      g_assert_cmpstr (text, ==, "None");
      return;
    }

  for (guint i = 0; items[i] != NULL; i++)
    g_assert_nonnull (strstr (text, items[i]));
}

static gboolean
view_shows (Fixture    *f,
            const char *state,
            const char *job_id)
{
  return g_strcmp0 (_vp_window_get_view_state (f->window), state) == 0 &&
         g_strcmp0 (_vp_window_get_shown_job_id (f->window), job_id) == 0;
}

static void
select_job (Fixture    *f,
            const char *job_id)
{
  g_assert_true (_vp_window_select_job (f->window, job_id));
}

static void
fixture_set_up_with_key (Fixture    *f,
                         const char *window_key)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = vp_sandbox_new (TEST_SEED, TEST_JOBS, TEST_KEY);
  g_assert_true (vp_sandbox_start_thread (f->sandbox, 0, &error));
  g_assert_no_error (error);

  f->client = vp_client_new (vp_sandbox_get_base_url (f->sandbox), window_key);
  f->probe = vp_client_new (vp_sandbox_get_base_url (f->sandbox), TEST_KEY);

  f->window = vp_window_new (NULL);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 760);
  vp_window_set_client (f->window, f->client, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  VpJobList *list;

  fixture_set_up_with_key (f, TEST_KEY);

  list = _vp_window_get_job_list (f->window);
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (list)) > 0 &&
              !vp_job_list_is_loading (list));

  f->first_page = test_list_jobs (f->probe, g_list_model_get_n_items (G_LIST_MODEL (list)), 0);
}

static void
fixture_set_up_wrong_key (Fixture       *f,
                          gconstpointer  data)
{
  fixture_set_up_with_key (f, "not-the-key");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_null (f->window);

  /* Let the cancelled requests come back before the sandbox goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_clear_pointer (&f->first_page, g_ptr_array_unref);
  g_clear_object (&f->probe);
  g_clear_object (&f->client);
  g_clear_object (&f->sandbox);
}

static void
test_list_fills_and_pages (Fixture       *f,
                           gconstpointer  data)
{
  VpJobList *list = _vp_window_get_job_list (f->window);
  GListModel *model = G_LIST_MODEL (list);
  GtkAdjustment *adjustment = _vp_window_get_vadjustment (f->window);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_before;

  n_before = g_list_model_get_n_items (model);
  g_assert_cmpuint (n_before, >, 0);
  g_assert_true (vp_job_list_has_more (list));

  /* The rows are the jobs the server lists, newest first. */
  for (guint i = 0; i < f->first_page->len; i++)
    {
      g_autoptr(VpJob) job = g_list_model_get_item (model, i);

      g_assert_cmpstr (vp_job_get_id (job), ==,
                       vp_job_get_id (g_ptr_array_index (f->first_page, i)));
    }

  /* The first job is selected and shown once the list showing it was
   * drawn (the frame after the first page arrived). */
  WAIT_UNTIL (gtk_selection_model_is_selected (_vp_window_get_selection (f->window), 0));

  /* Scrolling to the end brings the next page. */
  WAIT_UNTIL (gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment));
  WAIT_UNTIL (g_strcmp0 (_vp_window_get_footer_state (f->window), "more") == 0);
  gtk_adjustment_set_value (adjustment,
                            gtk_adjustment_get_upper (adjustment) -
                            gtk_adjustment_get_page_size (adjustment));
  WAIT_UNTIL (g_list_model_get_n_items (model) > n_before &&
              !vp_job_list_is_loading (list));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(VpJob) job = g_list_model_get_item (model, i);

      g_assert_true (g_hash_table_add (seen, (gpointer) vp_job_get_id (job)));
    }
}

static const char *
disclosure_text (VpDisclosure disclosure)
{
  switch (disclosure)
    {
    case VP_DISCLOSURE_MADE:
      return "Recording disclosure given";
    case VP_DISCLOSURE_MISSING:
      return "No recording disclosure";
    case VP_DISCLOSURE_NOT_GIVEN:
    default:
      return "Not stated";
    }
}

static void
assert_money (Fixture      *f,
              VpAnalysis   *analysis,
              VpMoneyField  money_field,
              const char   *name)
{
  g_autofree char *expected = NULL;
  double amount;

  if (vp_analysis_get_money (analysis, money_field, &amount))
    {
      g_autofree char *text = field (f, "financial", name);

      expected = vp_format_money (amount);
      g_assert_cmpstr (text, ==, expected);
      g_assert_nonnull (strchr (text, '$'));
    }
  else
    assert_field (f, "financial", name, NULL);
}

static void
test_pro_call (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(VpResult) result = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *conversation = NULL;
  g_autofree char *sensitive = NULL;
  const char * const *kinds;
  VpAnalysis *analysis;
  VpJob *job;

  job = find_completed (f, WANT_PRO_WITH_MONEY, 0, &result);
  g_assert_nonnull (job);
  analysis = vp_result_get_analysis (result);

  select_job (f, vp_job_get_id (job));
  WAIT_UNTIL (view_shows (f, "result", vp_job_get_id (job)));

  /* Header */
  assert_field (f, "header", "id_label", vp_job_get_id (job));
  assert_field (f, "header", "status_label", "Completed");
  assert_field (f, "header", "model_label", vp_job_get_model (job));
  cost = vp_format_cost_cents (vp_job_get_cost_cents (job));
  assert_field (f, "header", "cost_label", cost);

  /* Overview */
  assert_field (f, "overview", "stack", "content");
  assert_field (f, "overview", "call_summary", vp_analysis_get_call_summary (analysis));
  assert_field_ci (f, "overview", "call_type", vp_analysis_get_call_type (analysis));
  assert_field_ci (f, "overview", "call_outcome", vp_analysis_get_call_outcome (analysis));
  assert_field_ci (f, "overview", "customer_sentiment", vp_analysis_get_customer_sentiment (analysis));
  assert_field_ci (f, "overview", "agent_performance", vp_analysis_get_agent_performance (analysis));
  assert_field (f, "overview", "customer_name", vp_analysis_get_customer_name (analysis));
  assert_field (f, "overview", "customer_company", vp_analysis_get_customer_company (analysis));
  assert_field (f, "overview", "customer_email", vp_analysis_get_customer_email (analysis));
  assert_field (f, "overview", "customer_phone", vp_analysis_get_customer_phone (analysis));
  assert_field (f, "overview", "agent_name", vp_analysis_get_agent_name (analysis));
  assert_field (f, "overview", "agent_department", vp_analysis_get_agent_department (analysis));
  assert_field (f, "overview", "agent_id", vp_analysis_get_agent_id (analysis));
  assert_list_field (f, "key_issues", vp_analysis_get_key_issues (analysis));
  assert_list_field (f, "action_items", vp_analysis_get_action_items (analysis));
  assert_list_field (f, "agreements", vp_analysis_get_agreements (analysis));

  /* Transcript: the conversation has the words without the "Agent:"
   * labels; the raw transcript is the server's. */
  assert_field (f, "transcript", "stack", "content");
  conversation = field (f, "transcript", "conversation_view");
  g_assert_nonnull (strstr (conversation, "Agent\n"));
  g_assert_nonnull (strstr (conversation, "Customer\n"));
  g_assert_null (strstr (conversation, "Agent:"));
  {
    g_autoptr(GPtrArray) turns = vp_split_turns (vp_analysis_get_transcript_cleaned (analysis));

    g_assert_cmpuint (turns->len, >, 1);
    for (guint i = 0; i < turns->len; i++)
      g_assert_nonnull (strstr (conversation, ((VpTurn *) g_ptr_array_index (turns, i))->text));
  }
  assert_field (f, "transcript", "raw_view", vp_result_get_transcript (result));
  {
    g_autofree char *segments = field (f, "transcript", "segments_view");
    guint n_segments = 0;
    const VpSegment *segment = vp_result_get_segments (result, &n_segments);

    if (n_segments > 0)
      {
        g_autofree char *start = vp_format_offset (segment[0].start);

        g_assert_true (g_str_has_prefix (segments, start));
        g_assert_nonnull (strstr (segments, segment[0].text));
      }
  }

  /* Compliance */
  assert_field (f, "compliance", "stack", "content");
  assert_field (f, "compliance", "disclosure_label",
                disclosure_text (vp_analysis_get_recording_disclosure (analysis)));
  sensitive = field (f, "compliance", "sensitive_box");
  kinds = vp_analysis_get_sensitive_data_shared (analysis);
  if (kinds == NULL)
    g_assert_cmpstr (sensitive, ==, "Not given");
  else if (kinds[0] == NULL)
    g_assert_cmpstr (sensitive, ==, "No sensitive data shared");
  else
    for (guint i = 0; kinds[i] != NULL; i++)
      g_assert_nonnull (strstr (sensitive, kinds[i]));

  /* Financial */
  assert_field (f, "financial", "stack", "content");
  assert_money (f, analysis, VP_MONEY_PAYMENT_TODAY, "payment_today");
  assert_money (f, analysis, VP_MONEY_RECURRING_AMOUNT, "recurring_amount");
  assert_money (f, analysis, VP_MONEY_PENDING_BALANCE, "pending_balance");
  if (vp_analysis_get_payment_method (analysis) == NULL)
    assert_field (f, "financial", "payment_method", NULL);
  else
    assert_field_ci (f, "financial", "payment_method", vp_analysis_get_payment_method (analysis));
}

static void
test_lite_call (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(VpResult) result = NULL;
  g_autofree char *conversation = NULL;
  VpJob *job;

  job = find_completed (f, WANT_LITE, 0, &result);
  if (job == NULL)
    {
      g_test_skip ("no Lite call on the first page of this sandbox");
      return;
    }

  select_job (f, vp_job_get_id (job));
  WAIT_UNTIL (view_shows (f, "result", vp_job_get_id (job)));

  assert_field (f, "overview", "stack", "lite");
  assert_field (f, "compliance", "stack", "lite");
  assert_field (f, "financial", "stack", "lite");
  assert_field (f, "transcript", "stack", "content");

  conversation = field (f, "transcript", "conversation_view");
  g_assert_cmpuint (strlen (conversation), >, 0);
}

static void
test_failed_call (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(VpJob) details = NULL;
  VpJob *job;

  job = find_with_status (f, VP_JOB_STATUS_FAILED);
  g_assert_nonnull (job);
  details = test_get_job (f->probe, vp_job_get_id (job));
  g_assert_nonnull (vp_job_get_error (details));

  select_job (f, vp_job_get_id (job));
  WAIT_UNTIL (view_shows (f, "failed", vp_job_get_id (job)));

  assert_field (f, "view", "failed_placeholder", vp_job_get_error (details));
  assert_field (f, "header", "status_label", "Failed");
}

static void
test_processing_completes (Fixture       *f,
                           gconstpointer  data)
{
  VpJobList *list = _vp_window_get_job_list (f->window);
  g_autofree char *job_id = NULL;
  VpJob *job;
  VpJob *listed;

  job = find_with_status (f, VP_JOB_STATUS_PROCESSING);
  if (job == NULL)
    job = find_with_status (f, VP_JOB_STATUS_QUEUED);
  g_assert_nonnull (job);
  job_id = g_strdup (vp_job_get_id (job));

  select_job (f, job_id);
  WAIT_UNTIL (view_shows (f, "pending", job_id));
  g_assert_cmpuint (_vp_window_get_poll_delay (f->window), ==, 2);

  g_assert_true (vp_sandbox_set_job_status (f->sandbox, job_id, "completed"));
  WAIT_UNTIL (view_shows (f, "result", job_id));

  /* The row follows: the list's own job was updated. */
  listed = vp_job_list_find (list, job_id, NULL);
  g_assert_nonnull (listed);
  g_assert_cmpint (vp_job_get_status (listed), ==, VP_JOB_STATUS_COMPLETED);
  assert_field (f, "header", "status_label", "Completed");
}

static void
test_unauthorized_keeps_list (Fixture       *f,
                              gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (_vp_window_get_job_list (f->window));
  const char *shown;
  guint n_items;

  WAIT_UNTIL (g_strcmp0 (_vp_window_get_view_state (f->window), "result") == 0 ||
              g_strcmp0 (_vp_window_get_view_state (f->window), "pending") == 0 ||
              g_strcmp0 (_vp_window_get_view_state (f->window), "failed") == 0);
  shown = _vp_window_get_shown_job_id (f->window);
  n_items = g_list_model_get_n_items (model);
  g_assert_false (_vp_window_get_banner_revealed (f->window));

  /* The key stops working: the banner says so, nothing is lost. */
  vp_client_set_api_key (f->client, "revoked-key");
  vp_window_refresh (f->window);
  WAIT_UNTIL (_vp_window_get_banner_revealed (f->window));
  g_assert_cmpstr (_vp_window_get_banner_text (f->window), ==, "The server rejected the API key.");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_items);
  g_assert_cmpstr (_vp_window_get_shown_job_id (f->window), ==, shown);
  g_assert_cmpstr (_vp_window_get_page (f->window), ==, "browser");

  /* Another key, and it works again. */
  _vp_window_use_api_key (f->window, TEST_KEY);
  WAIT_UNTIL (!_vp_window_get_banner_revealed (f->window) &&
              !vp_job_list_is_loading (_vp_window_get_job_list (f->window)));
  g_assert_null (vp_job_list_get_error (_vp_window_get_job_list (f->window)));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_items);
}

static void
test_unauthorized_from_start (Fixture       *f,
                              gconstpointer  data)
{
  VpJobList *list = _vp_window_get_job_list (f->window);
  GtkWidget *button;
  GtkWidget *entry;

  WAIT_UNTIL (_vp_window_get_banner_revealed (f->window));
  g_assert_cmpstr (_vp_window_get_banner_text (f->window), ==, "The server rejected the API key.");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_cmpstr (_vp_window_get_footer_state (f->window), ==, "error");
  /* No call comes: the empty state shows, once the window is drawn */
  WAIT_UNTIL (g_strcmp0 (_vp_window_get_view_state (f->window), "empty") == 0);

  /* The field for another key is made when asked for, then typed in */
  g_assert_null (test_find_of_type (GTK_WIDGET (f->window), GTK_TYPE_PASSWORD_ENTRY));
  button = test_find_button (GTK_WIDGET (f->window), "_Enter Another Key");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  entry = test_find_of_type (GTK_WIDGET (f->window), GTK_TYPE_PASSWORD_ENTRY);
  g_assert_nonnull (entry);
  g_assert_true (gtk_widget_is_visible (entry));
  g_assert_false (gtk_widget_get_visible (button));
  gtk_editable_set_text (GTK_EDITABLE (entry), TEST_KEY);
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (list)) > 0);
  g_assert_false (_vp_window_get_banner_revealed (f->window));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (entry)));
}

static void
test_quick_switch (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(VpResult) result_a = NULL;
  g_autoptr(VpResult) result_b = NULL;
  g_autoptr(VpResult) result_c = NULL;
  VpJob *a, *b, *c;
  const char *summary_c;

  a = find_completed (f, WANT_PRO, 0, &result_a);
  b = find_completed (f, WANT_PRO, 1, &result_b);
  c = find_completed (f, WANT_PRO, 2, &result_c);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_nonnull (c);
  summary_c = vp_analysis_get_call_summary (vp_result_get_analysis (result_c));

  /* Let A start loading, then move on twice before anything comes back. */
  select_job (f, vp_job_get_id (a));
  select_job (f, vp_job_get_id (b));
  select_job (f, vp_job_get_id (c));
  g_assert_cmpstr (_vp_window_get_shown_job_id (f->window), ==, vp_job_get_id (c));

  WAIT_UNTIL (view_shows (f, "result", vp_job_get_id (c)) && !_vp_window_is_view_busy (f->window));
  assert_field (f, "overview", "call_summary", summary_c);
  assert_field (f, "header", "id_label", vp_job_get_id (c));

  /* And back to A, then C again, with A's answer arriving late. */
  select_job (f, vp_job_get_id (a));
  select_job (f, vp_job_get_id (c));
  WAIT_UNTIL (view_shows (f, "result", vp_job_get_id (c)) && !_vp_window_is_view_busy (f->window));
  assert_field (f, "overview", "call_summary", summary_c);
}

/* A call that is slow to load shows a spinner after a moment, and keeps
 * it until the call is shown: its status and then its result are each
 * slow here, and the spinner must not go between the two */
static void
test_spinner_after_a_moment (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(VpResult) result = NULL;
  VpJob *job;

  job = find_completed (f, WANT_PRO, 3, &result);
  g_assert_nonnull (job);

  vp_sandbox_set_fault_full (f->sandbox, VP_SANDBOX_FAULT_LATENCY, 1500, 1,
                             VP_SANDBOX_REQUESTS_JOB | VP_SANDBOX_REQUESTS_RESULT);
  select_job (f, vp_job_get_id (job));
  g_assert_true (view_shows (f, "loading", vp_job_get_id (job)));
  g_assert_false (_vp_window_is_view_spinner_shown (f->window));

  WAIT_UNTIL (_vp_window_is_view_spinner_shown (f->window));
  g_assert_true (view_shows (f, "loading", vp_job_get_id (job)));

  /* Until the result is in, the spinner stays */
  WAIT_UNTIL (!_vp_window_is_view_spinner_shown (f->window));
  g_assert_true (view_shows (f, "result", vp_job_get_id (job)));
  vp_sandbox_clear_faults (f->sandbox);
}

static void
test_pane_keyboard (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *widget = GTK_WIDGET (f->window);

  g_assert_true (gtk_widget_activate_action (widget, "win.show-pane", "i", 2));
  g_assert_cmpuint (_vp_window_get_pane (f->window), ==, 2);
  g_assert_true (gtk_widget_activate_action (widget, "win.next-pane", NULL));
  g_assert_cmpuint (_vp_window_get_pane (f->window), ==, 3);
  g_assert_true (gtk_widget_activate_action (widget, "win.next-pane", NULL));
  g_assert_cmpuint (_vp_window_get_pane (f->window), ==, 0);
  g_assert_true (gtk_widget_activate_action (widget, "win.previous-pane", NULL));
  g_assert_cmpuint (_vp_window_get_pane (f->window), ==, 3);
  g_assert_true (gtk_widget_activate_action (widget, "win.show-pane", "i", 0));
  g_assert_cmpuint (_vp_window_get_pane (f->window), ==, 0);
}

/* A call's four panes, with a call of the sandbox that has money, fit
 * the window's smallest size (800×600, see test-settings'
 * /settings/minimum-size): none of them may make the window wider or
 * taller. */
static void
test_call_fits_minimum (Fixture       *f,
                        gconstpointer  data)
{
  GtkWidget *widget = GTK_WIDGET (f->window);
  g_autoptr(VpResult) result = NULL;
  VpJob *job;

  job = find_completed (f, WANT_PRO_WITH_MONEY, 0, &result);
  g_assert_nonnull (job);
  select_job (f, vp_job_get_id (job));
  WAIT_UNTIL (view_shows (f, "result", vp_job_get_id (job)));

  for (int pane = 0; pane < 4; pane++)
    {
      GtkRequisition minimum;

      g_assert_true (gtk_widget_activate_action (widget, "win.show-pane", "i", pane));
      gtk_widget_get_preferred_size (widget, &minimum, NULL);
      g_test_message ("pane %d: the window needs %d×%d", pane, minimum.width, minimum.height);
      if (minimum.width > 800 || minimum.height > 600)
        {
          test_report_wide (widget, 0);
          g_test_fail_printf ("pane %d: the window needs %d×%d, more than 800×600",
                              pane, minimum.width, minimum.height);
        }
    }
}

static void
test_refresh_keeps_selection (Fixture       *f,
                              gconstpointer  data)
{
  VpJobList *list = _vp_window_get_job_list (f->window);
  GtkSelectionModel *selection = _vp_window_get_selection (f->window);
  g_autofree char *job_id = NULL;
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(VpJob) at_5 = NULL;
  g_autoptr(VpJob) at_8 = NULL;

  at_5 = g_list_model_get_item (G_LIST_MODEL (selection), 5);
  job_id = g_strdup (vp_job_get_id (at_5));
  select_job (f, job_id);
  g_assert_true (gtk_selection_model_is_selected (selection, 5));

  vp_sandbox_add_jobs (f->sandbox, 3);
  vp_window_refresh (f->window);
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (list)) == n_items + 3 &&
              !vp_job_list_is_loading (list));

  selected = gtk_selection_model_get_selection (selection);
  g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 1);
  g_assert_true (gtk_selection_model_is_selected (selection, 8));
  at_8 = g_list_model_get_item (G_LIST_MODEL (selection), 8);
  g_assert_cmpstr (vp_job_get_id (at_8), ==, job_id);
  g_assert_cmpstr (_vp_window_get_shown_job_id (f->window), ==, job_id);
}

static void
test_split_turns (void)
{
  static const struct {
    const char *text;
    guint       n_turns;
    VpSpeaker   first;
    const char *first_text;
  } cases[] = {
    { "Agent: Hello. Customer: Hi there. Agent: Bye.", 3, VP_SPEAKER_AGENT, "Hello." },
    { "Agent: Hello.\nCustomer: Hi there.\n", 2, VP_SPEAKER_AGENT, "Hello." },
    { "Customer:Hi.\n\nAgent:   Yes?", 2, VP_SPEAKER_CUSTOMER, "Hi." },
    { "No labels at all.", 1, VP_SPEAKER_NONE, "No labels at all." },
    { "Intro. Agent: Hi. SecretAgent: not a label", 2, VP_SPEAKER_NONE, "Intro." },
    { "", 0, VP_SPEAKER_NONE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) turns = vp_split_turns (cases[i].text);

      g_assert_cmpuint (turns->len, ==, cases[i].n_turns);
      if (turns->len > 0)
        {
          VpTurn *turn = g_ptr_array_index (turns, 0);

          g_assert_cmpint (turn->speaker, ==, cases[i].first);
          g_assert_cmpstr (turn->text, ==, cases[i].first_text);
        }
    }
}

static void
test_format (void)
{
  g_autofree char *d1 = vp_format_duration (754);
  g_autofree char *d2 = vp_format_duration (3723);
  g_autofree char *d3 = vp_format_duration (-1);
  g_autofree char *c1 = vp_format_cost_cents (30);
  g_autofree char *c2 = vp_format_cost_cents (-1);

  g_assert_cmpstr (d1, ==, "12:34");
  g_assert_cmpstr (d2, ==, "1:02:03");
  g_assert_null (d3);
  g_assert_cmpstr (c1, ==, "$0.30");
  g_assert_null (c2);

  /* Kinds of personal data: known ones translated (here: as they are),
   * unknown ones as the server says them */
  {
    const char * const kinds[] = { "SSN (last 4)", "Credit Card", "voice print", NULL };
    g_autofree char *joined = vp_format_sensitive_kinds (kinds);

    g_assert_cmpstr (joined, ==, "SSN (last 4), credit card, voice print");
    g_assert_null (vp_format_sensitive_kind (""));
  }
}

/* The window shows once its first page is in, drawn with it; a server
 * slower than the wait gets the window, loading, when the wait is over. */
static void
test_present_when_listed (void)
{
  g_autoptr(VpSandbox) sandbox = vp_sandbox_new (TEST_SEED, TEST_JOBS, TEST_KEY);
  g_autoptr(VpClient) client = NULL;
  g_autoptr(GError) error = NULL;
  VpWindow *window;
  VpJobList *list;

  g_assert_true (vp_sandbox_start_thread (sandbox, 0, &error));
  g_assert_no_error (error);
  client = vp_client_new (vp_sandbox_get_base_url (sandbox), TEST_KEY);

  /* Quick server: not shown before the page is in, shown once it is */
  window = vp_window_new (NULL);
  vp_window_set_client (window, client, NULL);
  list = _vp_window_get_job_list (window);
  vp_window_present_when_listed (window, 60 * 1000);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >, 0);
  g_assert_false (vp_job_list_is_loading (list));
  gtk_window_destroy (GTK_WINDOW (window));

  /* Slow server: shown when the wait is over, still loading */
  vp_sandbox_set_fault (sandbox, VP_SANDBOX_FAULT_LATENCY, 60000);
  window = vp_window_new (NULL);
  vp_window_set_client (window, client, NULL);
  list = _vp_window_get_job_list (window);
  vp_window_present_when_listed (window, 50);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_true (vp_job_list_is_loading (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
  vp_sandbox_clear_faults (sandbox);
}

typedef struct {
  VpWindow   *window;
  GListModel *filtered;
  guint       first_listed;   /* jobs the list was first given */
  guint       rows_drawn;     /* rows in the list view in its first frame with some */
  char       *first_view_state; /* the call view's, in that frame */
  gboolean    first_icon;     /* the window had its icon in that frame */
  gboolean    empty_shown;    /* the call view said "No Call Selected" */
  gboolean    filled;         /* its rows filled the list, or were all there were */
} FirstFrame;

static void
on_first_listed_cb (GListModel *filtered,
                    guint       position,
                    guint       removed,
                    guint       added,
                    FirstFrame *ff)
{
  if (ff->first_listed == 0)
    ff->first_listed = g_list_model_get_n_items (filtered);
}

static guint
count_descendants (GtkWidget *widget,
                   GType      type)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += G_TYPE_CHECK_INSTANCE_TYPE (child, type) + count_descendants (child, type);

  return n;
}

static void
on_first_frame_paint_cb (GdkFrameClock *clock,
                         FirstFrame    *ff)
{
  if (ff->rows_drawn == 0)
    {
      ff->rows_drawn = count_descendants (GTK_WIDGET (_vp_window_get_list_view (ff->window)),
                                          VP_TYPE_JOB_ROW);
      if (ff->rows_drawn > 0)
        {
          GtkWidget *list_view = GTK_WIDGET (_vp_window_get_list_view (ff->window));
          double bottom = 0;

          for (GtkWidget *child = gtk_widget_get_first_child (list_view);
               child != NULL;
               child = gtk_widget_get_next_sibling (child))
            {
              graphene_rect_t bounds;

              if (gtk_widget_compute_bounds (child, list_view, &bounds))
                bottom = MAX (bottom, bounds.origin.y + bounds.size.height);
            }
          g_test_message ("first frame: rows to %.0f px of %d", bottom, gtk_widget_get_height (list_view));
          ff->filled = bottom >= gtk_widget_get_height (list_view) ||
                       ff->rows_drawn == g_list_model_get_n_items (G_LIST_MODEL (_vp_window_get_job_list (ff->window)));
          ff->first_view_state = g_strdup (_vp_window_get_view_state (ff->window));
          ff->first_icon = gtk_window_get_icon_name (GTK_WINDOW (ff->window)) != NULL;
        }
    }
}

static void
on_first_frame_view_changed_cb (GtkStack   *stack,
                                GParamSpec *pspec,
                                FirstFrame *ff)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "empty") == 0)
    ff->empty_shown = TRUE;
}

static void
on_first_frame_realize_cb (GtkWidget  *window,
                           FirstFrame *ff)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "paint",
                    G_CALLBACK (on_first_frame_paint_cb), ff);
}

/* A window presented when listed draws its first frame with the rows its
 * height can show, not a row for every job of the page, and the rest of
 * the page follows without asking the server for more (or with, when a
 * filter wants every call scanned).  The call view stays blank in that
 * frame rather than show its empty state for the call that follows, and
 * the window's icon comes after it. */
static void
test_first_frame_rows (void)
{
  g_autoptr(VpSandbox) sandbox = vp_sandbox_new (TEST_SEED, TEST_JOBS, TEST_KEY);
  g_autoptr(VpClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VpJobFilter) filter = NULL;
  FirstFrame ff = { 0, };
  VpWindow *window;
  /* Window heights, and a row height guessed right, or far too high */
  static const int heights[] = { 600, 1000, 600 };
  static const int guesses[] = { 0, 0, 200 };
  VpJobList *list;
  GtkWidget *view_stack;
  guint fits;

  g_assert_true (vp_sandbox_start_thread (sandbox, 0, &error));
  g_assert_no_error (error);
  client = vp_client_new (vp_sandbox_get_base_url (sandbox), TEST_KEY);

  /* A guess from the height, topped up before the first frame is drawn
   * when it falls short */
  for (guint i = 0; i < G_N_ELEMENTS (heights); i++)
    {
      memset (&ff, 0, sizeof ff);
      window = vp_window_new (NULL);
      gtk_window_set_default_size (GTK_WINDOW (window), 900, heights[i]);
      if (guesses[i] > 0)
        _vp_window_set_first_row_height_guess (window, guesses[i]);
      vp_window_set_client (window, client, NULL);
      list = _vp_window_get_job_list (window);
      ff.window = window;
      ff.filtered = _vp_window_get_filtered (window);
      g_signal_connect (ff.filtered, "items-changed", G_CALLBACK (on_first_listed_cb), &ff);
      g_signal_connect (window, "realize", G_CALLBACK (on_first_frame_realize_cb), &ff);
      view_stack = gtk_widget_get_first_child (test_find_of_type (GTK_WIDGET (window), VP_TYPE_JOB_VIEW));
      g_signal_connect (view_stack, "notify::visible-child-name",
                        G_CALLBACK (on_first_frame_view_changed_cb), &ff);
      vp_window_present_when_listed (window, 60 * 1000);

      WAIT_UNTIL (ff.rows_drawn > 0 &&
                  g_list_model_get_n_items (ff.filtered) == g_list_model_get_n_items (G_LIST_MODEL (list)) &&
                  _vp_window_get_shown_job_id (window) != NULL);

      /* The first frame has no call yet, and does not say there is none: the
       * first call follows it, and "No Call Selected" never shows */
      g_assert_cmpstr (ff.first_view_state, ==, "blank");
      g_assert_false (ff.empty_shown);
      /* The window's icon (drawn for X11 when set) comes after that frame,
       * and is every later window's too */
      g_assert_false (ff.first_icon);
      g_assert_cmpstr (gtk_window_get_icon_name (GTK_WINDOW (window)), ==, APP_ID);
      g_assert_cmpstr (gtk_window_get_default_icon_name (), ==, APP_ID);
      g_clear_pointer (&ff.first_view_state, g_free);
      g_signal_handlers_disconnect_by_func (view_stack, on_first_frame_view_changed_cb, &ff);

      /* The list is full, and no taller than needed: a window's height holds
       * fewer than height / 40 rows of two lines */
      g_test_message ("%d px: %u rows given, %u drawn", heights[i], ff.first_listed, ff.rows_drawn);
      fits = heights[i] / 40 + 1;
      g_assert_true (ff.filled);
      g_assert_cmpuint (ff.first_listed, >, 0);
      g_assert_cmpuint (ff.first_listed, <=, fits);
      g_assert_cmpuint (ff.rows_drawn, <=, fits);
      /* Too few for the list: the missing rows were added before the
       * frame was drawn */
      if (guesses[i] > 0)
        g_assert_cmpuint (ff.rows_drawn, >, ff.first_listed);
      /* Then the whole first page, and only that page */
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 50);
      g_assert_false (vp_job_list_is_loading (list));

      g_signal_handlers_disconnect_by_func (ff.filtered, on_first_listed_cb, &ff);
      g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (GTK_WIDGET (window)),
                                            on_first_frame_paint_cb, &ff);
      gtk_window_destroy (GTK_WINDOW (window));
    }

  /* A filter that matches nothing, set before the first frame: the rest
   * of the page changes nothing on screen, and the scan still goes on
   * through every call */
  filter = vp_job_filter_new ();
  vp_job_filter_set_text (filter, "no call says zyzzyva");
  window = vp_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  vp_window_set_client (window, client, NULL);
  list = _vp_window_get_job_list (window);
  _vp_window_set_filter (window, filter);
  vp_window_present_when_listed (window, 60 * 1000);
  WAIT_UNTIL (!vp_job_list_has_more (list) && !vp_job_list_is_loading (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, TEST_JOBS);
  g_assert_cmpuint (g_list_model_get_n_items (_vp_window_get_filtered (window)), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}


/* A call's panes are built when a call is first shown; a pane asked for
 * before that is the one shown then. */
static void
test_call_built_when_shown (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(VpResult) result = NULL;
  VpJobView *view;
  VpJob *job;
  GtkStack *stack;

  view = g_object_ref_sink (g_object_new (VP_TYPE_JOB_VIEW, NULL));
  vp_job_view_set_client (view, f->client);
  stack = GTK_STACK (gtk_widget_get_first_child (GTK_WIDGET (view)));

  g_assert_null (gtk_stack_get_child_by_name (stack, "job"));
  vp_job_view_show_pane (view, 2);
  g_assert_cmpuint (vp_job_view_get_pane (view), ==, 2);
  /* Never drawn, so not even the empty state */
  g_assert_cmpstr (_vp_job_view_get_state (view), ==, "blank");
  g_assert_null (gtk_stack_get_child_by_name (stack, "job"));

  job = find_completed (f, WANT_PRO, 0, &result);
  vp_job_view_set_job (view, job);
  g_assert_nonnull (gtk_stack_get_child_by_name (stack, "job"));
  WAIT_UNTIL (g_strcmp0 (_vp_job_view_get_state (view), "result") == 0);
  g_assert_cmpuint (vp_job_view_get_pane (view), ==, 2);
  vp_job_view_cycle_pane (view, 1);
  g_assert_cmpuint (vp_job_view_get_pane (view), ==, 3);

  g_object_unref (view);
}

/* The Filters popover is built when first opened: a filter set before
 * shows in its controls, and works without them. */
static void
test_filters_built_when_opened (void)
{
  g_autoptr(VpJobFilter) filter = vp_job_filter_new ();
  VpFilterBar *bar;
  GtkMenuButton *button;
  GtkDropDown *status;
  GtkWidget *popover;
  GtkWidget *window;

  bar = g_object_ref_sink (g_object_new (VP_TYPE_FILTER_BAR, NULL));
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (bar));
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (bar)));
  button = GTK_MENU_BUTTON (test_find_of_type (GTK_WIDGET (bar), GTK_TYPE_MENU_BUTTON));
  g_assert_nonnull (button);
  g_assert_null (gtk_menu_button_get_popover (button));

  vp_job_filter_set_status (filter, VP_JOB_STATUS_FAILED);
  vp_job_filter_set_call_type (filter, "SALES");
  vp_filter_bar_set_filter (bar, filter);
  g_assert_null (gtk_menu_button_get_popover (button));
  g_assert_cmpint (vp_job_filter_get_status (vp_filter_bar_get_filter (bar)), ==, VP_JOB_STATUS_FAILED);
  /* As the controls would read it back */
  g_assert_cmpstr (vp_job_filter_get_call_type (vp_filter_bar_get_filter (bar)), ==, "sales");

  gtk_menu_button_popup (button);
  popover = GTK_WIDGET (gtk_menu_button_get_popover (button));
  g_assert_nonnull (popover);
  status = GTK_DROP_DOWN (test_find_of_type (popover, GTK_TYPE_DROP_DOWN));
  g_assert_nonnull (status);
  g_assert_cmpstr (gtk_string_object_get_string (gtk_drop_down_get_selected_item (status)), ==, "Failed");
  gtk_menu_button_popdown (button);

  vp_filter_bar_clear (bar);
  g_assert_cmpuint (gtk_drop_down_get_selected (status), ==, 0);
  g_assert_true (vp_job_filter_is_empty (vp_filter_bar_get_filter (bar)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (bar);
}

/* What GTK does when the pointer rests on @widget: TRUE if a tooltip
 * would show */
static gboolean
query_tooltip (GtkWidget *widget)
{
  g_autoptr(GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  gboolean shown = FALSE;

  g_signal_emit_by_name (widget, "query-tooltip", 1, 1, FALSE, tooltip, &shown);

  return shown;
}

/* @widget's tooltip is there for the pointer, and was given on demand
 * (vp-tooltip.c), not set on the widget.  (Screen readers get it as the
 * accessible description: test-a11y.py checks that, as these tests run
 * without an accessibility backend.) */
static void
assert_tooltip_on_demand (GtkWidget *widget)
{
  g_test_message ("%s: %s", G_OBJECT_TYPE_NAME (widget), vp_tooltip_get_text (widget));
  g_assert_nonnull (vp_tooltip_get_text (widget));
  g_assert_null (gtk_widget_get_tooltip_text (widget));
  g_assert_true (gtk_widget_get_has_tooltip (widget));
  g_assert_true (query_tooltip (widget));
}

static void
check_header_tooltips (GtkWidget *widget,
                       guint     *n_checked)
{
  /* The window's own buttons (close, …) are GTK's */
  if (GTK_IS_WINDOW_CONTROLS (widget))
    return;

  if ((GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget)) &&
      gtk_widget_get_visible (widget) &&
      gtk_widget_get_parent (widget) != NULL &&
      !GTK_IS_STACK_SWITCHER (gtk_widget_get_parent (widget)))
    {
      assert_tooltip_on_demand (widget);
      (*n_checked)++;
      /* A menu button's inner button is the same control */
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_header_tooltips (child, n_checked);
}

/* Each of the header bar's icon buttons, and the filter bar's controls,
 * tells what it does when the pointer rests on it, though the tooltips
 * are handed over on demand (vp-tooltip.c); one taken away shows none. */
static void
test_header_tooltips (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *titlebar = gtk_window_get_titlebar (GTK_WINDOW (f->window));
  GtkWidget *refresh;
  guint n_checked = 0;

  g_assert_nonnull (titlebar);
  check_header_tooltips (titlebar, &n_checked);
  /* Refresh, search, select, export and the main menu */
  g_assert_cmpuint (n_checked, ==, 5);
  assert_tooltip_on_demand (test_find_by_id (GTK_WIDGET (f->window), GTK_TYPE_SEARCH_ENTRY, "search_entry"));
  assert_tooltip_on_demand (test_find_by_id (GTK_WIDGET (f->window), GTK_TYPE_MENU_BUTTON, "filters_button"));
  assert_tooltip_on_demand (test_find_by_id (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, "clear_button"));

  refresh = test_find_by_id (titlebar, GTK_TYPE_BUTTON, "refresh_button");
  g_assert_nonnull (refresh);
  g_assert_cmpstr (vp_tooltip_get_text (refresh), ==, "Refresh (F5)");
  vp_tooltip_set_text (refresh, NULL);
  g_assert_false (gtk_widget_get_has_tooltip (refresh));
  g_assert_false (query_tooltip (refresh));
  vp_tooltip_set_text (refresh, "Refresh");
  g_assert_true (query_tooltip (refresh));
  g_assert_cmpstr (vp_tooltip_get_text (refresh), ==, "Refresh");
}

int
main (int    argc,
      char **argv)
{
  /* Comparisons are with English strings and C-locale numbers. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("TZ", "UTC", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  /* The windows as users see them, sized by the app's style sheet */
  test_load_app_style ();

  g_test_add_func ("/window/split-turns", test_split_turns);
  g_test_add_func ("/window/format", test_format);
  g_test_add_func ("/window/present-when-listed", test_present_when_listed);
  g_test_add_func ("/window/first-frame-rows", test_first_frame_rows);
  g_test_add_func ("/window/filters-built-when-opened", test_filters_built_when_opened);

#define ADD(path, func, setup) \
  g_test_add (path, Fixture, NULL, setup, func, fixture_tear_down)

  ADD ("/window/list-fills-and-pages", test_list_fills_and_pages, fixture_set_up);
  ADD ("/window/pro-call", test_pro_call, fixture_set_up);
  ADD ("/window/lite-call", test_lite_call, fixture_set_up);
  ADD ("/window/failed-call", test_failed_call, fixture_set_up);
  ADD ("/window/processing-completes", test_processing_completes, fixture_set_up);
  ADD ("/window/unauthorized-keeps-list", test_unauthorized_keeps_list, fixture_set_up);
  ADD ("/window/unauthorized-from-start", test_unauthorized_from_start, fixture_set_up_wrong_key);
  ADD ("/window/quick-switch", test_quick_switch, fixture_set_up);
  ADD ("/window/spinner-after-a-moment", test_spinner_after_a_moment, fixture_set_up);
  ADD ("/window/pane-keyboard", test_pane_keyboard, fixture_set_up);
  ADD ("/window/call-fits-minimum", test_call_fits_minimum, fixture_set_up);
  ADD ("/window/call-built-when-shown", test_call_built_when_shown, fixture_set_up);
  ADD ("/window/refresh-keeps-selection", test_refresh_keeps_selection, fixture_set_up);
  ADD ("/window/header-tooltips", test_header_tooltips, fixture_set_up);

#undef ADD

  return g_test_run ();
}

/* test-parse.c: the call data read from the reference's examples and from
 * malformed, hostile and surprising answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-parse"

#include "config.h"

#include <string.h>

#include "vp-analysis.h"
#include "vp-core-enums.h"
#include "vp-error.h"
#include "vp-job.h"
#include "vp-generator.h"
#include "vp-job-private.h"
#include "vp-json.h"
#include "vp-page-scanner-private.h"
#include "vp-pricing.h"
#include "vp-responses-private.h"
#include "vp-result.h"

/* -------------------------------------------------------------------------
 * Helpers
 */

static GBytes *
load_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static JsonNode *
parse_string (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = vp_json_parse_data (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

static JsonNode *
parse_fixture (const char *name)
{
  g_autoptr(GBytes) bytes = load_fixture (name);
  g_autoptr(GError) error = NULL;
  JsonNode *node = vp_json_parse_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

static VpJob *
job_from_string (const char *json)
{
  g_autoptr(JsonNode) node = parse_string (json);
  g_autoptr(GError) error = NULL;
  VpJob *job = vp_job_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_true (VP_IS_JOB (job));

  return job;
}

static VpResult *
result_from_string (const char *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  VpResult *result = vp_result_new_from_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_true (VP_IS_RESULT (result));

  return result;
}

static VpResult *
result_from_fixture (const char *name)
{
  g_autoptr(GBytes) bytes = load_fixture (name);
  g_autoptr(GError) error = NULL;
  VpResult *result = vp_result_new_from_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_true (VP_IS_RESULT (result));
  /* Kept as it came, for export */
  g_assert_true (g_bytes_equal (vp_result_get_bytes (result), bytes));

  return result;
}

static void
assert_result_fails (const char *data,
                     gsize       length)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);
  g_autoptr(GError) error = NULL;
  g_autoptr(VpResult) result = vp_result_new_from_bytes (bytes, &error);

  g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE);
  g_assert_null (result);
  /* Short enough to show in a window */
  g_assert_cmpuint (strlen (error->message), <, 400);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
assert_strv (const char * const *strv,
             ...)
{
  va_list args;
  guint i = 0;

  g_assert_nonnull (strv);

  va_start (args, strv);
  for (const char *expected = va_arg (args, const char *);
       expected != NULL;
       expected = va_arg (args, const char *), i++)
    g_assert_cmpstr (strv[i], ==, expected);
  va_end (args);

  g_assert_null (strv[i]);
}

static void
assert_has_problem (const char * const *problems,
                    const char         *expected)
{
  if (problems == NULL || !g_strv_contains (problems, expected))
    {
      g_autofree char *all = problems ? g_strjoinv ("\n  ", (char **) problems) : g_strdup ("(none)");

      g_error ("Expected the problem “%s” among:\n  %s", expected, all);
    }
}

static void
assert_date_time (GDateTime *date_time,
                  int year, int month, int day,
                  int hour, int minute, double seconds)
{
  g_assert_nonnull (date_time);
  g_assert_cmpint (g_date_time_get_utc_offset (date_time), ==, 0);
  g_assert_cmpint (g_date_time_get_year (date_time), ==, year);
  g_assert_cmpint (g_date_time_get_month (date_time), ==, month);
  g_assert_cmpint (g_date_time_get_day_of_month (date_time), ==, day);
  g_assert_cmpint (g_date_time_get_hour (date_time), ==, hour);
  g_assert_cmpint (g_date_time_get_minute (date_time), ==, minute);
  g_assert_cmpfloat_with_epsilon (g_date_time_get_seconds (date_time), seconds, 1e-6);
}

/* Reads every property through GValue, which catches pspec mistakes (a
 * getter setting the wrong GValue type warns, and warnings are fatal) */
static void
read_every_property (gpointer object)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);
  g_assert_cmpuint (n_pspecs, >, 0);

  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_assert_true (pspecs[i]->flags & G_PARAM_READABLE);
      g_assert_false (pspecs[i]->flags & G_PARAM_WRITABLE);
      g_assert_true (pspecs[i]->flags & G_PARAM_STATIC_STRINGS);

      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (object), pspecs[i]->name, &value);
    }
}

/* -------------------------------------------------------------------------
 * The reference's examples
 */

static void
test_reference_list_jobs (void)
{
  g_autoptr(JsonNode) root = parse_fixture ("reference-list-jobs.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(VpJob) job = NULL;
  JsonObject *object = json_node_get_object (root);
  JsonArray *jobs = json_object_get_array_member (object, "jobs");

  g_assert_cmpuint (json_array_get_length (jobs), ==, 1);

  job = vp_job_new_from_json (json_array_get_element (jobs, 0), &error);
  g_assert_no_error (error);

  g_assert_cmpstr (vp_job_get_id (job), ==, "a1b2c3d4-...");
  g_assert_cmpint (vp_job_get_status (job), ==, VP_JOB_STATUS_COMPLETED);
  g_assert_cmpstr (vp_job_get_type_name (job), ==, "transcribe");
  g_assert_cmpstr (vp_job_get_model (job), ==, "standard");
  g_assert_cmpfloat (vp_job_get_duration_seconds (job), ==, 3600.0);
  g_assert_cmpint (vp_job_get_cost_cents (job), ==, 30);
  assert_date_time (vp_job_get_created_at (job), 2026, 4, 19, 19, 13, 18);
  assert_date_time (vp_job_get_completed_at (job), 2026, 4, 19, 19, 15, 22);
  g_assert_null (vp_job_get_error (job));
  /* The list does not carry it */
  g_assert_null (vp_job_get_result_url (job));
  g_assert_null (vp_job_get_warnings (job));
  g_assert_null (vp_job_get_problems (job));
  g_assert_true (vp_job_is_finished (job));
  g_assert_true (vp_job_get_json (job) == json_node_get_object (json_array_get_element (jobs, 0)));

  read_every_property (job);
}

static void
test_reference_get_job (void)
{
  g_autoptr(JsonNode) root = parse_fixture ("reference-get-job.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(VpJob) job = NULL;
  g_autoptr(GDateTime) created_at = NULL;
  g_autofree char *id = NULL;
  g_autofree char *error_message = NULL;
  g_autofree char *result_url = NULL;
  VpJobStatus status;
  gint64 cost_cents;
  double duration;
  gboolean finished;

  job = vp_job_new_from_json (root, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (vp_job_get_id (job), ==, "a1b2c3d4-e5f6-7890-abcd-ef1234567890");
  g_assert_cmpint (vp_job_get_status (job), ==, VP_JOB_STATUS_COMPLETED);
  g_assert_cmpstr (vp_job_get_type_name (job), ==, "transcribe");
  g_assert_cmpstr (vp_job_get_model (job), ==, "standard");
  g_assert_cmpfloat (vp_job_get_duration_seconds (job), ==, 3600.0);
  g_assert_cmpint (vp_job_get_cost_cents (job), ==, 30);
  assert_date_time (vp_job_get_created_at (job), 2026, 4, 19, 19, 13, 18);
  assert_date_time (vp_job_get_completed_at (job), 2026, 4, 19, 19, 15, 22);
  g_assert_null (vp_job_get_error (job));
  g_assert_cmpstr (vp_job_get_result_url (job), ==, "/v1/jobs/a1b2c3d4-.../result");
  g_assert_null (vp_job_get_problems (job));

  /* As received, null included */
  g_assert_true (json_object_has_member (vp_job_get_json (job), "error"));
  g_assert_true (json_object_get_null_member (vp_job_get_json (job), "error"));

  g_object_get (job,
                "id", &id,
                "status", &status,
                "duration-seconds", &duration,
                "cost-cents", &cost_cents,
                "created-at", &created_at,
                "error", &error_message,
                "result-url", &result_url,
                "is-finished", &finished,
                NULL);
  g_assert_cmpstr (id, ==, "a1b2c3d4-e5f6-7890-abcd-ef1234567890");
  g_assert_cmpint (status, ==, VP_JOB_STATUS_COMPLETED);
  g_assert_cmpfloat (duration, ==, 3600.0);
  g_assert_cmpint (cost_cents, ==, 30);
  g_assert_true (g_date_time_equal (created_at, vp_job_get_created_at (job)));
  g_assert_null (error_message);
  g_assert_cmpstr (result_url, ==, "/v1/jobs/a1b2c3d4-.../result");
  g_assert_true (finished);

  read_every_property (job);
}

static void
test_reference_result (void)
{
  g_autoptr(VpResult) result = result_from_fixture ("reference-result.json");
  const VpSegment *segments;
  const VpWord *words;
  VpAnalysis *analysis;
  guint n_segments, n_words;

  g_assert_cmpstr (vp_result_get_transcript (result), ==, "Full raw text of transcription...");
  g_assert_cmpfloat (vp_result_get_duration_seconds (result), ==, 3600.0);
  g_assert_cmpstr (vp_result_get_language (result), ==, "en");

  segments = vp_result_get_segments (result, &n_segments);
  g_assert_cmpuint (n_segments, ==, 1);
  g_assert_cmpfloat (segments[0].start, ==, 0.0);
  g_assert_cmpfloat (segments[0].end, ==, 2.5);
  g_assert_cmpstr (segments[0].text, ==, "...");

  words = vp_result_get_words (result, &n_words);
  g_assert_cmpuint (n_words, ==, 1);
  g_assert_cmpstr (words[0].word, ==, "hello");
  g_assert_cmpfloat (words[0].start, ==, 0.1);
  g_assert_cmpfloat (words[0].end, ==, 0.4);

  analysis = vp_result_get_analysis (result);
  g_assert_true (VP_IS_ANALYSIS (analysis));
  g_assert_cmpstr (vp_analysis_get_call_summary (analysis), ==, "...");
  g_assert_cmpstr (vp_analysis_get_call_type (analysis), ==, "billing");
  g_assert_cmpstr (vp_analysis_get_transcript_cleaned (analysis), ==, "Agent: ... Customer: ...");
  g_assert_true (vp_analysis_has_compliance (analysis));
  assert_strv (vp_analysis_get_sensitive_data_shared (analysis),
               "phone number", "SSN (last 4)", NULL);
  g_assert_cmpint (vp_analysis_get_recording_disclosure (analysis), ==, VP_DISCLOSURE_NOT_GIVEN);

  /* What the example leaves out is simply absent */
  g_assert_null (vp_analysis_get_call_outcome (analysis));
  g_assert_false (vp_analysis_has_customer (analysis));
  g_assert_false (vp_analysis_has_agent (analysis));
  g_assert_false (vp_analysis_has_financial (analysis));
  g_assert_false (vp_analysis_discusses_money (analysis));
  g_assert_null (vp_analysis_get_customer_sentiment (analysis));
  g_assert_null (vp_analysis_get_key_issues (analysis));
  g_assert_null (vp_analysis_get_action_items (analysis));
  g_assert_null (vp_analysis_get_agreements (analysis));

  g_assert_false (vp_analysis_is_lite (analysis));
  g_assert_false (vp_result_is_lite (result));
  g_assert_null (vp_result_get_warnings (result));
  g_assert_null (vp_result_get_problems (result));

  read_every_property (result);
  read_every_property (analysis);
}

static void
test_reference_pricing (void)
{
  g_autoptr(JsonNode) root = parse_fixture ("reference-pricing.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(VpPricing) pricing = NULL;
  g_autoptr(VpPlan) pro = NULL;
  g_autoptr(VpPlan) lite = NULL;
  GListModel *plans;

  pricing = vp_pricing_new_from_json (root, &error);
  g_assert_no_error (error);

  plans = vp_pricing_get_plans (pricing);
  g_assert_true (g_list_model_get_item_type (plans) == VP_TYPE_PLAN);
  g_assert_cmpuint (g_list_model_get_n_items (plans), ==, 2);

  pro = g_list_model_get_item (plans, 0);
  g_assert_cmpstr (vp_plan_get_id (pro), ==, "pro");
  g_assert_cmpstr (vp_plan_get_name (pro), ==, "VoxParse Pro");
  g_assert_cmpfloat (vp_plan_get_price_per_hour (pro), ==, 0.39);
  g_assert_cmpstr (vp_plan_get_price_per_hour_display (pro), ==, "$0.39");
  g_assert_cmpstr (vp_plan_get_features (pro), ==, "Full 11-feature AI analysis JSON");
  g_assert_null (vp_plan_get_problems (pro));

  lite = g_list_model_get_item (plans, 1);
  g_assert_cmpstr (vp_plan_get_id (lite), ==, "lite");
  g_assert_cmpstr (vp_plan_get_name (lite), ==, "VoxParse Lite");
  g_assert_cmpfloat (vp_plan_get_price_per_hour (lite), ==, 0.15);
  g_assert_cmpstr (vp_plan_get_price_per_hour_display (lite), ==, "$0.15");
  g_assert_cmpstr (vp_plan_get_features (lite), ==, "Transcript, diarization, transcript_cleaned only");

  g_assert_true (vp_pricing_find_plan (pricing, "lite") == lite);
  g_assert_true (vp_pricing_find_plan (pricing, "pro") == pro);
  g_assert_null (vp_pricing_find_plan (pricing, "enterprise"));

  g_assert_cmpstr (vp_pricing_get_currency (pricing), ==, "usd");
  g_assert_cmpstr (vp_pricing_get_note (pricing), ==,
                   "Requests with plan=lite that enable standard features auto-upgrade to Pro. "
                   "A warnings[] array is added to the response.");
  g_assert_null (vp_pricing_get_warnings (pricing));
  g_assert_null (vp_pricing_get_problems (pricing));

  read_every_property (pricing);
  read_every_property (pro);
}

/* -------------------------------------------------------------------------
 * Hand-written Pro and Lite results
 */

static void
test_pro_result (void)
{
  g_autoptr(VpResult) result = result_from_fixture ("pro-result.json");
  g_autofree char *summary = NULL;
  g_auto(GStrv) key_issues = NULL;
  const VpSegment *segments;
  const VpWord *words;
  VpAnalysis *analysis;
  VpDisclosure disclosure;
  guint n_segments, n_words;
  double amount = 0;
  gboolean has_amount;

  g_assert_cmpstr (vp_result_get_transcript (result), ==,
                   "Thank you for calling Northwind billing, this is Dana. Hi, I was charged twice this month.");
  g_assert_cmpfloat (vp_result_get_duration_seconds (result), ==, 187.5);
  g_assert_cmpstr (vp_result_get_language (result), ==, "en");

  segments = vp_result_get_segments (result, &n_segments);
  g_assert_cmpuint (n_segments, ==, 2);
  g_assert_cmpfloat (segments[1].start, ==, 3.4);
  g_assert_cmpfloat (segments[1].end, ==, 6.1);
  g_assert_cmpstr (segments[1].text, ==, "Hi, I was charged twice this month.");

  words = vp_result_get_words (result, &n_words);
  g_assert_cmpuint (n_words, ==, 3);
  g_assert_cmpstr (words[0].word, ==, "Thank");
  g_assert_cmpstr (words[1].word, ==, "you");
  g_assert_cmpstr (words[2].word, ==, "for");
  g_assert_cmpfloat (words[2].start, ==, 0.5);
  g_assert_cmpfloat (words[2].end, ==, 0.7);

  analysis = vp_result_get_analysis (result);
  g_assert_cmpstr (vp_analysis_get_call_summary (analysis), ==,
                   "The customer was charged twice for April; the agent refunded the duplicate charge.");
  g_assert_cmpstr (vp_analysis_get_call_type (analysis), ==, "billing");
  g_assert_cmpstr (vp_analysis_get_call_outcome (analysis), ==, "resolved");

  g_assert_true (vp_analysis_has_customer (analysis));
  g_assert_cmpstr (vp_analysis_get_customer_name (analysis), ==, "Maria Lopez");
  g_assert_cmpstr (vp_analysis_get_customer_company (analysis), ==, "Lopez Bakery");
  g_assert_cmpstr (vp_analysis_get_customer_email (analysis), ==, "maria@example.com");
  g_assert_cmpstr (vp_analysis_get_customer_phone (analysis), ==, "+1 555 0100");

  g_assert_true (vp_analysis_has_agent (analysis));
  g_assert_cmpstr (vp_analysis_get_agent_name (analysis), ==, "Dana");
  g_assert_cmpstr (vp_analysis_get_agent_department (analysis), ==, "Billing");
  g_assert_cmpstr (vp_analysis_get_agent_id (analysis), ==, "AG-1042");

  g_assert_true (vp_analysis_has_financial (analysis));
  g_assert_true (vp_analysis_get_money (analysis, VP_MONEY_PAYMENT_TODAY, &amount));
  g_assert_cmpfloat (amount, ==, 49.99);
  g_assert_true (vp_analysis_get_money (analysis, VP_MONEY_RECURRING_AMOUNT, &amount));
  g_assert_cmpfloat (amount, ==, 49.99);
  g_assert_true (vp_analysis_get_money (analysis, VP_MONEY_PENDING_BALANCE, &amount));
  g_assert_cmpfloat (amount, ==, 1234.50);
  g_assert_cmpstr (vp_analysis_get_payment_method (analysis), ==, "credit card");
  g_assert_cmpstr (vp_analysis_get_billing_date (analysis), ==, "the 15th of each month");
  g_assert_true (vp_analysis_discusses_money (analysis));

  g_assert_true (vp_analysis_has_compliance (analysis));
  g_assert_cmpint (vp_analysis_get_recording_disclosure (analysis), ==, VP_DISCLOSURE_MADE);
  assert_strv (vp_analysis_get_sensitive_data_shared (analysis), "credit card", "phone number", NULL);

  g_assert_cmpstr (vp_analysis_get_customer_sentiment (analysis), ==, "positive");
  g_assert_cmpstr (vp_analysis_get_agent_performance (analysis), ==, "good");

  assert_strv (vp_analysis_get_key_issues (analysis), "Duplicate charge", "Unclear invoice", NULL);
  assert_strv (vp_analysis_get_action_items (analysis),
               "Refund the duplicate charge", "Email a corrected invoice", NULL);
  assert_strv (vp_analysis_get_agreements (analysis), "Refund within 5 business days", NULL);
  g_assert_cmpstr (vp_analysis_get_transcript_cleaned (analysis), ==,
                   "Agent: Thank you for calling Northwind billing, this is Dana.\n"
                   "Customer: Hi, I was charged twice this month.");

  g_assert_false (vp_analysis_is_lite (analysis));
  g_assert_false (vp_result_is_lite (result));

  /* Unknown members (model_version, request_id, speaker, confidence) are
   * ignored without a note; warnings are kept */
  g_assert_null (vp_result_get_problems (result));
  assert_strv (vp_result_get_warnings (result), "plan=lite with diarization: upgraded to Pro", NULL);

  /* The same through properties */
  g_object_get (analysis,
                "call-summary", &summary,
                "recording-disclosure", &disclosure,
                "key-issues", &key_issues,
                "payment-today", &amount,
                "has-payment-today", &has_amount,
                NULL);
  g_assert_cmpstr (summary, ==, vp_analysis_get_call_summary (analysis));
  g_assert_cmpint (disclosure, ==, VP_DISCLOSURE_MADE);
  g_assert_true (g_strv_equal ((const char * const *) key_issues,
                               vp_analysis_get_key_issues (analysis)));
  g_assert_cmpfloat (amount, ==, 49.99);
  g_assert_true (has_amount);

  read_every_property (result);
  read_every_property (analysis);
}

static void
test_lite_result (void)
{
  g_autoptr(VpResult) result = result_from_fixture ("lite-result.json");
  VpAnalysis *analysis = vp_result_get_analysis (result);
  gboolean is_lite = FALSE;
  guint n_words = 99;
  double amount = 0;

  g_assert_true (vp_result_is_lite (result));
  g_assert_true (vp_analysis_is_lite (analysis));
  g_object_get (result, "is-lite", &is_lite, NULL);
  g_assert_true (is_lite);
  g_object_get (analysis, "is-lite", &is_lite, NULL);
  g_assert_true (is_lite);

  g_assert_cmpstr (vp_analysis_get_transcript_cleaned (analysis), ==,
                   "Customer: Hello, I would like to cancel my subscription.");
  g_assert_cmpstr (vp_result_get_transcript (result), ==,
                   "Hello, I would like to cancel my subscription.");
  g_assert_cmpfloat (vp_result_get_duration_seconds (result), ==, 42.0);

  /* "words": [] */
  g_assert_null (vp_result_get_words (result, &n_words));
  g_assert_cmpuint (n_words, ==, 0);

  g_assert_null (vp_analysis_get_call_summary (analysis));
  g_assert_null (vp_analysis_get_call_type (analysis));
  g_assert_null (vp_analysis_get_call_outcome (analysis));
  g_assert_false (vp_analysis_has_customer (analysis));
  g_assert_null (vp_analysis_get_customer_name (analysis));
  g_assert_false (vp_analysis_has_agent (analysis));
  g_assert_null (vp_analysis_get_agent_id (analysis));
  g_assert_false (vp_analysis_has_financial (analysis));
  g_assert_false (vp_analysis_get_money (analysis, VP_MONEY_PAYMENT_TODAY, &amount));
  g_assert_false (vp_analysis_discusses_money (analysis));
  g_assert_false (vp_analysis_has_compliance (analysis));
  g_assert_cmpint (vp_analysis_get_recording_disclosure (analysis), ==, VP_DISCLOSURE_NOT_GIVEN);
  g_assert_null (vp_analysis_get_sensitive_data_shared (analysis));
  g_assert_null (vp_analysis_get_customer_sentiment (analysis));
  g_assert_null (vp_analysis_get_agent_performance (analysis));
  g_assert_null (vp_analysis_get_key_issues (analysis));
  g_assert_null (vp_analysis_get_action_items (analysis));
  g_assert_null (vp_analysis_get_agreements (analysis));
  g_assert_null (vp_result_get_problems (result));

  read_every_property (result);
  read_every_property (analysis);
}

static void
test_lite_detection (void)
{
  static const struct {
    const char *json;
    gboolean    is_lite;
  } cases[] = {
    { "{\"ai_analysis\": {\"transcript_cleaned\": \"x\"}}", TRUE },
    /* Unknown members do not make it Pro */
    { "{\"ai_analysis\": {\"transcript_cleaned\": \"x\", \"model\": \"m\"}}", TRUE },
    /* null is as good as absent */
    { "{\"ai_analysis\": {\"transcript_cleaned\": \"x\", \"call_summary\": null}}", TRUE },
    { "{\"ai_analysis\": {\"transcript_cleaned\": \"x\", \"key_issues\": []}}", FALSE },
    { "{\"ai_analysis\": {\"transcript_cleaned\": \"x\", \"sentiment\": {}}}", FALSE },
    { "{\"ai_analysis\": {}}", FALSE },
    { "{\"ai_analysis\": {\"call_summary\": \"s\"}}", FALSE },
    { "{\"ai_analysis\": null}", FALSE },
    { "{}", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VpResult) result = result_from_string (cases[i].json);

      g_assert_cmpint (vp_result_is_lite (result), ==, cases[i].is_lite);
    }
}

/* -------------------------------------------------------------------------
 * Jobs: statuses, timestamps, updates
 */

static void
test_job_statuses (void)
{
  static const struct {
    const char  *string;
    VpJobStatus  status;
    gboolean     finished;
  } cases[] = {
    { "queued", VP_JOB_STATUS_QUEUED, FALSE },
    { "processing", VP_JOB_STATUS_PROCESSING, FALSE },
    { "completed", VP_JOB_STATUS_COMPLETED, TRUE },
    { "failed", VP_JOB_STATUS_FAILED, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"id\": \"j\", \"status\": \"%s\"}", cases[i].string);
      g_autoptr(VpJob) job = job_from_string (json);

      g_assert_cmpint (vp_job_get_status (job), ==, cases[i].status);
      g_assert_cmpint (vp_job_is_finished (job), ==, cases[i].finished);
      g_assert_null (vp_job_get_problems (job));
      g_assert_cmpstr (vp_job_status_to_string (cases[i].status), ==, cases[i].string);
      g_assert_cmpint (vp_job_status_from_string (cases[i].string), ==, cases[i].status);
    }

  g_assert_cmpint (vp_job_status_from_string (NULL), ==, VP_JOB_STATUS_UNKNOWN);
  g_assert_cmpint (vp_job_status_from_string ("Completed"), ==, VP_JOB_STATUS_UNKNOWN);
  g_assert_cmpstr (vp_job_status_to_string (VP_JOB_STATUS_UNKNOWN), ==, "unknown");
  g_assert_cmpstr (vp_job_status_to_string (42), ==, "unknown");

  {
    g_autoptr(VpJob) job = job_from_string ("{\"id\": \"j\", \"status\": \"paused\"}");

    g_assert_cmpint (vp_job_get_status (job), ==, VP_JOB_STATUS_UNKNOWN);
    g_assert_false (vp_job_is_finished (job));
    assert_has_problem (vp_job_get_problems (job), "status: unknown status “paused”");
  }

  {
    g_autoptr(VpJob) job = job_from_string ("{\"id\": \"j\"}");

    g_assert_cmpint (vp_job_get_status (job), ==, VP_JOB_STATUS_UNKNOWN);
    g_assert_null (vp_job_get_problems (job));
  }
}

static void
test_job_timestamps (void)
{
  g_autoptr(VpJob) job = NULL;
  g_autoptr(VpJob) bad = NULL;

  job = job_from_string ("{\"id\": \"j\","
                         " \"created_at\": \"2026-04-19T21:13:18.250+02:00\","
                         " \"completed_at\": \"2026-04-19T19:15:22Z\"}");
  assert_date_time (vp_job_get_created_at (job), 2026, 4, 19, 19, 13, 18.25);
  assert_date_time (vp_job_get_completed_at (job), 2026, 4, 19, 19, 15, 22);
  g_assert_null (vp_job_get_problems (job));

  bad = job_from_string ("{\"id\": \"j\","
                         " \"created_at\": \"yesterday\","
                         " \"completed_at\": 1713553518}");
  g_assert_null (vp_job_get_created_at (bad));
  g_assert_null (vp_job_get_completed_at (bad));
  assert_has_problem (vp_job_get_problems (bad), "created_at: “yesterday” is not a date and time");
  assert_has_problem (vp_job_get_problems (bad), "completed_at: expected a string, got a number");
}

typedef struct {
  GPtrArray *notified;
} NotifyLog;

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              NotifyLog  *log)
{
  g_ptr_array_add (log->notified, g_strdup (pspec->name));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
test_job_update_from (void)
{
  g_autoptr(GPtrArray) notified = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(VpJob) job = NULL;
  g_autoptr(VpJob) same = NULL;
  g_autoptr(VpJob) done = NULL;
  NotifyLog log = { notified };
  const char *processing =
    "{\"id\": \"j1\", \"status\": \"processing\", \"type\": \"transcribe\","
    " \"model\": \"standard\", \"duration_seconds\": 60, \"cost_cents\": 1,"
    " \"created_at\": \"2026-04-19 19:13:18\", \"completed_at\": null, \"error\": null}";

  job = job_from_string (processing);
  same = job_from_string (processing);
  done = job_from_string ("{\"id\": \"j1\", \"status\": \"completed\", \"type\": \"transcribe\","
                          " \"model\": \"standard\", \"duration_seconds\": 60, \"cost_cents\": 1,"
                          " \"created_at\": \"2026-04-19T19:13:18Z\","
                          " \"completed_at\": \"2026-04-19 19:15:22\", \"error\": null,"
                          " \"result_url\": \"/v1/jobs/j1/result\"}");

  g_signal_connect (job, "notify", G_CALLBACK (on_notify_cb), &log);

  /* Nothing changed, nothing notified */
  vp_job_update_from (job, same);
  g_assert_cmpuint (notified->len, ==, 0);

  vp_job_update_from (job, done);
  g_ptr_array_sort (notified, compare_names);
  g_assert_cmpuint (notified->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (notified, 0), ==, "completed-at");
  g_assert_cmpstr (g_ptr_array_index (notified, 1), ==, "is-finished");
  g_assert_cmpstr (g_ptr_array_index (notified, 2), ==, "json");
  g_assert_cmpstr (g_ptr_array_index (notified, 3), ==, "result-url");
  g_assert_cmpstr (g_ptr_array_index (notified, 4), ==, "status");

  g_assert_cmpint (vp_job_get_status (job), ==, VP_JOB_STATUS_COMPLETED);
  assert_date_time (vp_job_get_completed_at (job), 2026, 4, 19, 19, 15, 22);
  g_assert_cmpstr (vp_job_get_result_url (job), ==, "/v1/jobs/j1/result");
  g_assert_true (vp_job_get_json (job) == vp_job_get_json (done));
  /* @other is left as it was */
  g_assert_cmpstr (vp_job_get_result_url (done), ==, "/v1/jobs/j1/result");

  /* And back: fields that disappear are notified too */
  g_ptr_array_set_size (notified, 0);
  vp_job_update_from (job, same);
  g_assert_cmpuint (notified->len, ==, 5);
  g_assert_null (vp_job_get_result_url (job));
  g_assert_null (vp_job_get_completed_at (job));

  g_signal_handlers_disconnect_by_func (job, on_notify_cb, &log);
}

/* -------------------------------------------------------------------------
 * Malformed and hostile answers
 */

static void
test_not_json (void)
{
  static const char *bodies[] = {
    "<html><body>502 Bad Gateway</body></html>",
    "{\"transcript\": ",
    "{\"transcript\": \"x\"} trailing",
    "   ",
    "\n",
    "[]",
    "[{\"transcript\": \"x\"}]",
    "42",
    "\"a string\"",
    "null",
    "true",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    assert_result_fails (bodies[i], strlen (bodies[i]));

  /* The empty body */
  assert_result_fails ("", 0);
  /* A NUL byte in the middle */
  assert_result_fails ("{\"a\": 1}\0{}", 11);
}

static void
test_not_an_object (void)
{
  static const char *nodes[] = { "[]", "42", "\"job\"", "null", "false" };

  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    {
      g_autoptr(JsonNode) node = parse_string (nodes[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(VpJob) job = NULL;
      g_autoptr(VpPricing) pricing = NULL;
      g_autoptr(VpPlan) plan = NULL;
      g_autoptr(VpAnalysis) analysis = NULL;

      job = vp_job_new_from_json (node, &error);
      g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE);
      g_assert_null (job);
      g_clear_error (&error);

      pricing = vp_pricing_new_from_json (node, &error);
      g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE);
      g_assert_null (pricing);
      g_clear_error (&error);

      plan = vp_plan_new_from_json (node, &error);
      g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE);
      g_assert_null (plan);
      g_clear_error (&error);

      analysis = vp_analysis_new_from_json (node, NULL, &error);
      g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE);
      g_assert_null (analysis);
    }
}

static void
test_job_without_id (void)
{
  static const char *jobs[] = {
    "{}",
    "{\"status\": \"completed\"}",
    "{\"id\": null}",
    "{\"id\": 42}",
    "{\"id\": [\"a\"]}",
    "{\"id\": \"\"}",
    "{\"job_id\": \"a1b2\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_autoptr(JsonNode) node = parse_string (jobs[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(VpJob) job = vp_job_new_from_json (node, &error);

      g_assert_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE);
      g_assert_null (job);
      g_assert_nonnull (strstr (error->message, "id"));
    }
}

static void
test_job_wrong_types (void)
{
  g_autoptr(VpJob) job = NULL;
  const char * const *problems;

  job = job_from_string ("{\"id\": \"j\", \"status\": 3, \"type\": [\"transcribe\"],"
                         " \"model\": {\"name\": \"standard\"}, \"duration_seconds\": \"3600\","
                         " \"cost_cents\": \"30\", \"created_at\": false,"
                         " \"completed_at\": \"\", \"error\": 500,"
                         " \"result_url\": true, \"warnings\": 7}");

  g_assert_cmpstr (vp_job_get_id (job), ==, "j");
  g_assert_cmpint (vp_job_get_status (job), ==, VP_JOB_STATUS_UNKNOWN);
  g_assert_null (vp_job_get_type_name (job));
  g_assert_null (vp_job_get_model (job));
  g_assert_cmpfloat (vp_job_get_duration_seconds (job), ==, -1.0);
  g_assert_cmpint (vp_job_get_cost_cents (job), ==, -1);
  g_assert_null (vp_job_get_created_at (job));
  g_assert_null (vp_job_get_completed_at (job));
  g_assert_null (vp_job_get_error (job));
  g_assert_null (vp_job_get_result_url (job));
  g_assert_null (vp_job_get_warnings (job));

  problems = vp_job_get_problems (job);
  assert_has_problem (problems, "status: expected a string, got a number");
  assert_has_problem (problems, "type: expected a string, got an array");
  assert_has_problem (problems, "model: expected a string, got an object");
  assert_has_problem (problems, "duration_seconds: expected a number, got a string");
  assert_has_problem (problems, "cost_cents: expected a number, got a string");
  assert_has_problem (problems, "created_at: expected a string, got a boolean");
  assert_has_problem (problems, "error: expected a string, got a number");
  assert_has_problem (problems, "result_url: expected a string, got a boolean");
  assert_has_problem (problems, "warnings: expected an array, got a number");
  g_assert_cmpuint (g_strv_length ((char **) problems), ==, 9);

  read_every_property (job);
}

static void
test_job_error (void)
{
  g_autoptr(VpJob) plain = job_from_string ("{\"id\": \"j\", \"status\": \"failed\", \"error\": \"Audio file is empty\"}");
  g_autoptr(VpJob) object = job_from_string ("{\"id\": \"j\", \"error\": {\"code\": 422, \"message\": \"Unsupported codec\"}}");
  g_autoptr(VpJob) odd = job_from_string ("{\"id\": \"j\", \"error\": {\"code\": 422}}");
  g_autoptr(VpJob) bad = job_from_string ("{\"id\": \"j\", \"error\": {\"message\": 5}}");

  g_assert_cmpstr (vp_job_get_error (plain), ==, "Audio file is empty");
  g_assert_cmpint (vp_job_get_status (plain), ==, VP_JOB_STATUS_FAILED);
  g_assert_cmpstr (vp_job_get_error (object), ==, "Unsupported codec");
  g_assert_null (vp_job_get_problems (object));
  g_assert_null (vp_job_get_error (odd));
  assert_has_problem (vp_job_get_problems (odd), "error: expected a string, got an object");
  g_assert_null (vp_job_get_error (bad));
  assert_has_problem (vp_job_get_problems (bad), "error.message: expected a string, got a number");
}

static void
test_job_numbers (void)
{
  g_autoptr(VpJob) whole = job_from_string ("{\"id\": \"j\", \"duration_seconds\": 12.75, \"cost_cents\": 30.0}");
  g_autoptr(VpJob) fraction = job_from_string ("{\"id\": \"j\", \"cost_cents\": 30.5}");
  g_autoptr(VpJob) negative = job_from_string ("{\"id\": \"j\", \"duration_seconds\": -5, \"cost_cents\": -2}");
  g_autoptr(VpJob) huge = job_from_string ("{\"id\": \"j\", \"duration_seconds\": 1e400, \"cost_cents\": 1e300}");
  g_autoptr(VpJob) zero = job_from_string ("{\"id\": \"j\", \"duration_seconds\": 0, \"cost_cents\": 0}");

  g_assert_cmpfloat (vp_job_get_duration_seconds (whole), ==, 12.75);
  g_assert_cmpint (vp_job_get_cost_cents (whole), ==, 30);
  g_assert_null (vp_job_get_problems (whole));

  g_assert_cmpint (vp_job_get_cost_cents (fraction), ==, -1);
  assert_has_problem (vp_job_get_problems (fraction), "cost_cents: expected a whole number");

  g_assert_cmpfloat (vp_job_get_duration_seconds (negative), ==, -1.0);
  g_assert_cmpint (vp_job_get_cost_cents (negative), ==, -1);
  assert_has_problem (vp_job_get_problems (negative), "duration_seconds: negative");
  assert_has_problem (vp_job_get_problems (negative), "cost_cents: negative");

  g_assert_cmpfloat (vp_job_get_duration_seconds (huge), ==, -1.0);
  g_assert_cmpint (vp_job_get_cost_cents (huge), ==, -1);
  assert_has_problem (vp_job_get_problems (huge), "duration_seconds: number out of range");
  assert_has_problem (vp_job_get_problems (huge), "cost_cents: expected a whole number");

  g_assert_cmpfloat (vp_job_get_duration_seconds (zero), ==, 0.0);
  g_assert_cmpint (vp_job_get_cost_cents (zero), ==, 0);
}

static void
test_null_fields (void)
{
  g_autoptr(VpJob) job = NULL;
  g_autoptr(VpResult) result = NULL;
  VpAnalysis *analysis;
  guint n = 99;

  job = job_from_string ("{\"id\": \"j\", \"status\": null, \"type\": null, \"model\": null,"
                         " \"duration_seconds\": null, \"cost_cents\": null,"
                         " \"created_at\": null, \"completed_at\": null, \"error\": null,"
                         " \"result_url\": null, \"warnings\": null}");
  g_assert_cmpint (vp_job_get_status (job), ==, VP_JOB_STATUS_UNKNOWN);
  g_assert_null (vp_job_get_type_name (job));
  g_assert_cmpfloat (vp_job_get_duration_seconds (job), ==, -1.0);
  g_assert_cmpint (vp_job_get_cost_cents (job), ==, -1);
  g_assert_null (vp_job_get_created_at (job));
  g_assert_null (vp_job_get_warnings (job));
  g_assert_null (vp_job_get_problems (job));

  result = result_from_string ("{\"transcript\": null, \"duration_seconds\": null, \"language\": null,"
                               " \"segments\": null, \"words\": null, \"warnings\": null,"
                               " \"ai_analysis\": {\"call_summary\": null, \"customer\": null,"
                               " \"financial\": {\"payment_today\": null, \"recurring_amount\": \"\"},"
                               " \"compliance\": {\"recording_disclosure\": null,"
                               " \"sensitive_data_shared\": null},"
                               " \"key_issues\": null}}");
  g_assert_null (vp_result_get_transcript (result));
  g_assert_cmpfloat (vp_result_get_duration_seconds (result), ==, -1.0);
  g_assert_null (vp_result_get_segments (result, &n));
  g_assert_cmpuint (n, ==, 0);
  g_assert_null (vp_result_get_problems (result));

  analysis = vp_result_get_analysis (result);
  g_assert_null (vp_analysis_get_call_summary (analysis));
  g_assert_false (vp_analysis_has_customer (analysis));
  g_assert_true (vp_analysis_has_financial (analysis));
  g_assert_false (vp_analysis_get_money (analysis, VP_MONEY_PAYMENT_TODAY, NULL));
  g_assert_false (vp_analysis_get_money (analysis, VP_MONEY_RECURRING_AMOUNT, NULL));
  g_assert_false (vp_analysis_discusses_money (analysis));
  g_assert_true (vp_analysis_has_compliance (analysis));
  g_assert_cmpint (vp_analysis_get_recording_disclosure (analysis), ==, VP_DISCLOSURE_NOT_GIVEN);
  g_assert_null (vp_analysis_get_sensitive_data_shared (analysis));
  g_assert_null (vp_analysis_get_key_issues (analysis));

  read_every_property (result);
  read_every_property (analysis);
}

static void
test_missing_fields (void)
{
  g_autoptr(VpJob) job = job_from_string ("{\"id\": \"only-an-id\"}");
  g_autoptr(VpResult) result = result_from_string ("{}");

  g_assert_cmpstr (vp_job_get_id (job), ==, "only-an-id");
  g_assert_cmpint (vp_job_get_status (job), ==, VP_JOB_STATUS_UNKNOWN);
  g_assert_null (vp_job_get_type_name (job));
  g_assert_null (vp_job_get_model (job));
  g_assert_cmpfloat (vp_job_get_duration_seconds (job), ==, -1.0);
  g_assert_cmpint (vp_job_get_cost_cents (job), ==, -1);
  g_assert_null (vp_job_get_created_at (job));
  g_assert_null (vp_job_get_completed_at (job));
  g_assert_null (vp_job_get_error (job));
  g_assert_null (vp_job_get_result_url (job));
  g_assert_null (vp_job_get_warnings (job));
  g_assert_null (vp_job_get_problems (job));
  read_every_property (job);

  g_assert_null (vp_result_get_transcript (result));
  g_assert_cmpfloat (vp_result_get_duration_seconds (result), ==, -1.0);
  g_assert_null (vp_result_get_language (result));
  g_assert_null (vp_result_get_segments (result, NULL));
  g_assert_null (vp_result_get_words (result, NULL));
  g_assert_null (vp_result_get_analysis (result));
  g_assert_false (vp_result_is_lite (result));
  g_assert_null (vp_result_get_warnings (result));
  g_assert_null (vp_result_get_problems (result));
  read_every_property (result);
}

static void
test_analysis_wrong_types (void)
{
  g_autoptr(VpResult) result = NULL;
  const char * const *problems;
  VpAnalysis *analysis;

  result = result_from_string ("{\"ai_analysis\": {"
                               " \"call_summary\": 1, \"call_type\": 5, \"call_outcome\": [],"
                               " \"customer\": \"Maria\", \"agent\": {\"name\": 7, \"agent_id\": 1042},"
                               " \"financial\": {\"payment_today\": \"about fifty\","
                               "   \"recurring_amount\": true, \"pending_balance\": \"10 or 20\","
                               "   \"payment_method\": {}, \"billing_date\": 15},"
                               " \"compliance\": {\"recording_disclosure\": \"yes\","
                               "   \"sensitive_data_shared\": \"SSN\"},"
                               " \"sentiment\": [\"positive\"],"
                               " \"key_issues\": \"x\", \"action_items\": [\"call back\", 2, null, \"email\"],"
                               " \"agreements\": {}, \"transcript_cleaned\": false}}");

  analysis = vp_result_get_analysis (result);
  g_assert_null (vp_analysis_get_call_summary (analysis));
  g_assert_null (vp_analysis_get_call_type (analysis));
  g_assert_null (vp_analysis_get_call_outcome (analysis));
  g_assert_false (vp_analysis_has_customer (analysis));
  g_assert_true (vp_analysis_has_agent (analysis));
  g_assert_null (vp_analysis_get_agent_name (analysis));
  g_assert_null (vp_analysis_get_agent_id (analysis));
  g_assert_true (vp_analysis_has_financial (analysis));
  g_assert_false (vp_analysis_get_money (analysis, VP_MONEY_PAYMENT_TODAY, NULL));
  g_assert_false (vp_analysis_get_money (analysis, VP_MONEY_RECURRING_AMOUNT, NULL));
  g_assert_false (vp_analysis_get_money (analysis, VP_MONEY_PENDING_BALANCE, NULL));
  g_assert_null (vp_analysis_get_payment_method (analysis));
  g_assert_null (vp_analysis_get_billing_date (analysis));
  g_assert_false (vp_analysis_discusses_money (analysis));
  g_assert_cmpint (vp_analysis_get_recording_disclosure (analysis), ==, VP_DISCLOSURE_NOT_GIVEN);
  g_assert_null (vp_analysis_get_sensitive_data_shared (analysis));
  g_assert_null (vp_analysis_get_customer_sentiment (analysis));
  g_assert_null (vp_analysis_get_key_issues (analysis));
  /* Strings are kept, the rest skipped */
  assert_strv (vp_analysis_get_action_items (analysis), "call back", "email", NULL);
  g_assert_null (vp_analysis_get_agreements (analysis));
  g_assert_null (vp_analysis_get_transcript_cleaned (analysis));
  g_assert_false (vp_analysis_is_lite (analysis));

  problems = vp_result_get_problems (result);
  assert_has_problem (problems, "ai_analysis.call_summary: expected a string, got a number");
  assert_has_problem (problems, "ai_analysis.call_type: expected a string, got a number");
  assert_has_problem (problems, "ai_analysis.call_outcome: expected a string, got an array");
  assert_has_problem (problems, "ai_analysis.customer: expected an object, got a string");
  assert_has_problem (problems, "ai_analysis.agent.name: expected a string, got a number");
  assert_has_problem (problems, "ai_analysis.agent.agent_id: expected a string, got a number");
  assert_has_problem (problems, "ai_analysis.financial.payment_today: cannot read “about fifty” as an amount");
  assert_has_problem (problems, "ai_analysis.financial.recurring_amount: expected an amount, got a boolean");
  assert_has_problem (problems, "ai_analysis.financial.pending_balance: cannot read “10 or 20” as an amount");
  assert_has_problem (problems, "ai_analysis.financial.payment_method: expected a string, got an object");
  assert_has_problem (problems, "ai_analysis.financial.billing_date: expected a string, got a number");
  assert_has_problem (problems, "ai_analysis.compliance.recording_disclosure: expected true or false, got a string");
  assert_has_problem (problems, "ai_analysis.compliance.sensitive_data_shared: expected an array, got a string");
  assert_has_problem (problems, "ai_analysis.sentiment: expected an object, got an array");
  assert_has_problem (problems, "ai_analysis.key_issues: expected an array, got a string");
  assert_has_problem (problems, "ai_analysis.action_items: skipped 2 item(s) that were not strings");
  assert_has_problem (problems, "ai_analysis.agreements: expected an array, got an object");
  assert_has_problem (problems, "ai_analysis.transcript_cleaned: expected a string, got a boolean");

  read_every_property (analysis);

  /* Not an object at all */
  {
    g_autoptr(VpResult) other = result_from_string ("{\"ai_analysis\": \"none\"}");

    g_assert_null (vp_result_get_analysis (other));
    assert_has_problem (vp_result_get_problems (other), "ai_analysis: expected an object, got a string");
  }
}

static void
test_result_wrong_types (void)
{
  g_autoptr(VpResult) result = NULL;
  g_autoptr(VpResult) entries = NULL;
  const char * const *problems;
  const VpSegment *segments;
  const VpWord *words;
  guint n_segments = 99, n_words = 99;

  result = result_from_string ("{\"transcript\": [\"a\"], \"duration_seconds\": \"1h\","
                               " \"language\": 1, \"segments\": {\"start\": 0},"
                               " \"words\": \"hello\", \"warnings\": [1, {\"message\": \"kept\"}, {}]}");
  g_assert_null (vp_result_get_transcript (result));
  g_assert_cmpfloat (vp_result_get_duration_seconds (result), ==, -1.0);
  g_assert_null (vp_result_get_language (result));
  g_assert_null (vp_result_get_segments (result, &n_segments));
  g_assert_cmpuint (n_segments, ==, 0);
  g_assert_null (vp_result_get_words (result, &n_words));
  g_assert_cmpuint (n_words, ==, 0);
  assert_strv (vp_result_get_warnings (result), "kept", NULL);

  problems = vp_result_get_problems (result);
  assert_has_problem (problems, "transcript: expected a string, got an array");
  assert_has_problem (problems, "duration_seconds: expected a number, got a string");
  assert_has_problem (problems, "language: expected a string, got a number");
  assert_has_problem (problems, "segments: expected an array, got an object");
  assert_has_problem (problems, "words: expected an array, got a string");
  assert_has_problem (problems, "warnings: skipped 2 item(s) that were not strings");

  /* Bad entries are skipped and noted once per array */
  entries = result_from_string ("{\"segments\": ["
                                "  {\"start\": 0, \"end\": 1, \"text\": \"one\"},"
                                "  {\"start\": \"1\", \"end\": 2, \"text\": \"bad start\"},"
                                "  {\"start\": 2, \"end\": 3},"
                                "  null, 42, \"text\","
                                "  {\"start\": 3, \"end\": 4.5, \"text\": \"two\"}],"
                                " \"words\": ["
                                "  {\"word\": \"a\", \"start\": 0, \"end\": 0.5},"
                                "  {\"word\": 7, \"start\": 0.5, \"end\": 1},"
                                "  {\"text\": \"b\", \"start\": 1, \"end\": 1.5}]}");
  segments = vp_result_get_segments (entries, &n_segments);
  g_assert_cmpuint (n_segments, ==, 2);
  g_assert_cmpstr (segments[0].text, ==, "one");
  g_assert_cmpstr (segments[1].text, ==, "two");
  g_assert_cmpfloat (segments[1].end, ==, 4.5);
  words = vp_result_get_words (entries, &n_words);
  g_assert_cmpuint (n_words, ==, 1);
  g_assert_cmpstr (words[0].word, ==, "a");

  problems = vp_result_get_problems (entries);
  g_assert_cmpuint (g_strv_length ((char **) problems), ==, 2);
  assert_has_problem (problems, "segments: skipped 5 of 7 entries without a numeric start and end and a string text");
  assert_has_problem (problems, "words: skipped 2 of 3 entries without a numeric start and end and a string word");
}

static void
test_empty_arrays (void)
{
  g_autoptr(VpResult) result = NULL;
  VpAnalysis *analysis;
  g_auto(GStrv) sensitive = NULL;

  result = result_from_string ("{\"segments\": [], \"words\": [], \"warnings\": [],"
                               " \"ai_analysis\": {\"compliance\": {\"sensitive_data_shared\": []},"
                               " \"key_issues\": [], \"action_items\": [], \"agreements\": []}}");
  analysis = vp_result_get_analysis (result);

  g_assert_nonnull (vp_analysis_get_sensitive_data_shared (analysis));
  g_assert_null (vp_analysis_get_sensitive_data_shared (analysis)[0]);
  g_assert_nonnull (vp_analysis_get_key_issues (analysis));
  g_assert_null (vp_analysis_get_key_issues (analysis)[0]);
  g_assert_nonnull (vp_analysis_get_action_items (analysis));
  g_assert_nonnull (vp_analysis_get_agreements (analysis));
  g_assert_nonnull (vp_result_get_warnings (result));
  g_assert_null (vp_result_get_warnings (result)[0]);
  g_assert_null (vp_result_get_segments (result, NULL));
  g_assert_null (vp_result_get_problems (result));

  /* The property tells [] from absent too */
  g_object_get (analysis, "sensitive-data-shared", &sensitive, NULL);
  g_assert_nonnull (sensitive);
  g_assert_cmpuint (g_strv_length (sensitive), ==, 0);
}

static void
test_money (void)
{
  static const struct {
    const char *text;
    double      amount;
  } good[] = {
    { "49.99", 49.99 },
    { "$49.99", 49.99 },
    { "$ 49.99", 49.99 },
    { "1,234.50 USD", 1234.50 },
    { "USD 1,234,567.5", 1234567.5 },
    { "€12", 12 },
    { "12 €", 12 },
    { "£0.50", 0.5 },
    { "-$5.00", -5 },
    { "$-5.00", -5 },
    { "  7  ", 7 },
    { ".5", 0.5 },
    { "0", 0 },
    { "1 000.25", 1000.25 },
    { "49.99 per month", 49.99 },
  };
  static const char *bad[] = {
    "", "$", "abc", "N/A", "1.2.3", "10 or 20", "--5", "5%", "1/2",
    "999999999999999999999999999999999999999999999999999999999999999999999999",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      double amount = -999;

      if (!vp_json_parse_money (good[i].text, &amount))
        g_error ("Could not read “%s”", good[i].text);
      g_assert_cmpfloat_with_epsilon (amount, good[i].amount, 1e-9);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      double amount = -999;

      if (vp_json_parse_money (bad[i], &amount))
        g_error ("Read “%s” as %f", bad[i], amount);
      g_assert_cmpfloat (amount, ==, -999);
    }
}

static void
test_discusses_money (void)
{
  static const struct {
    const char *financial;
    gboolean    discusses;
  } cases[] = {
    { "{}", FALSE },
    { "{\"payment_today\": 0, \"recurring_amount\": \"$0.00\", \"pending_balance\": null}", FALSE },
    { "{\"payment_today\": 0, \"payment_method\": \"\"}", FALSE },
    { "{\"pending_balance\": \"$12.00\"}", TRUE },
    { "{\"recurring_amount\": -3}", TRUE },
    { "{\"payment_method\": \"check\"}", TRUE },
    { "{\"billing_date\": \"2026-05-01\"}", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"ai_analysis\": {\"financial\": %s}}",
                                               cases[i].financial);
      g_autoptr(VpResult) result = result_from_string (json);
      VpAnalysis *analysis = vp_result_get_analysis (result);
      gboolean discusses;

      g_assert_true (vp_analysis_has_financial (analysis));
      g_assert_cmpint (vp_analysis_discusses_money (analysis), ==, cases[i].discusses);
      g_object_get (analysis, "discusses-money", &discusses, NULL);
      g_assert_cmpint (discusses, ==, cases[i].discusses);
    }

  /* A real zero is still an amount */
  {
    g_autoptr(VpResult) result = result_from_string ("{\"ai_analysis\": {\"financial\": {\"payment_today\": 0}}}");
    double amount = -1;
    gboolean has_amount = FALSE;

    g_assert_true (vp_analysis_get_money (vp_result_get_analysis (result), VP_MONEY_PAYMENT_TODAY, &amount));
    g_assert_cmpfloat (amount, ==, 0);
    g_object_get (vp_result_get_analysis (result),
                  "has-payment-today", &has_amount,
                  "payment-today", &amount,
                  NULL);
    g_assert_true (has_amount);
    g_assert_cmpfloat (amount, ==, 0);
  }
}

static void
test_huge_strings (void)
{
  const gsize size = 10 * 1024 * 1024;
  g_autoptr(GString) json = g_string_sized_new (2 * size + 256);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(VpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  VpAnalysis *analysis;

  g_string_append (json, "{\"transcript\": \"");
  for (gsize i = 0; i < size / 8; i++)
    g_string_append (json, "word \\\"x ");
  g_string_append (json, "\", \"ai_analysis\": {\"call_type\": \"");
  for (gsize i = 0; i < size / 8; i++)
    g_string_append (json, "billing ");
  g_string_append (json, "\"}}");

  bytes = g_string_free_to_bytes (g_steal_pointer (&json));
  result = vp_result_new_from_bytes (bytes, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (strlen (vp_result_get_transcript (result)), ==, size);
  g_assert_true (g_str_has_prefix (vp_result_get_transcript (result), "word \"x word"));
  analysis = vp_result_get_analysis (result);
  g_assert_cmpuint (strlen (vp_analysis_get_call_type (analysis)), ==, size);

  /* A huge value of the wrong kind gives a short note */
  {
    g_autoptr(GString) money = g_string_new ("{\"ai_analysis\": {\"financial\": {\"payment_today\": \"");
    g_autoptr(VpResult) other = NULL;
    const char * const *problems;

    for (guint i = 0; i < 100000; i++)
      g_string_append (money, "lots ");
    g_string_append (money, "\"}}, \"status\": 1}");
    other = result_from_string (money->str);
    problems = vp_result_get_problems (other);
    g_assert_nonnull (problems);
    g_assert_cmpuint (strlen (problems[0]), <, 200);
  }
}

static void
test_invalid_utf8 (void)
{
  static const char *bodies[] = {
    "{\"transcript\": \"caf\xe9\"}",
    "{\"transcript\": \"\xc3\x28\"}",
    "{\"transcript\": \"\xed\xa0\x80\"}",
    "{\"transcript\": \"\\ud800\"}",
    "{\"tr\xff\": 1}",
    "\xef\xbb\xbf\xff{}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    assert_result_fails (bodies[i], strlen (bodies[i]));
}

static GString *
nested (guint        depth,
        const char  *open,
        const char  *inner,
        const char  *close)
{
  GString *json = g_string_new ("{\"transcript\": \"t\", \"extra\": ");

  for (guint i = 0; i < depth; i++)
    g_string_append (json, open);
  g_string_append (json, inner);
  for (guint i = 0; i < depth; i++)
    g_string_append (json, close);
  g_string_append (json, "}");

  return json;
}

static void
test_deep_nesting (void)
{
  /* json-glib 1.6 recurses: this many levels would overflow the stack */
  {
    g_autoptr(GString) arrays = g_string_new (NULL);

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (arrays, '[');
    for (guint i = 0; i < 100000; i++)
      g_string_append_c (arrays, ']');
    assert_result_fails (arrays->str, arrays->len);
  }

  {
    g_autoptr(GString) objects = nested (100000, "{\"a\": ", "1", "}");

    assert_result_fails (objects->str, objects->len);
  }

  /* Unbalanced: no closing brackets at all */
  {
    g_autoptr(GString) open = g_string_new ("{\"a\": ");

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (open, '[');
    assert_result_fails (open->str, open->len);
  }

  /* Below the limit it is just JSON */
  {
    g_autoptr(GString) fine = nested (VP_JSON_MAX_DEPTH - 2, "[", "", "]");
    g_autoptr(VpResult) result = result_from_string (fine->str);

    g_assert_cmpstr (vp_result_get_transcript (result), ==, "t");
  }

  /* Brackets inside strings (escaped quotes too) do not count */
  {
    g_autoptr(GString) text = g_string_new ("{\"transcript\": \"\\\"");

    for (guint i = 0; i < 100000; i++)
      g_string_append (text, "[{");
    g_string_append (text, "\"}");
    {
      g_autoptr(VpResult) result = result_from_string (text->str);

      g_assert_cmpuint (strlen (vp_result_get_transcript (result)), ==, 200001);
    }
  }
}

static void
test_warnings_kept (void)
{
  g_autoptr(VpJob) job = job_from_string ("{\"id\": \"j\", \"warnings\": [\"auto-upgraded to Pro\", \"slow\"],"
                                          " \"unknown\": {\"deep\": [1, 2, 3]}, \"plan\": \"lite\"}");
  g_autoptr(VpJob) single = job_from_string ("{\"id\": \"j\", \"warnings\": \"just one\"}");
  g_autoptr(JsonNode) node = parse_string ("{\"plans\": [{\"id\": \"pro\", \"mystery\": 1}],"
                                           " \"warnings\": [\"prices change soon\"]}");
  g_autoptr(VpPricing) pricing = vp_pricing_new_from_json (node, NULL);
  g_auto(GStrv) warnings = NULL;

  assert_strv (vp_job_get_warnings (job), "auto-upgraded to Pro", "slow", NULL);
  g_assert_null (vp_job_get_problems (job));
  assert_strv (vp_job_get_warnings (single), "just one", NULL);

  g_object_get (job, "warnings", &warnings, NULL);
  g_assert_cmpuint (g_strv_length (warnings), ==, 2);

  assert_strv (vp_pricing_get_warnings (pricing), "prices change soon", NULL);
  g_assert_null (vp_pricing_get_problems (pricing));
}

static void
test_pricing_malformed (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(VpPricing) pricing = NULL;
  g_autoptr(VpPricing) empty = NULL;
  g_autoptr(VpPlan) plan = NULL;
  const char * const *problems;

  node = parse_string ("{\"plans\": [{\"id\": \"pro\", \"price_per_hour\": \"$0.39\"},"
                       " {\"name\": \"no id\"}, 5,"
                       " {\"id\": \"lite\", \"price_per_hour\": \"cheap\", \"name\": 3}],"
                       " \"currency\": 840}");
  pricing = vp_pricing_new_from_json (node, NULL);

  g_assert_cmpuint (g_list_model_get_n_items (vp_pricing_get_plans (pricing)), ==, 2);
  plan = g_list_model_get_item (vp_pricing_get_plans (pricing), 0);
  g_assert_cmpfloat (vp_plan_get_price_per_hour (plan), ==, 0.39);
  g_assert_cmpfloat (vp_plan_get_price_per_hour (vp_pricing_find_plan (pricing, "lite")), ==, -1.0);
  g_assert_null (vp_plan_get_name (vp_pricing_find_plan (pricing, "lite")));
  g_assert_null (vp_pricing_get_currency (pricing));

  problems = vp_pricing_get_problems (pricing);
  assert_has_problem (problems, "plans[1]: skipped: A plan in the server’s answer has no id");
  assert_has_problem (problems, "plans[2]: skipped: A plan in the server’s answer is not a JSON object");
  assert_has_problem (problems, "plans[3].price_per_hour: cannot read “cheap” as an amount");
  assert_has_problem (problems, "plans[3].name: expected a string, got a number");
  assert_has_problem (problems, "currency: expected a string, got a number");

  read_every_property (pricing);
  read_every_property (vp_pricing_find_plan (pricing, "lite"));

  g_clear_pointer (&node, json_node_unref);
  node = parse_string ("{\"plans\": {}}");
  empty = vp_pricing_new_from_json (node, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (vp_pricing_get_plans (empty)), ==, 0);
  assert_has_problem (vp_pricing_get_problems (empty), "plans: expected an array, got an object");
}

static void
test_many_problems (void)
{
  g_autoptr(GString) json = g_string_new ("{\"id\": \"j\"");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(VpPricing) pricing = NULL;
  const char * const *problems;

  g_string_append (json, ", \"plans\": [");
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (json, "%s7", i ? ", " : "");
  g_string_append (json, "]}");

  node = parse_string (json->str);
  pricing = vp_pricing_new_from_json (node, NULL);
  problems = vp_pricing_get_problems (pricing);

  /* Capped, with a last line saying so */
  g_assert_cmpuint (g_strv_length ((char **) problems), ==, VP_JSON_MAX_PROBLEMS + 1);
  g_assert_cmpstr (problems[VP_JSON_MAX_PROBLEMS], ==, "(further problems not listed)");
}

/* -------------------------------------------------------------------------
 * Size and threads
 */

static GBytes *
long_call (guint n_words)
{
  GString *json = g_string_new ("{\"transcript\": \"...\", \"duration_seconds\": 14400,"
                                " \"language\": \"en\", \"segments\": [");

  for (guint i = 0; i < n_words / 10; i++)
    g_string_append_printf (json, "%s{\"start\": %u.0, \"end\": %u.5, \"text\": \"segment %u\"}",
                            i ? ", " : "", i, i, i);
  g_string_append (json, "], \"words\": [");
  for (guint i = 0; i < n_words; i++)
    g_string_append_printf (json, "%s{\"word\": \"w%u\", \"start\": %u.25, \"end\": %u.75}",
                            i ? ", " : "", i, i, i);
  g_string_append (json, "], \"ai_analysis\": {\"transcript_cleaned\": \"Agent: hi\"}}");

  return g_string_free_to_bytes (json);
}

static void
test_long_call (void)
{
  g_autoptr(GBytes) bytes = long_call (40000);
  g_autoptr(GError) error = NULL;
  g_autoptr(VpResult) result = vp_result_new_from_bytes (bytes, &error);
  const VpWord *words;
  const VpSegment *segments;
  guint n_words, n_segments;

  g_assert_no_error (error);
  words = vp_result_get_words (result, &n_words);
  segments = vp_result_get_segments (result, &n_segments);
  g_assert_cmpuint (n_words, ==, 40000);
  g_assert_cmpuint (n_segments, ==, 4000);
  g_assert_cmpstr (words[39999].word, ==, "w39999");
  g_assert_cmpfloat (words[39999].start, ==, 39999.25);
  g_assert_cmpstr (segments[3999].text, ==, "segment 3999");
  g_assert_true (vp_result_is_lite (result));
  g_assert_null (vp_result_get_problems (result));
}

static gpointer
parse_in_thread (gpointer data)
{
  GBytes *bytes = data;
  g_autoptr(GError) error = NULL;
  VpResult *result = vp_result_new_from_bytes (bytes, &error);

  g_assert_no_error (error);

  return result;
}

static void
test_parse_in_threads (void)
{
  g_autoptr(GBytes) bytes = long_call (5000);
  GThread *threads[4];

  /* As VpClient does it: in workers, several at once */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("parse", parse_in_thread, bytes);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autoptr(VpResult) result = g_thread_join (threads[i]);
      guint n_words;

      vp_result_get_words (result, &n_words);
      g_assert_cmpuint (n_words, ==, 5000);
    }
}

/* A copy for the export's thread: equal, and its own (the original may
 * change without it) */
static void
test_job_copy (void)
{
  const char *processing =
    "{\"id\": \"j1\", \"status\": \"processing\", \"type\": \"transcribe\","
    " \"model\": \"standard\", \"duration_seconds\": 60, \"cost_cents\": \"x\","
    " \"created_at\": \"2026-04-19 19:13:18\", \"warnings\": [\"w\"]}";
  const char *done =
    "{\"id\": \"j1\", \"status\": \"completed\", \"type\": \"transcribe\","
    " \"completed_at\": \"2026-04-19 19:15:22\", \"result_url\": \"/v1/jobs/j1/result\"}";
  g_autoptr(JsonNode) node = parse_string (processing);
  g_autoptr(GError) error = NULL;
  /* Parsed (a JSON tree, no text), and from a page (text only) */
  g_autoptr(VpJob) parsed = job_from_string (processing);
  g_autoptr(VpJob) compact = _vp_job_new_compact (node, processing, strlen (processing), &error);
  /* What a copy of the parsed one is: the tree written out as text */
  g_autoptr(VpJob) written = _vp_job_new_compact (node, NULL, 0, &error);
  VpJob *jobs[] = { parsed, compact };
  VpJob *expected[] = { written, compact };

  g_assert_no_error (error);
  g_assert_nonnull (vp_job_get_problems (parsed));

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_autoptr(VpJob) copy = _vp_job_copy (jobs[i]);
      g_autoptr(VpJob) later = job_from_string (done);

      g_assert_true (_vp_job_equal (copy, expected[i]));
      g_assert_true (json_object_equal (vp_job_get_json (copy), vp_job_get_json (jobs[i])));
      g_assert_true (vp_job_get_json (copy) != vp_job_get_json (jobs[i]));

      vp_job_update_from (jobs[i], later);
      g_assert_false (_vp_job_equal (copy, jobs[i]));
      g_assert_cmpint (vp_job_get_status (copy), ==, VP_JOB_STATUS_PROCESSING);
      g_assert_null (vp_job_get_result_url (copy));
      g_assert_cmpstr (vp_job_get_warnings (copy)[0], ==, "w");
      g_assert_nonnull (vp_job_get_problems (copy));
    }
}

/* The page's jobs through the fast path (NULL if it gives up) and through
 * json-glib's tree; where both read the page, the same jobs */
static GPtrArray *
assert_fast_matches_slow (const char *text,
                          gboolean    fast_expected)
{
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
  g_autoptr(GPtrArray) fast = _vp_page_scanner_read_jobs (body);
  g_autoptr(GPtrArray) slow = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) slow_error = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true ((fast != NULL) == fast_expected);

  slow = _vp_responses_parse_job_page_slow (body, &slow_error);
  page = _vp_responses_parse_job_page (body, &error);

  /* The same answer either way, errors included */
  g_assert_true ((page == NULL) == (slow == NULL));
  if (slow_error != NULL)
    g_assert_error (error, slow_error->domain, slow_error->code);
  if (slow == NULL)
    return NULL;

  g_assert_cmpuint (page->len, ==, slow->len);
  for (guint i = 0; i < slow->len; i++)
    g_assert_true (_vp_job_equal (g_ptr_array_index (page, i), g_ptr_array_index (slow, i)));

  return g_steal_pointer (&page);
}

/* Pages as the API writes them are read straight from their text
 * (vp-page-scanner.c); the jobs are those json-glib's way reads */
static void
test_page_fast_path (void)
{
  VpGenerator *gen = vp_generator_new (7);
  g_autoptr(GArray) jobs = g_array_new (FALSE, TRUE, sizeof (VpGenJob));

  vp_generator_append_jobs (gen, jobs, 300);

  for (guint full = 0; full < 2; full++)
    for (guint start = 0; start < jobs->len; start += 100)
      {
        g_autoptr(GString) text = g_string_new ("{\"jobs\": [");
        g_autoptr(GPtrArray) page = NULL;

        for (guint i = start; i < start + 100; i++)
          {
            if (i > start)
              g_string_append (text, ", ");
            vp_generator_write_job (&g_array_index (jobs, VpGenJob, i), full, text);
          }
        g_string_append (text, "], \"limit\": 100, \"offset\": 0}");

        page = assert_fast_matches_slow (text->str, TRUE);
        g_assert_cmpuint (page->len, ==, 100);
      }

  vp_generator_free (gen);
}

/* Anything else goes json-glib's way, with the same jobs, problems and
 * errors as before there was a fast path */
static void
test_page_general_path (void)
{
  static const char * const pages[] = {
    /* non-ASCII, escapes */
    "{\"jobs\":[{\"id\":\"a\",\"status\":\"completed\",\"model\":\"mod\u00e8le\"}]}",
    "{\"jobs\":[{\"id\":\"a\",\"status\":\"completed\",\"model\":\"mod\xc3\xa8le\"}]}",
    "{\"jobs\":[{\"id\":\"a\\u0062\",\"status\":\"queued\"}]}",
    /* numbers: an exponent, negative, a fraction of cents */
    "{\"jobs\":[{\"id\":\"a\",\"status\":\"queued\",\"duration_seconds\":1e3}]}",
    "{\"jobs\":[{\"id\":\"a\",\"status\":\"queued\",\"duration_seconds\":-4}]}",
    "{\"jobs\":[{\"id\":\"a\",\"status\":\"queued\",\"cost_cents\":1.5}]}",
    /* a repeated member, an unknown status, a date of another form */
    "{\"jobs\":[{\"id\":\"a\",\"id\":\"b\",\"status\":\"queued\"}]}",
    "{\"jobs\":[{\"id\":\"a\",\"status\":\"paused\"}]}",
    "{\"jobs\":[{\"id\":\"a\",\"status\":\"queued\",\"created_at\":\"yesterday\"}]}",
    /* warnings as objects, an error object, a job without an id */
    "{\"jobs\":[{\"id\":\"a\",\"status\":\"queued\",\"warnings\":[{\"code\":\"x\"}]}]}",
    "{\"jobs\":[{\"id\":\"a\",\"status\":\"failed\",\"error\":{\"message\":\"no\"}}]}",
    "{\"jobs\":[{\"status\":\"queued\"}]}",
    /* not a page */
    "{\"jobs\":[{\"id\":\"a\"}],}",
    "{\"jobs\":{}}",
    "[]",
    "{\"jobs\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(GPtrArray) page = NULL;

      g_test_message ("%s", pages[i]);
      page = assert_fast_matches_slow (pages[i], FALSE);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/parse/reference/list-jobs", test_reference_list_jobs);
  g_test_add_func ("/parse/reference/get-job", test_reference_get_job);
  g_test_add_func ("/parse/reference/result", test_reference_result);
  g_test_add_func ("/parse/reference/pricing", test_reference_pricing);
  g_test_add_func ("/parse/result/pro", test_pro_result);
  g_test_add_func ("/parse/result/lite", test_lite_result);
  g_test_add_func ("/parse/result/lite-detection", test_lite_detection);
  g_test_add_func ("/parse/job/statuses", test_job_statuses);
  g_test_add_func ("/parse/job/timestamps", test_job_timestamps);
  g_test_add_func ("/parse/job/update-from", test_job_update_from);
  g_test_add_func ("/parse/job/copy", test_job_copy);
  g_test_add_func ("/parse/malformed/not-json", test_not_json);
  g_test_add_func ("/parse/malformed/not-an-object", test_not_an_object);
  g_test_add_func ("/parse/malformed/job-without-id", test_job_without_id);
  g_test_add_func ("/parse/malformed/job-wrong-types", test_job_wrong_types);
  g_test_add_func ("/parse/job/error", test_job_error);
  g_test_add_func ("/parse/malformed/job-numbers", test_job_numbers);
  g_test_add_func ("/parse/malformed/null-fields", test_null_fields);
  g_test_add_func ("/parse/malformed/missing-fields", test_missing_fields);
  g_test_add_func ("/parse/malformed/analysis-wrong-types", test_analysis_wrong_types);
  g_test_add_func ("/parse/malformed/result-wrong-types", test_result_wrong_types);
  g_test_add_func ("/parse/malformed/empty-arrays", test_empty_arrays);
  g_test_add_func ("/parse/malformed/pricing", test_pricing_malformed);
  g_test_add_func ("/parse/malformed/many-problems", test_many_problems);
  g_test_add_func ("/parse/money/strings", test_money);
  g_test_add_func ("/parse/money/discusses", test_discusses_money);
  g_test_add_func ("/parse/hostile/huge-strings", test_huge_strings);
  g_test_add_func ("/parse/hostile/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/parse/hostile/deep-nesting", test_deep_nesting);
  g_test_add_func ("/parse/unknown-fields-and-warnings", test_warnings_kept);
  g_test_add_func ("/parse/size/long-call", test_long_call);
  g_test_add_func ("/parse/size/threads", test_parse_in_threads);
  g_test_add_func ("/parse/page/fast-path", test_page_fast_path);
  g_test_add_func ("/parse/page/general-path", test_page_general_path);

  return g_test_run ();
}

/* test-generator.c: the sandbox's call generator
 *
 * Determinism, coverage of call types and outcomes, and that every result
 * agrees with itself: PII listed iff spoken, disclosure iff said, money in
 * the analysis spoken in the call, timings consistent, Lite results bare.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-generator"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "vp-generator.h"

#define N_JOBS 300

static JsonNode *
parse_json (const char *data,
            gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (g_utf8_validate (data, len, NULL));
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static GArray *
make_jobs (guint64 seed,
           guint   n)
{
  g_autoptr(VpGenerator) gen = vp_generator_new (seed);
  GArray *jobs = g_array_new (FALSE, FALSE, sizeof (VpGenJob));

  vp_generator_append_jobs (gen, jobs, n);

  return jobs;
}

static JsonNode *
result_of (VpGenerator    *gen,
           const VpGenJob *job)
{
  g_autofree char *data = NULL;
  gsize len;

  data = vp_generator_result_json (gen, job, &len);
  g_assert_nonnull (data);
  g_assert_cmpuint (strlen (data), ==, len);

  return parse_json (data, len);
}

static void
test_determinism (void)
{
  g_autoptr(VpGenerator) a = vp_generator_new (1);
  g_autoptr(VpGenerator) b = vp_generator_new (1);
  g_autoptr(VpGenerator) c = vp_generator_new (2);
  g_autoptr(GArray) jobs_a = make_jobs (1, 60);
  g_autoptr(GArray) jobs_b = make_jobs (1, 60);
  guint n_same_as_other_seed = 0;

  g_assert_cmpmem (jobs_a->data, jobs_a->len * sizeof (VpGenJob),
                   jobs_b->data, jobs_b->len * sizeof (VpGenJob));

  for (guint i = 0; i < 60; i += 3)
    {
      VpGenJob ja, jb, jc;
      g_autofree char *ra = NULL;
      g_autofree char *rb = NULL;
      g_autofree char *rc = NULL;
      gsize la, lb, lc;

      /* made alone, out of order, the same as made in a batch */
      vp_generator_make_job (b, i, &jb);
      vp_generator_make_job (a, i, &ja);
      vp_generator_make_job (c, i, &jc);
      g_assert_cmpstr (ja.id, ==, jb.id);
      g_assert_cmpstr (ja.id, ==, g_array_index (jobs_a, VpGenJob, i).id);
      g_assert_cmpstr (ja.id, !=, jc.id);

      ra = vp_generator_result_json (a, &ja, &la);
      rb = vp_generator_result_json (b, &jb, &lb);
      rc = vp_generator_result_json (c, &ja, &lc);
      g_assert_cmpmem (ra, la, rb, lb);
      if (la == lc && memcmp (ra, rc, la) == 0)
        n_same_as_other_seed++;
    }

  g_assert_cmpuint (n_same_as_other_seed, ==, 0);
}

static void
test_jobs (void)
{
  g_autoptr(GArray) jobs = make_jobs (1, N_JOBS);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GRegex) uuid = g_regex_new ("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", 0, 0, NULL);
  guint counts[4] = { 0, };
  guint n_lite = 0, n_enhanced = 0;

  g_assert_cmpuint (jobs->len, ==, N_JOBS);
  g_assert_cmpint (g_array_index (jobs, VpGenJob, N_JOBS - 1).created_at, ==, VP_GENERATOR_BASE_TIME);
  g_assert_cmpuint (g_array_index (jobs, VpGenJob, N_JOBS - 1).status, ==, VP_GEN_STATUS_QUEUED);
  g_assert_cmpuint (g_array_index (jobs, VpGenJob, N_JOBS - 2).status, ==, VP_GEN_STATUS_PROCESSING);

  for (guint i = 0; i < jobs->len; i++)
    {
      const VpGenJob *job = &g_array_index (jobs, VpGenJob, i);
      g_autoptr(GString) str = g_string_new (NULL);
      g_autoptr(JsonNode) node = NULL;
      JsonObject *obj;
      guint rate = job->plan == VP_GEN_PLAN_LITE ? 15 : 39;

      g_assert_true (g_regex_match (uuid, job->id, 0, NULL));
      g_assert_false (g_hash_table_contains (ids, job->id));
      g_hash_table_add (ids, (gpointer) job->id);

      if (i > 0)
        {
          g_assert_cmpint (job->created_at - g_array_index (jobs, VpGenJob, i - 1).created_at, >=, 180);
          g_assert_cmpint (job->created_at - g_array_index (jobs, VpGenJob, i - 1).created_at, <=, 3600);
        }
      g_assert_cmpuint (job->duration_seconds, >=, 45);
      g_assert_cmpuint (job->duration_seconds, <=, 2400);
      g_assert_cmpuint (job->cost_cents, >=, 1);
      g_assert_cmpuint (job->cost_cents, ==, MAX (1, (job->duration_seconds * rate + 1800) / 3600));

      counts[job->status]++;
      n_lite += job->plan == VP_GEN_PLAN_LITE;
      n_enhanced += job->enhanced;

      vp_generator_write_job (job, TRUE, str);
      node = parse_json (str->str, str->len);
      obj = json_node_get_object (node);
      g_assert_cmpstr (json_object_get_string_member (obj, "id"), ==, job->id);
      g_assert_cmpstr (json_object_get_string_member (obj, "type"), ==, "transcribe");
      g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, vp_gen_status_to_string (job->status));

      if (job->status == VP_GEN_STATUS_FAILED)
        {
          const char *message = json_object_get_string_member (obj, "error");
          g_assert_nonnull (message);
          g_assert_cmpuint (strlen (message), >, 5);
        }
      else
        g_assert_true (json_object_get_null_member (obj, "error"));

      if (job->status == VP_GEN_STATUS_COMPLETED)
        {
          g_autofree char *url = g_strdup_printf ("/v1/jobs/%s/result", job->id);
          g_assert_cmpstr (json_object_get_string_member (obj, "result_url"), ==, url);
        }
      else
        g_assert_false (json_object_has_member (obj, "result_url"));

      if (job->status == VP_GEN_STATUS_COMPLETED || job->status == VP_GEN_STATUS_FAILED)
        {
          GDateTime *dt;
          g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
          g_autoptr(GDateTime) created = g_date_time_new_from_iso8601 (json_object_get_string_member (obj, "created_at"), utc);
          g_autoptr(GDateTime) completed = g_date_time_new_from_iso8601 (json_object_get_string_member (obj, "completed_at"), utc);

          g_assert_nonnull (created);
          g_assert_nonnull (completed);
          dt = completed;
          g_assert_cmpint (g_date_time_difference (dt, created), >=, 60 * G_TIME_SPAN_SECOND);
          g_assert_cmpint (g_date_time_difference (dt, created), <=, 600 * G_TIME_SPAN_SECOND);
        }
      else
        g_assert_true (json_object_get_null_member (obj, "completed_at"));
    }

  g_test_message ("statuses: queued %u, processing %u, completed %u, failed %u; lite %u, enhanced %u",
                  counts[0], counts[1], counts[2], counts[3], n_lite, n_enhanced);
  g_assert_cmpuint (counts[VP_GEN_STATUS_FAILED], >=, 5);
  g_assert_cmpuint (counts[VP_GEN_STATUS_FAILED], <=, 35);
  g_assert_cmpuint (counts[VP_GEN_STATUS_COMPLETED], >=, 250);
  g_assert_cmpuint (n_lite, >=, 20);
  g_assert_cmpuint (n_lite, <=, 80);
  g_assert_cmpuint (n_enhanced, >, 0);
}

/* What the test recognises as each kind of PII in the transcript. */
static const struct {
  const char *kind;
  const char *pattern;
} pii_patterns[] = {
  { "credit card", "\\b\\d{4} \\d{4} \\d{4} \\d{4}\\b|((zero|one|two|three|four|five|six|seven|eight|nine),? ){15}(zero|one|two|three|four|five|six|seven|eight|nine)" },
  { "SSN (last 4)", "(?i)social[^\\n]*(\\b\\d{4}\\b|((zero|one|two|three|four|five|six|seven|eight|nine) ){3}(zero|one|two|three|four|five|six|seven|eight|nine))" },
  { "phone number", "\\b\\d{3}-\\d{3}-\\d{4}\\b" },
  { "email address", "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[a-z]{2,}" },
  { "account number", "(?i)account number is \\d{6,}" },
  { "date of birth", "(?i)date of birth is (January|February|March|April|May|June|July|August|September|October|November|December) \\d{1,2}(st|nd|rd|th), \\d{4}" },
};

static gboolean
strv_contains_node (JsonArray  *array,
                    const char *str)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), str) == 0)
      return TRUE;
  return FALSE;
}

static void
check_money (JsonObject *financial,
             const char *member,
             const char *transcript)
{
  JsonNode *node = json_object_get_member (financial, member);
  g_autofree char *spoken = NULL;
  double value;

  g_assert_nonnull (node);
  if (JSON_NODE_HOLDS_NULL (node))
    return;

  value = json_node_get_double (node);
  g_assert_cmpfloat (value, >, 0.0);
  spoken = g_strdup_printf ("$%.2f", value);
  if (strstr (transcript, spoken) == NULL)
    g_error ("%s %s not in the transcript", member, spoken);
}

static void
check_timings (JsonObject *result)
{
  JsonArray *segments = json_object_get_array_member (result, "segments");
  JsonArray *words = json_object_get_array_member (result, "words");
  double duration = json_object_get_double_member (result, "duration_seconds");
  g_autoptr(GString) joined = g_string_new (NULL);
  double prev_end = 0.0;
  guint w = 0;

  g_assert_cmpuint (json_array_get_length (segments), >, 3);
  g_assert_cmpuint (json_array_get_length (words), >, json_array_get_length (segments));

  for (guint s = 0; s < json_array_get_length (segments); s++)
    {
      JsonObject *seg = json_array_get_object_element (segments, s);
      double start = json_object_get_double_member (seg, "start");
      double end = json_object_get_double_member (seg, "end");
      const char *text = json_object_get_string_member (seg, "text");
      guint n_in_segment = 0;

      g_assert_cmpfloat (start, >=, prev_end);
      g_assert_cmpfloat (end, >, start);
      g_assert_cmpfloat (end, <=, duration);
      g_assert_nonnull (text);
      prev_end = end;

      if (s > 0)
        g_string_append_c (joined, ' ');
      g_string_append (joined, text);

      /* the words of this segment, in order, inside it */
      for (; w < json_array_get_length (words); w++)
        {
          JsonObject *word = json_array_get_object_element (words, w);
          double ws = json_object_get_double_member (word, "start");
          double we = json_object_get_double_member (word, "end");

          if (ws >= end)
            break;
          g_assert_cmpfloat (ws, >=, start);
          g_assert_cmpfloat (we, <=, end);
          g_assert_cmpfloat (we, >, ws);
          g_assert_nonnull (strstr (text, json_object_get_string_member (word, "word")));
          n_in_segment++;
        }
      g_assert_cmpuint (n_in_segment, >, 0);
    }
  g_assert_cmpuint (w, ==, json_array_get_length (words));

  g_assert_cmpstr (json_object_get_string_member (result, "transcript"), ==, joined->str);
  g_assert_cmpstr (json_object_get_string_member (result, "language"), ==, "en");
}

static void
test_results (void)
{
  g_autoptr(VpGenerator) gen = vp_generator_new (1);
  g_autoptr(GArray) jobs = make_jobs (1, N_JOBS);
  GRegex *regexes[G_N_ELEMENTS (pii_patterns)];
  g_autoptr(GHashTable) types = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) outcomes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) kinds = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_pro = 0, n_lite = 0, n_disclosed = 0, n_no_pii = 0, n_non_ascii = 0, n_no_money = 0;

  for (guint k = 0; k < G_N_ELEMENTS (pii_patterns); k++)
    regexes[k] = g_regex_new (pii_patterns[k].pattern, 0, 0, NULL);

  for (guint i = 0; i < jobs->len; i++)
    {
      VpGenJob job = g_array_index (jobs, VpGenJob, i);
      g_autoptr(JsonNode) node = NULL;
      JsonObject *result, *analysis, *compliance, *financial, *sentiment;
      JsonArray *shared;
      const char *cleaned;
      g_auto(GStrv) lines = NULL;
      gboolean disclosure;

      /* every job has a result body, whatever its status */
      node = result_of (gen, &job);
      result = json_node_get_object (node);
      g_assert_cmpint (json_object_get_int_member (result, "duration_seconds"), ==, job.duration_seconds);
      check_timings (result);

      analysis = json_object_get_object_member (result, "ai_analysis");
      g_assert_nonnull (analysis);
      cleaned = json_object_get_string_member (analysis, "transcript_cleaned");
      g_assert_nonnull (cleaned);

      /* one diarized line per segment */
      lines = g_strsplit (cleaned, "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, json_array_get_length (json_object_get_array_member (result, "segments")) + 1);
      for (guint l = 0; lines[l + 1] != NULL; l++)
        g_assert_true (g_str_has_prefix (lines[l], "Agent: ") || g_str_has_prefix (lines[l], "Customer: "));
      g_assert_cmpstr (lines[g_strv_length (lines) - 1], ==, "");

      if (job.plan == VP_GEN_PLAN_LITE)
        {
          n_lite++;
          g_assert_cmpuint (json_object_get_size (analysis), ==, 1);
          continue;
        }

      n_pro++;
      g_assert_cmpuint (json_object_get_size (analysis), ==, 12);
      g_assert_nonnull (json_object_get_string_member (analysis, "call_summary"));
      g_hash_table_add (types, (gpointer) g_intern_string (json_object_get_string_member (analysis, "call_type")));
      g_hash_table_add (outcomes, (gpointer) g_intern_string (json_object_get_string_member (analysis, "call_outcome")));
      g_assert_cmpstr (json_object_get_string_member (analysis, "call_type"), ==, vp_gen_call_type_to_string (job.call_type));

      /* people */
      {
        JsonObject *customer = json_object_get_object_member (analysis, "customer");
        JsonObject *agent = json_object_get_object_member (analysis, "agent");
        const char *name = json_object_get_string_member (customer, "name");

        g_assert_nonnull (strstr (cleaned, name));
        g_assert_nonnull (strstr (cleaned, json_object_get_string_member (agent, "name")));
        if (json_object_has_member (customer, "email"))
          g_assert_nonnull (strstr (cleaned, json_object_get_string_member (customer, "email")));
        if (json_object_has_member (customer, "phone"))
          g_assert_nonnull (strstr (cleaned, json_object_get_string_member (customer, "phone")));
        if (json_object_has_member (customer, "company"))
          g_assert_nonnull (strstr (cleaned, json_object_get_string_member (customer, "company")));
        if (json_object_has_member (agent, "agent_id"))
          g_assert_nonnull (strstr (cleaned, json_object_get_string_member (agent, "agent_id")));
        for (const char *p = name; *p; p++)
          if ((guchar) *p >= 0x80)
            {
              n_non_ascii++;
              break;
            }
      }

      /* compliance */
      compliance = json_object_get_object_member (analysis, "compliance");
      disclosure = json_object_get_boolean_member (compliance, "recording_disclosure");
      n_disclosed += disclosure;
      g_assert_cmpint (disclosure, ==, strstr (cleaned, "this call may be recorded") != NULL);
      if (disclosure)
        g_assert_true (g_str_has_prefix (cleaned, "Agent: ") &&
                       strstr (cleaned, "this call may be recorded") < strchr (cleaned, '\n'));

      shared = json_object_get_array_member (compliance, "sensitive_data_shared");
      if (json_array_get_length (shared) == 0)
        n_no_pii++;
      for (guint k = 0; k < G_N_ELEMENTS (pii_patterns); k++)
        {
          gboolean listed = strv_contains_node (shared, pii_patterns[k].kind);
          gboolean spoken = g_regex_match (regexes[k], cleaned, 0, NULL);

          if (listed != spoken)
            g_error ("job %u: %s listed %d, spoken %d:\n%s", i, pii_patterns[k].kind, listed, spoken, cleaned);
          if (listed)
            g_hash_table_add (kinds, (gpointer) pii_patterns[k].kind);
        }

      /* money */
      financial = json_object_get_object_member (analysis, "financial");
      g_assert_cmpuint (json_object_get_size (financial), ==, 5);
      check_money (financial, "payment_today", cleaned);
      check_money (financial, "recurring_amount", cleaned);
      check_money (financial, "pending_balance", cleaned);
      if (json_object_get_null_member (financial, "payment_today") &&
          json_object_get_null_member (financial, "recurring_amount") &&
          json_object_get_null_member (financial, "pending_balance"))
        {
          n_no_money++;
          g_assert_true (json_object_get_null_member (financial, "payment_method"));
          g_assert_null (strchr (cleaned, '$'));
        }
      if (!json_object_get_null_member (financial, "payment_today"))
        g_assert_nonnull (json_object_get_string_member (financial, "payment_method"));

      /* sentiment fits the words */
      sentiment = json_object_get_object_member (analysis, "sentiment");
      if (g_str_equal (json_object_get_string_member (sentiment, "customer_sentiment"), "negative"))
        g_assert_true (strstr (cleaned, "frustrat") || strstr (cleaned, "fed up") || strstr (cleaned, "ridiculous"));
      else
        g_assert_null (strstr (cleaned, "I'm really frustrated"));
      if (g_str_equal (json_object_get_string_member (sentiment, "customer_sentiment"), "positive"))
        g_assert_true (strstr (cleaned, "thank you so much") || strstr (cleaned, "appreciate your help") || strstr (cleaned, "relief"));

      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (analysis, "key_issues")), >, 0);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (analysis, "agreements")), >, 0);
      g_assert_nonnull (json_object_get_array_member (analysis, "action_items"));
    }

  for (guint k = 0; k < G_N_ELEMENTS (pii_patterns); k++)
    g_regex_unref (regexes[k]);

  g_test_message ("pro %u, lite %u, disclosed %u, without PII %u, non-ASCII names %u, no money %u",
                  n_pro, n_lite, n_disclosed, n_no_pii, n_non_ascii, n_no_money);
  g_assert_cmpuint (g_hash_table_size (types), ==, 5);
  g_assert_cmpuint (g_hash_table_size (outcomes), ==, 4);
  g_assert_cmpuint (g_hash_table_size (kinds), ==, G_N_ELEMENTS (pii_patterns));
  g_assert_cmpuint (n_disclosed, <, n_pro);
  g_assert_cmpuint (n_disclosed, >, n_pro / 2);
  g_assert_cmpuint (n_no_pii, >, 0);
  g_assert_cmpuint (n_non_ascii, >, 0);
  g_assert_cmpuint (n_no_money, >, 0);
}

static void
test_escaping (void)
{
  static const char input[] = "quote \" backslash \\ newline \n tab \t bell \x07 Zoë Ångström €";
  g_autoptr(GString) out = g_string_new ("[");
  g_autoptr(JsonNode) node = NULL;

  vp_json_append_string (out, input);
  g_string_append (out, ",");
  vp_json_append_string (out, NULL);
  g_string_append (out, "]");

  node = parse_json (out->str, out->len);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (node), 0), ==, input);
  g_assert_true (json_array_get_null_element (json_node_get_array (node), 1));
}

static void
test_time_format (void)
{
  char buf[20];

  vp_generator_format_time (VP_GENERATOR_BASE_TIME, buf);
  g_assert_cmpstr (buf, ==, "2026-11-27 17:00:00");
  vp_generator_format_time (1776626,
                            buf);
  g_assert_cmpstr (buf, ==, "1970-01-21 13:30:26");
}

static void
test_append_and_status (void)
{
  g_autoptr(VpGenerator) gen = vp_generator_new (7);
  g_autoptr(GArray) jobs = g_array_new (FALSE, FALSE, sizeof (VpGenJob));
  VpGenJob *job;
  VpGenStatus status;

  vp_generator_append_jobs (gen, jobs, 10);
  vp_generator_append_jobs (gen, jobs, 3);
  g_assert_cmpuint (jobs->len, ==, 13);
  for (guint i = 1; i < jobs->len; i++)
    g_assert_cmpint (g_array_index (jobs, VpGenJob, i).created_at, >, g_array_index (jobs, VpGenJob, i - 1).created_at);
  g_assert_cmpint (g_array_index (jobs, VpGenJob, 10).created_at, >, VP_GENERATOR_BASE_TIME);

  job = &g_array_index (jobs, VpGenJob, 9);
  g_assert_cmpuint (job->status, ==, VP_GEN_STATUS_QUEUED);
  g_assert_cmpint (job->completed_at, ==, 0);
  vp_generator_job_set_status (job, VP_GEN_STATUS_COMPLETED);
  g_assert_cmpint (job->completed_at, ==, job->created_at + job->turnaround_seconds);
  vp_generator_job_set_status (job, VP_GEN_STATUS_PROCESSING);
  g_assert_cmpint (job->completed_at, ==, 0);

  g_assert_true (vp_gen_status_from_string ("failed", &status));
  g_assert_cmpuint (status, ==, VP_GEN_STATUS_FAILED);
  g_assert_false (vp_gen_status_from_string ("done", &status));
  g_assert_false (vp_gen_status_from_string (NULL, &status));
}

static void
test_many_jobs (void)
{
  g_autoptr(VpGenerator) gen = vp_generator_new (1);
  g_autoptr(GArray) jobs = g_array_new (FALSE, FALSE, sizeof (VpGenJob));
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GTimer) timer = g_timer_new ();
  gsize total = 0;
  guint n_results = 0;
  double job_time, result_time;

  vp_generator_append_jobs (gen, jobs, 100000);
  job_time = g_timer_elapsed (timer, NULL);
  g_assert_cmpuint (jobs->len, ==, 100000);

  for (guint i = 0; i < jobs->len; i++)
    g_hash_table_add (ids, g_array_index (jobs, VpGenJob, i).id);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 100000);

  g_timer_start (timer);
  for (guint i = 0; i < jobs->len; i += 100)
    {
      gsize len;
      g_autofree char *data = vp_generator_result_json (gen, &g_array_index (jobs, VpGenJob, i), &len);

      total += len;
      n_results++;
    }
  result_time = g_timer_elapsed (timer, NULL);

  g_test_message ("100000 jobs in %.3f s (%.0f jobs/s); %u results in %.3f s (%.0f results/s, %.0f MB/s, %.1f KiB average)",
                  job_time, 100000 / job_time, n_results, result_time,
                  n_results / result_time, total / result_time / 1e6, total / 1024.0 / n_results);
}

static void
test_long_call (void)
{
  g_autoptr(VpGenerator) gen = vp_generator_new (1);
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autofree char *data = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *result;
  gsize len;
  guint n_words;

  data = vp_generator_long_result_json (gen, 5, 40000, &len);
  g_test_message ("long call: %.1f MB in %.3f s", len / 1e6, g_timer_elapsed (timer, NULL));

  node = parse_json (data, len);
  result = json_node_get_object (node);
  n_words = json_array_get_length (json_object_get_array_member (result, "words"));
  g_assert_cmpuint (n_words, >=, 40000);
  g_assert_cmpuint (n_words, <=, 40200);
  g_assert_cmpint (json_object_get_int_member (result, "duration_seconds"), ==, vp_generator_long_duration (40000));
  g_assert_cmpint (json_object_get_int_member (result, "duration_seconds"), ==, 14400);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (result, "ai_analysis")), ==, 12);
  check_timings (result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/generator/determinism", test_determinism);
  g_test_add_func ("/generator/jobs", test_jobs);
  g_test_add_func ("/generator/results", test_results);
  g_test_add_func ("/generator/escaping", test_escaping);
  g_test_add_func ("/generator/time-format", test_time_format);
  g_test_add_func ("/generator/append-and-status", test_append_and_status);
  g_test_add_func ("/generator/many-jobs", test_many_jobs);
  g_test_add_func ("/generator/long-call", test_long_call);

  return g_test_run ();
}

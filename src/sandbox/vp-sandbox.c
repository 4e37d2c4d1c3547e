/* vp-sandbox.c: a VoxParse-compatible HTTP server with generated calls
 *
 * A SoupServer on 127.0.0.1 that answers /v1/jobs, /v1/jobs/{id},
 * /v1/jobs/{id}/result and /v1/pricing as the API reference describes.
 * Jobs are small VpGenJob records (oldest first) guarded by a mutex;
 * results are generated on request and the last few kept in a cache.
 *
 * Faults (vp_sandbox_set_fault()) change how routed requests are answered:
 * a pick under the mutex decides, per request, a delay, a delivery (whole,
 * trickled, cut off) and at most one answer fault.  Delayed, trickled and
 * cut-off answers are "ops" that live in the server's main context only;
 * each holds its message and ends when the message finishes, so a client
 * going away mid-answer costs nothing.  A second listener, the "foreign"
 * origin, serves the same calls without a key and records every key it is
 * sent, so tests can prove the key never travels there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "vp-sandbox"

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include <libsoup/soup.h>

#include "vp-generator.h"
#include "vp-sandbox.h"

#define DEFAULT_LIMIT 20
#define MAX_LIMIT 100
#define RESULT_CACHE_SIZE 32

typedef struct
{
  gboolean          on;
  double            param;
  double            rate;
  double            credit;
  VpSandboxRequests requests;
} FaultState;

struct _VpSandbox
{
  GObject       parent_instance;

  /* construct-only */
  guint64       seed;
  guint         initial_jobs;
  char         *api_key;
  VpGenerator  *gen;

  /* guarded by mutex */
  GMutex        mutex;
  GArray       *jobs;           /* VpGenJob, index 0 = oldest */
  GHashTable   *by_id;          /* id -> index + 1 */
  GHashTable   *long_calls;     /* id -> n_words */
  GHashTable   *results;        /* id -> GBytes */
  GQueue        result_order;   /* ids in the cache, oldest first */
  guint         advance_interval;
  GSource      *advance_source;

  guint         request_count;  /* atomic */
  guint         fault_count;    /* atomic */
  guint         requests_for[4]; /* atomic; list, job, result, pricing */
  guint         foreign_count;  /* atomic */

  /* guarded by mutex */
  FaultState    faults[VP_SANDBOX_N_FAULTS];
  GHashTable   *keys_received;  /* distinct X-API-Key values */
  GHashTable   *keys_foreign;
  GBytes       *huge_body;
  guint         huge_mb;

  /* touched in the server's context only */
  GList        *ops;
  SoupServer   *foreign;
  char         *foreign_base_url;

  /* set once listening */
  SoupServer   *server;
  GMainContext *context;        /* where the server runs */
  char         *base_url;
  guint         port;

  /* thread mode */
  GThread      *thread;
  GMainLoop    *thread_loop;
  GCond         cond;
  gboolean      thread_done_starting;
  GError       *thread_error;
};

G_DEFINE_FINAL_TYPE (VpSandbox, vp_sandbox, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SEED,
  PROP_N_JOBS,
  PROP_API_KEY,
  PROP_BASE_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char pricing_body[] =
  "{\"plans\":["
  "{\"id\":\"pro\",\"name\":\"VoxParse Pro\",\"price_per_hour\":0.39,"
  "\"price_per_hour_display\":\"$0.39\",\"features\":\"Full 11-feature AI analysis JSON\"},"
  "{\"id\":\"lite\",\"name\":\"VoxParse Lite\",\"price_per_hour\":0.15,"
  "\"price_per_hour_display\":\"$0.15\",\"features\":\"Transcript, diarization, transcript_cleaned only\"}"
  "],\"currency\":\"usd\","
  "\"note\":\"Requests with plan=lite that enable standard features auto-upgrade to Pro. "
  "A warnings[] array is added to the response.\"}";

/* ------------------------------------------------------------------ */
/* Job store (call with the mutex held)                                */

static VpGenJob *
lookup_job_locked (VpSandbox  *self,
                   const char *id)
{
  gpointer value;

  g_assert (VP_IS_SANDBOX (self));

  if (id == NULL || !g_hash_table_lookup_extended (self->by_id, id, NULL, &value))
    return NULL;

  return &g_array_index (self->jobs, VpGenJob, GPOINTER_TO_UINT (value) - 1);
}

static void
index_jobs_locked (VpSandbox *self,
                   guint      first)
{
  g_assert (VP_IS_SANDBOX (self));

  for (guint i = first; i < self->jobs->len; i++)
    g_hash_table_insert (self->by_id,
                         g_strdup (g_array_index (self->jobs, VpGenJob, i).id),
                         GUINT_TO_POINTER (i + 1));
}

static void
forget_result_locked (VpSandbox  *self,
                      const char *id)
{
  GList *link;

  g_assert (VP_IS_SANDBOX (self));

  if (!g_hash_table_remove (self->results, id))
    return;

  link = g_queue_find_custom (&self->result_order, id, (GCompareFunc) g_strcmp0);
  if (link != NULL)
    {
      g_free (link->data);
      g_queue_delete_link (&self->result_order, link);
    }
}

static void
remember_result_locked (VpSandbox  *self,
                        const char *id,
                        GBytes     *bytes)
{
  g_assert (VP_IS_SANDBOX (self));

  if (g_hash_table_contains (self->results, id))
    return;

  while (self->result_order.length >= RESULT_CACHE_SIZE)
    {
      g_autofree char *old = g_queue_pop_head (&self->result_order);
      g_hash_table_remove (self->results, old);
    }

  g_hash_table_insert (self->results, g_strdup (id), g_bytes_ref (bytes));
  g_queue_push_tail (&self->result_order, g_strdup (id));
}

/* ------------------------------------------------------------------ */
/* Answers                                                             */

typedef enum {
  KIND_NONE    = 0,
  KIND_LIST    = VP_SANDBOX_REQUESTS_LIST,
  KIND_JOB     = VP_SANDBOX_REQUESTS_JOB,
  KIND_RESULT  = VP_SANDBOX_REQUESTS_RESULT,
  KIND_PRICING = VP_SANDBOX_REQUESTS_PRICING,
} Kind;

/* What a request is answered with, before any fault changes how */
typedef struct
{
  guint       status;
  const char *content_type;
  GBytes     *body;
  char        retry_after[16];
  char       *location;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_clear_pointer (&answer->location, g_free);
}

static void
answer_take (Answer  *answer,
             guint    status,
             GString *body)
{
  g_assert (answer != NULL);

  answer->status = status;
  answer->content_type = "application/json";
  g_clear_pointer (&answer->body, g_bytes_unref);
  answer->body = g_string_free_to_bytes (body);
}

static void
answer_error (Answer     *answer,
              guint       status,
              const char *message)
{
  GString *body = g_string_new ("{\"error\":");

  vp_json_append_string (body, message);
  g_string_append_c (body, '}');
  answer_take (answer, status, body);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         GString           *body)
{
  gsize len;

  g_assert (SOUP_IS_SERVER_MESSAGE (msg));
  g_assert (body != NULL);

  len = body->len;
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_string_free (body, FALSE), len);
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *message)
{
  GString *body = g_string_new ("{\"error\":");

  g_assert (SOUP_IS_SERVER_MESSAGE (msg));

  vp_json_append_string (body, message);
  g_string_append_c (body, '}');
  respond (msg, status, body);
}

/* A query parameter as a non-negative int: absent gives @def. */
static gboolean
parse_param (GHashTable *query,
             const char *name,
             guint       def,
             guint      *value,
             GString   **problem)
{
  const char *str;
  guint64 v;

  g_assert (value != NULL);

  str = query ? g_hash_table_lookup (query, name) : NULL;
  if (str == NULL)
    {
      *value = def;
      return TRUE;
    }

  if (!g_ascii_string_to_unsigned (str, 10, 0, G_MAXINT32, &v, NULL))
    {
      *problem = g_string_new (NULL);
      g_string_append_printf (*problem, "Invalid %s: must be an integer between 0 and %d",
                              name, G_MAXINT32);
      return FALSE;
    }

  *value = (guint) v;
  return TRUE;
}

static const char wrong_job_fields[] =
  "\"status\":7,\"type\":[\"transcribe\"],\"model\":false,"
  "\"duration_seconds\":\"long\",\"cost_cents\":\"thirty\","
  "\"created_at\":12345,\"completed_at\":{\"when\":\"now\"}";

static void
answer_list (VpSandbox  *self,
             GHashTable *query,
             gboolean    wrong_types,
             Answer     *answer)
{
  g_autoptr(GString) problem = NULL;
  GString *body;
  guint limit, offset;

  g_assert (VP_IS_SANDBOX (self));

  if (!parse_param (query, "limit", DEFAULT_LIMIT, &limit, &problem) ||
      !parse_param (query, "offset", 0, &offset, &problem))
    {
      answer_error (answer, SOUP_STATUS_BAD_REQUEST, problem->str);
      return;
    }

  if (limit == 0)
    {
      answer_error (answer, SOUP_STATUS_BAD_REQUEST, "Invalid limit: must be at least 1");
      return;
    }

  limit = MIN (limit, MAX_LIMIT);

  body = g_string_sized_new (256 + limit * 260);
  g_string_append (body, "{\"jobs\":[");

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < limit && (guint64) offset + i < self->jobs->len; i++)
    {
      VpGenJob *job = &g_array_index (self->jobs, VpGenJob, self->jobs->len - 1 - offset - i);

      if (i > 0)
        g_string_append_c (body, ',');
      if (wrong_types)
        g_string_append_printf (body, "{\"id\":\"%s\",%s}", job->id, wrong_job_fields);
      else
        vp_generator_write_job (job, FALSE, body);
    }
  g_mutex_unlock (&self->mutex);

  if (wrong_types)
    g_string_append_printf (body, "],\"limit\":\"%u\",\"offset\":null}", limit);
  else
    g_string_append_printf (body, "],\"limit\":%u,\"offset\":%u}", limit, offset);
  answer_take (answer, SOUP_STATUS_OK, body);
}

static void
answer_job (VpSandbox  *self,
            const char *id,
            gboolean    wrong_types,
            gboolean    foreign_result_url,
            Answer     *answer)
{
  GString *body = g_string_sized_new (512);
  VpGenJob *job;

  g_assert (VP_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  job = lookup_job_locked (self, id);
  if (job != NULL && wrong_types)
    g_string_append_printf (body, "{\"id\":\"%s\",%s,\"error\":42,\"result_url\":17}",
                            job->id, wrong_job_fields);
  else if (job != NULL)
    vp_generator_write_job (job, TRUE, body);
  g_mutex_unlock (&self->mutex);

  if (job == NULL)
    {
      g_string_free (body, TRUE);
      answer_error (answer, SOUP_STATUS_NOT_FOUND, "Job not found");
      return;
    }

  if (foreign_result_url && self->foreign_base_url != NULL)
    {
      g_autofree char *absolute = g_strconcat ("\"result_url\":\"", self->foreign_base_url, "/v1/", NULL);

      g_string_replace (body, "\"result_url\":\"/v1/", absolute, 1);
    }

  answer_take (answer, SOUP_STATUS_OK, body);
}

static const char wrong_types_result[] =
  "{\"transcript\":[\"not\",\"a\",\"string\"],\"duration_seconds\":\"long\",\"language\":7,"
  "\"segments\":{\"start\":0},\"words\":\"none\","
  "\"ai_analysis\":{\"call_summary\":42,\"call_type\":[\"billing\"],\"call_outcome\":true,"
  "\"transcript_cleaned\":\"Agent: This answer has fields of the wrong type. Customer: I see.\","
  "\"customer\":\"Jane\",\"agent\":[1,2],"
  "\"financial\":{\"payment_today\":true,\"recurring_amount\":{\"x\":1},\"payment_method\":5},"
  "\"compliance\":{\"recording_disclosure\":\"yes\",\"sensitive_data_shared\":\"phone number\"},"
  "\"sentiment\":[],\"key_issues\":\"billing\",\"action_items\":{\"a\":1},\"agreements\":7}}";

/* About @mb MB of transcript, and the same again labelled by speaker */
static GBytes *
make_huge_result (guint mb)
{
  static const char * const words[] = {
    "thanks", "for", "calling", "about", "the", "invoice", "we", "can",
    "look", "into", "that", "payment", "today", "account", "number", "okay",
  };
  gsize target = (gsize) mb * 1024 * 1024;
  g_autoptr(GString) plain = g_string_sized_new (target + 64);
  g_autoptr(GString) labelled = g_string_sized_new (target + target / 8);
  GString *body;
  guint n = 0;

  while (plain->len < target)
    {
      if (n % 40 == 0)
        g_string_append (labelled, (n / 40) % 2 == 0 ? "Agent: " : "Customer: ");
      g_string_append (plain, words[n % G_N_ELEMENTS (words)]);
      g_string_append (labelled, words[n % G_N_ELEMENTS (words)]);
      g_string_append_c (plain, ' ');
      g_string_append_c (labelled, n % 40 == 39 ? '\n' : ' ');
      n++;
    }

  body = g_string_sized_new (plain->len + labelled->len + 512);
  g_string_append (body, "{\"transcript\":");
  vp_json_append_string (body, plain->str);
  g_string_append_printf (body, ",\"duration_seconds\":%u,\"language\":\"en\",\"segments\":[],\"words\":[],"
                          "\"ai_analysis\":{\"call_summary\":\"An unusually long call.\","
                          "\"call_type\":\"support\",\"transcript_cleaned\":", n / 3);
  vp_json_append_string (body, labelled->str);
  g_string_append (body, "}}");

  return g_string_free_to_bytes (body);
}

static void
answer_result (VpSandbox  *self,
               const char *id,
               gboolean    wrong_types,
               guint       huge_mb,
               Answer     *answer)
{
  g_autoptr(GBytes) bytes = NULL;
  VpGenJob copy;
  VpGenJob *job;
  guint long_words = 0;
  char *data;
  gsize len;

  g_assert (VP_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  job = lookup_job_locked (self, id);
  if (job != NULL)
    {
      copy = *job;
      long_words = GPOINTER_TO_UINT (g_hash_table_lookup (self->long_calls, id));
      bytes = g_hash_table_lookup (self->results, id);
      if (bytes != NULL)
        g_bytes_ref (bytes);
      if (huge_mb > 0 && self->huge_mb == huge_mb && self->huge_body != NULL)
        {
          g_clear_pointer (&bytes, g_bytes_unref);
          bytes = g_bytes_ref (self->huge_body);
        }
    }
  g_mutex_unlock (&self->mutex);

  if (job == NULL)
    {
      answer_error (answer, SOUP_STATUS_NOT_FOUND, "Job not found");
      return;
    }

  if (copy.status != VP_GEN_STATUS_COMPLETED)
    {
      g_autofree char *message = g_strdup_printf ("Result not available: job is %s",
                                                  vp_gen_status_to_string (copy.status));
      answer_error (answer, SOUP_STATUS_NOT_FOUND, message);
      return;
    }

  if (wrong_types)
    {
      g_clear_pointer (&bytes, g_bytes_unref);
      bytes = g_bytes_new_static (wrong_types_result, sizeof wrong_types_result - 1);
    }
  else if (huge_mb > 0 && (bytes == NULL || g_bytes_get_size (bytes) < (gsize) huge_mb * 1024 * 1024))
    {
      g_clear_pointer (&bytes, g_bytes_unref);
      bytes = make_huge_result (huge_mb);

      g_mutex_lock (&self->mutex);
      g_clear_pointer (&self->huge_body, g_bytes_unref);
      self->huge_body = g_bytes_ref (bytes);
      self->huge_mb = huge_mb;
      g_mutex_unlock (&self->mutex);
    }
  else if (bytes == NULL)
    {
      /* generated outside the lock: other requests go on meanwhile */
      if (long_words > 0)
        data = vp_generator_long_result_json (self->gen, copy.index, long_words, &len);
      else
        data = vp_generator_result_json (self->gen, &copy, &len);
      bytes = g_bytes_new_take (data, len);

      g_mutex_lock (&self->mutex);
      remember_result_locked (self, id, bytes);
      g_mutex_unlock (&self->mutex);
    }

  answer->status = SOUP_STATUS_OK;
  answer->content_type = "application/json";
  answer->body = g_steal_pointer (&bytes);
}

static void
answer_pricing (gboolean  wrong_types,
                Answer   *answer)
{
  if (wrong_types)
    answer_take (answer, SOUP_STATUS_OK,
                 g_string_new ("{\"plans\":\"none\",\"currency\":5,\"note\":[]}"));
  else
    answer_take (answer, SOUP_STATUS_OK, g_string_new (pricing_body));
}

/* ------------------------------------------------------------------ */
/* Faults                                                              */

static const struct {
  const char        *name;
  double             param;     /* the default */
  VpSandboxRequests  applies;   /* what it can apply to at all */
} fault_info[VP_SANDBOX_N_FAULTS] = {
  [VP_SANDBOX_FAULT_LATENCY]            = { "latency",            200,    VP_SANDBOX_REQUESTS_ALL },
  [VP_SANDBOX_FAULT_SERVER_ERROR]       = { "server-error",       503,    VP_SANDBOX_REQUESTS_ALL },
  [VP_SANDBOX_FAULT_RATE_LIMIT]         = { "rate-limit",         1,      VP_SANDBOX_REQUESTS_ALL },
  [VP_SANDBOX_FAULT_DROP]               = { "drop",               0,      VP_SANDBOX_REQUESTS_ALL },
  [VP_SANDBOX_FAULT_TRUNCATE]           = { "truncate",           0,      VP_SANDBOX_REQUESTS_ALL },
  [VP_SANDBOX_FAULT_NOT_JSON]           = { "not-json",           0,      VP_SANDBOX_REQUESTS_ALL },
  [VP_SANDBOX_FAULT_WRONG_TYPES]        = { "wrong-types",        0,      VP_SANDBOX_REQUESTS_ALL },
  [VP_SANDBOX_FAULT_HUGE_TRANSCRIPT]    = { "huge-transcript",    10,     VP_SANDBOX_REQUESTS_RESULT },
  [VP_SANDBOX_FAULT_DEEP_NESTING]       = { "deep-nesting",       100000, VP_SANDBOX_REQUESTS_ALL },
  [VP_SANDBOX_FAULT_INVALID_UTF8]       = { "invalid-utf8",       0,      VP_SANDBOX_REQUESTS_ALL },
  [VP_SANDBOX_FAULT_TRICKLE]            = { "trickle",            10,     VP_SANDBOX_REQUESTS_ALL },
  [VP_SANDBOX_FAULT_REDIRECT]           = { "redirect",           302,    VP_SANDBOX_REQUESTS_ALL },
  [VP_SANDBOX_FAULT_FOREIGN_RESULT_URL] = { "foreign-result-url", 0,      VP_SANDBOX_REQUESTS_JOB },
  [VP_SANDBOX_FAULT_ECHO_KEY]           = { "echo-key",           0,      VP_SANDBOX_REQUESTS_LIST |
                                                                            VP_SANDBOX_REQUESTS_JOB |
                                                                            VP_SANDBOX_REQUESTS_RESULT },
};

/* What the faults make of one request */
typedef struct
{
  guint          latency_ms;
  guint          trickle_ms;
  VpSandboxFault answer;       /* VP_SANDBOX_N_FAULTS: none */
  double         param;
} Plan;

static gboolean
fault_hits_locked (FaultState     *state,
                   Kind            kind,
                   VpSandboxFault  fault)
{
  g_assert (state != NULL);

  if (!state->on || (state->requests & kind) == 0 || (fault_info[fault].applies & kind) == 0)
    return FALSE;

  /* Spread evenly: every 1/rate-th request is hit. */
  state->credit += state->rate;
  if (state->credit < 1.0 - 1e-9)
    return FALSE;

  state->credit -= 1.0;
  return TRUE;
}

static Plan
pick_faults (VpSandbox *self,
             Kind       kind)
{
  Plan plan = { 0, 0, VP_SANDBOX_N_FAULTS, 0 };

  g_assert (VP_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < VP_SANDBOX_N_FAULTS; i++)
    {
      FaultState *state = &self->faults[i];

      if (i != VP_SANDBOX_FAULT_LATENCY && i != VP_SANDBOX_FAULT_TRICKLE &&
          plan.answer != VP_SANDBOX_N_FAULTS)
        continue;

      if (!fault_hits_locked (state, kind, i))
        continue;

      if (i == VP_SANDBOX_FAULT_LATENCY)
        plan.latency_ms = (guint) MAX (1, state->param);
      else if (i == VP_SANDBOX_FAULT_TRICKLE)
        plan.trickle_ms = (guint) MAX (1, state->param);
      else
        {
          plan.answer = i;
          plan.param = state->param;
        }
    }
  g_mutex_unlock (&self->mutex);

  if (plan.latency_ms > 0 || plan.trickle_ms > 0 || plan.answer != VP_SANDBOX_N_FAULTS)
    g_atomic_int_inc (&self->fault_count);

  return plan;
}

/* The usual body with invalid UTF-8 in its first string value */
static GBytes *
spoil_utf8 (GBytes *body)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  const char *at = g_strstr_len (data, len, "\":\"");
  gsize pos = at != NULL ? (gsize) (at - data) + 3 : MIN (len, 2);
  GByteArray *out = g_byte_array_sized_new (len + 2);

  g_byte_array_append (out, (const guint8 *) data, pos);
  g_byte_array_append (out, (const guint8 *) "\xff\xfe", 2);
  g_byte_array_append (out, (const guint8 *) data + pos, len - pos);

  return g_byte_array_free_to_bytes (out);
}

static GBytes *
deep_nesting (guint depth)
{
  GString *body = g_string_sized_new (depth * 2 + 16);

  g_string_append (body, "{\"jobs\":");
  for (guint i = 0; i < depth; i++)
    g_string_append_c (body, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (body, ']');
  g_string_append_c (body, '}');

  return g_string_free_to_bytes (body);
}

static const char not_json_body[] =
  "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
  "<body><h1>Bad Gateway</h1><p>The proxy server received an invalid response.</p></body></html>\n";

/* ------------------------------------------------------------------ */
/* Ops: answers that take time (server context only)                   */

typedef enum {
  OP_DELAYED,
  OP_TRICKLE,
  OP_CUT,
} OpKind;

typedef struct
{
  VpSandbox         *self;
  OpKind             kind;
  SoupServerMessage *msg;
  GSource           *source;
  gulong             finished_id;
  gulong             chunk_id;

  /* delayed */
  Plan               plan;
  Kind               request;
  char              *id;
  GHashTable        *query;
  gboolean           foreign;

  /* trickle and cut */
  GBytes            *body;
  gsize              offset;
  guint              interval;
  gboolean           chunked;
} Op;

static void serve (VpSandbox *self, SoupServerMessage *msg, Kind kind, const char *id,
                   GHashTable *query, const Plan *plan, gboolean foreign);

static void
op_free (Op *op)
{
  g_assert (op != NULL);

  op->self->ops = g_list_remove (op->self->ops, op);

  if (op->source != NULL)
    {
      g_source_destroy (op->source);
      g_clear_pointer (&op->source, g_source_unref);
    }
  g_clear_signal_handler (&op->finished_id, op->msg);
  g_clear_signal_handler (&op->chunk_id, op->msg);
  g_clear_object (&op->msg);
  g_clear_pointer (&op->id, g_free);
  g_clear_pointer (&op->query, g_hash_table_unref);
  g_clear_pointer (&op->body, g_bytes_unref);
  g_free (op);
}

static void
on_op_msg_finished_cb (SoupServerMessage *msg,
                       Op                *op)
{
  g_assert (op != NULL);

  /* The answer was sent, or the client went away: nothing left to do. */
  op_free (op);
}

static Op *
op_new (VpSandbox         *self,
        OpKind             kind,
        SoupServerMessage *msg)
{
  Op *op = g_new0 (Op, 1);

  op->self = self;
  op->kind = kind;
  op->msg = g_object_ref (msg);
  op->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_op_msg_finished_cb), op);
  self->ops = g_list_prepend (self->ops, op);

  return op;
}

static void
op_schedule (Op          *op,
             guint        delay_ms,
             GSourceFunc  func)
{
  g_assert (op != NULL);

  if (op->source != NULL)
    {
      g_source_destroy (op->source);
      g_clear_pointer (&op->source, g_source_unref);
    }

  op->source = delay_ms > 0 ? g_timeout_source_new (delay_ms) : g_idle_source_new ();
  g_source_set_static_name (op->source, "[vp-sandbox] fault");
  g_source_set_callback (op->source, func, op, NULL);
  g_source_attach (op->source, g_main_context_get_thread_default ());
}

static gboolean
on_delay_done_cb (gpointer user_data)
{
  Op *op = user_data;
  g_autoptr(SoupServerMessage) msg = g_object_ref (op->msg);
  VpSandbox *self = op->self;
  Plan plan = op->plan;
  Kind request = op->request;
  g_autofree char *id = g_steal_pointer (&op->id);
  g_autoptr(GHashTable) query = g_steal_pointer (&op->query);
  gboolean foreign = op->foreign;

  g_clear_pointer (&op->source, g_source_unref);
  op_free (op);

  plan.latency_ms = 0;
  serve (self, msg, request, id, query, &plan, foreign);
  soup_server_message_unpause (msg);

  return G_SOURCE_REMOVE;
}

static gboolean
on_trickle_cb (gpointer user_data)
{
  Op *op = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (op->msg);
  gsize len = g_bytes_get_size (op->body);

  if (op->offset < len)
    {
      g_autoptr(GBytes) one = g_bytes_new_from_bytes (op->body, op->offset, 1);

      soup_message_body_append_bytes (body, one);
      op->offset++;
    }

  if (op->offset >= len)
    {
      g_autoptr(SoupServerMessage) msg = g_object_ref (op->msg);

      soup_message_body_complete (body);
      g_clear_pointer (&op->source, g_source_unref);
      op_free (op);
      soup_server_message_unpause (msg);
      return G_SOURCE_REMOVE;
    }

  soup_server_message_unpause (op->msg);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_cut_cb (gpointer user_data)
{
  Op *op = user_data;
  g_autoptr(SoupServerMessage) msg = g_object_ref (op->msg);
  GSocket *socket = soup_server_message_get_socket (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize len = g_bytes_get_size (op->body);

  g_clear_pointer (&op->source, g_source_unref);

  if (socket != NULL)
    {
      if (op->chunked)
        {
          /* Drop: a chunk announced whole and sent in part, straight to
           * the socket while libsoup waits for body data.  (A cut between
           * two chunks would look like the end of the body to libsoup's
           * client.)  No lingering: the connection goes away at once. */
          struct linger no_linger = { 1, 0 };
          g_autofree char *size_line = g_strdup_printf ("%" G_GSIZE_MODIFIER "x\r\n", len);
          gsize part = MIN (len / 2, 32 * 1024);

          g_socket_send (socket, size_line, strlen (size_line), NULL, NULL);
          g_socket_send (socket, g_bytes_get_data (op->body, NULL), part, NULL, NULL);
          setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &no_linger, sizeof no_linger);
          op->offset = 0;
        }
      g_socket_shutdown (socket, TRUE, TRUE, NULL);
    }

  /* The rest goes nowhere: writing it fails, and libsoup finishes the
   * message and lets the connection go. */
  if (op->offset < len)
    {
      g_autoptr(GBytes) rest = g_bytes_new_from_bytes (op->body, op->offset, len - op->offset);

      soup_message_body_append_bytes (body, rest);
    }
  soup_message_body_complete (body);
  op_free (op);
  soup_server_message_unpause (msg);

  return G_SOURCE_REMOVE;
}

static void
on_cut_wrote_chunk_cb (SoupServerMessage *msg,
                       Op                *op)
{
  g_assert (op != NULL);

  /* Not from inside libsoup's writing: a moment later. */
  if (op->source == NULL)
    op_schedule (op, 0, on_cut_cb);
}

static void
cancel_ops (VpSandbox *self)
{
  g_assert (VP_IS_SANDBOX (self));

  while (self->ops != NULL)
    {
      /* the connections go with the server */
      op_free (self->ops->data);
    }
}

/* ------------------------------------------------------------------ */
/* Serving                                                             */

static void
deliver (VpSandbox         *self,
         SoupServerMessage *msg,
         Answer            *answer,
         const Plan        *plan)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gsize len = g_bytes_get_size (answer->body);

  g_assert (VP_IS_SANDBOX (self));

  soup_server_message_set_status (msg, answer->status,
                                  answer->status == 429 ? "Too Many Requests" : NULL);
  soup_message_headers_set_content_type (headers, answer->content_type, NULL);
  if (answer->retry_after[0] != '\0')
    soup_message_headers_replace (headers, "Retry-After", answer->retry_after);
  if (answer->location != NULL)
    soup_message_headers_replace (headers, "Location", answer->location);

  if ((plan->answer == VP_SANDBOX_FAULT_DROP || plan->answer == VP_SANDBOX_FAULT_TRUNCATE) && len >= 2)
    {
      Op *op = op_new (self, OP_CUT, msg);

      op->body = g_bytes_ref (answer->body);
      op->chunked = plan->answer == VP_SANDBOX_FAULT_DROP;
      if (op->chunked)
        {
          /* on_cut_cb() writes the part itself, once the headers are out */
          soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
          op->chunk_id = g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_cut_wrote_chunk_cb), op);
        }
      else
        {
          g_autoptr(GBytes) half = g_bytes_new_from_bytes (answer->body, 0, len / 2);

          op->offset = len / 2;
          soup_message_headers_set_content_length (headers, len);
          op->chunk_id = g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_cut_wrote_chunk_cb), op);
          soup_message_body_append_bytes (soup_server_message_get_response_body (msg), half);
        }
      return;
    }

  if (plan->trickle_ms > 0 && len > 0)
    {
      Op *op = op_new (self, OP_TRICKLE, msg);

      op->body = g_bytes_ref (answer->body);
      op->interval = plan->trickle_ms;
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_server_message_pause (msg);
      op_schedule (op, op->interval, on_trickle_cb);
      return;
    }

  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), answer->body);
}

static void
serve (VpSandbox         *self,
       SoupServerMessage *msg,
       Kind               kind,
       const char        *id,
       GHashTable        *query,
       const Plan        *plan,
       gboolean           foreign)
{
  Answer answer = { 0, };

  g_assert (VP_IS_SANDBOX (self));

  if (plan->latency_ms > 0)
    {
      Op *op = op_new (self, OP_DELAYED, msg);

      op->plan = *plan;
      op->request = kind;
      op->id = g_strdup (id);
      op->query = query != NULL ? g_hash_table_ref (query) : NULL;
      op->foreign = foreign;
      soup_server_message_pause (msg);
      op_schedule (op, plan->latency_ms, on_delay_done_cb);
      return;
    }

  switch ((int) plan->answer)
    {
    case VP_SANDBOX_FAULT_SERVER_ERROR:
      {
        guint status = CLAMP ((guint) plan->param, 500, 599);

        answer_error (&answer, status,
                      status == 502 ? "Bad gateway" :
                      status == 503 ? "Service temporarily unavailable" : "Internal server error");
      }
      break;

    case VP_SANDBOX_FAULT_RATE_LIMIT:
      answer_error (&answer, 429, "Rate limit exceeded");
      if (plan->param >= 1)
        g_snprintf (answer.retry_after, sizeof answer.retry_after, "%u", (guint) plan->param);
      break;

    case VP_SANDBOX_FAULT_REDIRECT:
      {
        GUri *uri = soup_server_message_get_uri (msg);
        const char *q = g_uri_get_query (uri);

        answer_error (&answer, SOUP_STATUS_FOUND, "Moved");
        answer.location = g_strconcat (self->foreign_base_url, g_uri_get_path (uri),
                                       q ? "?" : "", q ? q : "", NULL);
      }
      break;

    case VP_SANDBOX_FAULT_NOT_JSON:
      answer.status = SOUP_STATUS_OK;
      answer.content_type = "text/html";
      answer.body = g_bytes_new_static (not_json_body, sizeof not_json_body - 1);
      break;

    case VP_SANDBOX_FAULT_DEEP_NESTING:
      answer.status = SOUP_STATUS_OK;
      answer.content_type = "application/json";
      answer.body = deep_nesting (CLAMP ((guint) plan->param, 1, 10000000));
      break;

    default:
      {
        gboolean wrong = plan->answer == VP_SANDBOX_FAULT_WRONG_TYPES;

        switch (kind)
          {
          case KIND_LIST:
            answer_list (self, query, wrong, &answer);
            break;
          case KIND_JOB:
            answer_job (self, id, wrong, plan->answer == VP_SANDBOX_FAULT_FOREIGN_RESULT_URL, &answer);
            break;
          case KIND_RESULT:
            answer_result (self, id, wrong,
                           plan->answer == VP_SANDBOX_FAULT_HUGE_TRANSCRIPT
                             ? CLAMP ((guint) plan->param, 1, 512) : 0,
                           &answer);
            break;
          case KIND_PRICING:
          case KIND_NONE:
          default:
            answer_pricing (wrong, &answer);
            break;
          }

        if (plan->answer == VP_SANDBOX_FAULT_INVALID_UTF8)
          {
            GBytes *spoiled = spoil_utf8 (answer.body);

            g_bytes_unref (answer.body);
            answer.body = spoiled;
          }
      }
      break;
    }

  deliver (self, msg, &answer, plan);
  answer_clear (&answer);
}

static void
record_key (VpSandbox  *self,
            const char *key,
            gboolean    foreign)
{
  g_assert (VP_IS_SANDBOX (self));

  if (key == NULL)
    return;

  g_mutex_lock (&self->mutex);
  g_hash_table_add (foreign ? self->keys_foreign : self->keys_received, g_strdup (key));
  g_mutex_unlock (&self->mutex);
}

static void
method_not_allowed (SoupServerMessage *msg)
{
  g_assert (SOUP_IS_SERVER_MESSAGE (msg));

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Allow", "GET, HEAD");
  respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed");
}

static void
handle_request (VpSandbox         *self,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gboolean           foreign)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean is_get = g_str_equal (method, "GET") || g_str_equal (method, "HEAD");
  const char *key;
  g_auto(GStrv) parts = NULL;
  guint n_parts = 0;
  Kind kind = KIND_NONE;
  Plan plan = { 0, 0, VP_SANDBOX_N_FAULTS, 0 };

  g_assert (VP_IS_SANDBOX (self));

  if (foreign)
    g_atomic_int_inc (&self->foreign_count);
  else
    g_atomic_int_inc (&self->request_count);

  key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-API-Key");
  record_key (self, key, foreign);

  if (g_str_equal (path, "/v1/pricing"))
    {
      if (!is_get)
        {
          method_not_allowed (msg);
          goto out;
        }
      kind = KIND_PRICING;
      goto route;
    }

  if (!g_str_has_prefix (path, "/v1/"))
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "Not found");
      goto out;
    }

  /* The foreign origin serves anyone: a storage host, or an attacker. */
  if (!foreign && (key == NULL || !g_str_equal (key, self->api_key)))
    {
      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "Invalid or missing API key");
      goto out;
    }

  /* "", "v1", "jobs", id, "result" */
  parts = g_strsplit (path, "/", 6);
  n_parts = g_strv_length (parts);

  if (n_parts < 3 || !g_str_equal (parts[2], "jobs") ||
      (n_parts >= 4 && parts[3][0] == '\0') ||
      (n_parts == 5 && !g_str_equal (parts[4], "result")) ||
      n_parts > 5)
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "Not found");
      goto out;
    }

  if (!is_get)
    {
      method_not_allowed (msg);
      goto out;
    }

  kind = n_parts == 3 ? KIND_LIST : n_parts == 4 ? KIND_JOB : KIND_RESULT;

route:
  g_atomic_int_inc (&self->requests_for[kind == KIND_LIST ? 0 : kind == KIND_JOB ? 1 :
                                        kind == KIND_RESULT ? 2 : 3]);

  if (!foreign)
    plan = pick_faults (self, kind);

  if (plan.answer == VP_SANDBOX_FAULT_ECHO_KEY && key != NULL)
    {
      /* A careless server repeats what it was sent. */
      g_autofree char *message = g_strdup_printf ("Invalid API key: %s", key);

      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, message);
      goto out;
    }

  serve (self, msg, kind, parts != NULL && n_parts >= 4 ? parts[3] : NULL, query, &plan, foreign);

out:
  /* never the key, never the body */
  g_debug ("%s%s %s -> %u", foreign ? "[foreign] " : "", method, path,
           soup_server_message_get_status (msg));
}

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  handle_request (VP_SANDBOX (user_data), msg, path, query, FALSE);
}

static void
on_foreign_request_cb (SoupServer        *server,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query,
                       gpointer           user_data)
{
  handle_request (VP_SANDBOX (user_data), msg, path, query, TRUE);
}

/* ------------------------------------------------------------------ */
/* Advancing jobs over time                                            */

static gboolean
on_advance_cb (gpointer user_data)
{
  VpSandbox *self = user_data;
  guint n_changed = 0;

  g_assert (VP_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->jobs->len; i++)
    {
      VpGenJob *job = &g_array_index (self->jobs, VpGenJob, i);

      if (job->status == VP_GEN_STATUS_QUEUED)
        vp_generator_job_set_status (job, VP_GEN_STATUS_PROCESSING);
      else if (job->status == VP_GEN_STATUS_PROCESSING)
        vp_generator_job_set_status (job, job->natural_status == VP_GEN_STATUS_FAILED
                                          ? VP_GEN_STATUS_FAILED
                                          : VP_GEN_STATUS_COMPLETED);
      else
        continue;
      n_changed++;
    }
  g_mutex_unlock (&self->mutex);

  if (n_changed > 0)
    g_debug ("Advanced %u jobs", n_changed);

  return G_SOURCE_CONTINUE;
}

/* with the mutex held */
static void
update_advance_source_locked (VpSandbox *self)
{
  g_assert (VP_IS_SANDBOX (self));

  if (self->advance_source != NULL)
    {
      g_source_destroy (self->advance_source);
      g_clear_pointer (&self->advance_source, g_source_unref);
    }

  if (self->advance_interval == 0 || self->context == NULL)
    return;

  self->advance_source = g_timeout_source_new_seconds (self->advance_interval);
  g_source_set_name (self->advance_source, "[vp-sandbox] advance jobs");
  g_source_set_callback (self->advance_source, on_advance_cb, self, NULL);
  g_source_attach (self->advance_source, self->context);
}

/* ------------------------------------------------------------------ */
/* Listening                                                           */

/* The foreign origin: 127.0.0.2 where the loopback range answers, else
 * another port of 127.0.0.1 (a different origin all the same). */
static void
listen_foreign (VpSandbox *self)
{
  static const char * const hosts[] = { "127.0.0.2", "127.0.0.1" };

  g_assert (VP_IS_SANDBOX (self));

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autoptr(SoupServer) server = NULL;
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (hosts[i]);
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, 0);
      g_autoptr(GError) error = NULL;
      GSList *uris;

      server = soup_server_new ("server-header", "VoxParse-Sandbox-Foreign/" PACKAGE_VERSION " ", NULL);
      soup_server_add_handler (server, NULL, on_foreign_request_cb, self, NULL);
      if (!soup_server_listen (server, address, 0, &error))
        {
          g_debug ("No foreign origin on %s: %s", hosts[i], error->message);
          continue;
        }

      uris = soup_server_get_uris (server);
      if (uris != NULL)
        self->foreign_base_url = g_strdup_printf ("http://%s:%d", hosts[i], g_uri_get_port (uris->data));
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
      self->foreign = g_steal_pointer (&server);
      return;
    }
}

static gboolean
listen_here (VpSandbox  *self,
             guint       port,
             GError    **error)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  GSList *uris;

  g_assert (VP_IS_SANDBOX (self));

  server = soup_server_new ("server-header", "VoxParse-Sandbox/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (server, NULL, on_request_cb, self, NULL);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);
  if (!soup_server_listen (server, address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (server);
  if (uris != NULL)
    self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->server = g_steal_pointer (&server);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%u", self->port);

  listen_foreign (self);

  g_mutex_lock (&self->mutex);
  self->context = g_main_context_ref_thread_default ();
  update_advance_source_locked (self);
  g_mutex_unlock (&self->mutex);

  g_debug ("Listening on %s", self->base_url);

  return TRUE;
}

gboolean
vp_sandbox_listen (VpSandbox  *self,
                   guint       port,
                   GError    **error)
{
  g_return_val_if_fail (VP_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (self->server == NULL && self->thread == NULL, FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!listen_here (self, port, error))
    return FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
  return TRUE;
}

/* In the server's context */
static void
stop_serving (VpSandbox *self)
{
  g_assert (VP_IS_SANDBOX (self));

  cancel_ops (self);

  if (self->foreign != NULL)
    {
      soup_server_disconnect (self->foreign);
      g_clear_object (&self->foreign);
    }

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
}

typedef struct
{
  VpSandbox *self;
  guint      port;
} ThreadStart;

static gpointer
server_thread (gpointer data)
{
  ThreadStart *start = data;
  VpSandbox *self = start->self;
  g_autoptr(GMainContext) context = g_main_context_new ();
  GError *error = NULL;
  gboolean ok;

  g_assert (VP_IS_SANDBOX (self));

  g_main_context_push_thread_default (context);

  ok = listen_here (self, start->port, &error);

  g_mutex_lock (&self->mutex);
  if (ok)
    self->thread_loop = g_main_loop_new (context, FALSE);
  self->thread_error = error;
  self->thread_done_starting = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (ok)
    {
      g_main_loop_run (self->thread_loop);

      stop_serving (self);

      /* let the last connections go away in their own context */
      while (g_main_context_iteration (context, FALSE))
        ;
    }

  g_main_context_pop_thread_default (context);
  g_free (start);

  return NULL;
}

gboolean
vp_sandbox_start_thread (VpSandbox  *self,
                         guint       port,
                         GError    **error)
{
  ThreadStart *start;
  GError *thread_error;

  g_return_val_if_fail (VP_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (self->server == NULL && self->thread == NULL, FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  start = g_new0 (ThreadStart, 1);
  start->self = self;
  start->port = port;

  self->thread_done_starting = FALSE;
  self->thread = g_thread_new ("vp-sandbox", server_thread, start);

  g_mutex_lock (&self->mutex);
  while (!self->thread_done_starting)
    g_cond_wait (&self->cond, &self->mutex);
  thread_error = g_steal_pointer (&self->thread_error);
  g_mutex_unlock (&self->mutex);

  if (thread_error != NULL)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      g_propagate_error (error, thread_error);
      return FALSE;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
vp_sandbox_constructed (GObject *object)
{
  VpSandbox *self = (VpSandbox *)object;

  G_OBJECT_CLASS (vp_sandbox_parent_class)->constructed (object);

  if (self->api_key == NULL)
    self->api_key = g_strdup (VP_SANDBOX_DEFAULT_API_KEY);

  self->gen = vp_generator_new (self->seed);
  vp_generator_append_jobs (self->gen, self->jobs, self->initial_jobs);
  index_jobs_locked (self, 0);
}

static void
vp_sandbox_dispose (GObject *object)
{
  VpSandbox *self = (VpSandbox *)object;

  g_mutex_lock (&self->mutex);
  self->advance_interval = 0;
  update_advance_source_locked (self);
  g_mutex_unlock (&self->mutex);

  if (self->thread != NULL)
    {
      g_main_loop_quit (self->thread_loop);
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->thread_loop, g_main_loop_unref);
    }
  else if (self->server != NULL)
    stop_serving (self);

  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (vp_sandbox_parent_class)->dispose (object);
}

static void
vp_sandbox_finalize (GObject *object)
{
  VpSandbox *self = (VpSandbox *)object;

  g_clear_pointer (&self->gen, vp_generator_free);
  g_clear_pointer (&self->jobs, g_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->long_calls, g_hash_table_unref);
  g_clear_pointer (&self->results, g_hash_table_unref);
  g_queue_clear_full (&self->result_order, g_free);
  g_clear_pointer (&self->api_key, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->foreign_base_url, g_free);
  g_clear_pointer (&self->keys_received, g_hash_table_unref);
  g_clear_pointer (&self->keys_foreign, g_hash_table_unref);
  g_clear_pointer (&self->huge_body, g_bytes_unref);
  g_clear_error (&self->thread_error);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (vp_sandbox_parent_class)->finalize (object);
}

static void
vp_sandbox_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  VpSandbox *self = VP_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_SEED:
      g_value_set_uint64 (value, self->seed);
      break;

    case PROP_N_JOBS:
      g_value_set_uint (value, vp_sandbox_get_n_jobs (self));
      break;

    case PROP_API_KEY:
      g_value_set_string (value, self->api_key);
      break;

    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_sandbox_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  VpSandbox *self = VP_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_SEED:
      self->seed = g_value_get_uint64 (value);
      break;

    case PROP_N_JOBS:
      self->initial_jobs = g_value_get_uint (value);
      break;

    case PROP_API_KEY:
      g_free (self->api_key);
      self->api_key = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_sandbox_class_init (VpSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vp_sandbox_constructed;
  object_class->dispose = vp_sandbox_dispose;
  object_class->finalize = vp_sandbox_finalize;
  object_class->get_property = vp_sandbox_get_property;
  object_class->set_property = vp_sandbox_set_property;

  properties[PROP_SEED] =
    g_param_spec_uint64 ("seed", NULL, NULL,
                         0, G_MAXUINT64, VP_SANDBOX_DEFAULT_SEED,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* the number of jobs to start with; reads the current number */
  properties[PROP_N_JOBS] =
    g_param_spec_uint ("n-jobs", NULL, NULL,
                       0, G_MAXINT32, VP_SANDBOX_DEFAULT_JOBS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL,
                         VP_SANDBOX_DEFAULT_API_KEY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vp_sandbox_init (VpSandbox *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->seed = VP_SANDBOX_DEFAULT_SEED;
  self->initial_jobs = VP_SANDBOX_DEFAULT_JOBS;
  self->jobs = g_array_new (FALSE, FALSE, sizeof (VpGenJob));
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->long_calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  g_queue_init (&self->result_order);
  self->keys_received = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->keys_foreign = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

VpSandbox *
vp_sandbox_new (guint64     seed,
                guint       n_jobs,
                const char *api_key)
{
  g_return_val_if_fail (n_jobs <= G_MAXINT32, NULL);

  return g_object_new (VP_TYPE_SANDBOX,
                       "seed", seed,
                       "n-jobs", n_jobs,
                       "api-key", api_key ? api_key : VP_SANDBOX_DEFAULT_API_KEY,
                       NULL);
}

const char *
vp_sandbox_get_base_url (VpSandbox *self)
{
  g_return_val_if_fail (VP_IS_SANDBOX (self), NULL);

  return self->base_url;
}

guint
vp_sandbox_get_port (VpSandbox *self)
{
  g_return_val_if_fail (VP_IS_SANDBOX (self), 0);

  return self->port;
}

const char *
vp_sandbox_get_api_key (VpSandbox *self)
{
  g_return_val_if_fail (VP_IS_SANDBOX (self), NULL);

  return self->api_key;
}

guint
vp_sandbox_get_n_jobs (VpSandbox *self)
{
  guint n;

  g_return_val_if_fail (VP_IS_SANDBOX (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->jobs->len;
  g_mutex_unlock (&self->mutex);

  return n;
}

char *
vp_sandbox_dup_job_id (VpSandbox *self,
                       guint      position)
{
  char *id = NULL;

  g_return_val_if_fail (VP_IS_SANDBOX (self), NULL);

  g_mutex_lock (&self->mutex);
  if (position < self->jobs->len)
    id = g_strdup (g_array_index (self->jobs, VpGenJob, self->jobs->len - 1 - position).id);
  g_mutex_unlock (&self->mutex);

  return id;
}

void
vp_sandbox_add_jobs (VpSandbox *self,
                     guint      n)
{
  guint first;

  g_return_if_fail (VP_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  first = self->jobs->len;
  vp_generator_append_jobs (self->gen, self->jobs, n);
  index_jobs_locked (self, first);
  g_mutex_unlock (&self->mutex);
}

gboolean
vp_sandbox_set_job_status (VpSandbox  *self,
                           const char *job_id,
                           const char *status)
{
  VpGenStatus new_status;
  VpGenJob *job;

  g_return_val_if_fail (VP_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);

  if (!vp_gen_status_from_string (status, &new_status))
    return FALSE;

  g_mutex_lock (&self->mutex);
  job = lookup_job_locked (self, job_id);
  if (job != NULL)
    vp_generator_job_set_status (job, new_status);
  g_mutex_unlock (&self->mutex);

  return job != NULL;
}

guint
vp_sandbox_get_request_count (VpSandbox *self)
{
  g_return_val_if_fail (VP_IS_SANDBOX (self), 0);

  return (guint) g_atomic_int_get (&self->request_count);
}

void
vp_sandbox_set_advance_interval (VpSandbox *self,
                                 guint      seconds)
{
  g_return_if_fail (VP_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  if (self->advance_interval != seconds)
    {
      self->advance_interval = seconds;
      update_advance_source_locked (self);
    }
  g_mutex_unlock (&self->mutex);
}

gboolean
vp_sandbox_set_long_call (VpSandbox  *self,
                          const char *job_id,
                          guint       n_words)
{
  VpGenJob *job;

  g_return_val_if_fail (VP_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);
  g_return_val_if_fail (n_words > 0, FALSE);

  g_mutex_lock (&self->mutex);
  job = lookup_job_locked (self, job_id);
  if (job != NULL)
    {
      job->plan = VP_GEN_PLAN_PRO;
      job->duration_seconds = vp_generator_long_duration (n_words);
      job->cost_cents = MAX (1, (job->duration_seconds * 39 + 1800) / 3600);
      g_hash_table_replace (self->long_calls, g_strdup (job_id), GUINT_TO_POINTER (n_words));
      forget_result_locked (self, job_id);
    }
  g_mutex_unlock (&self->mutex);

  return job != NULL;
}

/* ------------------------------------------------------------------ */
/* Faults                                                              */

const char *
vp_sandbox_fault_to_string (VpSandboxFault fault)
{
  g_return_val_if_fail (fault < VP_SANDBOX_N_FAULTS, NULL);

  return fault_info[fault].name;
}

gboolean
vp_sandbox_fault_from_string (const char     *name,
                              VpSandboxFault *fault)
{
  g_return_val_if_fail (fault != NULL, FALSE);

  for (guint i = 0; name != NULL && i < VP_SANDBOX_N_FAULTS; i++)
    if (g_str_equal (name, fault_info[i].name))
      {
        *fault = i;
        return TRUE;
      }

  return FALSE;
}

void
vp_sandbox_set_fault_full (VpSandbox         *self,
                           VpSandboxFault     fault,
                           double             param,
                           double             rate,
                           VpSandboxRequests  requests)
{
  FaultState *state;

  g_return_if_fail (VP_IS_SANDBOX (self));
  g_return_if_fail (fault < VP_SANDBOX_N_FAULTS);
  g_return_if_fail (rate > 0 && rate <= 1);

  if (param < 0)
    param = fault_info[fault].param;

  g_mutex_lock (&self->mutex);
  state = &self->faults[fault];
  state->on = TRUE;
  state->param = param;
  state->rate = rate;
  state->credit = 0;
  state->requests = requests == 0 ? VP_SANDBOX_REQUESTS_ALL : requests;
  g_mutex_unlock (&self->mutex);

  g_debug ("Fault %s on (param %g, rate %g)", fault_info[fault].name, param, rate);
}

void
vp_sandbox_set_fault (VpSandbox      *self,
                      VpSandboxFault  fault,
                      double          param)
{
  vp_sandbox_set_fault_full (self, fault, param, 1.0, VP_SANDBOX_REQUESTS_ALL);
}

void
vp_sandbox_clear_fault (VpSandbox      *self,
                        VpSandboxFault  fault)
{
  g_return_if_fail (VP_IS_SANDBOX (self));
  g_return_if_fail (fault < VP_SANDBOX_N_FAULTS);

  g_mutex_lock (&self->mutex);
  self->faults[fault].on = FALSE;
  g_mutex_unlock (&self->mutex);
}

void
vp_sandbox_clear_faults (VpSandbox *self)
{
  g_return_if_fail (VP_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < VP_SANDBOX_N_FAULTS; i++)
    self->faults[i].on = FALSE;
  g_mutex_unlock (&self->mutex);

  g_debug ("Faults cleared");
}

gboolean
vp_sandbox_add_fault_spec (VpSandbox   *self,
                           const char  *spec,
                           GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *name = NULL;
  VpSandboxRequests requests = 0;
  VpSandboxFault fault;
  double param = -1;
  double rate = 1;
  char *equals;

  g_return_val_if_fail (VP_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  parts = g_strsplit (spec, ",", -1);
  name = g_strdup (parts[0] != NULL ? parts[0] : "");

  if ((equals = strchr (name, '=')) != NULL)
    {
      char *end = NULL;

      *equals = '\0';
      param = g_ascii_strtod (equals + 1, &end);
      if (end == equals + 1 || *end != '\0' || param < 0 || param > 1e9)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "Invalid value for fault %s: %s", name, equals + 1);
          return FALSE;
        }
    }

  if (!vp_sandbox_fault_from_string (name, &fault))
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < VP_SANDBOX_N_FAULTS; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", fault_info[i].name);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Unknown fault “%s”; one of %s", name, names->str);
      return FALSE;
    }

  for (guint i = 1; parts[i] != NULL; i++)
    {
      if (g_str_has_prefix (parts[i], "rate="))
        {
          char *end = NULL;

          rate = g_ascii_strtod (parts[i] + 5, &end);
          if (end == parts[i] + 5 || *end != '\0' || !(rate > 0 && rate <= 1))
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "Invalid rate in “%s”: must be more than 0 and at most 1", spec);
              return FALSE;
            }
        }
      else if (g_str_has_prefix (parts[i], "only="))
        {
          g_auto(GStrv) kinds = g_strsplit (parts[i] + 5, "+", -1);

          for (guint k = 0; kinds[k] != NULL; k++)
            {
              if (g_str_equal (kinds[k], "list"))
                requests |= VP_SANDBOX_REQUESTS_LIST;
              else if (g_str_equal (kinds[k], "job"))
                requests |= VP_SANDBOX_REQUESTS_JOB;
              else if (g_str_equal (kinds[k], "result"))
                requests |= VP_SANDBOX_REQUESTS_RESULT;
              else if (g_str_equal (kinds[k], "pricing"))
                requests |= VP_SANDBOX_REQUESTS_PRICING;
              else
                {
                  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               "Invalid request kind “%s”: list, job, result or pricing", kinds[k]);
                  return FALSE;
                }
            }
        }
      else
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "Invalid fault option “%s”: rate=R or only=KIND", parts[i]);
          return FALSE;
        }
    }

  vp_sandbox_set_fault_full (self, fault, param, rate, requests);
  return TRUE;
}

guint
vp_sandbox_get_fault_count (VpSandbox *self)
{
  g_return_val_if_fail (VP_IS_SANDBOX (self), 0);

  return (guint) g_atomic_int_get (&self->fault_count);
}

guint
vp_sandbox_get_requests_for (VpSandbox         *self,
                             VpSandboxRequests  kind)
{
  guint n = 0;

  g_return_val_if_fail (VP_IS_SANDBOX (self), 0);

  for (guint i = 0; i < 4; i++)
    if (kind & (1u << i))
      n += (guint) g_atomic_int_get (&self->requests_for[i]);

  return n;
}

const char *
vp_sandbox_get_foreign_base_url (VpSandbox *self)
{
  g_return_val_if_fail (VP_IS_SANDBOX (self), NULL);

  return self->foreign_base_url;
}

guint
vp_sandbox_get_foreign_request_count (VpSandbox *self)
{
  g_return_val_if_fail (VP_IS_SANDBOX (self), 0);

  return (guint) g_atomic_int_get (&self->foreign_count);
}

char **
vp_sandbox_dup_keys_received (VpSandbox *self,
                              gboolean   foreign)
{
  GStrvBuilder *builder;
  GHashTableIter iter;
  gpointer key;
  char **keys;

  g_return_val_if_fail (VP_IS_SANDBOX (self), NULL);

  builder = g_strv_builder_new ();
  g_mutex_lock (&self->mutex);
  g_hash_table_iter_init (&iter, foreign ? self->keys_foreign : self->keys_received);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_strv_builder_add (builder, key);
  g_mutex_unlock (&self->mutex);

  keys = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return keys;
}

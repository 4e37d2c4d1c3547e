/* vp-sandbox.c: a VoxParse-compatible HTTP server with generated calls
 *
 * A SoupServer on 127.0.0.1 that answers /v1/jobs, /v1/jobs/{id},
 * /v1/jobs/{id}/result and /v1/pricing as the API reference describes.
 * Jobs are small VpGenJob records (oldest first) guarded by a mutex;
 * results are generated on request and the last few kept in a cache.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "vp-sandbox"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "vp-generator.h"
#include "vp-sandbox.h"

#define DEFAULT_LIMIT 20
#define MAX_LIMIT 100
#define RESULT_CACHE_SIZE 32

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
/* Responses                                                           */

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

static void
respond_bytes (SoupServerMessage *msg,
               GBytes            *bytes)
{
  g_assert (SOUP_IS_SERVER_MESSAGE (msg));

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/json", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
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

static void
handle_list (VpSandbox         *self,
             SoupServerMessage *msg,
             GHashTable        *query)
{
  g_autoptr(GString) problem = NULL;
  GString *body;
  guint limit, offset;

  g_assert (VP_IS_SANDBOX (self));

  if (!parse_param (query, "limit", DEFAULT_LIMIT, &limit, &problem) ||
      !parse_param (query, "offset", 0, &offset, &problem))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, problem->str);
      return;
    }

  if (limit == 0)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "Invalid limit: must be at least 1");
      return;
    }

  limit = MIN (limit, MAX_LIMIT);

  body = g_string_sized_new (256 + limit * 260);
  g_string_append (body, "{\"jobs\":[");

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < limit && (guint64) offset + i < self->jobs->len; i++)
    {
      guint index = self->jobs->len - 1 - offset - i;

      if (i > 0)
        g_string_append_c (body, ',');
      vp_generator_write_job (&g_array_index (self->jobs, VpGenJob, index), FALSE, body);
    }
  g_mutex_unlock (&self->mutex);

  g_string_append_printf (body, "],\"limit\":%u,\"offset\":%u}", limit, offset);
  respond (msg, SOUP_STATUS_OK, body);
}

static void
handle_job (VpSandbox         *self,
            SoupServerMessage *msg,
            const char        *id)
{
  GString *body = g_string_sized_new (512);
  VpGenJob *job;

  g_assert (VP_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  job = lookup_job_locked (self, id);
  if (job != NULL)
    vp_generator_write_job (job, TRUE, body);
  g_mutex_unlock (&self->mutex);

  if (job == NULL)
    {
      g_string_free (body, TRUE);
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "Job not found");
      return;
    }

  respond (msg, SOUP_STATUS_OK, body);
}

static void
handle_result (VpSandbox         *self,
               SoupServerMessage *msg,
               const char        *id)
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
    }
  g_mutex_unlock (&self->mutex);

  if (job == NULL)
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "Job not found");
      return;
    }

  if (copy.status != VP_GEN_STATUS_COMPLETED)
    {
      g_autofree char *message = g_strdup_printf ("Result not available: job is %s",
                                                  vp_gen_status_to_string (copy.status));
      respond_error (msg, SOUP_STATUS_NOT_FOUND, message);
      return;
    }

  if (bytes == NULL)
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

  respond_bytes (msg, bytes);
}

static gboolean
check_key (VpSandbox         *self,
           SoupServerMessage *msg)
{
  const char *key;

  g_assert (VP_IS_SANDBOX (self));

  key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-API-Key");

  return key != NULL && g_str_equal (key, self->api_key);
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
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  VpSandbox *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  gboolean is_get = g_str_equal (method, "GET") || g_str_equal (method, "HEAD");
  g_auto(GStrv) parts = NULL;
  guint n_parts;

  g_assert (VP_IS_SANDBOX (self));

  g_atomic_int_inc (&self->request_count);

  if (g_str_equal (path, "/v1/pricing"))
    {
      if (!is_get)
        method_not_allowed (msg);
      else
        respond (msg, SOUP_STATUS_OK, g_string_new (pricing_body));
      goto out;
    }

  if (!g_str_has_prefix (path, "/v1/"))
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "Not found");
      goto out;
    }

  if (!check_key (self, msg))
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

  if (n_parts == 3)
    handle_list (self, msg, query);
  else if (n_parts == 4)
    handle_job (self, msg, parts[3]);
  else
    handle_result (self, msg, parts[3]);

out:
  /* never the key, never the body */
  g_debug ("%s %s -> %u", method, path, soup_server_message_get_status (msg));
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

      soup_server_disconnect (self->server);
      g_clear_object (&self->server);

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
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }

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

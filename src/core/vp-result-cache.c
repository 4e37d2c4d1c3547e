/* vp-result-cache.c: results kept for a session, and fetched in the background
 *
 * A least-recently-used cache of VpResult by job id, bounded by an estimate
 * of the memory the results take (their body, parsed about as large again),
 * and a queue of jobs whose results are wanted: at most max-concurrent
 * requests are on their way at once, on the client's connections.  Filters
 * and the audit table ask for the results of the jobs they show; clearing a
 * filter, closing the window or changing account cancels what is left.
 * Nothing that is cached is fetched again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-result-cache"

#include "config.h"

#include "vp-error.h"
#include "vp-result-cache.h"

typedef struct {
  char     *job_id;
  VpResult *result;
  gsize     size;
} Entry;

struct _VpResultCache
{
  GObject       parent_instance;

  VpClient     *client;
  GCancellable *cancellable;

  /* LRU: head = most recently used; ids map to the GList links */
  GQueue        lru;
  GHashTable   *entries;
  GHashTable   *errors;
  gsize         n_bytes;
  gsize         max_bytes;

  GQueue        queue;        /* VpJob, owned */
  GHashTable   *pending;      /* ids queued or in flight */
  guint         n_in_flight;
  guint         peak_in_flight;
  guint         max_concurrent;
  guint         generation;   /* bumped by each cancel */
};

G_DEFINE_FINAL_TYPE (VpResultCache, vp_result_cache, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_N_IN_FLIGHT,
  PROP_N_QUEUED,
  PROP_N_RESULTS,
  N_PROPS
};

enum {
  RESULT_LOADED,
  FETCH_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct {
  VpResultCache *self;
  char          *job_id;
  guint          generation;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->self);
  g_free (fetch->job_id);
  g_free (fetch);
}

static void
entry_free (Entry *entry)
{
  g_free (entry->job_id);
  g_clear_object (&entry->result);
  g_free (entry);
}

static gsize
estimate_size (VpResult *result)
{
  GBytes *bytes = vp_result_get_bytes (result);
  gsize size = bytes ? g_bytes_get_size (bytes) : 0;

  /* The body, and the parsed strings and segments, about as large again */
  return 2 * size + 512;
}

static void
vp_result_cache_evict (VpResultCache *self)
{
  g_assert (VP_IS_RESULT_CACHE (self));

  while (self->n_bytes > self->max_bytes && self->lru.length > 1)
    {
      Entry *entry = g_queue_pop_tail (&self->lru);

      g_debug ("Dropping the result of %s from the cache", entry->job_id);
      self->n_bytes -= entry->size;
      g_hash_table_remove (self->entries, entry->job_id);
      entry_free (entry);
    }
}

static void
vp_result_cache_store (VpResultCache *self,
                       const char    *job_id,
                       VpResult      *result)
{
  GList *link;
  Entry *entry;

  g_assert (VP_IS_RESULT_CACHE (self));
  g_assert (job_id != NULL);
  g_assert (VP_IS_RESULT (result));

  link = g_hash_table_lookup (self->entries, job_id);
  if (link != NULL)
    {
      entry = link->data;
      self->n_bytes -= entry->size;
      g_set_object (&entry->result, result);
      entry->size = estimate_size (result);
      self->n_bytes += entry->size;
      g_queue_unlink (&self->lru, link);
      g_queue_push_head_link (&self->lru, link);
    }
  else
    {
      entry = g_new0 (Entry, 1);
      entry->job_id = g_strdup (job_id);
      entry->result = g_object_ref (result);
      entry->size = estimate_size (result);
      self->n_bytes += entry->size;
      g_queue_push_head (&self->lru, entry);
      g_hash_table_insert (self->entries, entry->job_id, self->lru.head);
    }

  g_hash_table_remove (self->errors, job_id);
  vp_result_cache_evict (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RESULTS]);
}

static void vp_result_cache_pump (VpResultCache *self);

static gboolean
is_connection_error (const GError *error)
{
  return g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED) ||
         g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_CANNOT_CONNECT) ||
         g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_RATE_LIMITED) ||
         g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_URL);
}

static void
on_result_fetched_cb (GObject      *object,
                      GAsyncResult *async_result,
                      gpointer      user_data)
{
  Fetch *fetch = user_data;
  VpResultCache *self = fetch->self;
  g_autoptr(VpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean cancelled;

  g_assert (VP_IS_RESULT_CACHE (self));

  result = vp_client_get_result_finish (VP_CLIENT (object), async_result, &error);

  g_assert (self->n_in_flight > 0);
  self->n_in_flight--;
  cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* An answer for another account's client is of no use. */
  if (VP_CLIENT (object) != self->client)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_IN_FLIGHT]);
      fetch_free (fetch);
      return;
    }

  if (fetch->generation == self->generation)
    g_hash_table_remove (self->pending, fetch->job_id);

  if (result != NULL)
    {
      vp_result_cache_store (self, fetch->job_id, result);
      g_signal_emit (self, signals[RESULT_LOADED], 0, fetch->job_id, result);
    }
  else if (!cancelled)
    {
      g_debug ("The result of %s could not be fetched: %s", fetch->job_id, error->message);

      /* Only what will not change is remembered: no such result, or one
       * that cannot be read.  A server error or a rate limit is worth
       * trying again later (the next refresh or filter change). */
      if (is_connection_error (error))
        vp_result_cache_cancel_fetches (self);
      else if (g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_NOT_FOUND) ||
               g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE))
        g_hash_table_insert (self->errors, g_strdup (fetch->job_id), g_error_copy (error));

      g_signal_emit (self, signals[FETCH_FAILED], 0, fetch->job_id, error);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_IN_FLIGHT]);
  fetch_free (fetch);

  vp_result_cache_pump (self);
}

static void
vp_result_cache_pump (VpResultCache *self)
{
  gboolean queue_changed = FALSE;
  gboolean started = FALSE;

  g_assert (VP_IS_RESULT_CACHE (self));

  while (self->n_in_flight < self->max_concurrent && self->queue.length > 0)
    {
      g_autoptr(VpJob) job = g_queue_pop_head (&self->queue);
      Fetch *fetch;

      queue_changed = TRUE;

      /* Inserted meanwhile by someone else */
      if (vp_result_cache_is_known (self, vp_job_get_id (job)))
        {
          g_hash_table_remove (self->pending, vp_job_get_id (job));
          continue;
        }

      fetch = g_new0 (Fetch, 1);
      fetch->self = g_object_ref (self);
      fetch->job_id = g_strdup (vp_job_get_id (job));
      fetch->generation = self->generation;

      self->n_in_flight++;
      self->peak_in_flight = MAX (self->peak_in_flight, self->n_in_flight);
      started = TRUE;

      vp_client_get_result_async (self->client, job, self->cancellable,
                                  on_result_fetched_cb, fetch);
    }

  if (queue_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_QUEUED]);
  if (started)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_IN_FLIGHT]);
}

VpResultCache *
vp_result_cache_new (VpClient *client,
                     gsize     max_bytes)
{
  VpResultCache *self;

  g_return_val_if_fail (client == NULL || VP_IS_CLIENT (client), NULL);

  self = g_object_new (VP_TYPE_RESULT_CACHE, "client", client, NULL);
  if (max_bytes > 0)
    self->max_bytes = max_bytes;

  return self;
}

VpClient *
vp_result_cache_get_client (VpResultCache *self)
{
  g_return_val_if_fail (VP_IS_RESULT_CACHE (self), NULL);

  return self->client;
}

void
vp_result_cache_set_client (VpResultCache *self,
                            VpClient      *client)
{
  g_return_if_fail (VP_IS_RESULT_CACHE (self));
  g_return_if_fail (client == NULL || VP_IS_CLIENT (client));

  if (self->client == client)
    return;

  vp_result_cache_cancel_fetches (self);
  g_set_object (&self->client, client);

  g_hash_table_remove_all (self->entries);
  g_queue_clear_full (&self->lru, (GDestroyNotify) entry_free);
  g_hash_table_remove_all (self->errors);
  self->n_bytes = 0;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RESULTS]);
}

VpResult *
vp_result_cache_lookup (VpResultCache *self,
                        const char    *job_id)
{
  GList *link;

  g_return_val_if_fail (VP_IS_RESULT_CACHE (self), NULL);

  if (job_id == NULL)
    return NULL;

  link = g_hash_table_lookup (self->entries, job_id);
  if (link == NULL)
    return NULL;

  if (link != self->lru.head)
    {
      g_queue_unlink (&self->lru, link);
      g_queue_push_head_link (&self->lru, link);
    }

  return ((Entry *) link->data)->result;
}

const GError *
vp_result_cache_get_error (VpResultCache *self,
                           const char    *job_id)
{
  g_return_val_if_fail (VP_IS_RESULT_CACHE (self), NULL);

  return job_id ? g_hash_table_lookup (self->errors, job_id) : NULL;
}

gboolean
vp_result_cache_is_known (VpResultCache *self,
                          const char    *job_id)
{
  g_return_val_if_fail (VP_IS_RESULT_CACHE (self), FALSE);

  return job_id != NULL &&
         (g_hash_table_contains (self->entries, job_id) ||
          g_hash_table_contains (self->errors, job_id));
}

void
vp_result_cache_insert (VpResultCache *self,
                        const char    *job_id,
                        VpResult      *result)
{
  g_return_if_fail (VP_IS_RESULT_CACHE (self));
  g_return_if_fail (job_id != NULL);
  g_return_if_fail (VP_IS_RESULT (result));

  vp_result_cache_store (self, job_id, result);
  g_signal_emit (self, signals[RESULT_LOADED], 0, job_id, result);
}

void
vp_result_cache_fetch (VpResultCache *self,
                       VpJob         *job)
{
  const char *job_id;

  g_return_if_fail (VP_IS_RESULT_CACHE (self));
  g_return_if_fail (VP_IS_JOB (job));

  job_id = vp_job_get_id (job);

  if (self->client == NULL ||
      vp_job_get_status (job) != VP_JOB_STATUS_COMPLETED ||
      vp_result_cache_is_known (self, job_id) ||
      g_hash_table_contains (self->pending, job_id))
    return;

  g_hash_table_add (self->pending, g_strdup (job_id));
  g_queue_push_tail (&self->queue, g_object_ref (job));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_QUEUED]);

  vp_result_cache_pump (self);
}

void
vp_result_cache_cancel_fetches (VpResultCache *self)
{
  g_return_if_fail (VP_IS_RESULT_CACHE (self));

  if (self->queue.length == 0 && g_hash_table_size (self->pending) == 0)
    return;

  g_debug ("Cancelling %u queued fetches and those on their way", self->queue.length);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;

  g_queue_clear_full (&self->queue, g_object_unref);
  g_hash_table_remove_all (self->pending);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_QUEUED]);
}

guint
vp_result_cache_get_max_concurrent (VpResultCache *self)
{
  g_return_val_if_fail (VP_IS_RESULT_CACHE (self), 0);

  return self->max_concurrent;
}

void
vp_result_cache_set_max_concurrent (VpResultCache *self,
                                    guint          max_concurrent)
{
  g_return_if_fail (VP_IS_RESULT_CACHE (self));

  self->max_concurrent = MAX (max_concurrent, 1);
  vp_result_cache_pump (self);
}

guint
vp_result_cache_get_n_in_flight (VpResultCache *self)
{
  g_return_val_if_fail (VP_IS_RESULT_CACHE (self), 0);

  return self->n_in_flight;
}

guint
vp_result_cache_get_n_queued (VpResultCache *self)
{
  g_return_val_if_fail (VP_IS_RESULT_CACHE (self), 0);

  return self->queue.length;
}

guint
vp_result_cache_get_peak_in_flight (VpResultCache *self)
{
  g_return_val_if_fail (VP_IS_RESULT_CACHE (self), 0);

  return self->peak_in_flight;
}

guint
vp_result_cache_get_n_results (VpResultCache *self)
{
  g_return_val_if_fail (VP_IS_RESULT_CACHE (self), 0);

  return self->lru.length;
}

gsize
vp_result_cache_get_n_bytes (VpResultCache *self)
{
  g_return_val_if_fail (VP_IS_RESULT_CACHE (self), 0);

  return self->n_bytes;
}

gsize
vp_result_cache_get_max_bytes (VpResultCache *self)
{
  g_return_val_if_fail (VP_IS_RESULT_CACHE (self), 0);

  return self->max_bytes;
}

static void
vp_result_cache_dispose (GObject *object)
{
  VpResultCache *self = (VpResultCache *)object;

  /* Fetches hold a reference: by now none is on its way. */
  g_cancellable_cancel (self->cancellable);
  g_queue_clear_full (&self->queue, g_object_unref);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (vp_result_cache_parent_class)->dispose (object);
}

static void
vp_result_cache_finalize (GObject *object)
{
  VpResultCache *self = (VpResultCache *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_queue_clear_full (&self->lru, (GDestroyNotify) entry_free);
  g_clear_pointer (&self->errors, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);

  G_OBJECT_CLASS (vp_result_cache_parent_class)->finalize (object);
}

static void
vp_result_cache_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VpResultCache *self = VP_RESULT_CACHE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_N_IN_FLIGHT:
      g_value_set_uint (value, self->n_in_flight);
      break;

    case PROP_N_QUEUED:
      g_value_set_uint (value, self->queue.length);
      break;

    case PROP_N_RESULTS:
      g_value_set_uint (value, self->lru.length);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_result_cache_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  VpResultCache *self = VP_RESULT_CACHE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      vp_result_cache_set_client (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_result_cache_class_init (VpResultCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vp_result_cache_dispose;
  object_class->finalize = vp_result_cache_finalize;
  object_class->get_property = vp_result_cache_get_property;
  object_class->set_property = vp_result_cache_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         VP_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_IN_FLIGHT] =
    g_param_spec_uint ("n-in-flight", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_QUEUED] =
    g_param_spec_uint ("n-queued", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_RESULTS] =
    g_param_spec_uint ("n-results", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VpResultCache::result-loaded:
   * @job_id: whose result it is
   * @result: the result, now in the cache
   */
  signals[RESULT_LOADED] =
    g_signal_new ("result-loaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, VP_TYPE_RESULT);

  /**
   * VpResultCache::fetch-failed:
   * @job_id: whose result could not be had
   * @error: why
   */
  signals[FETCH_FAILED] =
    g_signal_new ("fetch-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
}

static void
vp_result_cache_init (VpResultCache *self)
{
  self->cancellable = g_cancellable_new ();
  self->entries = g_hash_table_new (g_str_hash, g_str_equal);
  self->errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_error_free);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->max_bytes = VP_RESULT_CACHE_DEFAULT_MAX_BYTES;
  self->max_concurrent = VP_RESULT_CACHE_DEFAULT_CONCURRENCY;
  g_queue_init (&self->lru);
  g_queue_init (&self->queue);
}

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
 * With keep-on-disk, each result body fetched is also written to
 * $XDG_CACHE_HOME/voxparse-browser/results/<SHA-256 of the base URL>/<job>.json
 * (results of different servers never mix; the key is never written), and a
 * queued job's file is looked for (loaded and parsed off the main thread)
 * before the network is asked; a file that does not parse is deleted.  All
 * writes and deletions run in order on one worker thread; the folder is
 * kept under VP_RESULT_CACHE_DEFAULT_MAX_DISK_BYTES (oldest files go first)
 * and deleted when keep-on-disk is switched off.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-result-cache"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

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

  gboolean      keep_on_disk;
  char         *disk_dir;     /* this server's folder, with keep_on_disk */
  guint         n_from_disk;
};

G_DEFINE_FINAL_TYPE (VpResultCache, vp_result_cache, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_N_IN_FLIGHT,
  PROP_N_QUEUED,
  PROP_N_RESULTS,
  PROP_KEEP_ON_DISK,
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
  VpJob         *job;
  VpClient      *client;
  GFile         *file;        /* its file on disk, when looked for there */
  guint          generation;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->self);
  g_clear_object (&fetch->job);
  g_clear_object (&fetch->client);
  g_clear_object (&fetch->file);
  g_free (fetch->job_id);
  g_free (fetch);
}

/* Disk: writes and deletions, in order, on one worker thread */

typedef enum {
  DISK_WRITE,
  DISK_DELETE_FILE,
  DISK_DELETE_TREE,
  DISK_TRIM,
} DiskOpKind;

typedef struct {
  DiskOpKind  kind;
  char       *path;
  GBytes     *bytes;
  guint64     max_bytes;
} DiskOp;

static void
disk_op_free (DiskOp *op)
{
  g_free (op->path);
  g_clear_pointer (&op->bytes, g_bytes_unref);
  g_free (op);
}

static void
delete_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert (path != NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        delete_tree (child);
      }
  g_rmdir (path);
}

typedef struct {
  char   *path;
  gint64  mtime;
  goffset size;
} DiskFile;

static void
disk_file_free (DiskFile *file)
{
  g_free (file->path);
  g_free (file);
}

static int
compare_oldest_first (gconstpointer a,
                      gconstpointer b)
{
  const DiskFile *fa = *(const DiskFile * const *) a;
  const DiskFile *fb = *(const DiskFile * const *) b;

  return (fa->mtime > fb->mtime) - (fa->mtime < fb->mtime);
}

static void
collect_files (const char *path,
               GPtrArray  *files,
               guint64    *total)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      GStatBuf st;

      if (g_lstat (child, &st) != 0)
        continue;

      if (S_ISDIR (st.st_mode))
        collect_files (child, files, total);
      else if (S_ISREG (st.st_mode))
        {
          DiskFile *file = g_new0 (DiskFile, 1);

          file->path = g_steal_pointer (&child);
          file->mtime = st.st_mtime;
          file->size = st.st_size;
          *total += st.st_size;
          g_ptr_array_add (files, file);
        }
    }
}

/* Oldest files first, until the folder is under @max_bytes */
static void
trim_tree (const char *root,
           guint64     max_bytes)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) disk_file_free);
  guint64 total = 0;

  collect_files (root, files, &total);
  if (total <= max_bytes)
    return;

  g_ptr_array_sort (files, compare_oldest_first);
  for (guint i = 0; i < files->len && total > max_bytes; i++)
    {
      DiskFile *file = g_ptr_array_index (files, i);

      if (g_unlink (file->path) == 0)
        total -= file->size;
    }
}

static void
disk_worker (gpointer data,
             gpointer user_data)
{
  DiskOp *op = data;
  g_autoptr(GError) error = NULL;

  switch (op->kind)
    {
    case DISK_WRITE:
      {
        g_autofree char *dir = g_path_get_dirname (op->path);
        gsize size;
        const char *contents = g_bytes_get_data (op->bytes, &size);

        if (g_mkdir_with_parents (dir, 0700) != 0 ||
            !g_file_set_contents_full (op->path, contents, size,
                                       G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
          g_debug ("The result could not be kept in %s: %s", op->path,
                   error ? error->message : g_strerror (errno));
      }
      break;

    case DISK_DELETE_FILE:
      g_unlink (op->path);
      break;

    case DISK_DELETE_TREE:
      delete_tree (op->path);
      break;

    case DISK_TRIM:
      trim_tree (op->path, op->max_bytes);
      break;

    default:
      g_assert_not_reached ();
    }

  disk_op_free (op);
}

static void
disk_push (DiskOpKind  kind,
           const char *path,
           GBytes     *bytes,
           guint64     max_bytes)
{
  static GThreadPool *pool;
  DiskOp *op;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (disk_worker, NULL, 1, FALSE, NULL));

  op = g_new0 (DiskOp, 1);
  op->kind = kind;
  op->path = g_strdup (path);
  op->bytes = bytes ? g_bytes_ref (bytes) : NULL;
  op->max_bytes = max_bytes;
  g_thread_pool_push (pool, op, NULL);
}

static char *
disk_root (void)
{
  return g_build_filename (g_get_user_cache_dir (), "voxparse-browser", "results", NULL);
}

static void
vp_result_cache_update_disk_dir (VpResultCache *self)
{
  g_autofree char *root = NULL;
  g_autofree char *hash = NULL;

  g_assert (VP_IS_RESULT_CACHE (self));

  g_clear_pointer (&self->disk_dir, g_free);
  if (!self->keep_on_disk || self->client == NULL)
    return;

  root = disk_root ();
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                        vp_client_get_base_url (self->client), -1);
  self->disk_dir = g_build_filename (root, hash, NULL);
}

/* A file name for @job_id: itself when plainly safe, else its hash */
static char *
disk_path (VpResultCache *self,
           const char    *job_id)
{
  g_autofree char *name = NULL;
  gboolean safe = *job_id != '\0' && *job_id != '.' && strlen (job_id) <= 128;

  g_assert (VP_IS_RESULT_CACHE (self));
  g_assert (self->disk_dir != NULL);

  for (const char *p = job_id; safe && *p; p++)
    safe = g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.';

  if (safe)
    name = g_strconcat (job_id, ".json", NULL);
  else
    {
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, job_id, -1);

      name = g_strconcat ("id-", hash, ".json", NULL);
    }

  return g_build_filename (self->disk_dir, name, NULL);
}

static void
vp_result_cache_write_to_disk (VpResultCache *self,
                               const char    *job_id,
                               VpResult      *result)
{
  g_autofree char *path = NULL;
  GBytes *bytes;

  g_assert (VP_IS_RESULT_CACHE (self));

  if (self->disk_dir == NULL || (bytes = vp_result_get_bytes (result)) == NULL)
    return;

  path = disk_path (self, job_id);
  disk_push (DISK_WRITE, path, bytes, 0);
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
static void vp_result_cache_fetch_from_network (VpResultCache *self,
                                                Fetch         *fetch);

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
  /* The fetch's reference may be the last one */
  g_autoptr(VpResultCache) self = g_object_ref (fetch->self);
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
      vp_result_cache_write_to_disk (self, fetch->job_id, result);
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

static void on_disk_loaded_cb (GObject      *object,
                               GAsyncResult *async_result,
                               gpointer      user_data);

static void
vp_result_cache_fetch_from_network (VpResultCache *self,
                                    Fetch         *fetch)
{
  g_assert (VP_IS_RESULT_CACHE (self));

  vp_client_get_result_async (fetch->client, fetch->job, self->cancellable,
                              on_result_fetched_cb, fetch);
}

/* The end of a look on disk that found nothing usable */
static gboolean
disk_fetch_is_current (Fetch *fetch)
{
  VpResultCache *self = fetch->self;

  return fetch->client == self->client &&
         fetch->generation == self->generation &&
         !g_cancellable_is_cancelled (self->cancellable);
}

static void
disk_fetch_give_up (Fetch *fetch)
{
  g_autoptr(VpResultCache) self = g_object_ref (fetch->self);

  g_assert (self->n_in_flight > 0);
  self->n_in_flight--;
  if (fetch->client == self->client && fetch->generation == self->generation)
    g_hash_table_remove (self->pending, fetch->job_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_IN_FLIGHT]);
  fetch_free (fetch);
  vp_result_cache_pump (self);
}

static void
parse_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  GError *error = NULL;
  VpResult *result = vp_result_new_from_bytes (bytes, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, g_object_unref);
}

static void
on_disk_parsed_cb (GObject      *object,
                   GAsyncResult *async_result,
                   gpointer      user_data)
{
  Fetch *fetch = user_data;
  /* The fetch's reference may be the last one */
  g_autoptr(VpResultCache) self = g_object_ref (fetch->self);
  g_autoptr(VpResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = g_task_propagate_pointer (G_TASK (async_result), &error);

  if (!disk_fetch_is_current (fetch))
    {
      disk_fetch_give_up (fetch);
      return;
    }

  if (result == NULL)
    {
      g_autofree char *path = g_file_get_path (fetch->file);

      g_debug ("Deleting %s, which could not be read: %s", path, error->message);
      disk_push (DISK_DELETE_FILE, path, NULL, 0);
      vp_result_cache_fetch_from_network (self, fetch);
      return;
    }

  g_debug ("The result of %s came from disk", fetch->job_id);
  self->n_in_flight--;
  self->n_from_disk++;
  g_hash_table_remove (self->pending, fetch->job_id);
  vp_result_cache_store (self, fetch->job_id, result);
  g_signal_emit (self, signals[RESULT_LOADED], 0, fetch->job_id, result);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_IN_FLIGHT]);
  fetch_free (fetch);
  vp_result_cache_pump (self);
}

static void
on_disk_loaded_cb (GObject      *object,
                   GAsyncResult *async_result,
                   gpointer      user_data)
{
  Fetch *fetch = user_data;
  /* The fetch's reference may be the last one */
  g_autoptr(VpResultCache) self = g_object_ref (fetch->self);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), async_result, &contents, &length, NULL, &error))
    {
      if (!disk_fetch_is_current (fetch))
        disk_fetch_give_up (fetch);
      else
        vp_result_cache_fetch_from_network (self, fetch);
      return;
    }

  if (!disk_fetch_is_current (fetch))
    {
      disk_fetch_give_up (fetch);
      return;
    }

  task = g_task_new (NULL, self->cancellable, on_disk_parsed_cb, fetch);
  g_task_set_source_tag (task, on_disk_loaded_cb);
  g_task_set_task_data (task, g_bytes_new_take (g_steal_pointer (&contents), length),
                        (GDestroyNotify) g_bytes_unref);
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, parse_in_thread);
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
      fetch->job = g_object_ref (job);
      fetch->client = g_object_ref (self->client);
      fetch->generation = self->generation;

      self->n_in_flight++;
      self->peak_in_flight = MAX (self->peak_in_flight, self->n_in_flight);
      started = TRUE;

      if (self->disk_dir != NULL)
        {
          g_autofree char *path = disk_path (self, fetch->job_id);

          fetch->file = g_file_new_for_path (path);
          g_file_load_contents_async (fetch->file, self->cancellable,
                                      on_disk_loaded_cb, fetch);
        }
      else
        vp_result_cache_fetch_from_network (self, fetch);
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
  vp_result_cache_update_disk_dir (self);

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

  if (!vp_result_cache_is_known (self, job_id))
    vp_result_cache_write_to_disk (self, job_id, result);
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

gboolean
vp_result_cache_get_keep_on_disk (VpResultCache *self)
{
  g_return_val_if_fail (VP_IS_RESULT_CACHE (self), FALSE);

  return self->keep_on_disk;
}

void
vp_result_cache_set_keep_on_disk (VpResultCache *self,
                                  gboolean       keep_on_disk)
{
  g_autofree char *root = NULL;

  g_return_if_fail (VP_IS_RESULT_CACHE (self));

  keep_on_disk = !!keep_on_disk;
  if (self->keep_on_disk == keep_on_disk)
    return;

  self->keep_on_disk = keep_on_disk;
  vp_result_cache_update_disk_dir (self);

  root = disk_root ();
  if (keep_on_disk)
    disk_push (DISK_TRIM, root, NULL, VP_RESULT_CACHE_DEFAULT_MAX_DISK_BYTES);
  else
    disk_push (DISK_DELETE_TREE, root, NULL, 0);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEP_ON_DISK]);
}

char *
vp_result_cache_dup_disk_dir (VpResultCache *self)
{
  g_return_val_if_fail (VP_IS_RESULT_CACHE (self), NULL);

  return g_strdup (self->disk_dir);
}

guint
vp_result_cache_get_n_from_disk (VpResultCache *self)
{
  g_return_val_if_fail (VP_IS_RESULT_CACHE (self), 0);

  return self->n_from_disk;
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

/**
 * vp_result_cache_set_max_bytes:
 * @max_bytes: 0 for VP_RESULT_CACHE_DEFAULT_MAX_BYTES
 *
 * Changes the bound; the least recently used results go at once when the
 * cache holds more.
 */
void
vp_result_cache_set_max_bytes (VpResultCache *self,
                               gsize          max_bytes)
{
  g_return_if_fail (VP_IS_RESULT_CACHE (self));

  self->max_bytes = max_bytes > 0 ? max_bytes : VP_RESULT_CACHE_DEFAULT_MAX_BYTES;
  vp_result_cache_evict (self);
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
  g_clear_pointer (&self->disk_dir, g_free);

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

    case PROP_KEEP_ON_DISK:
      g_value_set_boolean (value, self->keep_on_disk);
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

    case PROP_KEEP_ON_DISK:
      vp_result_cache_set_keep_on_disk (self, g_value_get_boolean (value));
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

  properties[PROP_KEEP_ON_DISK] =
    g_param_spec_boolean ("keep-on-disk", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

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

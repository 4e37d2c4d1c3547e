/* vp-job-list.c: a GListModel of jobs that pages through /v1/jobs
 *
 * The model shows the face of GtkDirectoryList: "loading", "error" and
 * "has-more" properties, one exact items-changed per batch, and its I/O
 * cancelled in dispose.
 *
 * Paging while jobs are being created: the API lists newest first and gives
 * no total, so a job created while someone pages pushes every job one
 * position down.  The model always holds a contiguous run of the server's
 * list, from its head (as of the last refresh) down to its tail, and keeps
 * tail_offset: a position the tail job had at some point, so never more
 * than the position it has now (positions only grow).  Each next page is
 * asked for from tail_offset, one job longer than a page: it starts with
 * the tail itself, unless new jobs pushed it further, and then the tail is
 * found further in the page (or, in a page of only newer jobs, not at all:
 * the next page is asked for after it).  Only the jobs after the tail are
 * appended, so paging neither repeats nor skips a job, and it never puts a
 * new job at the bottom.  New jobs come in through refresh, which walks
 * from offset 0 down to the first job it knows and puts the new ones at
 * the top.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-job-list"

#include "config.h"

#include <string.h>

#include "vp-job-list.h"

/* A refresh that finds no known job in this many pages starts over. */
#define MAX_REFRESH_PAGES 10
#define DEFAULT_PAGE_SIZE 50

struct _VpJobList
{
  GObject       parent_instance;

  VpClient     *client;
  GPtrArray    *items;
  GHashTable   *ids;
  GCancellable *cancellable;
  GError       *error;

  guint         page_size;
  guint         tail_offset;
  guint         fetch_offset;
  guint         fetch_limit;

  /* A refresh in progress: what it found so far, and where it is. */
  GPtrArray    *refresh_found;
  GHashTable   *refresh_seen;
  guint         refresh_offset;
  guint         refresh_pages;

  guint         loading : 1;
  guint         has_more : 1;
  guint         refreshing : 1;
  guint         refresh_pending : 1;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VpJobList, vp_job_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_PAGE_SIZE,
  PROP_LOADING,
  PROP_HAS_MORE,
  PROP_ERROR,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void fetch_page (VpJobList *self);

/* -------------------------------------------------------------------------
 * GListModel
 */

static GType
vp_job_list_get_item_type (GListModel *model)
{
  return VP_TYPE_JOB;
}

static guint
vp_job_list_get_n_items (GListModel *model)
{
  return VP_JOB_LIST (model)->items->len;
}

static gpointer
vp_job_list_get_item (GListModel *model,
                      guint       position)
{
  VpJobList *self = VP_JOB_LIST (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = vp_job_list_get_item_type;
  iface->get_n_items = vp_job_list_get_n_items;
  iface->get_item = vp_job_list_get_item;
}

/* -------------------------------------------------------------------------
 * State
 */

static void
set_loading (VpJobList *self,
             gboolean   loading)
{
  g_assert (VP_IS_JOB_LIST (self));

  loading = !!loading;
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOADING]);
}

static void
set_has_more (VpJobList *self,
              gboolean   has_more)
{
  g_assert (VP_IS_JOB_LIST (self));

  has_more = !!has_more;
  if (self->has_more == has_more)
    return;

  self->has_more = has_more;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_HAS_MORE]);
}

/* Takes ownership of @error (may be NULL). */
static void
take_error (VpJobList *self,
            GError    *error)
{
  g_assert (VP_IS_JOB_LIST (self));

  if (self->error == NULL && error == NULL)
    return;

  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR]);
}

/* @in_ids: filter_new_jobs() put @jobs into self->ids already */
static void
insert_jobs (VpJobList *self,
             guint      position,
             GPtrArray *jobs,
             gboolean   in_ids)
{
  g_assert (VP_IS_JOB_LIST (self));
  g_assert (position <= self->items->len);

  if (jobs->len == 0)
    return;

  for (guint i = 0; i < jobs->len; i++)
    {
      VpJob *job = g_ptr_array_index (jobs, i);

      if (!in_ids)
        g_hash_table_insert (self->ids, (gpointer) vp_job_get_id (job), job);
      g_ptr_array_insert (self->items, position + i, g_object_ref (job));
    }

  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, jobs->len);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_ITEMS]);
}

/* Drops the jobs of @page the model already holds, updating those with
 * what the server says now (a status that moved on, say).  The new ones
 * go into self->ids at once (a page costs no table of its own): the caller
 * must insert_jobs() them. */
static GPtrArray *
filter_new_jobs (VpJobList *self,
                 GPtrArray *page)
{
  /* Sized for the page: growing it (and the after_tail array) past 1 KiB
   * made malloc consolidate its free lists once per page. */
  GPtrArray *fresh = g_ptr_array_new_full (page->len, g_object_unref);

  g_assert (VP_IS_JOB_LIST (self));

  for (guint i = 0; i < page->len; i++)
    {
      VpJob *job = g_ptr_array_index (page, i);
      VpJob *known = g_hash_table_lookup (self->ids, vp_job_get_id (job));

      if (known == NULL)
        {
          g_hash_table_insert (self->ids, (gpointer) vp_job_get_id (job), job);
          g_ptr_array_add (fresh, g_object_ref (job));
        }
      else if (g_ptr_array_find (fresh, known, NULL))
        g_debug ("The server listed job %s twice in one page", vp_job_get_id (job));
      else
        vp_job_update_from (known, job);
    }

  return fresh;
}

static void
clear_items (VpJobList *self)
{
  guint n_removed;

  g_assert (VP_IS_JOB_LIST (self));

  n_removed = self->items->len;
  g_hash_table_remove_all (self->ids);
  g_ptr_array_set_size (self->items, 0);

  if (n_removed > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, n_removed, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_ITEMS]);
    }
}

static void
finish_operation (VpJobList *self)
{
  g_assert (VP_IS_JOB_LIST (self));

  self->refreshing = FALSE;
  g_clear_pointer (&self->refresh_found, g_ptr_array_unref);
  g_clear_pointer (&self->refresh_seen, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  set_loading (self, FALSE);

  if (self->refresh_pending)
    {
      self->refresh_pending = FALSE;
      vp_job_list_refresh (self);
    }
}

/* -------------------------------------------------------------------------
 * Paging down
 */

static void
on_page_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  VpClient *client = VP_CLIENT (object);
  g_autoptr(VpJobList) self = user_data;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) after_tail = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GError) error = NULL;
  guint start = 0;

  page = vp_client_list_jobs_finish (client, result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (page == NULL)
    {
      g_debug ("Loading jobs at offset %u failed: %s", self->fetch_offset, error->message);
      take_error (self, g_steal_pointer (&error));
      finish_operation (self);
      return;
    }

  take_error (self, NULL);

  if (self->items->len > 0)
    {
      VpJob *tail = g_ptr_array_index (self->items, self->items->len - 1);
      gboolean found = FALSE;

      for (guint i = 0; i < page->len && !found; i++)
        {
          if (g_str_equal (vp_job_get_id (g_ptr_array_index (page, i)), vp_job_get_id (tail)))
            {
              found = TRUE;
              start = i + 1;
            }
        }

      if (!found)
        {
          /* Every job of the page is newer than the tail: it was pushed
           * past this page.  Those jobs are refresh's to bring in. */
          start = page->len;
          self->tail_offset = self->fetch_offset + page->len;
        }
      else
        self->tail_offset = self->fetch_offset + start - 1;
    }

  after_tail = g_ptr_array_sized_new (page->len);
  for (guint i = start; i < page->len; i++)
    g_ptr_array_add (after_tail, g_ptr_array_index (page, i));

  fresh = filter_new_jobs (self, after_tail);
  if (fresh->len > 0)
    {
      self->tail_offset = self->fetch_offset + page->len - 1;
      insert_jobs (self, self->items->len, fresh, TRUE);
    }

  /* The API gives no total: a short page is the end. */
  set_has_more (self, page->len >= self->fetch_limit);

  /* Nothing new in a full page: the head grew while paging.  Carry on, so
   * the reader gets what was asked for. */
  if (self->has_more && fresh->len == 0)
    {
      fetch_page (self);
      return;
    }

  finish_operation (self);
}

static void
fetch_page (VpJobList *self)
{
  g_assert (VP_IS_JOB_LIST (self));
  g_assert (self->client != NULL);
  g_assert (self->cancellable != NULL);

  /* From the tail on, one more than a page: the first is the tail itself
   * when nothing moved. */
  if (self->items->len == 0)
    {
      self->fetch_offset = 0;
      self->fetch_limit = self->page_size;
    }
  else
    {
      self->fetch_offset = self->tail_offset;
      self->fetch_limit = MIN (self->page_size + 1, VP_CLIENT_MAX_LIMIT);
    }

  vp_client_list_jobs_async (self->client,
                             self->fetch_limit,
                             self->fetch_offset,
                             self->cancellable,
                             on_page_loaded_cb,
                             g_object_ref (self));
}

/* -------------------------------------------------------------------------
 * Refreshing at the head
 */

static void fetch_refresh_page (VpJobList *self);

static void
on_refresh_page_loaded_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  VpClient *client = VP_CLIENT (object);
  g_autoptr(VpJobList) self = user_data;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found_known;
  guint limit;

  page = vp_client_list_jobs_finish (client, result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (page == NULL)
    {
      g_debug ("Refreshing failed: %s", error->message);
      take_error (self, g_steal_pointer (&error));
      finish_operation (self);
      return;
    }

  take_error (self, NULL);

  limit = MIN (self->page_size, VP_CLIENT_MAX_LIMIT);
  self->refresh_offset += page->len;
  self->refresh_pages++;

  /* Unknown jobs before the first known one are new.  Those after it are
   * ones paging has not reached yet (the model is shorter than the page):
   * paging brings them.  A job seen twice means the head grew meanwhile. */
  found_known = FALSE;
  for (guint i = 0; i < page->len; i++)
    {
      VpJob *job = g_ptr_array_index (page, i);
      VpJob *known = g_hash_table_lookup (self->ids, vp_job_get_id (job));

      if (known != NULL)
        {
          found_known = TRUE;
          vp_job_update_from (known, job);
        }
      else if (!found_known && g_hash_table_add (self->refresh_seen, g_strdup (vp_job_get_id (job))))
        g_ptr_array_add (self->refresh_found, g_object_ref (job));
    }

  if (found_known)
    {
      insert_jobs (self, 0, self->refresh_found, FALSE);
      /* The model is again the server's head down to its tail. */
      self->tail_offset = self->items->len - 1;
      finish_operation (self);
      return;
    }

  if (page->len < limit || self->refresh_pages >= MAX_REFRESH_PAGES)
    {
      /* Nothing the model holds is on the server's first pages any more:
       * the account's list is not the one loaded before.  Start over with
       * what was found. */
      g_debug ("No known job in the first %u jobs; starting over", self->refresh_offset);
      clear_items (self);
      insert_jobs (self, 0, self->refresh_found, FALSE);
      self->tail_offset = self->items->len > 0 ? self->items->len - 1 : 0;
      set_has_more (self, page->len >= limit);
      finish_operation (self);
      return;
    }

  fetch_refresh_page (self);
}

static void
fetch_refresh_page (VpJobList *self)
{
  g_assert (VP_IS_JOB_LIST (self));

  vp_client_list_jobs_async (self->client,
                             self->page_size,
                             self->refresh_offset,
                             self->cancellable,
                             on_refresh_page_loaded_cb,
                             g_object_ref (self));
}

/* -------------------------------------------------------------------------
 * GObject
 */

static void
vp_job_list_dispose (GObject *object)
{
  VpJobList *self = (VpJobList *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->refresh_found, g_ptr_array_unref);
  g_clear_pointer (&self->refresh_seen, g_hash_table_unref);

  G_OBJECT_CLASS (vp_job_list_parent_class)->dispose (object);
}

static void
vp_job_list_finalize (GObject *object)
{
  VpJobList *self = (VpJobList *)object;

  g_clear_pointer (&self->ids, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (vp_job_list_parent_class)->finalize (object);
}

static void
vp_job_list_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VpJobList *self = VP_JOB_LIST (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->page_size);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_HAS_MORE:
      g_value_set_boolean (value, self->has_more);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_job_list_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  VpJobList *self = VP_JOB_LIST (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      vp_job_list_set_client (self, g_value_get_object (value));
      break;

    case PROP_PAGE_SIZE:
      vp_job_list_set_page_size (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_job_list_class_init (VpJobListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vp_job_list_dispose;
  object_class->finalize = vp_job_list_finalize;
  object_class->get_property = vp_job_list_get_property;
  object_class->set_property = vp_job_list_set_property;

  properties [PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         VP_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_PAGE_SIZE] =
    g_param_spec_uint ("page-size", NULL, NULL,
                       1, VP_CLIENT_MAX_LIMIT, DEFAULT_PAGE_SIZE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_HAS_MORE] =
    g_param_spec_boolean ("has-more", NULL, NULL,
                          TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL,
                        G_TYPE_ERROR,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vp_job_list_init (VpJobList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->ids = g_hash_table_new (g_str_hash, g_str_equal);
  self->page_size = DEFAULT_PAGE_SIZE;
  self->has_more = TRUE;
}

/* -------------------------------------------------------------------------
 * Public API
 */

/**
 * vp_job_list_new:
 * @client: (nullable): where the jobs come from
 * @page_size: jobs per request, 1..100
 *
 * Nothing is fetched until vp_job_list_load_more() or vp_job_list_refresh().
 */
VpJobList *
vp_job_list_new (VpClient *client,
                 guint     page_size)
{
  g_return_val_if_fail (!client || VP_IS_CLIENT (client), NULL);

  return g_object_new (VP_TYPE_JOB_LIST,
                       "client", client,
                       "page-size", CLAMP (page_size, 1, VP_CLIENT_MAX_LIMIT),
                       NULL);
}

VpClient *
vp_job_list_get_client (VpJobList *self)
{
  g_return_val_if_fail (VP_IS_JOB_LIST (self), NULL);

  return self->client;
}

void
vp_job_list_set_client (VpJobList *self,
                        VpClient  *client)
{
  g_return_if_fail (VP_IS_JOB_LIST (self));
  g_return_if_fail (!client || VP_IS_CLIENT (client));

  if (self->client == client)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->refreshing = FALSE;
  self->refresh_pending = FALSE;
  g_clear_pointer (&self->refresh_found, g_ptr_array_unref);
  g_clear_pointer (&self->refresh_seen, g_hash_table_unref);

  g_set_object (&self->client, client);
  self->tail_offset = 0;
  clear_items (self);
  take_error (self, NULL);
  set_has_more (self, TRUE);
  set_loading (self, FALSE);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CLIENT]);
}

guint
vp_job_list_get_page_size (VpJobList *self)
{
  g_return_val_if_fail (VP_IS_JOB_LIST (self), 0);

  return self->page_size;
}

void
vp_job_list_set_page_size (VpJobList *self,
                           guint      page_size)
{
  g_return_if_fail (VP_IS_JOB_LIST (self));

  page_size = CLAMP (page_size, 1, VP_CLIENT_MAX_LIMIT);
  if (self->page_size == page_size)
    return;

  self->page_size = page_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAGE_SIZE]);
}

gboolean
vp_job_list_is_loading (VpJobList *self)
{
  g_return_val_if_fail (VP_IS_JOB_LIST (self), FALSE);

  return self->loading;
}

gboolean
vp_job_list_has_more (VpJobList *self)
{
  g_return_val_if_fail (VP_IS_JOB_LIST (self), FALSE);

  return self->has_more;
}

const GError *
vp_job_list_get_error (VpJobList *self)
{
  g_return_val_if_fail (VP_IS_JOB_LIST (self), NULL);

  return self->error;
}

void
vp_job_list_load_more (VpJobList *self)
{
  g_return_if_fail (VP_IS_JOB_LIST (self));

  if (self->client == NULL || self->loading || !self->has_more)
    return;

  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  fetch_page (self);
}

void
vp_job_list_refresh (VpJobList *self)
{
  g_return_if_fail (VP_IS_JOB_LIST (self));

  if (self->client == NULL)
    return;

  if (self->loading)
    {
      /* One request at a time; the refresh follows the page in flight. */
      if (!self->refreshing)
        self->refresh_pending = TRUE;
      return;
    }

  if (self->items->len == 0)
    {
      set_has_more (self, TRUE);
      vp_job_list_load_more (self);
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->refreshing = TRUE;
  self->refresh_offset = 0;
  self->refresh_pages = 0;
  self->refresh_found = g_ptr_array_new_with_free_func (g_object_unref);
  self->refresh_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  set_loading (self, TRUE);
  fetch_refresh_page (self);
}

/**
 * vp_job_list_find:
 * @position: (out) (optional): where the job is
 *
 * Returns: (transfer none) (nullable): the job with @job_id, if listed
 */
VpJob *
vp_job_list_find (VpJobList  *self,
                  const char *job_id,
                  guint      *position)
{
  VpJob *job;

  g_return_val_if_fail (VP_IS_JOB_LIST (self), NULL);
  g_return_val_if_fail (job_id != NULL, NULL);

  job = g_hash_table_lookup (self->ids, job_id);
  if (job != NULL && position != NULL)
    {
      guint index = 0;

      if (!g_ptr_array_find (self->items, job, &index))
        g_assert_not_reached ();
      *position = index;
    }

  return job;
}

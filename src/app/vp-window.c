/* vp-window.c: the main window of VoxParse Call Browser
 *
 * A header bar, then a stack: the browser, or the welcome page (no key
 * yet), which is built only when it is first shown.
 * The browser has two views of the same calls: "Calls", a GtkPaned with the
 * job list on the left (a GtkListView over a GtkMultiSelection over a
 * GtkFilterListModel over the core's VpJobList, ending in a VpListFooter)
 * and the VpJobView on the right; and "Audit", a VpAuditView table.  Above
 * both, a banner explains errors that concern the whole connection (a
 * rejected key, an unreachable server) and offers the way out, and the
 * VpFilterBar holds the search and the filters; under both, a VpTotalsBar.
 *
 * Filters over the analysis need results: the window asks its
 * VpResultCache for the results of the listed completed jobs while a
 * filter needs them or the audit table is shown, and cancels that when
 * neither is the case any more.  As results arrive the filter is re-run
 * (GTK_FILTER_CHANGE_LESS_STRICT, in batches; the model filters
 * incrementally).  While a filter is set or the audit table is shown, pages
 * are loaded until the last SCAN_LIMIT calls are there.
 *
 * The right side shows the job last clicked: with several selected it
 * stays on the one added last.  The window binds core objects together; it
 * holds no network or parsing code of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vp-application.h"
#include "vp-audit-view.h"
#include "vp-error.h"
#include "vp-export-dialog.h"
#include "vp-filter-bar.h"
#include "vp-format.h"
#include "vp-job-list.h"
#include "vp-job-row.h"
#include "vp-job-view-private.h"
#include "vp-list-footer.h"
#include "vp-result-cache.h"
#include "vp-tooltip.h"
#include "vp-totals-bar.h"
#include "vp-settings.h"
#include "vp-welcome-page.h"
#include "vp-window-private.h"

#define PAGE_SIZE 50
/* With a filter set (or the audit table shown), pages are loaded until
 * this many calls are listed, so "the last 500 calls" can be answered. */
#define SCAN_LIMIT 500
/* Results arriving are applied to the filter at most this often */
#define REFILTER_MS 250
/* A row of the list with its share of the header bar, search bar and
 * totals: the first frame is given the window's height in rows of this,
 * topped up if they fall short, see vp_window_limit_first_rows(). */
#define FIRST_ROW_HEIGHT_GUESS 60

typedef enum {
  BANNER_NONE,
  BANNER_UNAUTHORIZED,
  BANNER_RETRY,
} BannerKind;

struct _VpWindow
{
  GtkApplicationWindow  parent_instance;

  VpClient             *client;
  VpJobList            *job_list;
  GSettings            *settings;   /* NULL without the installed schema */
  GtkMultiSelection    *selection;
  GtkSliceListModel    *first_rows;   /* the job list, as the filter sees it */
  GtkFilterListModel   *filter_model;
  GtkCustomFilter      *custom_filter;
  VpJobFilter          *filter;
  VpResultCache        *result_cache;
  VpPricing            *pricing;
  GCancellable         *pricing_cancellable;
  char                 *reselect_id;
  BannerKind            banner_kind;
  guint                 refilter_id;
  guint                 totals_id;
  /* The filtered list's jobs, mirrored so that totals follow its
   * items-changed (removed rows are no longer in the model) */
  GPtrArray            *totals_jobs;
  double                totals_seconds;
  gint64                totals_cents;
  gboolean              totals_dirty;
  guint                 n_checked;
  guint                 n_to_check;
  gboolean              selection_mode;
  GdkFrameClock        *first_select_clock;
  gulong                first_select_handler;
  guint                 present_timeout_id;
  gboolean              first_select_on_map;
  gulong                first_rows_handler;
  int                   first_row_height_guess;

  GtkLabel             *subtitle_label;
  GtkButton            *refresh_button;
  GtkStack             *main_stack;
  VpWelcomePage        *welcome_page;  /* in main_stack once first shown */
  GtkRevealer          *banner_revealer;
  GtkImage             *banner_image;
  GtkLabel             *banner_label;
  GtkButton            *banner_button;
  GtkBox               *banner_box;
  GtkBox               *banner_key_box;   /* in banner_box once first asked for */
  GtkPasswordEntry     *banner_key_entry;
  GtkPaned             *paned;
  GtkScrolledWindow    *list_scroller;
  GtkListView          *list_view;
  VpListFooter         *list_footer;
  VpJobView            *job_view;
  GtkButton            *export_button;
  GtkMenuButton        *menu_button;
  GMenuModel           *primary_menu;   /* menu_button's, once first opened */
  GtkStackSwitcher     *view_switcher;
  GtkToggleButton      *select_button;
  GtkToggleButton      *search_button;
  GtkRevealer          *filter_revealer;
  VpFilterBar          *filter_bar;
  GtkStack             *views_stack;
  GtkStack             *list_stack;
  GtkLabel             *no_matches_label;
  GtkBox               *audit_box;
  VpAuditView          *audit_view;     /* in audit_box once first shown */
  VpTotalsBar          *totals_bar;
};

enum {
  PROP_0,
  PROP_SELECTION_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VpWindow, vp_window, GTK_TYPE_APPLICATION_WINDOW)

static void
vp_window_hide_banner (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  self->banner_kind = BANNER_NONE;
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
  if (self->banner_key_box != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->banner_key_box), FALSE);
}

/* Errors about the connection as a whole go to the banner; the list and the
 * loaded call stay as they are. */
static void
vp_window_show_banner (VpWindow     *self,
                       const GError *error)
{
  g_autofree char *text = NULL;

  g_assert (VP_IS_WINDOW (self));
  g_assert (error != NULL);

  text = vp_describe_error (error);
  gtk_label_set_text (self->banner_label, text);

  if (g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED))
    {
      self->banner_kind = BANNER_UNAUTHORIZED;
      gtk_image_set_from_icon_name (self->banner_image, "dialog-password-symbolic");
      gtk_button_set_label (self->banner_button, _("_Enter Another Key"));
    }
  else
    {
      self->banner_kind = BANNER_RETRY;
      if (g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_CANNOT_CONNECT))
        gtk_image_set_from_icon_name (self->banner_image, "network-offline-symbolic");
      else
        gtk_image_set_from_icon_name (self->banner_image, "dialog-warning-symbolic");
      gtk_button_set_label (self->banner_button, _("_Retry"));
      if (self->banner_key_box != NULL)
        gtk_widget_set_visible (GTK_WIDGET (self->banner_key_box), FALSE);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->banner_button), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->banner_revealer), TRUE);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

static void
on_banner_child_revealed_cb (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  /* Slid away: hidden, so it is not measured any more */
  if (!gtk_revealer_get_child_revealed (self->banner_revealer) &&
      !gtk_revealer_get_reveal_child (self->banner_revealer))
    gtk_widget_set_visible (GTK_WIDGET (self->banner_revealer), FALSE);
}

static gboolean
is_connection_error (const GError *error)
{
  return g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED) ||
         g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_CANNOT_CONNECT) ||
         g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_RATE_LIMITED) ||
         g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_URL);
}

static gboolean
vp_window_is_auditing (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->views_stack), "audit") == 0;
}

static void on_audit_open_job_cb (VpWindow    *self,
                                  VpJob       *job,
                                  VpAuditView *view);
static void vp_window_queue_totals (VpWindow *self);

/* The audit table, built the first time it is needed: start-up shows the
 * calls, and a table of every column is not cheap to make. */
static VpAuditView *
vp_window_get_audit_view (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  if (self->audit_view == NULL)
    {
      self->audit_view = VP_AUDIT_VIEW (g_object_new (VP_TYPE_AUDIT_VIEW, NULL));
      g_signal_connect_object (self->audit_view, "open-job",
                               G_CALLBACK (on_audit_open_job_cb), self, G_CONNECT_SWAPPED);
      vp_audit_view_set_cache (self->audit_view, self->result_cache);
      vp_audit_view_set_model (self->audit_view, G_LIST_MODEL (self->filter_model));
      g_signal_connect_object (vp_audit_view_get_selection (self->audit_view), "selection-changed",
                               G_CALLBACK (vp_window_queue_totals), self, G_CONNECT_SWAPPED);
      gtk_widget_set_vexpand (GTK_WIDGET (self->audit_view), TRUE);
      gtk_box_append (self->audit_box, GTK_WIDGET (self->audit_view));
    }

  return self->audit_view;
}

/* The header's controls for browsing calls (views, search, selection,
 * export, refresh) mean nothing before there is an account: the welcome
 * page hides them. */
static void
vp_window_show_browser_controls (VpWindow *self,
                                 gboolean  shown)
{
  g_assert (VP_IS_WINDOW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->refresh_button), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->view_switcher), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->search_button), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->select_button), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->export_button), shown);
}

/* Filtering, or showing the audit table: both look through many calls */
static gboolean
vp_window_is_scanning (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  return !vp_job_filter_is_empty (self->filter) || vp_window_is_auditing (self);
}

static gboolean
vp_window_is_limiting_first_rows (VpWindow *self)
{
  return gtk_slice_list_model_get_size (self->first_rows) != G_MAXUINT;
}

static void
vp_window_maybe_load_more (VpWindow *self)
{
  GtkAdjustment *adjustment;
  double value, upper, page_size;

  g_assert (VP_IS_WINDOW (self));

  if (self->job_list == NULL ||
      !vp_job_list_has_more (self->job_list) ||
      vp_job_list_is_loading (self->job_list) ||
      vp_job_list_get_error (self->job_list) != NULL ||
      vp_window_is_limiting_first_rows (self))
    return;

  /* Filtering or auditing: the last SCAN_LIMIT calls, then on request */
  if (vp_window_is_scanning (self))
    {
      if (g_list_model_get_n_items (G_LIST_MODEL (self->job_list)) < SCAN_LIMIT)
        vp_job_list_load_more (self->job_list);
      return;
    }

  adjustment = gtk_scrolled_window_get_vadjustment (self->list_scroller);
  value = gtk_adjustment_get_value (adjustment);
  upper = gtk_adjustment_get_upper (adjustment);
  page_size = gtk_adjustment_get_page_size (adjustment);

  /* Within a screenful of the end (or the list does not fill the view). */
  if (page_size > 0 && upper - (value + page_size) <= page_size)
    vp_job_list_load_more (self->job_list);
}

static void
on_vadjustment_changed_cb (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  vp_window_maybe_load_more (self);
}

/* The position of @job_id in the (filtered) list */
static gboolean
vp_window_find_listed (VpWindow   *self,
                       const char *job_id,
                       guint      *position)
{
  GListModel *model = G_LIST_MODEL (self->filter_model);
  VpJob *job;
  guint n_items;
  guint list_position;

  g_assert (VP_IS_WINDOW (self));

  if (job_id == NULL || self->job_list == NULL)
    return FALSE;

  /* By id in the whole list (a hash), then to the filtered position */
  job = vp_job_list_find (self->job_list, job_id, &list_position);
  if (job == NULL)
    return FALSE;

  if (gtk_filter_list_model_get_filter (self->filter_model) == NULL)
    {
      if (position != NULL)
        *position = list_position;
      return TRUE;
    }

  /* Filtered: the mirror of the filtered list, no model lookups */
  n_items = MIN (g_list_model_get_n_items (model), self->totals_jobs->len);
  for (guint i = 0; i < n_items; i++)
    if (g_ptr_array_index (self->totals_jobs, i) == (gpointer) job)
      {
        if (position != NULL)
          *position = i;
        return TRUE;
      }

  return FALSE;
}

static void
vp_window_restore_selection (VpWindow *self)
{
  guint position;

  g_assert (VP_IS_WINDOW (self));

  if (self->reselect_id == NULL || self->job_list == NULL)
    return;

  if (vp_window_find_listed (self, self->reselect_id, &position) &&
      !gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
}

static void
on_job_list_loading_cb (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  if (vp_job_list_is_loading (self->job_list))
    return;

  vp_window_restore_selection (self);
  g_clear_pointer (&self->reselect_id, g_free);

  /* The page may not fill the view yet. */
  vp_window_maybe_load_more (self);
}

static void vp_window_update_fetching (VpWindow *self);

static void
on_job_list_error_cb (VpWindow *self)
{
  const GError *error;

  g_assert (VP_IS_WINDOW (self));

  error = vp_job_list_get_error (self->job_list);

  if (error != NULL && is_connection_error (error))
    vp_window_show_banner (self, error);
  else if (error == NULL)
    {
      if (self->banner_kind != BANNER_NONE)
        vp_window_hide_banner (self);
      /* The connection is back: what a connection error stopped */
      vp_window_update_fetching (self);
    }
}

static void
on_job_view_load_failed_cb (VpWindow     *self,
                            const GError *error,
                            VpJobView    *view)
{
  g_assert (VP_IS_WINDOW (self));

  if (is_connection_error (error))
    vp_window_show_banner (self, error);
}

/* The job last added to the selection goes to the right side. */
static void
on_selection_changed_cb (VpWindow          *self,
                         guint              position,
                         guint              n_items,
                         GtkSelectionModel *model)
{
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(VpJob) show = NULL;
  VpJob *shown;
  guint shown_position;
  gboolean shown_selected;
  guint n_new = 0;

  g_assert (VP_IS_WINDOW (self));

  vp_window_queue_totals (self);

  selected = gtk_selection_model_get_selection (model);
  if (gtk_bitset_is_empty (selected))
    return;

  /* Among the selected rows (not a search of the whole list) */
  shown = vp_job_view_get_job (self->job_view);
  shown_selected = FALSE;
  shown_position = GTK_INVALID_LIST_POSITION;
  if (shown != NULL)
    {
      GtkBitsetIter iter;
      guint i;

      for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &i);
           ok && !shown_selected;
           ok = gtk_bitset_iter_next (&iter, &i))
        {
          g_autoptr(VpJob) job = g_list_model_get_item (G_LIST_MODEL (model), i);

          if (job == shown)
            {
              shown_selected = TRUE;
              shown_position = i;
            }
        }
    }

  if (gtk_bitset_get_size (selected) == 1)
    show = g_list_model_get_item (G_LIST_MODEL (model), gtk_bitset_get_nth (selected, 0));
  else
    {
      guint candidate = GTK_INVALID_LIST_POSITION;

      for (guint i = position; i < position + n_items; i++)
        if (gtk_bitset_contains (selected, i) && (!shown_selected || i != shown_position))
          {
            n_new++;
            candidate = i;
          }

      if (n_new == 1 || (!shown_selected && candidate != GTK_INVALID_LIST_POSITION))
        show = g_list_model_get_item (G_LIST_MODEL (model), candidate);
      else if (!shown_selected)
        show = g_list_model_get_item (G_LIST_MODEL (model), gtk_bitset_get_minimum (selected));
    }

  if (show != NULL && show != shown)
    vp_job_view_set_job (self->job_view, show);
}

static void
on_list_activate_cb (VpWindow    *self,
                     guint        position,
                     GtkListView *list_view)
{
  g_autoptr(VpJob) job = NULL;

  g_assert (VP_IS_WINDOW (self));

  job = g_list_model_get_item (G_LIST_MODEL (self->filter_model), position);
  if (job != NULL)
    vp_job_view_set_job (self->job_view, job);
}

static gboolean
filter_job_cb (gpointer item,
               gpointer user_data)
{
  VpWindow *self = user_data;
  VpJob *job = item;

  if (vp_job_filter_is_empty (self->filter))
    return TRUE;

  return vp_job_filter_match (self->filter, job,
                              vp_result_cache_lookup (self->result_cache, vp_job_get_id (job)))
         == VP_FILTER_MATCH_YES;
}

/* Filtering or auditing needs every listed call's result at hand: room
 * for all of them (a typical result takes about 160 KB), within reason,
 * so that none is fetched twice.  Grows as pages come in. */
static void
vp_window_size_result_cache (VpWindow *self)
{
  guint n_items;

  g_assert (VP_IS_WINDOW (self));
  g_assert (self->job_list != NULL);

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->job_list));
  vp_result_cache_set_max_bytes (self->result_cache,
                                 CLAMP ((gsize) n_items * 160 * 1024,
                                        VP_RESULT_CACHE_DEFAULT_MAX_BYTES,
                                        (gsize) 512 * 1024 * 1024));
}

/* The results the filters and the audit table need, fetched in the
 * background; cancelled when nothing needs them. */
static void
vp_window_update_fetching (VpWindow *self)
{
  GListModel *model;
  guint n_items;

  g_assert (VP_IS_WINDOW (self));

  if (self->job_list == NULL)
    return;

  if (!vp_job_filter_needs_results (self->filter) && !vp_window_is_auditing (self))
    {
      /* Only reading: a small cache of the calls opened lately, so a long
       * session of reading does not keep every call it opened. */
      vp_result_cache_cancel_fetches (self->result_cache);
      vp_result_cache_set_max_bytes (self->result_cache, 0);
      return;
    }

  model = G_LIST_MODEL (self->job_list);
  n_items = g_list_model_get_n_items (model);

  vp_window_size_result_cache (self);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(VpJob) job = g_list_model_get_item (model, i);

      vp_result_cache_fetch (self->result_cache, job);
    }
}

/* "Checked 120 of 300 calls" */
static void
vp_window_update_progress (VpWindow *self)
{
  GListModel *model;
  guint n_items;
  guint n_checked = 0, n_total = 0;

  g_assert (VP_IS_WINDOW (self));

  /* Nothing is being checked: no need to look through the list */
  if (!vp_job_filter_needs_results (self->filter) && !vp_window_is_auditing (self))
    {
      if (self->n_checked != 0 || self->n_to_check != 0)
        {
          self->n_checked = self->n_to_check = 0;
          vp_filter_bar_set_progress (self->filter_bar, 0, 0);
        }
      return;
    }

  if (self->job_list != NULL)
    {
      model = G_LIST_MODEL (self->job_list);
      n_items = g_list_model_get_n_items (model);
      for (guint i = 0; i < n_items; i++)
        {
          g_autoptr(VpJob) job = g_list_model_get_item (model, i);

          if (vp_job_get_status (job) != VP_JOB_STATUS_COMPLETED)
            continue;

          n_total++;
          n_checked += vp_result_cache_is_known (self->result_cache, vp_job_get_id (job));
        }
    }

  self->n_checked = n_checked;
  self->n_to_check = n_total;
  vp_filter_bar_set_progress (self->filter_bar, n_checked, n_total);
}

static void
vp_window_update_no_matches (VpWindow *self)
{
  guint n_items;
  guint n_listed;

  g_assert (VP_IS_WINDOW (self));

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  n_listed = self->job_list ? g_list_model_get_n_items (G_LIST_MODEL (self->job_list)) : 0;
  vp_filter_bar_set_n_matches (self->filter_bar, n_items, n_listed);

  if (n_items > 0 || vp_job_filter_is_empty (self->filter) || n_listed == 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "list");
      return;
    }

  if (vp_job_filter_needs_results (self->filter) && self->n_checked < self->n_to_check)
    {
      g_autofree char *text = NULL;

      /* Translators: no call matches yet, while results are being checked */
      text = g_strdup_printf (_("None so far. Checked %u of %u calls…"),
                              self->n_checked, self->n_to_check);
      gtk_label_set_text (self->no_matches_label, text);
    }
  else
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "None of the %u call listed matches the search and filters.",
                                           "None of the %u calls listed matches the search and filters.",
                                           n_listed),
                              n_listed);
      gtk_label_set_text (self->no_matches_label, text);
    }

  gtk_stack_set_visible_child_name (self->list_stack, "no-matches");
}

static void
add_job_totals (VpWindow *self,
                VpJob    *job,
                int       sign)
{
  double duration = vp_job_get_duration_seconds (job);
  gint64 cost = vp_job_get_cost_cents (job);

  g_assert (VP_IS_WINDOW (self));

  if (duration > 0)
    self->totals_seconds += sign * duration;
  if (cost > 0)
    self->totals_cents += sign * cost;
}

/* The sums of every listed job, again from the mirror (no model lookups):
 * only when a listed job's duration or cost changed. */
static void
vp_window_resum_totals (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  self->totals_seconds = 0;
  self->totals_cents = 0;
  for (guint i = 0; i < self->totals_jobs->len; i++)
    add_job_totals (self, g_ptr_array_index (self->totals_jobs, i), 1);
}

static gboolean update_totals_cb (gpointer user_data);

static void
on_totals_job_changed_cb (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  /* Coalesced in the totals idle */
  self->totals_dirty = TRUE;
  vp_window_queue_totals (self);
}

static void
totals_job_unref (gpointer data)
{
  VpJob *job = data;

  g_signal_handlers_disconnect_matched (job, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        on_totals_job_changed_cb, NULL);
  g_object_unref (job);
}

/* The running totals follow the filtered list's changes. */
static void
on_totals_items_changed_cb (VpWindow   *self,
                            guint       position,
                            guint       removed,
                            guint       added,
                            GListModel *model)
{
  g_assert (VP_IS_WINDOW (self));

  g_return_if_fail (position + removed <= self->totals_jobs->len);

  for (guint i = position; i < position + removed; i++)
    add_job_totals (self, g_ptr_array_index (self->totals_jobs, i), -1);
  g_ptr_array_remove_range (self->totals_jobs, position, removed);

  for (guint i = 0; i < added; i++)
    {
      VpJob *job = g_list_model_get_item (model, position + i);

      add_job_totals (self, job, 1);
      g_signal_connect_object (job, "notify::duration-seconds",
                               G_CALLBACK (on_totals_job_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (job, "notify::cost-cents",
                               G_CALLBACK (on_totals_job_changed_cb), self, G_CONNECT_SWAPPED);
      g_ptr_array_insert (self->totals_jobs, position + i, job);
    }

  vp_window_queue_totals (self);
}

static gboolean
update_totals_cb (gpointer user_data)
{
  VpWindow *self = user_data;
  GtkSelectionModel *selection;
  g_autoptr(GtkBitset) selected = NULL;
  double seconds = 0;
  gint64 cents = 0;
  guint n_calls = 0;
  gboolean use_selection;

  self->totals_id = 0;

  if (self->totals_dirty)
    {
      self->totals_dirty = FALSE;
      vp_window_resum_totals (self);
    }

  selection = vp_window_is_auditing (self)
    ? vp_audit_view_get_selection (vp_window_get_audit_view (self))
    : GTK_SELECTION_MODEL (self->selection);
  selected = gtk_selection_model_get_selection (selection);
  use_selection = gtk_bitset_get_size (selected) > 1;

  if (use_selection)
    {
      GtkBitsetIter iter;
      guint position;

      /* Only the selected rows are looked at */
      for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
           ok;
           ok = gtk_bitset_iter_next (&iter, &position))
        {
          g_autoptr(VpJob) job = g_list_model_get_item (G_LIST_MODEL (selection), position);
          double duration;
          gint64 cost;

          if (job == NULL)
            continue;

          n_calls++;
          duration = vp_job_get_duration_seconds (job);
          cost = vp_job_get_cost_cents (job);
          if (duration > 0)
            seconds += duration;
          if (cost > 0)
            cents += cost;
        }
    }
  else
    {
      /* Both views show the filtered list */
      n_calls = self->totals_jobs->len;
      seconds = MAX (self->totals_seconds, 0);
      cents = MAX (self->totals_cents, 0);
    }

  vp_totals_bar_set_totals (self->totals_bar, n_calls, use_selection, seconds, cents);

  return G_SOURCE_REMOVE;
}

static void
vp_window_queue_totals (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  if (self->totals_id == 0)
    self->totals_id = g_idle_add_full (G_PRIORITY_LOW, update_totals_cb, self, NULL);
}

static gboolean
refilter_cb (gpointer user_data)
{
  VpWindow *self = user_data;

  self->refilter_id = 0;

  vp_window_update_progress (self);
  if (vp_job_filter_needs_results (self->filter) &&
      gtk_filter_list_model_get_filter (self->filter_model) != NULL)
    gtk_filter_changed (GTK_FILTER (self->custom_filter), GTK_FILTER_CHANGE_LESS_STRICT);
  vp_window_update_no_matches (self);

  return G_SOURCE_REMOVE;
}

static void
on_result_loaded_cb (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  /* Applied in batches: thousands of rows are not filtered per result. */
  if (self->refilter_id == 0)
    self->refilter_id = g_timeout_add (REFILTER_MS, refilter_cb, self);
}

/* A connection-wide error ends the cache's queue: say so, and fetch again
 * on Retry, on refresh, or when the list loads again. */
static void
on_result_fetch_failed_cb (VpWindow     *self,
                           const char   *job_id,
                           const GError *error)
{
  g_assert (VP_IS_WINDOW (self));

  if (error != NULL && is_connection_error (error))
    vp_window_show_banner (self, error);

  on_result_loaded_cb (self);
}

static void
on_job_list_items_changed_cb (VpWindow *self,
                              guint     position,
                              guint     removed,
                              guint     added)
{
  GListModel *model;

  g_assert (VP_IS_WINDOW (self));

  model = G_LIST_MODEL (self->job_list);

  if (added > 0 && (vp_job_filter_needs_results (self->filter) || vp_window_is_auditing (self)))
    {
      vp_window_size_result_cache (self);
      for (guint i = position; i < position + added; i++)
        {
          g_autoptr(VpJob) job = g_list_model_get_item (model, i);

          vp_result_cache_fetch (self->result_cache, job);
        }
    }

  vp_window_update_progress (self);
}

static void
vp_window_cancel_first_selection (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  if (self->first_select_clock != NULL)
    {
      /* A clock that was disposed with its surface has no handlers left */
      if (g_signal_handler_is_connected (self->first_select_clock, self->first_select_handler))
        g_signal_handler_disconnect (self->first_select_clock, self->first_select_handler);
      self->first_select_handler = 0;
      g_clear_object (&self->first_select_clock);
    }
}

/* Something is shown from the start: the newest call, when nothing is
 * selected yet. */
static void
vp_window_select_first (VpWindow *self)
{
  GtkSelectionModel *selection;
  g_autoptr(GtkBitset) selected = NULL;

  g_assert (VP_IS_WINDOW (self));

  vp_window_cancel_first_selection (self);

  if (vp_job_view_get_job (self->job_view) != NULL ||
      g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0)
    return;

  selection = GTK_SELECTION_MODEL (self->selection);
  selected = gtk_selection_model_get_selection (selection);
  if (gtk_bitset_is_empty (selected))
    gtk_selection_model_select_item (selection, 0, TRUE);
}

static void
on_first_select_after_paint_cb (VpWindow      *self,
                                GdkFrameClock *clock)
{
  g_assert (VP_IS_WINDOW (self));

  vp_window_select_first (self);
}

/* The first call is opened once the list showing it has been drawn, so
 * the list appears as soon as its first page is in, and the call's
 * details follow a frame later. */
static void
vp_window_queue_first_selection (VpWindow *self)
{
  GdkFrameClock *clock;

  g_assert (VP_IS_WINDOW (self));

  if (self->first_select_clock != NULL)
    return;

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (clock == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      /* Not shown yet: after its first frame, once it is */
      self->first_select_on_map = TRUE;
      return;
    }

  self->first_select_clock = g_object_ref (clock);
  self->first_select_handler =
    g_signal_connect_object (clock, "after-paint",
                             G_CALLBACK (on_first_select_after_paint_cb),
                             self, G_CONNECT_SWAPPED);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

static void
on_icon_after_paint_cb (GdkFrameClock *clock,
                        VpWindow      *self)
{
  g_assert (VP_IS_WINDOW (self));

  g_signal_handlers_disconnect_by_func (clock, on_icon_after_paint_cb, self);

  /* The windows that come later (dialogs) get it when they are realized */
  if (gtk_window_get_default_icon_name () == NULL)
    gtk_window_set_default_icon_name (APP_ID);
  gtk_window_set_icon_name (GTK_WINDOW (self), APP_ID);
}

static void
on_map_cb (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  if (self->first_select_on_map)
    {
      self->first_select_on_map = FALSE;
      vp_window_queue_first_selection (self);
    }

  /* On X11 a window carries its icon (_NET_WM_ICON), which GTK draws from
   * the icon theme when the window is realized: about a millisecond
   * before the first frame.  The window takes it once that frame is
   * drawn. */
  if (gtk_window_get_icon_name (GTK_WINDOW (self)) == NULL)
    g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                             G_CALLBACK (on_icon_after_paint_cb), self, 0);
}

static void
on_filtered_items_changed_cb (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  if (vp_job_view_get_job (self->job_view) == NULL &&
      g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) > 0)
    vp_window_queue_first_selection (self);

  vp_window_update_no_matches (self);
  vp_window_queue_totals (self);
}

static void
on_filter_bar_changed_cb (VpWindow    *self,
                          VpFilterBar *bar)
{
  const VpJobFilter *filter;

  g_assert (VP_IS_WINDOW (self));

  filter = vp_filter_bar_get_filter (bar);
  if (vp_job_filter_equal (filter, self->filter))
    return;

  vp_job_filter_free (self->filter);
  self->filter = vp_job_filter_copy (filter);

  vp_window_update_fetching (self);
  vp_window_update_progress (self);
  if (vp_job_filter_is_empty (self->filter))
    gtk_filter_list_model_set_filter (self->filter_model, NULL);
  else if (gtk_filter_list_model_get_filter (self->filter_model) == NULL)
    gtk_filter_list_model_set_filter (self->filter_model, GTK_FILTER (self->custom_filter));
  else
    gtk_filter_changed (GTK_FILTER (self->custom_filter), GTK_FILTER_CHANGE_DIFFERENT);
  vp_window_update_no_matches (self);
  vp_window_maybe_load_more (self);
}

static void
on_views_changed_cb (VpWindow *self)
{
  gboolean auditing;

  g_assert (VP_IS_WINDOW (self));

  auditing = vp_window_is_auditing (self);
  if (auditing)
    vp_window_get_audit_view (self);
  vp_window_update_fetching (self);
  vp_window_update_progress (self);
  vp_window_maybe_load_more (self);
  vp_window_queue_totals (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->select_button), !auditing);
}

static void
on_audit_open_job_cb (VpWindow    *self,
                      VpJob       *job,
                      VpAuditView *view)
{
  g_assert (VP_IS_WINDOW (self));
  g_assert (VP_IS_JOB (job));

  gtk_stack_set_visible_child_name (self->views_stack, "calls");
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  if (!_vp_window_select_job (self, vp_job_get_id (job)))
    vp_job_view_set_job (self->job_view, job);
  vp_job_view_show_pane (self->job_view, 2);
}

static void
on_pricing_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  VpWindow *self;
  g_autoptr(VpPricing) pricing = NULL;
  g_autoptr(GError) error = NULL;

  /* Cancelled when the window goes (or asks again): then @user_data may
   * be gone, and is not touched.  No reference is held, so a closed window
   * is not kept alive by a request in flight. */
  pricing = vp_client_get_pricing_finish (VP_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = VP_WINDOW (user_data);
  if (pricing == NULL)
    {
      g_debug ("No prices: %s", error->message);
      return;
    }

  if (VP_CLIENT (object) != self->client)
    return;

  g_set_object (&self->pricing, pricing);
  vp_totals_bar_set_pricing (self->totals_bar, pricing);
}

static void
vp_window_load_pricing (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  g_cancellable_cancel (self->pricing_cancellable);
  g_clear_object (&self->pricing_cancellable);
  g_clear_object (&self->pricing);
  vp_totals_bar_set_pricing (self->totals_bar, NULL);

  if (self->client == NULL)
    return;

  self->pricing_cancellable = g_cancellable_new ();
  vp_client_get_pricing_async (self->client, self->pricing_cancellable,
                               on_pricing_cb, self);
}

static void
on_row_toggle_selection_cb (GtkListItem *list_item,
                            VpJobRow    *row)
{
  VpWindow *self = VP_WINDOW (gtk_widget_get_root (GTK_WIDGET (row)));
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (self->selection);
  guint position = gtk_list_item_get_position (list_item);

  if (position == GTK_INVALID_LIST_POSITION)
    return;

  if (gtk_selection_model_is_selected (selection, position))
    gtk_selection_model_unselect_item (selection, position);
  else
    gtk_selection_model_select_item (selection, position, FALSE);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              VpWindow                 *self)
{
  GtkWidget *row = vp_job_row_new ();

  gtk_list_item_set_child (list_item, row);
  g_object_bind_property (list_item, "item", row, "job", G_BINDING_SYNC_CREATE);
  g_object_bind_property (list_item, "selected", row, "selected", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "selection-mode", row, "selection-mode", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (row, "toggle-selection",
                           G_CALLBACK (on_row_toggle_selection_cb), list_item, G_CONNECT_SWAPPED);
}

static GtkListItemFactory *
vp_window_create_row_factory (VpWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_assert (VP_IS_WINDOW (self));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);

  return factory;
}

/* The jobs to export: those selected in the view shown, in its order, or
 * the job shown when none is. */
static GPtrArray *
vp_window_dup_selected_jobs (VpWindow *self)
{
  GtkSelectionModel *selection;
  g_autoptr(GtkBitset) selected = NULL;
  GtkBitsetIter iter;
  GPtrArray *jobs = g_ptr_array_new_with_free_func (g_object_unref);
  guint position;

  g_assert (VP_IS_WINDOW (self));

  selection = vp_window_is_auditing (self)
    ? vp_audit_view_get_selection (vp_window_get_audit_view (self))
    : GTK_SELECTION_MODEL (self->selection);
  selected = gtk_selection_model_get_selection (selection);

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (jobs, g_list_model_get_item (G_LIST_MODEL (selection), position));

  if (jobs->len == 0 && vp_job_view_get_job (self->job_view) != NULL)
    g_ptr_array_add (jobs, g_object_ref (vp_job_view_get_job (self->job_view)));

  return jobs;
}

static VpExportDialog *
vp_window_open_export (VpWindow *self)
{
  g_autoptr(GPtrArray) jobs = NULL;
  VpExportDialog *dialog;

  g_assert (VP_IS_WINDOW (self));

  if (self->client == NULL)
    return NULL;

  jobs = vp_window_dup_selected_jobs (self);
  if (jobs->len == 0)
    return NULL;

  dialog = vp_export_dialog_new (GTK_WINDOW (self), self->client, jobs);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  vp_window_open_export (VP_WINDOW (widget));
}

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  VpWindow *self = VP_WINDOW (widget);

  if (vp_window_is_auditing (self))
    gtk_selection_model_select_all (vp_audit_view_get_selection (vp_window_get_audit_view (self)));
  else
    gtk_selection_model_select_all (GTK_SELECTION_MODEL (self->selection));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  VpWindow *self = VP_WINDOW (widget);

  gtk_toggle_button_set_active (self->search_button, TRUE);
  vp_filter_bar_focus_search (self->filter_bar);
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  vp_filter_bar_clear (VP_WINDOW (widget)->filter_bar);
}

static void
vp_window_set_selection_mode (VpWindow *self,
                              gboolean  selection_mode)
{
  g_assert (VP_IS_WINDOW (self));

  selection_mode = !!selection_mode;
  if (self->selection_mode == selection_mode)
    return;

  self->selection_mode = selection_mode;

  /* Leaving selection mode leaves the call being read selected */
  if (!selection_mode)
    {
      VpJob *shown = vp_job_view_get_job (self->job_view);
      guint position;

      if (shown != NULL && vp_window_find_listed (self, vp_job_get_id (shown), &position))
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION_MODE]);
}

static void
vp_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  VpWindow *self = VP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SELECTION_MODE:
      g_value_set_boolean (value, self->selection_mode);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  VpWindow *self = VP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SELECTION_MODE:
      vp_window_set_selection_mode (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_window_retry (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  if (self->job_list == NULL)
    return;

  vp_window_hide_banner (self);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->job_list)) == 0)
    vp_job_list_load_more (self->job_list);
  else
    vp_window_refresh (self);

  if (g_strcmp0 (_vp_job_view_get_state (self->job_view), "error") == 0)
    vp_job_view_reload (self->job_view);
}

void
_vp_window_use_api_key (VpWindow   *self,
                        const char *api_key)
{
  g_return_if_fail (VP_IS_WINDOW (self));

  if (self->client == NULL || api_key == NULL || *api_key == '\0')
    return;

  vp_client_set_api_key (self->client, api_key);
  vp_window_retry (self);
}

/* The main menu's popover is made when the menu is first opened (by
 * pointer, F10 or gtk_menu_button_popup()), not with the window. */
static void
on_create_menu_cb (GtkMenuButton *button,
                   gpointer       user_data)
{
  VpWindow *self = user_data;

  g_assert (VP_IS_WINDOW (self));

  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->primary_menu);
}

static void
on_banner_key_activate_cb (VpWindow *self)
{
  g_autofree char *key = NULL;

  g_assert (VP_IS_WINDOW (self));

  key = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->banner_key_entry)));
  gtk_editable_set_text (GTK_EDITABLE (self->banner_key_entry), "");
  _vp_window_use_api_key (self, key);
}

/* Not in the template: only a refused key needs it, and a password
 * entry looks through the font for its bullet as it is made. */
static void
vp_window_ensure_key_box (VpWindow *self)
{
  static const VpBuilderField fields[] = {
    { "banner_key_box", G_STRUCT_OFFSET (VpWindow, banner_key_box) },
    { "banner_key_entry", G_STRUCT_OFFSET (VpWindow, banner_key_entry) },
  };
  g_autoptr(GtkBuilder) builder = NULL;

  g_assert (VP_IS_WINDOW (self));

  if (self->banner_key_box != NULL)
    return;

  builder = vp_builder_new_for_instance (self, "/com/voxparse/CallBrowser/vp-window-key-box.ui",
                                         fields, G_N_ELEMENTS (fields),
                                         "on_banner_key_activate_cb", G_CALLBACK (on_banner_key_activate_cb),
                                         NULL);
  gtk_box_insert_child_after (self->banner_box, GTK_WIDGET (self->banner_key_box),
                              GTK_WIDGET (self->banner_label));
}

static void
on_banner_button_clicked_cb (VpWindow  *self,
                             GtkButton *button)
{
  g_assert (VP_IS_WINDOW (self));

  if (self->banner_kind == BANNER_UNAUTHORIZED)
    {
      vp_window_ensure_key_box (self);
      gtk_widget_set_visible (GTK_WIDGET (self->banner_button), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->banner_key_box), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->banner_key_entry));
    }
  else
    vp_window_retry (self);
}

static void
on_welcome_explore_cb (VpWindow      *self,
                       VpWelcomePage *page)
{
  GApplication *app = g_application_get_default ();
  g_autoptr(VpClient) client = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (VP_IS_WINDOW (self));

  if (!VP_IS_APPLICATION (app))
    return;

  client = vp_application_dup_demo_client (VP_APPLICATION (app), &error);
  if (client == NULL)
    {
      GtkWidget *dialog;

      dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                       GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                       GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                       _("The sample calls could not be started"));
      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
      g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  vp_window_set_client (self, client, _("Sample Calls"));
}

static void
on_welcome_connect_cb (VpWindow      *self,
                       const char    *base_url,
                       const char    *api_key,
                       VpWelcomePage *page)
{
  g_autoptr(VpClient) client = NULL;

  g_assert (VP_IS_WINDOW (self));

  client = vp_client_new (base_url, api_key);
  vp_window_set_client (self, client, NULL);
}

static void
show_pane_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  VpWindow *self = VP_WINDOW (widget);
  int index = g_variant_get_int32 (param);

  if (index >= 0 && index < VP_JOB_VIEW_N_PANES)
    vp_job_view_show_pane (self->job_view, index);
}

static void
next_pane_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  vp_job_view_cycle_pane (VP_WINDOW (widget)->job_view, 1);
}

static void
previous_pane_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  vp_job_view_cycle_pane (VP_WINDOW (widget)->job_view, -1);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  vp_window_refresh (VP_WINDOW (widget));
}

VpWindow *
vp_window_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (VP_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

VpClient *
vp_window_get_client (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return self->client;
}

void
vp_window_set_client (VpWindow   *self,
                      VpClient   *client,
                      const char *subtitle)
{
  g_autoptr(GUri) uri = NULL;
  gboolean new_client;

  g_return_if_fail (VP_IS_WINDOW (self));
  g_return_if_fail (VP_IS_CLIENT (client));

  vp_window_hide_banner (self);

  if ((new_client = g_set_object (&self->client, client)))
    {
      vp_job_view_set_client (self->job_view, client);
      vp_result_cache_set_client (self->result_cache, client);

      if (self->job_list == NULL)
        {
          self->job_list = vp_job_list_new (client,
                                            self->settings != NULL
                                            ? g_settings_get_uint (self->settings, "page-size")
                                            : PAGE_SIZE);
          g_signal_connect_object (self->job_list, "notify::loading",
                                   G_CALLBACK (on_job_list_loading_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (self->job_list, "notify::error",
                                   G_CALLBACK (on_job_list_error_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (self->job_list, "items-changed",
                                   G_CALLBACK (on_job_list_items_changed_cb), self, G_CONNECT_SWAPPED);
          gtk_slice_list_model_set_model (self->first_rows, G_LIST_MODEL (self->job_list));
          vp_list_footer_set_job_list (self->list_footer, self->job_list);
        }
      else
        vp_job_list_set_client (self->job_list, client);
    }

  if (subtitle == NULL)
    {
      uri = g_uri_parse (vp_client_get_base_url (client), G_URI_FLAGS_NONE, NULL);
      subtitle = (uri != NULL && g_uri_get_host (uri) != NULL)
        ? g_uri_get_host (uri) : vp_client_get_base_url (client);
    }
  gtk_label_set_text (self->subtitle_label, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), TRUE);

  vp_window_show_browser_controls (self, TRUE);
  gtk_stack_set_visible_child_name (self->main_stack, "browser");

  vp_job_list_load_more (self->job_list);
  /* After the first page: the sandbox, for one, answers in turn */
  if (new_client)
    vp_window_load_pricing (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
vp_window_release_first_rows (VpWindow *self)
{
  guint limit;

  g_assert (VP_IS_WINDOW (self));

  g_clear_signal_handler (&self->first_rows_handler, self);
  if (!vp_window_is_limiting_first_rows (self))
    return;

  limit = gtk_slice_list_model_get_size (self->first_rows);
  gtk_slice_list_model_set_size (self->first_rows, G_MAXUINT);

  /* More rows: the scroll range changes once they are laid out, and
   * decides then whether to load more.  None, or a filter that may show
   * none of them: it need not change, so it is decided now (a scan does
   * not look at the scroll range). */
  if (self->job_list == NULL ||
      vp_window_is_scanning (self) ||
      g_list_model_get_n_items (G_LIST_MODEL (self->job_list)) <= limit)
    vp_window_maybe_load_more (self);
}

/* After the window's layout, before it is drawn: rows too few to fill the
 * list get the ones missing.  The frame clock then lays the window out
 * again, in the same frame, as GDK does while a layout asks for one. */
static void
on_first_rows_layout_cb (GdkFrameClock *clock,
                         VpWindow      *self)
{
  GtkWidget *list_view = GTK_WIDGET (self->list_view);
  double shown = 0, height, row_height;
  guint n_rows, n_shown = 0, missing;

  g_assert (VP_IS_WINDOW (self));

  if (!vp_window_is_limiting_first_rows (self))
    {
      g_signal_handlers_disconnect_by_func (clock, on_first_rows_layout_cb, self);
      return;
    }

  n_rows = g_list_model_get_n_items (G_LIST_MODEL (self->first_rows));
  if (n_rows == 0 || n_rows < gtk_slice_list_model_get_size (self->first_rows))
    return;

  /* The rows' extent (the list's vadjustment is never shorter than the
   * list), and how many rows make it: fewer than the jobs given, with a
   * filter set */
  for (GtkWidget *child = gtk_widget_get_first_child (list_view);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (gtk_widget_compute_bounds (child, list_view, &bounds) && bounds.size.height > 0)
        {
          shown = MAX (shown, bounds.origin.y + bounds.size.height);
          n_shown++;
        }
    }

  height = gtk_widget_get_height (list_view);
  if (n_shown == 0 || shown >= height)
    return;

  row_height = shown / n_shown;
  missing = (guint) ((height - shown) / row_height) + 1;
  g_debug ("First frame: %u rows fill %.0f of %.0f px, %u more", n_rows, shown, height, missing);
  gtk_slice_list_model_set_size (self->first_rows, n_rows + missing);
}

static void
on_first_rows_after_paint_cb (GdkFrameClock *clock,
                              VpWindow      *self)
{
  g_assert (VP_IS_WINDOW (self));

  /* The frame that drew the first page, or found there is none */
  if (self->job_list != NULL &&
      g_list_model_get_n_items (G_LIST_MODEL (self->job_list)) == 0 &&
      vp_job_list_is_loading (self->job_list))
    return;

  g_signal_handlers_disconnect_by_func (clock, on_first_rows_after_paint_cb, self);
  g_signal_handlers_disconnect_by_func (clock, on_first_rows_layout_cb, self);
  vp_window_release_first_rows (self);
}

static void
on_first_rows_realize_cb (VpWindow *self)
{
  GdkFrameClock *clock;

  g_assert (VP_IS_WINDOW (self));

  g_clear_signal_handler (&self->first_rows_handler, self);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  g_signal_connect_object (clock, "layout",
                           G_CALLBACK (on_first_rows_layout_cb), self, G_CONNECT_AFTER);
  g_signal_connect_object (clock, "after-paint",
                           G_CALLBACK (on_first_rows_after_paint_cb), self, 0);
}

/* GtkListView 4.8 makes, binds, styles and measures a row for each of the
 * first 200 items before it knows how tall it is, so the first page would
 * cost 50 rows where a dozen are seen.  Until the window's first frame has
 * been drawn, the list is given only the jobs that fill it: a guess from
 * the window's height (a row and its share of the header bar, search bar
 * and totals), topped up after the first layout if it fell short
 * (on_first_rows_layout_cb()).  The rest of the page joins right after
 * that frame. */
static void
vp_window_limit_first_rows (VpWindow *self)
{
  int height = 0;

  g_assert (VP_IS_WINDOW (self));

  if (gtk_widget_get_realized (GTK_WIDGET (self)))
    return;

  if (gtk_window_is_maximized (GTK_WINDOW (self)) ||
      gtk_window_is_fullscreen (GTK_WINDOW (self)))
    {
      /* As tall as the tallest monitor, at most */
      GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));

      for (guint i = 0; i < g_list_model_get_n_items (monitors); i++)
        {
          g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
          GdkRectangle geometry;

          gdk_monitor_get_geometry (monitor, &geometry);
          height = MAX (height, geometry.height);
        }
    }
  else
    {
      int width;

      /* GTK 4.8 writes both */
      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
    }

  if (height <= 0)
    return;

  gtk_slice_list_model_set_size (self->first_rows, MAX (height / self->first_row_height_guess, 1));
  self->first_rows_handler =
    g_signal_connect (self, "realize", G_CALLBACK (on_first_rows_realize_cb), NULL);
}

static void
vp_window_present_now (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  g_clear_handle_id (&self->present_timeout_id, g_source_remove);
  if (self->job_list != NULL)
    g_signal_handlers_disconnect_by_func (self->job_list, vp_window_present_now, self);
  gtk_window_present (GTK_WINDOW (self));
}

static gboolean
present_timeout_cb (gpointer user_data)
{
  VpWindow *self = user_data;

  self->present_timeout_id = 0;
  vp_window_present_now (self);

  return G_SOURCE_REMOVE;
}

void
vp_window_present_when_listed (VpWindow *self,
                               guint     timeout_ms)
{
  g_return_if_fail (VP_IS_WINDOW (self));

  if (self->present_timeout_id != 0)
    return;

  if (self->job_list == NULL ||
      !vp_job_list_is_loading (self->job_list) ||
      g_list_model_get_n_items (G_LIST_MODEL (self->job_list)) > 0)
    {
      gtk_window_present (GTK_WINDOW (self));
      return;
    }

  vp_window_limit_first_rows (self);
  g_signal_connect_object (self->job_list, "notify::loading",
                           G_CALLBACK (vp_window_present_now), self, G_CONNECT_SWAPPED);
  self->present_timeout_id = g_timeout_add (timeout_ms, present_timeout_cb, self);
}

void
vp_window_show_welcome (VpWindow   *self,
                        const char *base_url)
{
  g_return_if_fail (VP_IS_WINDOW (self));

  /* Built here, not in the template: with a key, start-up never shows it */
  if (self->welcome_page == NULL)
    {
      self->welcome_page = VP_WELCOME_PAGE (g_object_new (VP_TYPE_WELCOME_PAGE, NULL));
      g_signal_connect_object (self->welcome_page, "explore-samples",
                               G_CALLBACK (on_welcome_explore_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->welcome_page, "connect",
                               G_CALLBACK (on_welcome_connect_cb), self, G_CONNECT_SWAPPED);
      gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->welcome_page), "welcome");
    }

  vp_welcome_page_set_base_url (self->welcome_page,
                                base_url ? base_url : VP_CLIENT_DEFAULT_BASE_URL);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), FALSE);
  vp_window_show_browser_controls (self, FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "welcome");
}

void
vp_window_refresh (VpWindow *self)
{
  VpJob *selected;

  g_return_if_fail (VP_IS_WINDOW (self));

  if (self->client == NULL || self->job_list == NULL)
    return;

  selected = vp_job_view_get_job (self->job_view);
  g_free (self->reselect_id);
  self->reselect_id = selected ? g_strdup (vp_job_get_id (selected)) : NULL;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->job_list)) == 0)
    vp_job_list_load_more (self->job_list);
  else
    vp_job_list_refresh (self->job_list);

  if (g_strcmp0 (_vp_job_view_get_state (self->job_view), "error") == 0)
    vp_job_view_reload (self->job_view);

  /* Results a connection error left unfetched */
  vp_window_update_fetching (self);
}

GtkListView *
_vp_window_get_list_view (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return self->list_view;
}

GtkSelectionModel *
_vp_window_get_selection (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

VpJobList *
_vp_window_get_job_list (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return self->job_list;
}

GtkAdjustment *
_vp_window_get_vadjustment (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return gtk_scrolled_window_get_vadjustment (self->list_scroller);
}

const char *
_vp_window_get_page (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

gboolean
_vp_window_get_banner_revealed (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), FALSE);

  /* Hidden while concealed: both, or the banner cannot be seen */
  return gtk_widget_get_visible (GTK_WIDGET (self->banner_revealer)) &&
         gtk_revealer_get_reveal_child (self->banner_revealer);
}

const char *
_vp_window_get_banner_text (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return gtk_label_get_text (self->banner_label);
}

const char *
_vp_window_get_footer_state (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return vp_list_footer_get_state (self->list_footer);
}

const char *
_vp_window_get_view_state (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return _vp_job_view_get_state (self->job_view);
}

const char *
_vp_window_get_shown_job_id (VpWindow *self)
{
  VpJob *job;

  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  job = vp_job_view_get_job (self->job_view);

  return job ? vp_job_get_id (job) : NULL;
}

char *
_vp_window_dup_field_text (VpWindow   *self,
                           const char *pane,
                           const char *field)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return _vp_job_view_dup_field_text (self->job_view, pane, field);
}

gboolean
_vp_window_is_view_busy (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), FALSE);

  return _vp_job_view_is_busy (self->job_view);
}

gboolean
_vp_window_is_view_spinner_shown (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), FALSE);

  return _vp_job_view_is_spinner_shown (self->job_view);
}

guint
_vp_window_get_pane (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), 0);

  return vp_job_view_get_pane (self->job_view);
}

guint
_vp_window_get_poll_delay (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), 0);

  return _vp_job_view_get_poll_delay (self->job_view);
}

gboolean
_vp_window_select_job (VpWindow   *self,
                       const char *job_id)
{
  guint position;

  g_return_val_if_fail (VP_IS_WINDOW (self), FALSE);

  if (self->job_list == NULL ||
      !vp_window_find_listed (self, job_id, &position))
    return FALSE;

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  /* Already the one selected: show it all the same */
  {
    g_autoptr(VpJob) job = g_list_model_get_item (G_LIST_MODEL (self->filter_model), position);

    if (vp_job_view_get_job (self->job_view) != job)
      vp_job_view_set_job (self->job_view, job);
  }
  return TRUE;
}

GListModel *
_vp_window_get_filtered (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->filter_model);
}

gboolean
_vp_window_is_filtering (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), FALSE);

  return gtk_filter_list_model_get_pending (self->filter_model) > 0 || self->refilter_id != 0;
}

VpResultCache *
_vp_window_get_result_cache (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return self->result_cache;
}

void
_vp_window_set_first_row_height_guess (VpWindow *self,
                                       int       height)
{
  g_return_if_fail (VP_IS_WINDOW (self));
  g_return_if_fail (height > 0);

  self->first_row_height_guess = height;
}

void
_vp_window_set_filter (VpWindow          *self,
                       const VpJobFilter *filter)
{
  g_return_if_fail (VP_IS_WINDOW (self));

  vp_filter_bar_set_filter (self->filter_bar, filter);
}

VpAuditView *
_vp_window_get_audit_view (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return vp_window_get_audit_view (self);
}

void
_vp_window_show_view (VpWindow   *self,
                      const char *name)
{
  g_return_if_fail (VP_IS_WINDOW (self));

  gtk_stack_set_visible_child_name (self->views_stack, name);
}

const char *
_vp_window_get_view (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->views_stack);
}

const char *
_vp_window_get_list_state (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->list_stack);
}

const char *
_vp_window_get_totals_text (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  /* Up to date, not as of the last idle */
  if (self->totals_id != 0)
    {
      g_source_remove (self->totals_id);
      update_totals_cb (self);
    }

  return vp_totals_bar_get_text (self->totals_bar);
}

const char *
_vp_window_get_rates_text (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return vp_totals_bar_get_rates (self->totals_bar);
}

VpExportDialog *
_vp_window_export_to_file (VpWindow       *self,
                           GFile          *file,
                           VpExportFormat  format,
                           gboolean        mask_pii)
{
  VpExportDialog *dialog;

  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  dialog = vp_window_open_export (self);
  if (dialog != NULL)
    vp_export_dialog_start (dialog, file, format, mask_pii);

  return dialog;
}

static const char * const pane_names[VP_JOB_VIEW_N_PANES] = {
  "overview", "transcript", "compliance", "financial",
};

static void
on_page_size_changed_cb (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  if (self->job_list != NULL)
    vp_job_list_set_page_size (self->job_list,
                               g_settings_get_uint (self->settings, "page-size"));
}

/* Size, maximized state, the divider and the page of a call, as they were
 * when the last window closed. */
static void
vp_window_restore_state (VpWindow *self)
{
  g_autofree char *page = NULL;

  g_assert (VP_IS_WINDOW (self));

  if (self->settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  gtk_paned_set_position (self->paned, g_settings_get_int (self->settings, "sidebar-position"));

  page = g_settings_get_string (self->settings, "last-page");
  for (guint i = 0; i < G_N_ELEMENTS (pane_names); i++)
    if (g_strcmp0 (page, pane_names[i]) == 0)
      vp_job_view_show_pane (self->job_view, i);

  g_signal_connect_object (self->settings, "changed::page-size",
                           G_CALLBACK (on_page_size_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
vp_window_save_state (VpWindow *self)
{
  int width, height;
  gboolean position_set = FALSE;
  guint pane;

  g_assert (VP_IS_WINDOW (self));

  if (self->settings == NULL)
    return;

  g_settings_delay (self->settings);

  /* The default size follows the window's size unless maximized. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));

  /* Unless the divider was never placed (then it is 0) */
  g_object_get (self->paned, "position-set", &position_set, NULL);
  if (position_set)
    g_settings_set_int (self->settings, "sidebar-position",
                        gtk_paned_get_position (self->paned));

  pane = vp_job_view_get_pane (self->job_view);
  if (pane < G_N_ELEMENTS (pane_names))
    g_settings_set_string (self->settings, "last-page", pane_names[pane]);

  g_settings_apply (self->settings);
}

static void
vp_window_dispose (GObject *object)
{
  VpWindow *self = (VpWindow *)object;

  /* Here rather than in close-request: app.quit destroys windows. */
  vp_window_save_state (self);
  g_clear_object (&self->settings);

  vp_window_cancel_first_selection (self);
  g_clear_handle_id (&self->present_timeout_id, g_source_remove);
  g_clear_pointer (&self->reselect_id, g_free);
  g_clear_handle_id (&self->refilter_id, g_source_remove);
  g_clear_handle_id (&self->totals_id, g_source_remove);
  if (self->filter_model != NULL)
    g_signal_handlers_disconnect_by_func (self->filter_model, on_totals_items_changed_cb, self);
  g_clear_pointer (&self->totals_jobs, g_ptr_array_unref);
  g_cancellable_cancel (self->pricing_cancellable);
  g_clear_object (&self->pricing_cancellable);
  g_clear_object (&self->pricing);
  if (self->result_cache != NULL)
    {
      /* Nothing more is wanted: what is on its way is cancelled. */
      vp_result_cache_cancel_fetches (self->result_cache);
      g_signal_handlers_disconnect_by_data (self->result_cache, self);
    }

  /* No gtk_widget_dispose_template() here: in GTK 4.8 it unparents the
   * window's child, which GtkWindow's own dispose then unparents again. */
  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->first_rows);
  g_clear_object (&self->custom_filter);
  g_clear_pointer (&self->filter, vp_job_filter_free);
  g_clear_object (&self->result_cache);
  g_clear_object (&self->job_list);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (vp_window_parent_class)->dispose (object);
}

static void
vp_window_class_init (VpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_window_dispose;
  object_class->get_property = vp_window_get_property;
  object_class->set_property = vp_window_set_property;

  /* Check boxes in the rows; a click toggles a row */
  properties[PROP_SELECTION_MODE] =
    g_param_spec_boolean ("selection-mode", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (VP_TYPE_AUDIT_VIEW);
  g_type_ensure (VP_TYPE_FILTER_BAR);
  g_type_ensure (VP_TYPE_TOTALS_BAR);
  g_type_ensure (VP_TYPE_JOB_ROW);
  g_type_ensure (VP_TYPE_JOB_VIEW);
  g_type_ensure (VP_TYPE_LIST_FOOTER);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/voxparse/CallBrowser/vp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VpWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, banner_image);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, banner_button);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, banner_box);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, list_footer);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, job_view);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, view_switcher);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, select_button);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, filter_revealer);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, views_stack);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, no_matches_label);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, audit_box);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, totals_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_bar_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_views_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_child_revealed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_job_view_load_failed_cb);

  gtk_widget_class_install_action (widget_class, "win.show-pane", "i", show_pane_action);
  gtk_widget_class_install_action (widget_class, "win.next-pane", NULL, next_pane_action);
  gtk_widget_class_install_action (widget_class, "win.previous-pane", NULL, previous_pane_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.clear-filters", NULL, clear_filters_action);
  gtk_widget_class_install_property_action (widget_class, "win.selection-mode", "selection-mode");

  /* Also as widget shortcuts, so they work in a window without an
   * application (the tests) and before any text widget eats them. */
  for (guint i = 0; i < VP_JOB_VIEW_N_PANES; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-pane", "i", (int) i);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK,
                                       "win.next-pane", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK,
                                       "win.previous-pane", NULL);
  /* Ctrl+E exports the selection, Ctrl+A selects every listed call (a
   * text entry with the focus keeps its own Ctrl+A), Ctrl+K goes to the
   * search of the list (Ctrl+F is the transcript reader's). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK,
                                       "win.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK,
                                       "win.search", NULL);
}

/* win.show-help-overlay: the Keyboard Shortcuts window, built the first
 * time it is asked for.  GtkApplication would build it for every window at
 * start-up from gtk/help-overlay.ui; the app does not ship that file. */
static void
show_help_overlay_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  VpWindow *self = user_data;
  GtkShortcutsWindow *overlay;

  g_assert (VP_IS_WINDOW (self));

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self));
  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = NULL;

      builder = gtk_builder_new_from_resource ("/com/voxparse/CallBrowser/vp-shortcuts-window.ui");
      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      /* Makes it transient for, and hidden on close of, this window; the
       * action stays this one, which finds the overlay from now on. */
      gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self), overlay);
    }

  gtk_window_present (GTK_WINDOW (overlay));
}

/* win.show-view('calls'|'audit'): Ctrl+1 and Ctrl+2 */
static void
show_view_cb (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  VpWindow *self = user_data;
  const char *name = g_variant_get_string (param, NULL);

  g_assert (VP_IS_WINDOW (self));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "browser") != 0)
    return;

  if (g_str_equal (name, "calls") || g_str_equal (name, "audit"))
    _vp_window_show_view (self, name);
}

static void
vp_window_init (VpWindow *self)
{
  static const GActionEntry actions[] = {
    { "show-help-overlay", show_help_overlay_cb, NULL, NULL, NULL, { 0 } },
    { "show-view", show_view_cb, "s", NULL, NULL, { 0 } },
  };
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Given here rather than in the .ui file: vp-tooltip.c says why */
  vp_tooltip_set_text (GTK_WIDGET (self->refresh_button), _("Refresh (F5)"));
  vp_tooltip_set_text (GTK_WIDGET (self->menu_button), _("Main Menu"));
  vp_tooltip_set_text (GTK_WIDGET (self->export_button), _("Export the Selected Calls (Ctrl+E)"));
  vp_tooltip_set_text (GTK_WIDGET (self->select_button), _("Select Calls"));
  vp_tooltip_set_text (GTK_WIDGET (self->search_button), _("Search and Filters (Ctrl+K)"));
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);

  self->settings = vp_settings_try_new ();
  vp_window_restore_state (self);

  self->filter = vp_job_filter_new ();
  self->result_cache = vp_result_cache_new (NULL, 0);
  g_signal_connect_object (self->result_cache, "result-loaded",
                           G_CALLBACK (on_result_loaded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->result_cache, "fetch-failed",
                           G_CALLBACK (on_result_fetch_failed_cb), self, G_CONNECT_SWAPPED);

  self->custom_filter = gtk_custom_filter_new (filter_job_cb, self, NULL);
  /* No filter at all until one is set: the plain list stays synchronous */
  self->first_rows = gtk_slice_list_model_new (NULL, 0, G_MAXUINT);
  self->first_row_height_guess = FIRST_ROW_HEIGHT_GUESS;
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->first_rows)), NULL);
  gtk_filter_list_model_set_incremental (self->filter_model, TRUE);
  self->totals_jobs = g_ptr_array_new_with_free_func (totals_job_unref);
  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (on_totals_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "notify::pending",
                           G_CALLBACK (vp_window_update_no_matches), self, G_CONNECT_SWAPPED);

  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  /* After the selection and the list view have taken the change in */
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (on_filtered_items_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_factory (self->list_view, vp_window_create_row_factory (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, on_create_menu_cb, self, NULL);

  _vp_job_view_set_result_cache (self->job_view, self->result_cache);
  /* Preferences: "Keep results cached between sessions" */
  if (self->settings != NULL)
    g_settings_bind (self->settings, "keep-results-cache",
                     self->result_cache, "keep-on-disk", G_SETTINGS_BIND_GET);

  g_object_bind_property (self, "selection-mode", self->select_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->search_button, "active", self->filter_revealer, "reveal-child",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);

  adjustment = gtk_scrolled_window_get_vadjustment (self->list_scroller);
  g_signal_connect_object (adjustment, "value-changed",
                           G_CALLBACK (on_vadjustment_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "changed",
                           G_CALLBACK (on_vadjustment_changed_cb), self, G_CONNECT_SWAPPED);
}

/* vp-audit-view.c: the compliance audit table
 *
 * A GtkColumnView over the window's filtered jobs, one row a call and one
 * column a compliance fact: created, type, outcome, recording disclosure,
 * kinds of sensitive data shared, customer sentiment, agent performance,
 * payment today and pending balance.  Cells read the results from the
 * window's VpResultCache and show "Loading…" until theirs arrives (each
 * cell follows the cache's "result-loaded").  Every column sorts: the
 * disclosure with "Missing" first, sensitive data with card numbers first,
 * money as numbers, and rows without a result after those with one.
 * Activating a row (Enter, double-click) emits "open-job".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-audit-view"

#include "config.h"

#include <glib/gi18n.h>

#include "vp-audit-view-private.h"
#include "vp-format.h"
#include "vp-job-filter.h"

typedef enum {
  COLUMN_CREATED,
  COLUMN_TYPE,
  COLUMN_OUTCOME,
  COLUMN_DISCLOSURE,
  COLUMN_SENSITIVE,
  COLUMN_SENTIMENT,
  COLUMN_PERFORMANCE,
  COLUMN_PAYMENT,
  COLUMN_PENDING,
  N_COLUMNS
} Column;

static const struct {
  const char *id;
  const char *title;
  gboolean    numeric;
  int         width;    /* -1 to expand */
} columns[N_COLUMNS] = {
  { "created", N_("Created"), FALSE, 120 },   /* "Yesterday 14:33" */
  { "type", N_("Type"), FALSE, 85 },
  { "outcome", N_("Outcome"), FALSE, 95 },
  { "disclosure", N_("Disclosure"), FALSE, 105 },
  { "sensitive", N_("Sensitive Data Shared"), FALSE, -1 },
  { "sentiment", N_("Sentiment"), FALSE, 95 },
  { "performance", N_("Agent"), FALSE, 80 },
  { "payment", N_("Payment Today"), TRUE, 120 },
  { "pending", N_("Pending Balance"), TRUE, 125 },
};

typedef struct {
  VpAuditView *self;
  Column       column;
} ColumnData;

struct _VpAuditView
{
  GtkWidget          parent_instance;

  VpResultCache     *cache;
  GListModel        *jobs;
  GtkSortListModel  *sorted;
  GtkMultiSelection *selection;
  GtkColumnViewColumn *view_columns[N_COLUMNS];
  GtkSorter         *sorters[N_COLUMNS];
  ColumnData         column_data[N_COLUMNS];
  guint              resort_id;
  guint              scroll_top_id;
  gboolean           resorting;
  gboolean           was_mapped;

  GtkStack          *stack;
  GtkScrolledWindow *scroller;
  GtkColumnView     *column_view;
};

G_DEFINE_FINAL_TYPE (VpAuditView, vp_audit_view, GTK_TYPE_WIDGET)

enum {
  OPEN_JOB,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum {
  CELL_PLAIN,
  CELL_DIM,
  CELL_BAD,
  CELL_GOOD,
} CellLook;

static VpResult *
vp_audit_view_get_result (VpAuditView *self,
                          VpJob       *job)
{
  g_assert (VP_IS_AUDIT_VIEW (self));

  if (self->cache == NULL || job == NULL)
    return NULL;

  return vp_result_cache_lookup (self->cache, vp_job_get_id (job));
}

/* What a cell says, with an icon name and a look */
static char *
cell_text (VpAuditView *self,
           VpJob       *job,
           Column       column,
           const char **icon_name,
           CellLook    *look)
{
  VpResult *result;
  VpAnalysis *analysis;
  double amount;

  g_assert (VP_IS_AUDIT_VIEW (self));
  g_assert (VP_IS_JOB (job));

  *icon_name = NULL;
  *look = CELL_PLAIN;

  if (column == COLUMN_CREATED)
    return vp_format_date_short (vp_job_get_created_at (job));

  if (vp_job_get_status (job) != VP_JOB_STATUS_COMPLETED)
    {
      *look = CELL_DIM;
      return g_strdup (column == COLUMN_TYPE ? vp_status_get_label (vp_job_get_status (job)) : "—");
    }

  result = vp_audit_view_get_result (self, job);
  if (result == NULL)
    {
      *look = CELL_DIM;
      if (self->cache != NULL && vp_result_cache_get_error (self->cache, vp_job_get_id (job)) != NULL)
        return g_strdup (_("Not available"));
      return g_strdup (_("Loading…"));
    }

  analysis = vp_result_get_analysis (result);
  if (analysis == NULL || vp_analysis_is_lite (analysis))
    {
      *look = CELL_DIM;
      /* Translators: the Lite plan gives a transcript without analysis */
      return g_strdup (column == COLUMN_TYPE ? _("Lite") : "—");
    }

  switch (column)
    {
    case COLUMN_TYPE:
      return vp_format_api_word (vp_analysis_get_call_type (analysis));

    case COLUMN_OUTCOME:
      return vp_format_api_word (vp_analysis_get_call_outcome (analysis));

    case COLUMN_DISCLOSURE:
      switch (vp_analysis_get_recording_disclosure (analysis))
        {
        case VP_DISCLOSURE_MISSING:
          *icon_name = "dialog-warning-symbolic";
          *look = CELL_BAD;
          return g_strdup (_("Missing"));
        case VP_DISCLOSURE_MADE:
          *icon_name = "emblem-ok-symbolic";
          *look = CELL_GOOD;
          return g_strdup (_("Given"));
        case VP_DISCLOSURE_NOT_GIVEN:
        default:
          *look = CELL_DIM;
          return g_strdup (_("Not stated"));
        }

    case COLUMN_SENSITIVE:
      {
        const char * const *kinds = vp_analysis_get_sensitive_data_shared (analysis);

        if (kinds == NULL)
          {
            *look = CELL_DIM;
            return g_strdup (_("Not stated"));
          }
        if (kinds[0] == NULL)
          {
            *look = CELL_DIM;
            return g_strdup (_("None"));
          }
        if (vp_sensitive_filter_matches (VP_SENSITIVE_FILTER_CARD, kinds))
          {
            *icon_name = "dialog-warning-symbolic";
            *look = CELL_BAD;
          }
        return vp_format_sensitive_kinds (kinds);
      }

    case COLUMN_SENTIMENT:
      return vp_format_api_word (vp_analysis_get_customer_sentiment (analysis));

    case COLUMN_PERFORMANCE:
      return vp_format_api_word (vp_analysis_get_agent_performance (analysis));

    case COLUMN_PAYMENT:
    case COLUMN_PENDING:
      if (vp_analysis_get_money (analysis,
                                 column == COLUMN_PAYMENT ? VP_MONEY_PAYMENT_TODAY : VP_MONEY_PENDING_BALANCE,
                                 &amount))
        return vp_format_money (amount);
      *look = CELL_DIM;
      return g_strdup ("—");

    case COLUMN_CREATED:
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  return NULL;
}

static void
cell_update (VpAuditView  *self,
             GtkListItem  *list_item,
             Column        column)
{
  g_autofree char *text = NULL;
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkImage *image;
  GtkLabel *label;
  VpJob *job = gtk_list_item_get_item (list_item);
  const char *icon_name = NULL;
  CellLook look = CELL_PLAIN;

  g_assert (VP_IS_AUDIT_VIEW (self));

  if (box == NULL)
    return;

  image = GTK_IMAGE (gtk_widget_get_first_child (box));
  label = GTK_LABEL (gtk_widget_get_next_sibling (GTK_WIDGET (image)));

  if (job != NULL)
    text = cell_text (self, job, column, &icon_name, &look);

  gtk_label_set_text (label, text ? text : "—");
  if (icon_name != NULL)
    gtk_image_set_from_icon_name (image, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (image), icon_name != NULL);

  if (look == CELL_DIM || text == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");

  if (look == CELL_BAD)
    gtk_widget_add_css_class (box, "vp-audit-bad");
  else
    gtk_widget_remove_css_class (box, "vp-audit-bad");

  if (look == CELL_GOOD)
    gtk_widget_add_css_class (box, "vp-audit-good");
  else
    gtk_widget_remove_css_class (box, "vp-audit-good");
}

static void
on_cell_result_loaded_cb (GtkListItem   *list_item,
                          const char    *job_id,
                          VpResult      *result,
                          VpResultCache *cache)
{
  ColumnData *data = g_object_get_data (G_OBJECT (list_item), "vp-column-data");
  VpJob *job = gtk_list_item_get_item (list_item);

  if (data != NULL && job != NULL && g_strcmp0 (vp_job_get_id (job), job_id) == 0)
    cell_update (data->self, list_item, data->column);
}

/* The whole text of a cell its column is too narrow for.  Asked for when
 * shown rather than set on each bind: gtk_widget_set_tooltip_text() costs
 * an X server round trip (GTK 4.8 looks up the pointer), for every cell. */
static gboolean
on_cell_query_tooltip_cb (GtkWidget  *box,
                          int         x,
                          int         y,
                          gboolean    keyboard_tooltip,
                          GtkTooltip *tooltip,
                          GtkLabel   *label)
{
  PangoLayout *layout = gtk_label_get_layout (label);

  if (!pango_layout_is_ellipsized (layout))
    return FALSE;

  gtk_tooltip_set_text (tooltip, gtk_label_get_text (label));

  return TRUE;
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               ColumnData               *data)
{
  GtkWidget *box;
  GtkWidget *image;
  GtkWidget *label;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  image = gtk_image_new ();
  gtk_widget_set_visible (image, FALSE);
  label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), columns[data->column].numeric ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  if (columns[data->column].numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_has_tooltip (box, TRUE);
  g_signal_connect_object (box, "query-tooltip",
                           G_CALLBACK (on_cell_query_tooltip_cb), label, 0);
  gtk_list_item_set_child (list_item, box);

  g_object_set_data (G_OBJECT (list_item), "vp-column-data", data);
  if (data->self->cache != NULL)
    g_signal_connect_object (data->self->cache, "result-loaded",
                             G_CALLBACK (on_cell_result_loaded_cb), list_item, G_CONNECT_SWAPPED);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              ColumnData               *data)
{
  cell_update (data->self, list_item, data->column);
}

/* Lower ranks first; -1 when the row has no result to rank */
static int
rank (VpAuditView *self,
      VpJob       *job,
      Column       column,
      double      *number,
      const char **text)
{
  VpResult *result;
  VpAnalysis *analysis;

  g_assert (VP_IS_AUDIT_VIEW (self));

  *number = 0;
  *text = NULL;

  if (column == COLUMN_CREATED)
    {
      GDateTime *created = vp_job_get_created_at (job);

      if (created == NULL)
        return -1;
      *number = (double) g_date_time_to_unix (created);
      return 0;
    }

  result = vp_audit_view_get_result (self, job);
  analysis = result ? vp_result_get_analysis (result) : NULL;
  if (analysis == NULL || vp_analysis_is_lite (analysis))
    return -1;

  switch (column)
    {
    case COLUMN_TYPE:
      *text = vp_analysis_get_call_type (analysis);
      return *text ? 0 : -1;

    case COLUMN_OUTCOME:
      *text = vp_analysis_get_call_outcome (analysis);
      return *text ? 0 : -1;

    case COLUMN_SENTIMENT:
      *text = vp_analysis_get_customer_sentiment (analysis);
      return *text ? 0 : -1;

    case COLUMN_PERFORMANCE:
      *text = vp_analysis_get_agent_performance (analysis);
      return *text ? 0 : -1;

    case COLUMN_DISCLOSURE:
      switch (vp_analysis_get_recording_disclosure (analysis))
        {
        case VP_DISCLOSURE_MISSING:
          return 0;
        case VP_DISCLOSURE_NOT_GIVEN:
          return 1;
        case VP_DISCLOSURE_MADE:
        default:
          return 2;
        }

    case COLUMN_SENSITIVE:
      {
        const char * const *kinds = vp_analysis_get_sensitive_data_shared (analysis);
        guint n = kinds ? g_strv_length ((char **) kinds) : 0;

        if (kinds == NULL)
          return 3;
        *number = -(double) n;
        if (vp_sensitive_filter_matches (VP_SENSITIVE_FILTER_CARD, kinds))
          return 0;
        return n > 0 ? 1 : 2;
      }

    case COLUMN_PAYMENT:
    case COLUMN_PENDING:
      return vp_analysis_get_money (analysis,
                                    column == COLUMN_PAYMENT ? VP_MONEY_PAYMENT_TODAY : VP_MONEY_PENDING_BALANCE,
                                    number) ? 0 : -1;

    case COLUMN_CREATED:
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  return -1;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  ColumnData *data = user_data;
  double na, nb;
  const char *ta, *tb;
  int ra, rb;

  ra = rank (data->self, VP_JOB ((gpointer) a), data->column, &na, &ta);
  rb = rank (data->self, VP_JOB ((gpointer) b), data->column, &nb, &tb);

  /* Rows without a value after those with one */
  if (ra < 0 || rb < 0)
    return (ra < 0) - (rb < 0);
  if (ra != rb)
    return ra < rb ? -1 : 1;
  if (na != nb)
    return na < nb ? -1 : 1;
  if (ta != NULL || tb != NULL)
    return g_ascii_strcasecmp (ta ? ta : "", tb ? tb : "");

  return 0;
}

static void queue_scroll_to_top (VpAuditView *self);

static gboolean
resort_cb (gpointer user_data)
{
  VpAuditView *self = user_data;
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  gboolean at_top;

  self->resort_id = 0;
  /* Results arriving re-sort the rows; the reader stays where they are,
   * and one at the top stays at the top, where the rows that matter most
   * come (GtkColumnView would follow the focused row instead). */
  at_top = gtk_adjustment_get_value (vadjustment) <= gtk_adjustment_get_lower (vadjustment);
  self->resorting = TRUE;
  for (guint i = 0; i < N_COLUMNS; i++)
    gtk_sorter_changed (self->sorters[i], GTK_SORTER_CHANGE_DIFFERENT);
  self->resorting = FALSE;
  if (at_top)
    queue_scroll_to_top (self);

  return G_SOURCE_REMOVE;
}

static gboolean
scroll_to_top_cb (gpointer user_data)
{
  VpAuditView *self = user_data;
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->scroll_top_id = 0;
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_lower (vadjustment));

  return G_SOURCE_REMOVE;
}

/* A new order, or the table shown again, starts at its first row: what the
 * supervisor sorted for.  (GtkColumnView would otherwise keep the focused
 * row in view, wherever the sort moved it.) */
static void
queue_scroll_to_top (VpAuditView *self)
{
  g_assert (VP_IS_AUDIT_VIEW (self));

  if (self->scroller != NULL && self->scroll_top_id == 0)
    self->scroll_top_id = g_idle_add_full (G_PRIORITY_LOW, scroll_to_top_cb, self, NULL);
}

static void
on_sorter_changed_cb (VpAuditView *self,
                      GtkSorterChange change,
                      GtkSorter   *sorter)
{
  g_assert (VP_IS_AUDIT_VIEW (self));

  if (!self->resorting)
    queue_scroll_to_top (self);
}

static void
on_result_loaded_cb (VpAuditView *self)
{
  g_assert (VP_IS_AUDIT_VIEW (self));

  /* Sorted by something a result tells: sort again, once per batch */
  if (self->resort_id == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->resort_id = g_timeout_add (300, resort_cb, self);
}

static void
on_activate_cb (VpAuditView   *self,
                guint          position,
                GtkColumnView *view)
{
  g_autoptr(VpJob) job = NULL;

  g_assert (VP_IS_AUDIT_VIEW (self));

  job = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);
  if (job != NULL)
    g_signal_emit (self, signals[OPEN_JOB], 0, job);
}

static void
on_items_changed_cb (VpAuditView *self)
{
  g_assert (VP_IS_AUDIT_VIEW (self));

  gtk_stack_set_visible_child_name (self->stack,
                                    self->jobs && g_list_model_get_n_items (self->jobs) > 0
                                      ? "table" : "empty");
}

void
vp_audit_view_set_cache (VpAuditView   *self,
                         VpResultCache *cache)
{
  g_return_if_fail (VP_IS_AUDIT_VIEW (self));
  g_return_if_fail (VP_IS_RESULT_CACHE (cache));
  g_return_if_fail (self->cache == NULL);

  self->cache = g_object_ref (cache);
  g_signal_connect_object (cache, "result-loaded",
                           G_CALLBACK (on_result_loaded_cb), self, G_CONNECT_SWAPPED);
}

void
vp_audit_view_set_model (VpAuditView *self,
                         GListModel  *jobs)
{
  g_return_if_fail (VP_IS_AUDIT_VIEW (self));
  g_return_if_fail (jobs == NULL || G_IS_LIST_MODEL (jobs));

  if (self->jobs != NULL)
    g_signal_handlers_disconnect_by_func (self->jobs, on_items_changed_cb, self);

  g_set_object (&self->jobs, jobs);
  if (self->was_mapped)
    gtk_sort_list_model_set_model (self->sorted, jobs);

  if (jobs != NULL)
    g_signal_connect_object (jobs, "items-changed",
                             G_CALLBACK (on_items_changed_cb), self, G_CONNECT_SWAPPED);
  on_items_changed_cb (self);
}

GtkSelectionModel *
vp_audit_view_get_selection (VpAuditView *self)
{
  g_return_val_if_fail (VP_IS_AUDIT_VIEW (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

GListModel *
vp_audit_view_get_sorted (VpAuditView *self)
{
  g_return_val_if_fail (VP_IS_AUDIT_VIEW (self), NULL);

  return G_LIST_MODEL (self->sorted);
}

void
vp_audit_view_sort_by (VpAuditView *self,
                       const char  *column,
                       GtkSortType  order)
{
  g_return_if_fail (VP_IS_AUDIT_VIEW (self));

  if (column == NULL)
    {
      gtk_column_view_sort_by_column (self->column_view, NULL, order);
      return;
    }

  for (guint i = 0; i < N_COLUMNS; i++)
    if (g_str_equal (columns[i].id, column))
      {
        gtk_column_view_sort_by_column (self->column_view, self->view_columns[i], order);
        /* Results may have come since it was last sorted */
        gtk_sorter_changed (self->sorters[i], GTK_SORTER_CHANGE_DIFFERENT);
        return;
      }

  g_return_if_reached ();
}

char *
vp_audit_view_dup_cell_text (VpAuditView *self,
                             guint        position,
                             const char  *column)
{
  g_autoptr(VpJob) job = NULL;
  const char *icon_name;
  CellLook look;

  g_return_val_if_fail (VP_IS_AUDIT_VIEW (self), NULL);

  job = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);
  if (job == NULL)
    return NULL;

  for (guint i = 0; i < N_COLUMNS; i++)
    if (g_str_equal (columns[i].id, column))
      return cell_text (self, job, i, &icon_name, &look);

  return NULL;
}

void
vp_audit_view_activate_row (VpAuditView *self,
                            guint        position)
{
  g_return_if_fail (VP_IS_AUDIT_VIEW (self));

  on_activate_cb (self, position, self->column_view);
}

/* A column of fixed width is exactly that wide, and GTK 4.8 cuts off a
 * title (bold, with room for its sort arrow) that is wider: "Pending
 * Balance" was, and titles in other languages can be longer.  Once styled,
 * each fixed column is made as wide as its title at least.  The titles are
 * the children of the column view's "header", in the columns' order. */
static void
widen_columns_to_titles (VpAuditView *self)
{
  GtkWidget *header = NULL;
  guint n_titles = 0;
  guint i = 0;

  g_assert (VP_IS_AUDIT_VIEW (self));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL && header == NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (gtk_widget_get_css_name (child), "header") == 0)
      header = child;

  if (header == NULL)
    {
      g_debug ("No column titles found to fit the columns to");
      return;
    }

  /* GtkColumnView's own widgets: make sure they are what is expected */
  for (GtkWidget *title = gtk_widget_get_first_child (header);
       title != NULL;
       title = gtk_widget_get_next_sibling (title))
    n_titles++;
  if (n_titles != N_COLUMNS)
    {
      g_debug ("%u column titles for %u columns: not fitting the columns to them",
               n_titles, (guint) N_COLUMNS);
      return;
    }

  for (GtkWidget *title = gtk_widget_get_first_child (header);
       title != NULL;
       title = gtk_widget_get_next_sibling (title), i++)
    {
      int natural;

      if (columns[i].width < 0)
        continue;

      /* A title measures as its column's fixed width, if it has one */
      gtk_column_view_column_set_fixed_width (self->view_columns[i], -1);
      gtk_widget_measure (title, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      gtk_column_view_column_set_fixed_width (self->view_columns[i], MAX (natural, columns[i].width));
    }
}

/* The table takes in the jobs the first time it is shown: until then,
 * sorting them and binding a screenful of cells would only slow the
 * window's start-up down.  Once shown, it keeps them, and its selection. */
static void
vp_audit_view_map (GtkWidget *widget)
{
  VpAuditView *self = VP_AUDIT_VIEW (widget);

  if (!self->was_mapped)
    {
      self->was_mapped = TRUE;
      gtk_sort_list_model_set_model (self->sorted, self->jobs);
      widen_columns_to_titles (self);
    }

  GTK_WIDGET_CLASS (vp_audit_view_parent_class)->map (widget);
}

gboolean
_vp_audit_view_is_resort_pending (VpAuditView *self)
{
  g_return_val_if_fail (VP_IS_AUDIT_VIEW (self), FALSE);

  return self->resort_id != 0;
}

static void
vp_audit_view_dispose (GObject *object)
{
  VpAuditView *self = (VpAuditView *)object;

  /* Tearing the table down re-sorts it: nothing may be queued for after. */
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_func (gtk_column_view_get_sorter (self->column_view),
                                          on_sorter_changed_cb, self);
  g_signal_handlers_disconnect_by_func (self, queue_scroll_to_top, NULL);
  g_clear_handle_id (&self->resort_id, g_source_remove);
  g_clear_handle_id (&self->scroll_top_id, g_source_remove);
  if (self->jobs != NULL)
    g_signal_handlers_disconnect_by_func (self->jobs, on_items_changed_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), VP_TYPE_AUDIT_VIEW);
  vp_widget_unparent_children (GTK_WIDGET (self));

  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->jobs);
  g_clear_object (&self->cache);

  G_OBJECT_CLASS (vp_audit_view_parent_class)->dispose (object);
}

static void
vp_audit_view_class_init (VpAuditViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_audit_view_dispose;

  widget_class->map = vp_audit_view_map;

  /**
   * VpAuditView::open-job:
   * @job: the row's job
   *
   * The user wants to read the call.
   */
  signals[OPEN_JOB] =
    g_signal_new ("open-job",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, VP_TYPE_JOB);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vpauditview");
  gtk_widget_class_set_template_from_resource (widget_class, "/com/voxparse/CallBrowser/vp-audit-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VpAuditView, stack);
  gtk_widget_class_bind_template_child (widget_class, VpAuditView, column_view);
  gtk_widget_class_bind_template_child (widget_class, VpAuditView, scroller);
  gtk_widget_class_bind_template_callback (widget_class, on_activate_cb);
}

static void
vp_audit_view_init (VpAuditView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      self->column_data[i].self = self;
      self->column_data[i].column = i;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), &self->column_data[i]);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), &self->column_data[i]);

      column = gtk_column_view_column_new (g_dgettext (GETTEXT_PACKAGE, columns[i].title), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, columns[i].width < 0);
      if (columns[i].width > 0)
        gtk_column_view_column_set_fixed_width (column, columns[i].width);
      self->sorters[i] = GTK_SORTER (gtk_custom_sorter_new (compare_rows, &self->column_data[i], NULL));
      gtk_column_view_column_set_sorter (column, self->sorters[i]);
      g_object_unref (self->sorters[i]);
      gtk_column_view_append_column (self->column_view, column);
      self->view_columns[i] = column;
      g_object_unref (column);
    }

  self->sorted = gtk_sort_list_model_new (NULL, g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  /* An audit starts with the calls that lack the disclosure */
  gtk_column_view_sort_by_column (self->column_view, self->view_columns[COLUMN_DISCLOSURE],
                                  GTK_SORT_ASCENDING);

  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sorter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (queue_scroll_to_top), NULL);
}

/* vp-job-row.c: one job in the list of jobs
 *
 * Status as an icon and a word (never colour alone), when the call was
 * created, its length, the model and the cost.  Follows the job's property
 * notifications, so a refresh or a completed poll shows at once.  In the
 * window's selection mode a check box leads the row, and a click anywhere
 * on the row toggles it ("toggle-selection") instead of selecting only it.
 *
 * Built in code rather than from a template: the list builds a row for
 * every listed job before the first frame, and GTK 4.8 parses a template
 * again for every instance.  The cells sit on the row's own grid layout,
 * with no boxes between:
 *
 *   [check]  [icon]  created ..........  cost
 *                    status ........  details
 *
 * The check box, and the click that toggles the row, are made the first
 * time the row is in selection mode.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-job-row"

#include "config.h"

#include <glib/gi18n.h>

#include "vp-format.h"
#include "vp-job-row.h"

struct _VpJobRow
{
  GtkWidget  parent_instance;

  VpJob     *job;
  gulong     notify_id;
  char      *status_class;
  gboolean   selection_mode;
  gboolean   selected;
  gboolean   updating_check;

  GtkCheckButton *check;
  GtkImage  *status_image;
  GtkLabel  *created_label;
  GtkLabel  *cost_label;
  GtkLabel  *status_label;
  GtkLabel  *details_label;
};

G_DEFINE_FINAL_TYPE (VpJobRow, vp_job_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_JOB,
  PROP_SELECTION_MODE,
  PROP_SELECTED,
  N_PROPS
};

enum {
  TOGGLE_SELECTION,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
vp_job_row_update (VpJobRow *self)
{
  g_autofree char *created = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *details = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  VpJobStatus status;
  const char *model;

  g_assert (VP_IS_JOB_ROW (self));

  if (self->status_class != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), self->status_class);
      g_clear_pointer (&self->status_class, g_free);
    }

  if (self->job == NULL)
    {
      gtk_label_set_text (self->created_label, "");
      gtk_label_set_text (self->cost_label, "");
      gtk_label_set_text (self->status_label, "");
      gtk_label_set_text (self->details_label, "");
      gtk_image_clear (self->status_image);
      return;
    }

  status = vp_job_get_status (self->job);
  self->status_class = g_strdup (vp_status_get_css_class (status));
  gtk_widget_add_css_class (GTK_WIDGET (self), self->status_class);

  gtk_image_set_from_icon_name (self->status_image, vp_status_get_icon_name (status));
  gtk_label_set_text (self->status_label, vp_status_get_label (status));

  created = vp_format_date_short (vp_job_get_created_at (self->job));
  gtk_label_set_text (self->created_label, created ? created : _("Unknown date"));

  cost = vp_format_cost_cents (vp_job_get_cost_cents (self->job));
  gtk_label_set_text (self->cost_label, cost ? cost : "");

  parts = g_ptr_array_new ();
  duration = vp_format_duration (vp_job_get_duration_seconds (self->job));
  if (duration != NULL)
    g_ptr_array_add (parts, duration);
  model = vp_job_get_model (self->job);
  if (model != NULL && *model != '\0')
    g_ptr_array_add (parts, (gpointer) model);
  g_ptr_array_add (parts, NULL);
  details = g_strjoinv (" · ", (char **) parts->pdata);
  gtk_label_set_text (self->details_label, details);

}

/* The tooltip is written when it is asked for: gtk_widget_set_tooltip_text()
 * on every bind costs an X server round trip each (GTK 4.8 looks up the
 * pointer to re-query the tooltip), which a page of rows multiplies. */
static gboolean
vp_job_row_query_tooltip (GtkWidget  *widget,
                          int         x,
                          int         y,
                          gboolean    keyboard_tooltip,
                          GtkTooltip *tooltip)
{
  VpJobRow *self = VP_JOB_ROW (widget);
  g_autofree char *created = NULL;
  g_autofree char *text = NULL;

  if (self->job == NULL)
    return FALSE;

  created = vp_format_date_short (vp_job_get_created_at (self->job));
  /* Translators: the tooltip of a job in the list: status, date, id */
  text = g_strdup_printf (_("%s, created %s\n%s"),
                          vp_status_get_label (vp_job_get_status (self->job)),
                          created ? created : _("Unknown date"),
                          vp_job_get_id (self->job));
  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

static void
on_job_notify_cb (VpJobRow   *self,
                  GParamSpec *pspec,
                  VpJob      *job)
{
  g_assert (VP_IS_JOB_ROW (self));

  vp_job_row_update (self);
}

VpJob *
vp_job_row_get_job (VpJobRow *self)
{
  g_return_val_if_fail (VP_IS_JOB_ROW (self), NULL);

  return self->job;
}

void
vp_job_row_set_job (VpJobRow *self,
                    VpJob    *job)
{
  g_return_if_fail (VP_IS_JOB_ROW (self));
  g_return_if_fail (job == NULL || VP_IS_JOB (job));

  if (self->job == job)
    return;

  if (self->job != NULL)
    g_clear_signal_handler (&self->notify_id, self->job);

  g_set_object (&self->job, job);

  if (job != NULL)
    self->notify_id = g_signal_connect_object (job, "notify",
                                               G_CALLBACK (on_job_notify_cb),
                                               self, G_CONNECT_SWAPPED);

  vp_job_row_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

static void vp_job_row_ensure_check (VpJobRow *self);

static void
on_check_toggled_cb (VpJobRow       *self,
                     GtkCheckButton *check)
{
  g_assert (VP_IS_JOB_ROW (self));

  if (self->updating_check)
    return;

  if (gtk_check_button_get_active (check) != self->selected)
    g_signal_emit (self, signals[TOGGLE_SELECTION], 0);
}

/* In selection mode a click anywhere toggles, as in GNOME's apps. */
static void
on_click_pressed_cb (VpJobRow        *self,
                     int              n_press,
                     double           x,
                     double           y,
                     GtkGestureClick *gesture)
{
  GtkWidget *picked;

  g_assert (VP_IS_JOB_ROW (self));

  if (!self->selection_mode)
    return;

  picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);
  if (picked != NULL && self->check != NULL &&
      (picked == GTK_WIDGET (self->check) || gtk_widget_is_ancestor (picked, GTK_WIDGET (self->check))))
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  g_signal_emit (self, signals[TOGGLE_SELECTION], 0);
}

gboolean
vp_job_row_get_selection_mode (VpJobRow *self)
{
  g_return_val_if_fail (VP_IS_JOB_ROW (self), FALSE);

  return self->selection_mode;
}

void
vp_job_row_set_selection_mode (VpJobRow *self,
                               gboolean  selection_mode)
{
  g_return_if_fail (VP_IS_JOB_ROW (self));

  selection_mode = !!selection_mode;
  if (self->selection_mode == selection_mode)
    return;

  self->selection_mode = selection_mode;
  if (selection_mode)
    vp_job_row_ensure_check (self);
  if (self->check != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->check), selection_mode);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION_MODE]);
}

gboolean
vp_job_row_get_selected (VpJobRow *self)
{
  g_return_val_if_fail (VP_IS_JOB_ROW (self), FALSE);

  return self->selected;
}

void
vp_job_row_set_selected (VpJobRow *self,
                         gboolean  selected)
{
  g_return_if_fail (VP_IS_JOB_ROW (self));

  selected = !!selected;
  if (self->selected == selected)
    return;

  self->selected = selected;
  if (self->check != NULL)
    {
      self->updating_check = TRUE;
      gtk_check_button_set_active (self->check, selected);
      self->updating_check = FALSE;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

GtkWidget *
vp_job_row_new (void)
{
  return g_object_new (VP_TYPE_JOB_ROW, NULL);
}

static void
vp_job_row_dispose (GObject *object)
{
  VpJobRow *self = (VpJobRow *)object;

  if (self->job != NULL)
    g_clear_signal_handler (&self->notify_id, self->job);
  g_clear_object (&self->job);
  g_clear_pointer (&self->status_class, g_free);

  vp_widget_unparent_children (GTK_WIDGET (self));

  G_OBJECT_CLASS (vp_job_row_parent_class)->dispose (object);
}

static void
vp_job_row_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  VpJobRow *self = VP_JOB_ROW (object);

  switch (prop_id)
    {
    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;

    case PROP_SELECTION_MODE:
      g_value_set_boolean (value, self->selection_mode);
      break;

    case PROP_SELECTED:
      g_value_set_boolean (value, self->selected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_job_row_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  VpJobRow *self = VP_JOB_ROW (object);

  switch (prop_id)
    {
    case PROP_JOB:
      vp_job_row_set_job (self, g_value_get_object (value));
      break;

    case PROP_SELECTION_MODE:
      vp_job_row_set_selection_mode (self, g_value_get_boolean (value));
      break;

    case PROP_SELECTED:
      vp_job_row_set_selected (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_job_row_class_init (VpJobRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_job_row_dispose;
  object_class->get_property = vp_job_row_get_property;
  object_class->set_property = vp_job_row_set_property;

  widget_class->query_tooltip = vp_job_row_query_tooltip;

  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL,
                         VP_TYPE_JOB,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SELECTION_MODE] =
    g_param_spec_boolean ("selection-mode", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Whether the list item is selected: what the check box shows */
  properties[PROP_SELECTED] =
    g_param_spec_boolean ("selected", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VpJobRow::toggle-selection:
   *
   * The user asked, in selection mode, to add the row to the selection or
   * take it out.
   */
  signals[TOGGLE_SELECTION] =
    g_signal_new ("toggle-selection",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_GRID_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vpjobrow");
}

/* Puts @child in the row's grid: the last column, or @column */
static GtkWidget *
vp_job_row_add_cell (VpJobRow  *self,
                     GtkWidget *child,
                     int        column,
                     int        row,
                     int        row_span)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkGridLayoutChild *cell;

  g_assert (VP_IS_JOB_ROW (self));

  gtk_widget_set_parent (child, GTK_WIDGET (self));
  cell = GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (layout, child));
  gtk_grid_layout_child_set_column (cell, column);
  gtk_grid_layout_child_set_row (cell, row);
  gtk_grid_layout_child_set_row_span (cell, row_span);

  return child;
}

static GtkLabel *
vp_job_row_add_label (VpJobRow   *self,
                      int         column,
                      int         row,
                      float       xalign,
                      const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  g_assert (VP_IS_JOB_ROW (self));

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return GTK_LABEL (vp_job_row_add_cell (self, label, column, row, 1));
}

static void
vp_job_row_ensure_check (VpJobRow *self)
{
  GtkGesture *click;

  g_assert (VP_IS_JOB_ROW (self));

  if (self->check != NULL)
    return;

  self->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->check), GTK_ALIGN_CENTER);
  gtk_widget_set_margin_end (GTK_WIDGET (self->check), 6);
  gtk_check_button_set_active (self->check, self->selected);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Select this call"),
                                  -1);
  g_signal_connect_object (self->check, "toggled",
                           G_CALLBACK (on_check_toggled_cb), self, G_CONNECT_SWAPPED);
  /* First in the row: first for the keyboard and for screen readers */
  vp_job_row_add_cell (self, GTK_WIDGET (self->check), 0, 0, 2);
  gtk_widget_insert_after (GTK_WIDGET (self->check), GTK_WIDGET (self), NULL);

  click = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_click_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

static void
vp_job_row_init (VpJobRow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGridLayout *layout = GTK_GRID_LAYOUT (gtk_widget_get_layout_manager (widget));

  gtk_grid_layout_set_column_spacing (layout, 6);
  gtk_grid_layout_set_row_spacing (layout, 2);
  gtk_widget_set_margin_top (widget, 8);
  gtk_widget_set_margin_bottom (widget, 8);
  gtk_widget_set_margin_start (widget, 6);
  gtk_widget_set_margin_end (widget, 6);
  gtk_widget_set_has_tooltip (widget, TRUE);

  self->status_image = GTK_IMAGE (gtk_image_new ());
  gtk_image_set_pixel_size (self->status_image, 16);
  gtk_widget_set_valign (GTK_WIDGET (self->status_image), GTK_ALIGN_CENTER);
  gtk_widget_set_margin_end (GTK_WIDGET (self->status_image), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_image), "status-icon");
  vp_job_row_add_cell (self, GTK_WIDGET (self->status_image), 1, 0, 2);

  self->created_label = vp_job_row_add_label (self, 2, 0, 0.0, "row-title");
  gtk_label_set_ellipsize (self->created_label, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->created_label), TRUE);
  self->cost_label = vp_job_row_add_label (self, 3, 0, 1.0, "numeric");

  self->status_label = vp_job_row_add_label (self, 2, 1, 0.0, "status-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "caption");
  self->details_label = vp_job_row_add_label (self, 3, 1, 1.0, "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->details_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->details_label), "numeric");
  gtk_label_set_ellipsize (self->details_label, PANGO_ELLIPSIZE_END);
}

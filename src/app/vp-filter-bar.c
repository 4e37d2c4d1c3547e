/* vp-filter-bar.c: search and filters above the list of calls
 *
 * A search entry and a "Filters" button whose popover holds the conditions
 * (status, call type, outcome, recording disclosure, sensitive data, a
 * date range).  The bar keeps a VpJobFilter of what it shows and emits
 * "changed" when that changes; under it, a line says how many calls match
 * and how far the results needed to tell have been checked, with a way to
 * clear everything.
 *
 * The bar's VpJobFilter is the state; the popover's controls only show it.
 * They are built the first time they are needed (vp_filter_bar_ensure_popover()),
 * so until then setting, clearing and reading the filter work on the
 * VpJobFilter alone, and the controls are set from it when they are made.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-filter-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "vp-filter-bar.h"
#include "vp-format.h"
#include "vp-tooltip.h"

struct _VpFilterBar
{
  GtkWidget       parent_instance;

  VpJobFilter    *filter;
  guint           n_checked;
  guint           n_total;
  guint           n_matches;
  guint           n_listed;
  gboolean        updating;

  GtkSearchEntry *search_entry;
  GtkMenuButton  *filters_button;
  GtkLabel       *filters_label;
  GtkRevealer    *status_revealer;
  GtkSpinner     *spinner;
  GtkLabel       *status_label;
  GtkButton      *clear_button;

  /* vp-filter-bar-popover.ui: all NULL until vp_filter_bar_ensure_popover() */
  GtkPopover     *popover;
  GtkDropDown    *status_dropdown;
  GtkDropDown    *type_dropdown;
  GtkDropDown    *outcome_dropdown;
  GtkDropDown    *disclosure_dropdown;
  GtkDropDown    *sensitive_dropdown;
  GtkEntry       *since_entry;
  GtkEntry       *until_entry;
};

/* The objects of vp-filter-bar-popover.ui the bar keeps, by id */
static const VpBuilderField popover_children[] = {
  { "popover", G_STRUCT_OFFSET (VpFilterBar, popover) },
  { "status_dropdown", G_STRUCT_OFFSET (VpFilterBar, status_dropdown) },
  { "type_dropdown", G_STRUCT_OFFSET (VpFilterBar, type_dropdown) },
  { "outcome_dropdown", G_STRUCT_OFFSET (VpFilterBar, outcome_dropdown) },
  { "disclosure_dropdown", G_STRUCT_OFFSET (VpFilterBar, disclosure_dropdown) },
  { "sensitive_dropdown", G_STRUCT_OFFSET (VpFilterBar, sensitive_dropdown) },
  { "since_entry", G_STRUCT_OFFSET (VpFilterBar, since_entry) },
  { "until_entry", G_STRUCT_OFFSET (VpFilterBar, until_entry) },
};

G_DEFINE_FINAL_TYPE (VpFilterBar, vp_filter_bar, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const VpJobStatus statuses[] = {
  VP_JOB_STATUS_UNKNOWN, VP_JOB_STATUS_COMPLETED, VP_JOB_STATUS_PROCESSING,
  VP_JOB_STATUS_QUEUED, VP_JOB_STATUS_FAILED,
};
static const char * const call_types[] = {
  NULL, "billing", "complaint", "retention", "sales", "support",
};
static const char * const outcomes[] = {
  NULL, "resolved", "partial", "escalated", "unresolved",
};

static guint
index_of_string (const char * const *values,
                 guint               n_values,
                 const char         *value)
{
  for (guint i = 1; i < n_values; i++)
    if (value != NULL && g_ascii_strcasecmp (values[i], value) == 0)
      return i;

  return 0;
}

/* "2026-11-27" as the start of that day, local time; 0 if not a date */
static gint64
parse_day (const char *text,
           gboolean    next_day)
{
  g_autoptr(GDateTime) day = NULL;
  int y, m, d;
  char extra;

  if (text == NULL || sscanf (text, "%d-%d-%d%c", &y, &m, &d, &extra) != 3)
    return 0;

  day = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (day == NULL)
    return 0;

  if (next_day)
    {
      g_autoptr(GDateTime) next = g_date_time_add_days (day, 1);

      return g_date_time_to_unix (next);
    }

  return g_date_time_to_unix (day);
}

static char *
format_day (gint64   unix_time,
            gboolean previous_day)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_time == 0)
    return g_strdup ("");

  time = g_date_time_new_from_unix_local (unix_time - (previous_day ? 1 : 0));

  return g_date_time_format (time, "%Y-%m-%d");
}

static guint
index_of_status (VpJobStatus status)
{
  for (guint i = 1; i < G_N_ELEMENTS (statuses); i++)
    if (statuses[i] == status)
      return i;

  return 0;
}

/* @filter as the controls can show it, which is what reading them back
 * gives: a call type or outcome they do not offer is "any", a date range
 * whole days.  Whether or not the popover was built, the bar's filter is
 * then the same. */
static VpJobFilter *
normalize_filter (const VpJobFilter *filter)
{
  g_autoptr(VpJobFilter) normal = vp_job_filter_new ();
  g_autofree char *since_text = NULL;
  g_autofree char *until_text = NULL;
  VpDisclosureFilter disclosure;
  VpSensitiveFilter sensitive;
  gint64 since, until;
  guint i;

  g_assert (filter != NULL);

  vp_job_filter_set_status (normal, statuses[index_of_status (vp_job_filter_get_status (filter))]);
  i = index_of_string (call_types, G_N_ELEMENTS (call_types), vp_job_filter_get_call_type (filter));
  vp_job_filter_set_call_type (normal, call_types[i]);
  i = index_of_string (outcomes, G_N_ELEMENTS (outcomes), vp_job_filter_get_outcome (filter));
  vp_job_filter_set_outcome (normal, outcomes[i]);
  disclosure = vp_job_filter_get_disclosure (filter);
  vp_job_filter_set_disclosure (normal, disclosure <= VP_DISCLOSURE_FILTER_MADE ? disclosure : VP_DISCLOSURE_FILTER_ANY);
  sensitive = vp_job_filter_get_sensitive (filter);
  vp_job_filter_set_sensitive (normal, sensitive <= VP_SENSITIVE_FILTER_BIRTH_DATE ? sensitive : VP_SENSITIVE_FILTER_ANY);

  vp_job_filter_get_created_range (filter, &since, &until);
  since_text = format_day (since, FALSE);
  until_text = format_day (until, TRUE);
  vp_job_filter_set_created_range (normal, parse_day (since_text, FALSE), parse_day (until_text, TRUE));

  vp_job_filter_set_text (normal, vp_job_filter_get_text (filter));

  return g_steal_pointer (&normal);
}

static gint64
read_day_entry (GtkEntry *entry,
                gboolean  next_day)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  gint64 t = parse_day (stripped, next_day);

  if (*stripped != '\0' && t == 0)
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");

  return t;
}

static void
vp_filter_bar_update_status (VpFilterBar *self)
{
  g_autofree char *matches = NULL;
  g_autofree char *progress = NULL;
  g_autofree char *text = NULL;
  gboolean empty;
  gboolean checking;

  g_assert (VP_IS_FILTER_BAR (self));

  empty = vp_job_filter_is_empty (self->filter);
  checking = !empty && vp_job_filter_needs_results (self->filter) && self->n_checked < self->n_total;

  /* Translators: how many of the listed calls pass the filters */
  matches = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u of %u call matches",
                                          "%u of %u calls match",
                                          self->n_listed),
                             self->n_matches, self->n_listed);
  if (checking)
    {
      /* Translators: results fetched to apply the filters, so far */
      progress = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "checked %u of %u call",
                                               "checked %u of %u calls",
                                               self->n_total),
                                  self->n_checked, self->n_total);
      text = g_strdup_printf ("%s · %s", matches, progress);
    }
  else
    text = g_steal_pointer (&matches);

  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), checking);
  if (checking)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
  gtk_revealer_set_reveal_child (self->status_revealer, !empty);
}

static void
vp_filter_bar_update_button (VpFilterBar *self)
{
  guint n = 0;

  g_assert (VP_IS_FILTER_BAR (self));

  n += vp_job_filter_get_status (self->filter) != VP_JOB_STATUS_UNKNOWN;
  n += vp_job_filter_get_call_type (self->filter) != NULL;
  n += vp_job_filter_get_outcome (self->filter) != NULL;
  n += vp_job_filter_get_disclosure (self->filter) != VP_DISCLOSURE_FILTER_ANY;
  n += vp_job_filter_get_sensitive (self->filter) != VP_SENSITIVE_FILTER_ANY;
  {
    gint64 since, until;

    vp_job_filter_get_created_range (self->filter, &since, &until);
    n += since != 0 || until != 0;
  }

  if (n == 0)
    {
      gtk_label_set_text (self->filters_label, _("Filters"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->filters_button), "suggested-action");
    }
  else
    {
      /* Translators: the Filters button with the number of filters set */
      g_autofree char *text = g_strdup_printf (_("Filters (%u)"), n);

      gtk_label_set_text (self->filters_label, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->filters_button), "suggested-action");
    }
}

/* Takes @filter as the bar's; returns whether it differs from what the
 * bar had */
static gboolean
vp_filter_bar_take_filter (VpFilterBar *self,
                           VpJobFilter *filter)
{
  gboolean changed;

  g_assert (VP_IS_FILTER_BAR (self));
  g_assert (filter != NULL);

  changed = !vp_job_filter_equal (filter, self->filter);
  vp_job_filter_free (self->filter);
  self->filter = filter;

  return changed;
}

/* The bar's filter is new: the button and the status line show it */
static void
vp_filter_bar_changed (VpFilterBar *self)
{
  g_assert (VP_IS_FILTER_BAR (self));

  vp_filter_bar_update_button (self);
  vp_filter_bar_update_status (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Sets the popover's controls, if built, to the bar's filter */
static void
vp_filter_bar_show_filter (VpFilterBar *self)
{
  g_autofree char *since_text = NULL;
  g_autofree char *until_text = NULL;
  gint64 since, until;
  gboolean was_updating;

  g_assert (VP_IS_FILTER_BAR (self));

  if (self->popover == NULL)
    return;

  vp_job_filter_get_created_range (self->filter, &since, &until);
  since_text = format_day (since, FALSE);
  until_text = format_day (until, TRUE);

  was_updating = self->updating;
  self->updating = TRUE;
  gtk_drop_down_set_selected (self->status_dropdown,
                              index_of_status (vp_job_filter_get_status (self->filter)));
  gtk_drop_down_set_selected (self->type_dropdown,
                              index_of_string (call_types, G_N_ELEMENTS (call_types),
                                               vp_job_filter_get_call_type (self->filter)));
  gtk_drop_down_set_selected (self->outcome_dropdown,
                              index_of_string (outcomes, G_N_ELEMENTS (outcomes),
                                               vp_job_filter_get_outcome (self->filter)));
  gtk_drop_down_set_selected (self->disclosure_dropdown, vp_job_filter_get_disclosure (self->filter));
  gtk_drop_down_set_selected (self->sensitive_dropdown, vp_job_filter_get_sensitive (self->filter));
  gtk_editable_set_text (GTK_EDITABLE (self->since_entry), since_text);
  gtk_editable_set_text (GTK_EDITABLE (self->until_entry), until_text);
  /* Whole days, as the bar keeps them: nothing left to mark */
  gtk_widget_remove_css_class (GTK_WIDGET (self->since_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->until_entry), "error");
  self->updating = was_updating;
}

/* The search entry, and the popover's controls if they are built: what
 * they say becomes the bar's filter; without the popover, its conditions
 * stay what the bar has. */
static void
vp_filter_bar_read_controls (VpFilterBar *self)
{
  g_autoptr(VpJobFilter) filter = NULL;
  guint i;

  g_assert (VP_IS_FILTER_BAR (self));

  if (self->updating)
    return;

  filter = vp_job_filter_copy (self->filter);
  vp_job_filter_set_text (filter, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  if (self->popover != NULL)
    {
      i = gtk_drop_down_get_selected (self->status_dropdown);
      vp_job_filter_set_status (filter, i < G_N_ELEMENTS (statuses) ? statuses[i] : VP_JOB_STATUS_UNKNOWN);
      i = gtk_drop_down_get_selected (self->type_dropdown);
      vp_job_filter_set_call_type (filter, i < G_N_ELEMENTS (call_types) ? call_types[i] : NULL);
      i = gtk_drop_down_get_selected (self->outcome_dropdown);
      vp_job_filter_set_outcome (filter, i < G_N_ELEMENTS (outcomes) ? outcomes[i] : NULL);
      i = gtk_drop_down_get_selected (self->disclosure_dropdown);
      vp_job_filter_set_disclosure (filter, i <= VP_DISCLOSURE_FILTER_MADE ? i : VP_DISCLOSURE_FILTER_ANY);
      i = gtk_drop_down_get_selected (self->sensitive_dropdown);
      vp_job_filter_set_sensitive (filter, i <= VP_SENSITIVE_FILTER_BIRTH_DATE ? i : VP_SENSITIVE_FILTER_ANY);
      vp_job_filter_set_created_range (filter,
                                       read_day_entry (self->since_entry, FALSE),
                                       read_day_entry (self->until_entry, TRUE));
    }

  if (vp_filter_bar_take_filter (self, g_steal_pointer (&filter)))
    vp_filter_bar_changed (self);
}

static void
on_control_changed_cb (VpFilterBar *self)
{
  g_assert (VP_IS_FILTER_BAR (self));

  vp_filter_bar_read_controls (self);
}

static void
on_search_changed_cb (VpFilterBar *self)
{
  g_assert (VP_IS_FILTER_BAR (self));

  vp_filter_bar_read_controls (self);
}

static void
on_clear_clicked_cb (VpFilterBar *self)
{
  g_assert (VP_IS_FILTER_BAR (self));

  vp_filter_bar_clear (self);
}

/* Builds the popover's content if it is not yet, and shows the bar's
 * filter in it.
 *
 * Not in the template: the bar is on screen from the start, but its
 * popover only once the user opens it, and building its five drop-downs
 * (each a string list, a popover and a list view), two entries and a
 * button was most of the ~4 ms the bar cost at start-up. */
static void
vp_filter_bar_ensure_popover (VpFilterBar *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  g_assert (VP_IS_FILTER_BAR (self));

  /* Built already, or disposed */
  if (self->popover != NULL || self->filters_button == NULL)
    return;

  builder = vp_builder_new_for_instance (self, "/com/voxparse/CallBrowser/vp-filter-bar-popover.ui",
                                         popover_children, G_N_ELEMENTS (popover_children),
                                         "on_control_changed_cb", G_CALLBACK (on_control_changed_cb),
                                         "on_clear_clicked_cb", G_CALLBACK (on_clear_clicked_cb),
                                         NULL);

  vp_drop_down_name_button (self->status_dropdown);
  vp_drop_down_name_button (self->type_dropdown);
  vp_drop_down_name_button (self->outcome_dropdown);
  vp_drop_down_name_button (self->disclosure_dropdown);
  vp_drop_down_name_button (self->sensitive_dropdown);

  vp_filter_bar_show_filter (self);

  /* The button owns it from now on; the builder's reference goes with it */
  gtk_menu_button_set_popover (self->filters_button, GTK_WIDGET (self->popover));
}

/* The button is being opened, by pointer, keyboard or
 * gtk_menu_button_popup(): its popover must be there */
static void
on_create_popup_cb (GtkMenuButton *button,
                    gpointer       user_data)
{
  VpFilterBar *self = user_data;

  g_assert (GTK_IS_MENU_BUTTON (button));
  g_assert (VP_IS_FILTER_BAR (self));

  vp_filter_bar_ensure_popover (self);
}

const VpJobFilter *
vp_filter_bar_get_filter (VpFilterBar *self)
{
  g_return_val_if_fail (VP_IS_FILTER_BAR (self), NULL);

  return self->filter;
}

void
vp_filter_bar_set_filter (VpFilterBar       *self,
                          const VpJobFilter *filter)
{
  g_autoptr(VpJobFilter) empty = NULL;
  g_autoptr(VpJobFilter) normal = NULL;
  const char *text;
  gboolean changed;

  g_return_if_fail (VP_IS_FILTER_BAR (self));

  if (filter == NULL)
    filter = empty = vp_job_filter_new ();

  normal = normalize_filter (filter);
  text = vp_job_filter_get_text (normal);

  /* The controls follow the bar's filter, not the other way round: the
   * popover may not be built, and need not be for this */
  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  self->updating = FALSE;

  changed = vp_filter_bar_take_filter (self, g_steal_pointer (&normal));
  vp_filter_bar_show_filter (self);
  if (changed)
    vp_filter_bar_changed (self);
}

void
vp_filter_bar_clear (VpFilterBar *self)
{
  g_return_if_fail (VP_IS_FILTER_BAR (self));

  vp_filter_bar_set_filter (self, NULL);
}

void
vp_filter_bar_focus_search (VpFilterBar *self)
{
  g_return_if_fail (VP_IS_FILTER_BAR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
vp_filter_bar_set_progress (VpFilterBar *self,
                            guint        n_checked,
                            guint        n_total)
{
  g_return_if_fail (VP_IS_FILTER_BAR (self));

  if (self->n_checked == n_checked && self->n_total == n_total)
    return;

  self->n_checked = n_checked;
  self->n_total = n_total;
  vp_filter_bar_update_status (self);
}

void
vp_filter_bar_set_n_matches (VpFilterBar *self,
                             guint        n_matches,
                             guint        n_listed)
{
  g_return_if_fail (VP_IS_FILTER_BAR (self));

  if (self->n_matches == n_matches && self->n_listed == n_listed)
    return;

  self->n_matches = n_matches;
  self->n_listed = n_listed;
  vp_filter_bar_update_status (self);
}

static void
vp_filter_bar_dispose (GObject *object)
{
  VpFilterBar *self = (VpFilterBar *)object;

  /* Nothing to read while it is taken apart */
  self->updating = TRUE;

  /* The popover goes with the button, which the template owns */
  for (guint i = 0; i < G_N_ELEMENTS (popover_children); i++)
    G_STRUCT_MEMBER (gpointer, self, popover_children[i].offset) = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), VP_TYPE_FILTER_BAR);
  vp_widget_unparent_children (GTK_WIDGET (self));

  G_OBJECT_CLASS (vp_filter_bar_parent_class)->dispose (object);
}

static void
vp_filter_bar_finalize (GObject *object)
{
  VpFilterBar *self = (VpFilterBar *)object;

  g_clear_pointer (&self->filter, vp_job_filter_free);

  G_OBJECT_CLASS (vp_filter_bar_parent_class)->finalize (object);
}

static void
vp_filter_bar_class_init (VpFilterBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_filter_bar_dispose;
  object_class->finalize = vp_filter_bar_finalize;

  /**
   * VpFilterBar::changed:
   *
   * The filter (vp_filter_bar_get_filter()) is not what it was.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vpfilterbar");
  gtk_widget_class_set_template_from_resource (widget_class, "/com/voxparse/CallBrowser/vp-filter-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, VpFilterBar, search_entry);
  gtk_widget_class_bind_template_child (widget_class, VpFilterBar, filters_button);
  gtk_widget_class_bind_template_child (widget_class, VpFilterBar, filters_label);
  gtk_widget_class_bind_template_child (widget_class, VpFilterBar, status_revealer);
  gtk_widget_class_bind_template_child (widget_class, VpFilterBar, spinner);
  gtk_widget_class_bind_template_child (widget_class, VpFilterBar, status_label);
  gtk_widget_class_bind_template_child (widget_class, VpFilterBar, clear_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked_cb);
}

static void
vp_filter_bar_init (VpFilterBar *self)
{
  self->filter = vp_job_filter_new ();

  /* The template sets the controls up: nothing to read yet. */
  self->updating = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->updating = FALSE;

  /* Given here rather than in the .ui file: vp-tooltip.c says why */
  vp_tooltip_set_text (GTK_WIDGET (self->search_entry),
                       _("Job id, customer or agent name, summary or transcript (Ctrl+K)"));
  vp_tooltip_set_text (GTK_WIDGET (self->filters_button),
                       _("Filter by status, type, outcome, compliance and date"));
  vp_tooltip_set_text (GTK_WIDGET (self->clear_button),
                       _("Clear the search and the filters"));

  /* The popover's content is made when the button first opens it */
  gtk_menu_button_set_create_popup_func (self->filters_button, on_create_popup_cb, self, NULL);
}

/* vp-totals-bar.c: how many calls, how long and what they cost
 *
 * A line under the list and the audit table: the number of calls listed
 * (or selected, when more than one is), their total duration and cost;
 * at the other end the per-hour rates of /v1/pricing ("Rates: Pro
 * $0.39/h · Lite $0.15/h", the pricing note in its tooltip), where someone
 * wondering about the cost looks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-totals-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "vp-format.h"
#include "vp-tooltip.h"
#include "vp-totals-bar.h"

struct _VpTotalsBar
{
  GtkWidget      parent_instance;

  char          *rates;

  GtkLabel      *totals_label;
  GtkLabel      *rates_label;
};

G_DEFINE_FINAL_TYPE (VpTotalsBar, vp_totals_bar, GTK_TYPE_WIDGET)

void
vp_totals_bar_set_totals (VpTotalsBar *self,
                          guint        n_calls,
                          gboolean     selected,
                          double       seconds,
                          gint64       cents)
{
  g_autofree char *count = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (VP_IS_TOTALS_BAR (self));

  if (selected)
    /* Translators: the number of calls selected in the list */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u selected", "%u selected", n_calls), n_calls);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u call", "%u calls", n_calls), n_calls);

  duration = vp_format_duration (MAX (seconds, 0));
  cost = vp_format_cost_cents (MAX (cents, 0));
  text = g_strdup_printf ("%s · %s · %s", count, duration, cost);

  gtk_label_set_text (self->totals_label, text);
}

void
vp_totals_bar_set_pricing (VpTotalsBar *self,
                           VpPricing   *pricing)
{
  g_autoptr(GPtrArray) parts = NULL;
  GListModel *plans;

  g_return_if_fail (VP_IS_TOTALS_BAR (self));
  g_return_if_fail (pricing == NULL || VP_IS_PRICING (pricing));

  g_clear_pointer (&self->rates, g_free);

  if (pricing != NULL)
    {
      parts = g_ptr_array_new_with_free_func (g_free);
      plans = vp_pricing_get_plans (pricing);

      for (guint i = 0; i < g_list_model_get_n_items (plans); i++)
        {
          g_autoptr(VpPlan) plan = g_list_model_get_item (plans, i);
          const char *name = vp_plan_get_name (plan) ? vp_plan_get_name (plan) : vp_plan_get_id (plan);
          double price = vp_plan_get_price_per_hour (plan);
          g_autofree char *money = NULL;

          if (name == NULL || price < 0)
            continue;

          money = vp_format_money (price);
          /* Translators: a plan and its price per hour of audio, "Pro $0.39/h" */
          g_ptr_array_add (parts, g_strdup_printf (_("%s %s/h"), name, money));
        }

      if (parts->len > 0)
        {
          g_ptr_array_add (parts, NULL);
          self->rates = g_strjoinv (" · ", (char **) parts->pdata);
        }
    }

  if (self->rates != NULL)
    {
      g_autofree char *tooltip = NULL;
      g_autofree char *text = NULL;

      /* Translators: the tooltip of the totals; %s: the rates per hour */
      tooltip = g_strdup_printf (_("Rates per hour of audio: %s"), self->rates);
      vp_tooltip_set_text (GTK_WIDGET (self->totals_label), tooltip);
      /* Translators: beside the totals; %s: "Pro $0.39/h · Lite $0.15/h" */
      text = g_strdup_printf (_("Rates: %s"), self->rates);
      gtk_label_set_text (self->rates_label, text);
      vp_tooltip_set_text (GTK_WIDGET (self->rates_label),
                           vp_pricing_get_note (pricing) ? vp_pricing_get_note (pricing) : tooltip);
      gtk_widget_set_visible (GTK_WIDGET (self->rates_label), TRUE);
    }
  else
    {
      vp_tooltip_set_text (GTK_WIDGET (self->totals_label), NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->rates_label), FALSE);
    }
}

const char *
vp_totals_bar_get_text (VpTotalsBar *self)
{
  g_return_val_if_fail (VP_IS_TOTALS_BAR (self), NULL);

  return gtk_label_get_text (self->totals_label);
}

const char *
vp_totals_bar_get_rates (VpTotalsBar *self)
{
  g_return_val_if_fail (VP_IS_TOTALS_BAR (self), NULL);

  return self->rates;
}

static void
vp_totals_bar_dispose (GObject *object)
{
  VpTotalsBar *self = (VpTotalsBar *)object;

  g_clear_pointer (&self->rates, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), VP_TYPE_TOTALS_BAR);
  vp_widget_unparent_children (GTK_WIDGET (self));

  G_OBJECT_CLASS (vp_totals_bar_parent_class)->dispose (object);
}

static void
vp_totals_bar_class_init (VpTotalsBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_totals_bar_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vptotalsbar");
  gtk_widget_class_set_template_from_resource (widget_class, "/com/voxparse/CallBrowser/vp-totals-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, VpTotalsBar, totals_label);
  gtk_widget_class_bind_template_child (widget_class, VpTotalsBar, rates_label);
}

static void
vp_totals_bar_init (VpTotalsBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vp_totals_bar_set_totals (self, 0, FALSE, 0, 0);
}

/* vp-financial-page.c: the Financial pane of a call
 *
 * Payment today, recurring amount and pending balance written as money,
 * the payment method and billing date; a plain statement when the call did
 * not discuss money.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-financial-page"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "vp-financial-page.h"
#include "vp-format.h"
#include "vp-placeholder.h"

struct _VpFinancialPage
{
  GtkWidget  parent_instance;

  GtkStack  *stack;
  GtkLabel  *payment_today;
  GtkLabel  *recurring_amount;
  GtkLabel  *pending_balance;
  GtkLabel  *payment_method;
  GtkLabel  *billing_date;
};

G_DEFINE_FINAL_TYPE (VpFinancialPage, vp_financial_page, GTK_TYPE_WIDGET)

static void
set_money (GtkLabel     *label,
           VpAnalysis   *analysis,
           VpMoneyField  field)
{
  g_autofree char *text = NULL;
  double amount;

  g_assert (GTK_IS_LABEL (label));
  g_assert (VP_IS_ANALYSIS (analysis));

  if (vp_analysis_get_money (analysis, field, &amount))
    text = vp_format_money (amount);

  vp_label_set_value (label, text);
}

/* "2026-05-01" reads better as "May 1, 2026"; anything else is shown as the
 * server wrote it. */
static char *
format_billing_date (const char *date)
{
  g_autoptr(GDateTime) parsed = NULL;
  int year, month, day;
  char rest;

  if (date == NULL)
    return NULL;

  if (sscanf (date, "%4d-%2d-%2d%c", &year, &month, &day, &rest) == 3)
    parsed = g_date_time_new_local (year, month, day, 0, 0, 0);

  if (parsed == NULL)
    return g_strdup (date);

  /* Translators: a billing date, see strftime(3) */
  return g_date_time_format (parsed, _("%B %-d, %Y"));
}

void
vp_financial_page_set_analysis (VpFinancialPage *self,
                                VpAnalysis      *analysis)
{
  g_autofree char *billing_date = NULL;
  g_autofree char *payment_method = NULL;

  g_return_if_fail (VP_IS_FINANCIAL_PAGE (self));
  g_return_if_fail (analysis == NULL || VP_IS_ANALYSIS (analysis));

  if (analysis == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }

  if (vp_analysis_is_lite (analysis))
    {
      gtk_stack_set_visible_child_name (self->stack, "lite");
      return;
    }

  if (!vp_analysis_has_financial (analysis) || !vp_analysis_discusses_money (analysis))
    {
      gtk_stack_set_visible_child_name (self->stack, "no-money");
      return;
    }

  set_money (self->payment_today, analysis, VP_MONEY_PAYMENT_TODAY);
  set_money (self->recurring_amount, analysis, VP_MONEY_RECURRING_AMOUNT);
  set_money (self->pending_balance, analysis, VP_MONEY_PENDING_BALANCE);

  payment_method = vp_format_api_word (vp_analysis_get_payment_method (analysis));
  billing_date = format_billing_date (vp_analysis_get_billing_date (analysis));
  vp_label_set_value (self->payment_method, payment_method);
  vp_label_set_value (self->billing_date, billing_date);

  gtk_stack_set_visible_child_name (self->stack, "content");
}

static void
vp_financial_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), VP_TYPE_FINANCIAL_PAGE);
  vp_widget_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (vp_financial_page_parent_class)->dispose (object);
}

static void
vp_financial_page_class_init (VpFinancialPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_financial_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  g_type_ensure (VP_TYPE_PLACEHOLDER);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/voxparse/CallBrowser/vp-financial-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VpFinancialPage, stack);
  gtk_widget_class_bind_template_child (widget_class, VpFinancialPage, payment_today);
  gtk_widget_class_bind_template_child (widget_class, VpFinancialPage, recurring_amount);
  gtk_widget_class_bind_template_child (widget_class, VpFinancialPage, pending_balance);
  gtk_widget_class_bind_template_child (widget_class, VpFinancialPage, payment_method);
  gtk_widget_class_bind_template_child (widget_class, VpFinancialPage, billing_date);
}

static void
vp_financial_page_init (VpFinancialPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

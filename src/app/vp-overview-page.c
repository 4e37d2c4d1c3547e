/* vp-overview-page.c: the Overview pane of a call
 *
 * Summary, call type and outcome, sentiment, the customer and the agent,
 * key issues, action items and agreements.  Every field the server left out
 * reads "Not given"; a Lite analysis shows a notice instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-overview-page"

#include "config.h"

#include <glib/gi18n.h>

#include "vp-format.h"
#include "vp-overview-page.h"
#include "vp-placeholder.h"

struct _VpOverviewPage
{
  GtkWidget  parent_instance;

  GtkStack  *stack;
  GtkLabel  *call_summary;
  GtkLabel  *call_type;
  GtkLabel  *call_outcome;
  GtkLabel  *customer_sentiment;
  GtkLabel  *agent_performance;
  GtkLabel  *customer_name;
  GtkLabel  *customer_company;
  GtkLabel  *customer_email;
  GtkLabel  *customer_phone;
  GtkLabel  *agent_name;
  GtkLabel  *agent_department;
  GtkLabel  *agent_id;
  GtkLabel  *key_issues;
  GtkLabel  *action_items;
  GtkLabel  *agreements;
};

G_DEFINE_FINAL_TYPE (VpOverviewPage, vp_overview_page, GTK_TYPE_WIDGET)

void
vp_overview_page_set_analysis (VpOverviewPage *self,
                               VpAnalysis     *analysis)
{
  g_autofree char *call_type = NULL;
  g_autofree char *call_outcome = NULL;
  g_autofree char *customer_sentiment = NULL;
  g_autofree char *agent_performance = NULL;

  g_return_if_fail (VP_IS_OVERVIEW_PAGE (self));
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

  call_type = vp_format_api_word (vp_analysis_get_call_type (analysis));
  call_outcome = vp_format_api_word (vp_analysis_get_call_outcome (analysis));
  customer_sentiment = vp_format_api_word (vp_analysis_get_customer_sentiment (analysis));
  agent_performance = vp_format_api_word (vp_analysis_get_agent_performance (analysis));

  vp_label_set_value (self->call_summary, vp_analysis_get_call_summary (analysis));
  vp_label_set_value (self->call_type, call_type);
  vp_label_set_value (self->call_outcome, call_outcome);
  vp_label_set_value (self->customer_sentiment, customer_sentiment);
  vp_label_set_value (self->agent_performance, agent_performance);

  vp_label_set_value (self->customer_name, vp_analysis_get_customer_name (analysis));
  vp_label_set_value (self->customer_company, vp_analysis_get_customer_company (analysis));
  vp_label_set_value (self->customer_email, vp_analysis_get_customer_email (analysis));
  vp_label_set_value (self->customer_phone, vp_analysis_get_customer_phone (analysis));

  vp_label_set_value (self->agent_name, vp_analysis_get_agent_name (analysis));
  vp_label_set_value (self->agent_department, vp_analysis_get_agent_department (analysis));
  vp_label_set_value (self->agent_id, vp_analysis_get_agent_id (analysis));

  vp_label_set_list (self->key_issues, vp_analysis_get_key_issues (analysis));
  vp_label_set_list (self->action_items, vp_analysis_get_action_items (analysis));
  vp_label_set_list (self->agreements, vp_analysis_get_agreements (analysis));

  gtk_stack_set_visible_child_name (self->stack, "content");
}

static void
vp_overview_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), VP_TYPE_OVERVIEW_PAGE);
  vp_widget_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (vp_overview_page_parent_class)->dispose (object);
}

static void
vp_overview_page_class_init (VpOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_overview_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  g_type_ensure (VP_TYPE_PLACEHOLDER);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/voxparse/CallBrowser/vp-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VpOverviewPage, stack);
  gtk_widget_class_bind_template_child (widget_class, VpOverviewPage, call_summary);
  gtk_widget_class_bind_template_child (widget_class, VpOverviewPage, call_type);
  gtk_widget_class_bind_template_child (widget_class, VpOverviewPage, call_outcome);
  gtk_widget_class_bind_template_child (widget_class, VpOverviewPage, customer_sentiment);
  gtk_widget_class_bind_template_child (widget_class, VpOverviewPage, agent_performance);
  gtk_widget_class_bind_template_child (widget_class, VpOverviewPage, customer_name);
  gtk_widget_class_bind_template_child (widget_class, VpOverviewPage, customer_company);
  gtk_widget_class_bind_template_child (widget_class, VpOverviewPage, customer_email);
  gtk_widget_class_bind_template_child (widget_class, VpOverviewPage, customer_phone);
  gtk_widget_class_bind_template_child (widget_class, VpOverviewPage, agent_name);
  gtk_widget_class_bind_template_child (widget_class, VpOverviewPage, agent_department);
  gtk_widget_class_bind_template_child (widget_class, VpOverviewPage, agent_id);
  gtk_widget_class_bind_template_child (widget_class, VpOverviewPage, key_issues);
  gtk_widget_class_bind_template_child (widget_class, VpOverviewPage, action_items);
  gtk_widget_class_bind_template_child (widget_class, VpOverviewPage, agreements);
}

static void
vp_overview_page_init (VpOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

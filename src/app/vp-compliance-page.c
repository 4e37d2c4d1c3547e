/* vp-compliance-page.c: the Compliance pane of a call
 *
 * The recording disclosure as one large flag (icon, words and colour: given,
 * missing, or not stated), then one prominent row per kind of sensitive data
 * the customer shared, or a clear "No sensitive data shared".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-compliance-page"

#include "config.h"

#include <glib/gi18n.h>

#include "vp-compliance-page.h"
#include "vp-format.h"
#include "vp-placeholder.h"

struct _VpCompliancePage
{
  GtkWidget  parent_instance;

  GtkStack  *stack;
  GtkBox    *disclosure_box;
  GtkImage  *disclosure_image;
  GtkLabel  *disclosure_label;
  GtkLabel  *disclosure_detail;
  GtkBox    *sensitive_box;
};

G_DEFINE_FINAL_TYPE (VpCompliancePage, vp_compliance_page, GTK_TYPE_WIDGET)

static GtkWidget *
create_flag_row (const char *icon_name,
                 const char *text,
                 const char *css_class)
{
  GtkWidget *box;
  GtkWidget *image;
  GtkWidget *label;

  g_assert (icon_name != NULL);
  g_assert (text != NULL);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (box, "flag-row");
  gtk_widget_add_css_class (box, css_class);

  image = gtk_image_new_from_icon_name (icon_name);
  gtk_image_set_pixel_size (GTK_IMAGE (image), 24);
  gtk_box_append (GTK_BOX (box), image);

  label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  /* As the panes' wrapping labels: see vp-overview-page.ui */
  gtk_label_set_width_chars (GTK_LABEL (label), 10);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);

  return box;
}

static void
set_disclosure (VpCompliancePage *self,
                VpDisclosure      disclosure)
{
  static const char *classes[] = { "flag-unknown", "flag-good", "flag-bad" };
  const char *icon_name;
  const char *title;
  const char *detail;

  g_assert (VP_IS_COMPLIANCE_PAGE (self));

  switch (disclosure)
    {
    case VP_DISCLOSURE_MADE:
      icon_name = "security-high-symbolic";
      title = _("Recording disclosure given");
      detail = _("The customer was told that the call is recorded.");
      break;

    case VP_DISCLOSURE_MISSING:
      icon_name = "dialog-warning-symbolic";
      title = _("No recording disclosure");
      detail = _("The customer was not told that the call is recorded.");
      break;

    case VP_DISCLOSURE_NOT_GIVEN:
    default:
      disclosure = VP_DISCLOSURE_NOT_GIVEN;
      icon_name = "dialog-question-symbolic";
      title = _("Not stated");
      detail = _("The analysis does not say whether the recording was disclosed.");
      break;
    }

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->disclosure_box), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->disclosure_box), classes[disclosure]);

  gtk_image_set_from_icon_name (self->disclosure_image, icon_name);
  gtk_label_set_text (self->disclosure_label, title);
  gtk_label_set_text (self->disclosure_detail, detail);
}

static void
set_sensitive_data (VpCompliancePage   *self,
                    const char * const *kinds)
{
  GtkWidget *child;

  g_assert (VP_IS_COMPLIANCE_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sensitive_box))))
    gtk_box_remove (self->sensitive_box, child);

  if (kinds == NULL)
    {
      GtkWidget *label = gtk_label_new (NULL);

      vp_label_set_value (GTK_LABEL (label), NULL);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (self->sensitive_box, label);
      return;
    }

  if (kinds[0] == NULL)
    {
      gtk_box_append (self->sensitive_box,
                      create_flag_row ("emblem-ok-symbolic",
                                       _("No sensitive data shared"),
                                       "flag-good"));
      return;
    }

  for (guint i = 0; kinds[i] != NULL; i++)
    {
      g_autofree char *kind = vp_format_sensitive_kind (kinds[i]);
      g_autofree char *text = NULL;

      if (kind == NULL)
        continue;

      /* Translators: a kind of personal data the customer said, e.g.
       * "Shared: credit card" */
      text = g_strdup_printf (_("Shared: %s"), kind);
      gtk_box_append (self->sensitive_box,
                      create_flag_row ("dialog-warning-symbolic", text, "flag-bad"));
    }
}

void
vp_compliance_page_set_analysis (VpCompliancePage *self,
                                 VpAnalysis       *analysis)
{
  g_return_if_fail (VP_IS_COMPLIANCE_PAGE (self));
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

  set_disclosure (self, vp_analysis_get_recording_disclosure (analysis));
  set_sensitive_data (self, vp_analysis_get_sensitive_data_shared (analysis));

  gtk_stack_set_visible_child_name (self->stack, "content");
}

static void
vp_compliance_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), VP_TYPE_COMPLIANCE_PAGE);
  vp_widget_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (vp_compliance_page_parent_class)->dispose (object);
}

static void
vp_compliance_page_class_init (VpCompliancePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_compliance_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  g_type_ensure (VP_TYPE_PLACEHOLDER);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/voxparse/CallBrowser/vp-compliance-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VpCompliancePage, stack);
  gtk_widget_class_bind_template_child (widget_class, VpCompliancePage, disclosure_box);
  gtk_widget_class_bind_template_child (widget_class, VpCompliancePage, disclosure_image);
  gtk_widget_class_bind_template_child (widget_class, VpCompliancePage, disclosure_label);
  gtk_widget_class_bind_template_child (widget_class, VpCompliancePage, disclosure_detail);
  gtk_widget_class_bind_template_child (widget_class, VpCompliancePage, sensitive_box);
}

static void
vp_compliance_page_init (VpCompliancePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* test-widget-util.c: finding widgets in a window's tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-widget-util"

#include "config.h"

#include "test-widget-util.h"

GtkWidget *
test_find_widget (GtkWidget       *root,
                  TestWidgetMatch  match,
                  gconstpointer    data)
{
  g_return_val_if_fail (GTK_IS_WIDGET (root), NULL);
  g_return_val_if_fail (match != NULL, NULL);

  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

GtkWidget *
test_find_of_type (GtkWidget *root,
                   GType      type)
{
  return test_find_widget (root, is_of_type, GSIZE_TO_POINTER (type));
}

typedef struct {
  GType       type;
  const char *id;
} TypeAndId;

static gboolean
has_type_and_id (GtkWidget     *widget,
                 gconstpointer  data)
{
  const TypeAndId *wanted = data;

  return G_TYPE_CHECK_INSTANCE_TYPE (widget, wanted->type) &&
         g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), wanted->id) == 0;
}

GtkWidget *
test_find_by_id (GtkWidget  *root,
                 GType       type,
                 const char *buildable_id)
{
  TypeAndId wanted = { type, buildable_id };

  g_return_val_if_fail (buildable_id != NULL, NULL);

  return test_find_widget (root, has_type_and_id, &wanted);
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

GtkWidget *
test_find_button (GtkWidget  *root,
                  const char *label)
{
  return test_find_widget (root, is_button_labelled, label);
}

static gboolean
has_css_name (GtkWidget     *widget,
              gconstpointer  data)
{
  return g_strcmp0 (gtk_widget_get_css_name (widget), data) == 0;
}

GtkWidget *
test_find_by_css_name (GtkWidget  *root,
                       const char *css_name)
{
  return test_find_widget (root, has_css_name, css_name);
}

void
test_report_wide (GtkWidget *widget,
                  guint      depth)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);
  int min_width, min_height;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, -1, &min_height, NULL, NULL, NULL);
  if (min_width < 300 && min_height < 300 &&
      !GTK_IS_STACK_SWITCHER (parent) && !GTK_IS_BUTTON (parent))
    return;

  g_test_message ("%*s%s %s: %d×%d", depth * 2, "", G_OBJECT_TYPE_NAME (widget),
                  gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)) ?: "",
                  min_width, min_height);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    test_report_wide (child, depth + 1);
}

void
test_load_app_style (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/com/voxparse/CallBrowser/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

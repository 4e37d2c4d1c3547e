/* vp-placeholder.c: an icon, a title and a sentence in place of content
 *
 * What GTK 4.8 lacks without libadwaita's AdwStatusPage: used for "select a
 * call", the Lite notice, "no money discussed" and load errors.  An optional
 * child (a button) goes below the text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-placeholder"

#include "config.h"

#include "vp-format.h"
#include "vp-placeholder.h"

struct _VpPlaceholder
{
  GtkWidget  parent_instance;

  GtkImage  *image;
  GtkLabel  *title_label;
  GtkLabel  *description_label;
  GtkBox    *extra_box;
};

static void vp_placeholder_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VpPlaceholder, vp_placeholder, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, vp_placeholder_buildable_init))

enum {
  PROP_0,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_ICON_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static GtkBuildableIface *parent_buildable;

const char *
vp_placeholder_get_title (VpPlaceholder *self)
{
  g_return_val_if_fail (VP_IS_PLACEHOLDER (self), NULL);

  return gtk_label_get_text (self->title_label);
}

void
vp_placeholder_set_title (VpPlaceholder *self,
                          const char    *title)
{
  g_return_if_fail (VP_IS_PLACEHOLDER (self));

  if (g_strcmp0 (title, gtk_label_get_text (self->title_label)) == 0)
    return;

  gtk_label_set_text (self->title_label, title ? title : "");
  gtk_widget_set_visible (GTK_WIDGET (self->title_label), title != NULL && *title != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
vp_placeholder_get_description (VpPlaceholder *self)
{
  g_return_val_if_fail (VP_IS_PLACEHOLDER (self), NULL);

  return gtk_label_get_text (self->description_label);
}

void
vp_placeholder_set_description (VpPlaceholder *self,
                                const char    *description)
{
  g_return_if_fail (VP_IS_PLACEHOLDER (self));

  if (g_strcmp0 (description, gtk_label_get_text (self->description_label)) == 0)
    return;

  gtk_label_set_text (self->description_label, description ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_label),
                          description != NULL && *description != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

void
vp_placeholder_set_icon_name (VpPlaceholder *self,
                              const char    *icon_name)
{
  g_return_if_fail (VP_IS_PLACEHOLDER (self));

  if (g_strcmp0 (icon_name, gtk_image_get_icon_name (self->image)) == 0)
    return;

  gtk_image_set_from_icon_name (self->image, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (self->image), icon_name != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}

static void
vp_placeholder_add_child (GtkBuildable *buildable,
                          GtkBuilder   *builder,
                          GObject      *child,
                          const char   *type)
{
  VpPlaceholder *self = VP_PLACEHOLDER (buildable);

  if (self->extra_box != NULL && GTK_IS_WIDGET (child))
    {
      gtk_box_append (self->extra_box, GTK_WIDGET (child));
      gtk_widget_set_visible (GTK_WIDGET (self->extra_box), TRUE);
    }
  else
    parent_buildable->add_child (buildable, builder, child, type);
}

static void
vp_placeholder_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable = g_type_interface_peek_parent (iface);
  iface->add_child = vp_placeholder_add_child;
}

static void
vp_placeholder_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), VP_TYPE_PLACEHOLDER);
  vp_widget_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (vp_placeholder_parent_class)->dispose (object);
}

static void
vp_placeholder_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VpPlaceholder *self = VP_PLACEHOLDER (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, vp_placeholder_get_title (self));
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, vp_placeholder_get_description (self));
      break;

    case PROP_ICON_NAME:
      g_value_set_string (value, gtk_image_get_icon_name (self->image));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_placeholder_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  VpPlaceholder *self = VP_PLACEHOLDER (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      vp_placeholder_set_title (self, g_value_get_string (value));
      break;

    case PROP_DESCRIPTION:
      vp_placeholder_set_description (self, g_value_get_string (value));
      break;

    case PROP_ICON_NAME:
      vp_placeholder_set_icon_name (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_placeholder_class_init (VpPlaceholderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_placeholder_dispose;
  object_class->get_property = vp_placeholder_get_property;
  object_class->set_property = vp_placeholder_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vpplaceholder");
  gtk_widget_class_set_template_from_resource (widget_class, "/com/voxparse/CallBrowser/vp-placeholder.ui");
  gtk_widget_class_bind_template_child (widget_class, VpPlaceholder, image);
  gtk_widget_class_bind_template_child (widget_class, VpPlaceholder, title_label);
  gtk_widget_class_bind_template_child (widget_class, VpPlaceholder, description_label);
  gtk_widget_class_bind_template_child (widget_class, VpPlaceholder, extra_box);
}

static void
vp_placeholder_init (VpPlaceholder *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

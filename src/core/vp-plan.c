/* vp-plan.c: a transcription plan and its rate, from /v1/pricing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-plan"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vp-error.h"
#include "vp-json.h"
#include "vp-plan.h"

struct _VpPlan
{
  GObject   parent_instance;

  char     *id;
  char     *name;
  double    price_per_hour;
  char     *price_per_hour_display;
  char     *features;
  char    **problems;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_PRICE_PER_HOUR,
  PROP_PRICE_PER_HOUR_DISPLAY,
  PROP_FEATURES,
  PROP_PROBLEMS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (VpPlan, vp_plan, G_TYPE_OBJECT)

static GParamSpec *properties [N_PROPS];

static void
vp_plan_finalize (GObject *object)
{
  VpPlan *self = (VpPlan *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->price_per_hour_display, g_free);
  g_clear_pointer (&self->features, g_free);
  g_clear_pointer (&self->problems, g_strfreev);

  G_OBJECT_CLASS (vp_plan_parent_class)->finalize (object);
}

static void
vp_plan_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  VpPlan *self = VP_PLAN (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_PRICE_PER_HOUR:
      g_value_set_double (value, self->price_per_hour);
      break;

    case PROP_PRICE_PER_HOUR_DISPLAY:
      g_value_set_string (value, self->price_per_hour_display);
      break;

    case PROP_FEATURES:
      g_value_set_string (value, self->features);
      break;

    case PROP_PROBLEMS:
      g_value_set_boxed (value, self->problems);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_plan_class_init (VpPlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  /* A plan never changes after parsing: nothing is ever notified */
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vp_plan_finalize;
  object_class->get_property = vp_plan_get_property;

  properties [PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, flags);

  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, flags);

  /* -1 when not given */
  properties [PROP_PRICE_PER_HOUR] =
    g_param_spec_double ("price-per-hour", NULL, NULL,
                         -1.0, G_MAXDOUBLE, -1.0, flags);

  properties [PROP_PRICE_PER_HOUR_DISPLAY] =
    g_param_spec_string ("price-per-hour-display", NULL, NULL, NULL, flags);

  properties [PROP_FEATURES] =
    g_param_spec_string ("features", NULL, NULL, NULL, flags);

  properties [PROP_PROBLEMS] =
    g_param_spec_boxed ("problems", NULL, NULL, G_TYPE_STRV, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vp_plan_init (VpPlan *self)
{
  self->price_per_hour = -1.0;
}

VpPlan *
vp_plan_new_from_json (JsonNode  *node,
                       GError   **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(VpPlan) self = NULL;
  g_autofree char *id = NULL;
  JsonObject *object;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                           _("A plan in the server’s answer is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);
  problems = vp_json_problems_new ();

  id = vp_json_get_string (object, NULL, "id", problems);
  if (id == NULL || id[0] == '\0')
    {
      g_set_error_literal (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                           _("A plan in the server’s answer has no id"));
      return NULL;
    }

  self = g_object_new (VP_TYPE_PLAN, NULL);
  self->id = g_steal_pointer (&id);
  self->name = vp_json_get_string (object, NULL, "name", problems);

  /* Tolerates "$0.39" as well as 0.39 */
  if (vp_json_get_money (object, NULL, "price_per_hour", &self->price_per_hour, problems) &&
      self->price_per_hour < 0)
    {
      vp_json_add_problem (problems, "price_per_hour: negative");
      self->price_per_hour = -1.0;
    }

  self->price_per_hour_display =
    vp_json_get_string (object, NULL, "price_per_hour_display", problems);
  self->features = vp_json_get_string (object, NULL, "features", problems);
  self->problems = vp_json_problems_to_strv (problems);

  return g_steal_pointer (&self);
}

const char *
vp_plan_get_id (VpPlan *self)
{
  g_return_val_if_fail (VP_IS_PLAN (self), NULL);

  return self->id;
}

const char *
vp_plan_get_name (VpPlan *self)
{
  g_return_val_if_fail (VP_IS_PLAN (self), NULL);

  return self->name;
}

double
vp_plan_get_price_per_hour (VpPlan *self)
{
  g_return_val_if_fail (VP_IS_PLAN (self), -1.0);

  return self->price_per_hour;
}

const char *
vp_plan_get_price_per_hour_display (VpPlan *self)
{
  g_return_val_if_fail (VP_IS_PLAN (self), NULL);

  return self->price_per_hour_display;
}

const char *
vp_plan_get_features (VpPlan *self)
{
  g_return_val_if_fail (VP_IS_PLAN (self), NULL);

  return self->features;
}

const char * const *
vp_plan_get_problems (VpPlan *self)
{
  g_return_val_if_fail (VP_IS_PLAN (self), NULL);

  return (const char * const *) self->problems;
}

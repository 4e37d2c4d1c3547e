/* vp-pricing.c: the answer of /v1/pricing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-pricing"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "vp-error.h"
#include "vp-json.h"
#include "vp-pricing.h"

struct _VpPricing
{
  GObject      parent_instance;

  GListStore  *plans;
  char        *currency;
  char        *note;
  char       **warnings;
  char       **problems;
};

enum {
  PROP_0,
  PROP_PLANS,
  PROP_CURRENCY,
  PROP_NOTE,
  PROP_WARNINGS,
  PROP_PROBLEMS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (VpPricing, vp_pricing, G_TYPE_OBJECT)

static GParamSpec *properties [N_PROPS];

static void
vp_pricing_dispose (GObject *object)
{
  VpPricing *self = (VpPricing *)object;

  g_clear_object (&self->plans);

  G_OBJECT_CLASS (vp_pricing_parent_class)->dispose (object);
}

static void
vp_pricing_finalize (GObject *object)
{
  VpPricing *self = (VpPricing *)object;

  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->note, g_free);
  g_clear_pointer (&self->warnings, g_strfreev);
  g_clear_pointer (&self->problems, g_strfreev);

  G_OBJECT_CLASS (vp_pricing_parent_class)->finalize (object);
}

static void
vp_pricing_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  VpPricing *self = VP_PRICING (object);

  switch (prop_id)
    {
    case PROP_PLANS:
      g_value_set_object (value, self->plans);
      break;

    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;

    case PROP_NOTE:
      g_value_set_string (value, self->note);
      break;

    case PROP_WARNINGS:
      g_value_set_boxed (value, self->warnings);
      break;

    case PROP_PROBLEMS:
      g_value_set_boxed (value, self->problems);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_pricing_class_init (VpPricingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  /* Pricing never changes after parsing: nothing is ever notified */
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = vp_pricing_dispose;
  object_class->finalize = vp_pricing_finalize;
  object_class->get_property = vp_pricing_get_property;

  /* A GListModel of VpPlan */
  properties [PROP_PLANS] =
    g_param_spec_object ("plans", NULL, NULL, G_TYPE_LIST_MODEL, flags);

  properties [PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL, NULL, flags);

  properties [PROP_NOTE] =
    g_param_spec_string ("note", NULL, NULL, NULL, flags);

  properties [PROP_WARNINGS] =
    g_param_spec_boxed ("warnings", NULL, NULL, G_TYPE_STRV, flags);

  properties [PROP_PROBLEMS] =
    g_param_spec_boxed ("problems", NULL, NULL, G_TYPE_STRV, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vp_pricing_init (VpPricing *self)
{
  self->plans = g_list_store_new (VP_TYPE_PLAN);
}

VpPricing *
vp_pricing_new_from_json (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(VpPricing) self = NULL;
  JsonObject *object;
  JsonArray *plans;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                           _("The pricing sent by the server is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);
  problems = vp_json_problems_new ();
  self = g_object_new (VP_TYPE_PRICING, NULL);

  if ((plans = vp_json_get_array (object, NULL, "plans", problems)))
    {
      guint length = json_array_get_length (plans);

      for (guint i = 0; i < length; i++)
        {
          g_autoptr(GError) plan_error = NULL;
          g_autoptr(VpPlan) plan = NULL;
          const char * const *plan_problems;

          if (!(plan = vp_plan_new_from_json (json_array_get_element (plans, i), &plan_error)))
            {
              vp_json_add_problem (problems, "plans[%u]: skipped: %s", i, plan_error->message);
              continue;
            }

          /* A plan's own notes are the pricing's notes too */
          plan_problems = vp_plan_get_problems (plan);
          for (guint j = 0; plan_problems != NULL && plan_problems[j] != NULL; j++)
            vp_json_add_problem (problems, "plans[%u].%s", i, plan_problems[j]);

          g_list_store_append (self->plans, plan);
        }
    }

  self->currency = vp_json_get_string (object, NULL, "currency", problems);
  self->note = vp_json_get_string (object, NULL, "note", problems);
  self->warnings = vp_json_get_warnings (object, problems);
  self->problems = vp_json_problems_to_strv (problems);

  return g_steal_pointer (&self);
}

GListModel *
vp_pricing_get_plans (VpPricing *self)
{
  g_return_val_if_fail (VP_IS_PRICING (self), NULL);

  return G_LIST_MODEL (self->plans);
}

VpPlan *
vp_pricing_find_plan (VpPricing  *self,
                      const char *plan_id)
{
  guint n_items;

  g_return_val_if_fail (VP_IS_PRICING (self), NULL);
  g_return_val_if_fail (plan_id != NULL, NULL);

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->plans));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(VpPlan) plan = g_list_model_get_item (G_LIST_MODEL (self->plans), i);

      /* The store holds its own reference */
      if (g_strcmp0 (vp_plan_get_id (plan), plan_id) == 0)
        return plan;
    }

  return NULL;
}

const char *
vp_pricing_get_currency (VpPricing *self)
{
  g_return_val_if_fail (VP_IS_PRICING (self), NULL);

  return self->currency;
}

const char *
vp_pricing_get_note (VpPricing *self)
{
  g_return_val_if_fail (VP_IS_PRICING (self), NULL);

  return self->note;
}

const char * const *
vp_pricing_get_warnings (VpPricing *self)
{
  g_return_val_if_fail (VP_IS_PRICING (self), NULL);

  return (const char * const *) self->warnings;
}

const char * const *
vp_pricing_get_problems (VpPricing *self)
{
  g_return_val_if_fail (VP_IS_PRICING (self), NULL);

  return (const char * const *) self->problems;
}

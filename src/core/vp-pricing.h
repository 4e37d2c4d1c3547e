/* vp-pricing.h: the answer of /v1/pricing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vp-plan.h"

G_BEGIN_DECLS

#define VP_TYPE_PRICING (vp_pricing_get_type ())
G_DECLARE_FINAL_TYPE (VpPricing, vp_pricing, VP, PRICING, GObject)

VpPricing  *vp_pricing_new_from_json (JsonNode   *node,
                                      GError    **error);
/* A list of VpPlan */
GListModel *vp_pricing_get_plans     (VpPricing  *self);
VpPlan     *vp_pricing_find_plan     (VpPricing  *self,
                                      const char *plan_id);
const char *vp_pricing_get_currency  (VpPricing  *self);
const char *vp_pricing_get_note      (VpPricing  *self);
/* The "warnings" array, when the response carried one */
const char * const *vp_pricing_get_warnings (VpPricing *self);
/* Notes on fields that had the wrong type or plans that were skipped;
 * NULL if none */
const char * const *vp_pricing_get_problems (VpPricing *self);

G_END_DECLS

/* vp-plan.h: a transcription plan and its rate, from /v1/pricing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define VP_TYPE_PLAN (vp_plan_get_type ())
G_DECLARE_FINAL_TYPE (VpPlan, vp_plan, VP, PLAN, GObject)

VpPlan     *vp_plan_new_from_json             (JsonNode  *node,
                                               GError   **error);
const char *vp_plan_get_id                    (VpPlan    *self);
const char *vp_plan_get_name                  (VpPlan    *self);
double      vp_plan_get_price_per_hour        (VpPlan    *self); /* -1 if not given */
const char *vp_plan_get_price_per_hour_display (VpPlan   *self);
const char *vp_plan_get_features              (VpPlan    *self);
/* Notes on fields that had the wrong type; NULL if none */
const char * const *vp_plan_get_problems      (VpPlan    *self);

G_END_DECLS

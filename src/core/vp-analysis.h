/* vp-analysis.h: the AI analysis of a call (the result's "ai_analysis")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * VpDisclosure:
 * @VP_DISCLOSURE_NOT_GIVEN: the analysis says nothing about it
 * @VP_DISCLOSURE_MADE: recording_disclosure is true
 * @VP_DISCLOSURE_MISSING: recording_disclosure is false
 */
typedef enum {
  VP_DISCLOSURE_NOT_GIVEN,
  VP_DISCLOSURE_MADE,
  VP_DISCLOSURE_MISSING,
} VpDisclosure;

/**
 * VpMoneyField:
 *
 * The amounts of the "financial" object.
 */
typedef enum {
  VP_MONEY_PAYMENT_TODAY,
  VP_MONEY_RECURRING_AMOUNT,
  VP_MONEY_PENDING_BALANCE,
} VpMoneyField;

#define VP_TYPE_ANALYSIS (vp_analysis_get_type ())
G_DECLARE_FINAL_TYPE (VpAnalysis, vp_analysis, VP, ANALYSIS, GObject)

/* Never fails on content: wrong-typed fields are absent and noted in
 * @problems (may be NULL).  Fails only if @node is not an object. */
VpAnalysis         *vp_analysis_new_from_json          (JsonNode     *node,
                                                        GPtrArray    *problems,
                                                        GError      **error);

/* TRUE when only transcript_cleaned was sent (the Lite plan) */
gboolean            vp_analysis_is_lite                (VpAnalysis   *self);

/* Every string getter returns NULL when the field was not given. */
const char         *vp_analysis_get_call_summary       (VpAnalysis   *self);
const char         *vp_analysis_get_call_type          (VpAnalysis   *self);
const char         *vp_analysis_get_call_outcome       (VpAnalysis   *self);
const char         *vp_analysis_get_transcript_cleaned (VpAnalysis   *self);

gboolean            vp_analysis_has_customer           (VpAnalysis   *self);
const char         *vp_analysis_get_customer_name      (VpAnalysis   *self);
const char         *vp_analysis_get_customer_company   (VpAnalysis   *self);
const char         *vp_analysis_get_customer_email     (VpAnalysis   *self);
const char         *vp_analysis_get_customer_phone     (VpAnalysis   *self);

gboolean            vp_analysis_has_agent              (VpAnalysis   *self);
const char         *vp_analysis_get_agent_name         (VpAnalysis   *self);
const char         *vp_analysis_get_agent_department   (VpAnalysis   *self);
const char         *vp_analysis_get_agent_id           (VpAnalysis   *self);

/* TRUE when a "financial" object was sent at all */
gboolean            vp_analysis_has_financial          (VpAnalysis   *self);
/* Amounts arrive as JSON numbers or as strings such as "$49.99"; returns
 * FALSE when not given (or null). */
gboolean            vp_analysis_get_money              (VpAnalysis   *self,
                                                        VpMoneyField  field,
                                                        double       *amount);
const char         *vp_analysis_get_payment_method     (VpAnalysis   *self);
const char         *vp_analysis_get_billing_date       (VpAnalysis   *self);
/* TRUE when the financial object names any amount, method or date */
gboolean            vp_analysis_discusses_money        (VpAnalysis   *self);

gboolean            vp_analysis_has_compliance         (VpAnalysis   *self);
VpDisclosure        vp_analysis_get_recording_disclosure (VpAnalysis *self);
/* NULL when not given; an empty vector when the server sent [] */
const char * const *vp_analysis_get_sensitive_data_shared (VpAnalysis *self);

const char         *vp_analysis_get_customer_sentiment (VpAnalysis   *self);
const char         *vp_analysis_get_agent_performance  (VpAnalysis   *self);

/* NULL when not given; an empty vector when the server sent [] */
const char * const *vp_analysis_get_key_issues         (VpAnalysis   *self);
const char * const *vp_analysis_get_action_items       (VpAnalysis   *self);
const char * const *vp_analysis_get_agreements         (VpAnalysis   *self);

G_END_DECLS

/* vp-analysis.c: the AI analysis of a call (the result's "ai_analysis")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-analysis"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vp-analysis.h"
#include "vp-core-enums.h"
#include "vp-error.h"
#include "vp-json.h"

#define N_MONEY_FIELDS (VP_MONEY_PENDING_BALANCE + 1)

struct _VpAnalysis
{
  GObject        parent_instance;

  char          *call_summary;
  char          *call_type;
  char          *call_outcome;
  char          *transcript_cleaned;

  char          *customer_name;
  char          *customer_company;
  char          *customer_email;
  char          *customer_phone;

  char          *agent_name;
  char          *agent_department;
  char          *agent_id;

  double         money[N_MONEY_FIELDS];
  char          *payment_method;
  char          *billing_date;

  VpDisclosure   recording_disclosure;
  char         **sensitive_data_shared;

  char          *customer_sentiment;
  char          *agent_performance;

  char         **key_issues;
  char         **action_items;
  char         **agreements;

  gboolean       has_money[N_MONEY_FIELDS];
  guint          has_customer : 1;
  guint          has_agent : 1;
  guint          has_financial : 1;
  guint          has_compliance : 1;
  guint          is_lite : 1;
};

enum {
  PROP_0,
  PROP_IS_LITE,
  PROP_CALL_SUMMARY,
  PROP_CALL_TYPE,
  PROP_CALL_OUTCOME,
  PROP_TRANSCRIPT_CLEANED,
  PROP_HAS_CUSTOMER,
  PROP_CUSTOMER_NAME,
  PROP_CUSTOMER_COMPANY,
  PROP_CUSTOMER_EMAIL,
  PROP_CUSTOMER_PHONE,
  PROP_HAS_AGENT,
  PROP_AGENT_NAME,
  PROP_AGENT_DEPARTMENT,
  PROP_AGENT_ID,
  PROP_HAS_FINANCIAL,
  PROP_PAYMENT_TODAY,
  PROP_HAS_PAYMENT_TODAY,
  PROP_RECURRING_AMOUNT,
  PROP_HAS_RECURRING_AMOUNT,
  PROP_PENDING_BALANCE,
  PROP_HAS_PENDING_BALANCE,
  PROP_PAYMENT_METHOD,
  PROP_BILLING_DATE,
  PROP_DISCUSSES_MONEY,
  PROP_HAS_COMPLIANCE,
  PROP_RECORDING_DISCLOSURE,
  PROP_SENSITIVE_DATA_SHARED,
  PROP_CUSTOMER_SENTIMENT,
  PROP_AGENT_PERFORMANCE,
  PROP_KEY_ISSUES,
  PROP_ACTION_ITEMS,
  PROP_AGREEMENTS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (VpAnalysis, vp_analysis, G_TYPE_OBJECT)

static GParamSpec *properties [N_PROPS];

/* The members of the reference's table, transcript_cleaned last */
static const char * const analysis_members[] = {
  "call_summary", "call_type", "call_outcome", "customer", "agent",
  "financial", "compliance", "sentiment", "key_issues", "action_items",
  "agreements", "transcript_cleaned",
};

static const char * const money_members[N_MONEY_FIELDS] = {
  [VP_MONEY_PAYMENT_TODAY] = "payment_today",
  [VP_MONEY_RECURRING_AMOUNT] = "recurring_amount",
  [VP_MONEY_PENDING_BALANCE] = "pending_balance",
};

static void
vp_analysis_finalize (GObject *object)
{
  VpAnalysis *self = (VpAnalysis *)object;

  g_clear_pointer (&self->call_summary, g_free);
  g_clear_pointer (&self->call_type, g_free);
  g_clear_pointer (&self->call_outcome, g_free);
  g_clear_pointer (&self->transcript_cleaned, g_free);
  g_clear_pointer (&self->customer_name, g_free);
  g_clear_pointer (&self->customer_company, g_free);
  g_clear_pointer (&self->customer_email, g_free);
  g_clear_pointer (&self->customer_phone, g_free);
  g_clear_pointer (&self->agent_name, g_free);
  g_clear_pointer (&self->agent_department, g_free);
  g_clear_pointer (&self->agent_id, g_free);
  g_clear_pointer (&self->payment_method, g_free);
  g_clear_pointer (&self->billing_date, g_free);
  g_clear_pointer (&self->sensitive_data_shared, g_strfreev);
  g_clear_pointer (&self->customer_sentiment, g_free);
  g_clear_pointer (&self->agent_performance, g_free);
  g_clear_pointer (&self->key_issues, g_strfreev);
  g_clear_pointer (&self->action_items, g_strfreev);
  g_clear_pointer (&self->agreements, g_strfreev);

  G_OBJECT_CLASS (vp_analysis_parent_class)->finalize (object);
}

static void
get_money_property (VpAnalysis   *self,
                    VpMoneyField  field,
                    GValue       *value)
{
  double amount = 0.0;

  g_assert (VP_IS_ANALYSIS (self));

  vp_analysis_get_money (self, field, &amount);
  g_value_set_double (value, amount);
}

static void
vp_analysis_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VpAnalysis *self = VP_ANALYSIS (object);

  switch (prop_id)
    {
    case PROP_IS_LITE:
      g_value_set_boolean (value, self->is_lite);
      break;

    case PROP_CALL_SUMMARY:
      g_value_set_string (value, self->call_summary);
      break;

    case PROP_CALL_TYPE:
      g_value_set_string (value, self->call_type);
      break;

    case PROP_CALL_OUTCOME:
      g_value_set_string (value, self->call_outcome);
      break;

    case PROP_TRANSCRIPT_CLEANED:
      g_value_set_string (value, self->transcript_cleaned);
      break;

    case PROP_HAS_CUSTOMER:
      g_value_set_boolean (value, self->has_customer);
      break;

    case PROP_CUSTOMER_NAME:
      g_value_set_string (value, self->customer_name);
      break;

    case PROP_CUSTOMER_COMPANY:
      g_value_set_string (value, self->customer_company);
      break;

    case PROP_CUSTOMER_EMAIL:
      g_value_set_string (value, self->customer_email);
      break;

    case PROP_CUSTOMER_PHONE:
      g_value_set_string (value, self->customer_phone);
      break;

    case PROP_HAS_AGENT:
      g_value_set_boolean (value, self->has_agent);
      break;

    case PROP_AGENT_NAME:
      g_value_set_string (value, self->agent_name);
      break;

    case PROP_AGENT_DEPARTMENT:
      g_value_set_string (value, self->agent_department);
      break;

    case PROP_AGENT_ID:
      g_value_set_string (value, self->agent_id);
      break;

    case PROP_HAS_FINANCIAL:
      g_value_set_boolean (value, self->has_financial);
      break;

    case PROP_PAYMENT_TODAY:
      get_money_property (self, VP_MONEY_PAYMENT_TODAY, value);
      break;

    case PROP_HAS_PAYMENT_TODAY:
      g_value_set_boolean (value, self->has_money[VP_MONEY_PAYMENT_TODAY]);
      break;

    case PROP_RECURRING_AMOUNT:
      get_money_property (self, VP_MONEY_RECURRING_AMOUNT, value);
      break;

    case PROP_HAS_RECURRING_AMOUNT:
      g_value_set_boolean (value, self->has_money[VP_MONEY_RECURRING_AMOUNT]);
      break;

    case PROP_PENDING_BALANCE:
      get_money_property (self, VP_MONEY_PENDING_BALANCE, value);
      break;

    case PROP_HAS_PENDING_BALANCE:
      g_value_set_boolean (value, self->has_money[VP_MONEY_PENDING_BALANCE]);
      break;

    case PROP_PAYMENT_METHOD:
      g_value_set_string (value, self->payment_method);
      break;

    case PROP_BILLING_DATE:
      g_value_set_string (value, self->billing_date);
      break;

    case PROP_DISCUSSES_MONEY:
      g_value_set_boolean (value, vp_analysis_discusses_money (self));
      break;

    case PROP_HAS_COMPLIANCE:
      g_value_set_boolean (value, self->has_compliance);
      break;

    case PROP_RECORDING_DISCLOSURE:
      g_value_set_enum (value, self->recording_disclosure);
      break;

    case PROP_SENSITIVE_DATA_SHARED:
      g_value_set_boxed (value, self->sensitive_data_shared);
      break;

    case PROP_CUSTOMER_SENTIMENT:
      g_value_set_string (value, self->customer_sentiment);
      break;

    case PROP_AGENT_PERFORMANCE:
      g_value_set_string (value, self->agent_performance);
      break;

    case PROP_KEY_ISSUES:
      g_value_set_boxed (value, self->key_issues);
      break;

    case PROP_ACTION_ITEMS:
      g_value_set_boxed (value, self->action_items);
      break;

    case PROP_AGREEMENTS:
      g_value_set_boxed (value, self->agreements);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_analysis_class_init (VpAnalysisClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  /* An analysis never changes after parsing: nothing is ever notified */
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vp_analysis_finalize;
  object_class->get_property = vp_analysis_get_property;

#define STRING_PROP(id, name) \
  properties [id] = g_param_spec_string (name, NULL, NULL, NULL, flags)
#define BOOLEAN_PROP(id, name) \
  properties [id] = g_param_spec_boolean (name, NULL, NULL, FALSE, flags)
#define STRV_PROP(id, name) \
  properties [id] = g_param_spec_boxed (name, NULL, NULL, G_TYPE_STRV, flags)
  /* 0 when not given: check has-<name>, since any amount is possible */
#define MONEY_PROP(id, name) \
  properties [id] = g_param_spec_double (name, NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, flags)

  BOOLEAN_PROP (PROP_IS_LITE, "is-lite");
  STRING_PROP (PROP_CALL_SUMMARY, "call-summary");
  STRING_PROP (PROP_CALL_TYPE, "call-type");
  STRING_PROP (PROP_CALL_OUTCOME, "call-outcome");
  STRING_PROP (PROP_TRANSCRIPT_CLEANED, "transcript-cleaned");
  BOOLEAN_PROP (PROP_HAS_CUSTOMER, "has-customer");
  STRING_PROP (PROP_CUSTOMER_NAME, "customer-name");
  STRING_PROP (PROP_CUSTOMER_COMPANY, "customer-company");
  STRING_PROP (PROP_CUSTOMER_EMAIL, "customer-email");
  STRING_PROP (PROP_CUSTOMER_PHONE, "customer-phone");
  BOOLEAN_PROP (PROP_HAS_AGENT, "has-agent");
  STRING_PROP (PROP_AGENT_NAME, "agent-name");
  STRING_PROP (PROP_AGENT_DEPARTMENT, "agent-department");
  STRING_PROP (PROP_AGENT_ID, "agent-id");
  BOOLEAN_PROP (PROP_HAS_FINANCIAL, "has-financial");
  MONEY_PROP (PROP_PAYMENT_TODAY, "payment-today");
  BOOLEAN_PROP (PROP_HAS_PAYMENT_TODAY, "has-payment-today");
  MONEY_PROP (PROP_RECURRING_AMOUNT, "recurring-amount");
  BOOLEAN_PROP (PROP_HAS_RECURRING_AMOUNT, "has-recurring-amount");
  MONEY_PROP (PROP_PENDING_BALANCE, "pending-balance");
  BOOLEAN_PROP (PROP_HAS_PENDING_BALANCE, "has-pending-balance");
  STRING_PROP (PROP_PAYMENT_METHOD, "payment-method");
  STRING_PROP (PROP_BILLING_DATE, "billing-date");
  BOOLEAN_PROP (PROP_DISCUSSES_MONEY, "discusses-money");
  BOOLEAN_PROP (PROP_HAS_COMPLIANCE, "has-compliance");
  properties [PROP_RECORDING_DISCLOSURE] =
    g_param_spec_enum ("recording-disclosure", NULL, NULL,
                       VP_TYPE_DISCLOSURE, VP_DISCLOSURE_NOT_GIVEN, flags);
  STRV_PROP (PROP_SENSITIVE_DATA_SHARED, "sensitive-data-shared");
  STRING_PROP (PROP_CUSTOMER_SENTIMENT, "customer-sentiment");
  STRING_PROP (PROP_AGENT_PERFORMANCE, "agent-performance");
  STRV_PROP (PROP_KEY_ISSUES, "key-issues");
  STRV_PROP (PROP_ACTION_ITEMS, "action-items");
  STRV_PROP (PROP_AGREEMENTS, "agreements");

#undef STRING_PROP
#undef BOOLEAN_PROP
#undef STRV_PROP
#undef MONEY_PROP

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vp_analysis_init (VpAnalysis *self)
{
  self->recording_disclosure = VP_DISCLOSURE_NOT_GIVEN;
}

static void
read_customer (VpAnalysis *self,
               JsonObject *object,
               GPtrArray  *problems)
{
  static const char prefix[] = "ai_analysis.customer";
  JsonObject *customer;

  g_assert (VP_IS_ANALYSIS (self));
  g_assert (object != NULL);

  if (!(customer = vp_json_get_object (object, "ai_analysis", "customer", problems)))
    return;

  self->has_customer = TRUE;
  self->customer_name = vp_json_get_string (customer, prefix, "name", problems);
  self->customer_company = vp_json_get_string (customer, prefix, "company", problems);
  self->customer_email = vp_json_get_string (customer, prefix, "email", problems);
  self->customer_phone = vp_json_get_string (customer, prefix, "phone", problems);
}

static void
read_agent (VpAnalysis *self,
            JsonObject *object,
            GPtrArray  *problems)
{
  static const char prefix[] = "ai_analysis.agent";
  JsonObject *agent;

  g_assert (VP_IS_ANALYSIS (self));
  g_assert (object != NULL);

  if (!(agent = vp_json_get_object (object, "ai_analysis", "agent", problems)))
    return;

  self->has_agent = TRUE;
  self->agent_name = vp_json_get_string (agent, prefix, "name", problems);
  self->agent_department = vp_json_get_string (agent, prefix, "department", problems);
  self->agent_id = vp_json_get_string (agent, prefix, "agent_id", problems);
}

static void
read_financial (VpAnalysis *self,
                JsonObject *object,
                GPtrArray  *problems)
{
  static const char prefix[] = "ai_analysis.financial";
  JsonObject *financial;

  g_assert (VP_IS_ANALYSIS (self));
  g_assert (object != NULL);

  if (!(financial = vp_json_get_object (object, "ai_analysis", "financial", problems)))
    return;

  self->has_financial = TRUE;

  for (guint i = 0; i < N_MONEY_FIELDS; i++)
    self->has_money[i] = vp_json_get_money (financial, prefix, money_members[i],
                                            &self->money[i], problems);

  self->payment_method = vp_json_get_string (financial, prefix, "payment_method", problems);
  self->billing_date = vp_json_get_string (financial, prefix, "billing_date", problems);
}

static void
read_compliance (VpAnalysis *self,
                 JsonObject *object,
                 GPtrArray  *problems)
{
  static const char prefix[] = "ai_analysis.compliance";
  JsonObject *compliance;
  gboolean disclosure;

  g_assert (VP_IS_ANALYSIS (self));
  g_assert (object != NULL);

  if (!(compliance = vp_json_get_object (object, "ai_analysis", "compliance", problems)))
    return;

  self->has_compliance = TRUE;

  if (vp_json_get_boolean (compliance, prefix, "recording_disclosure", &disclosure, problems))
    self->recording_disclosure = disclosure ? VP_DISCLOSURE_MADE : VP_DISCLOSURE_MISSING;

  self->sensitive_data_shared =
    vp_json_get_strv (compliance, prefix, "sensitive_data_shared", problems);
}

static void
read_sentiment (VpAnalysis *self,
                JsonObject *object,
                GPtrArray  *problems)
{
  static const char prefix[] = "ai_analysis.sentiment";
  JsonObject *sentiment;

  g_assert (VP_IS_ANALYSIS (self));
  g_assert (object != NULL);

  if (!(sentiment = vp_json_get_object (object, "ai_analysis", "sentiment", problems)))
    return;

  self->customer_sentiment = vp_json_get_string (sentiment, prefix, "customer_sentiment", problems);
  self->agent_performance = vp_json_get_string (sentiment, prefix, "agent_performance", problems);
}

VpAnalysis *
vp_analysis_new_from_json (JsonNode   *node,
                           GPtrArray  *problems,
                           GError    **error)
{
  static const char prefix[] = "ai_analysis";
  g_autoptr(VpAnalysis) self = NULL;
  JsonObject *object;
  gboolean only_cleaned;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                           _("The call analysis sent by the server is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);
  self = g_object_new (VP_TYPE_ANALYSIS, NULL);

  self->call_summary = vp_json_get_string (object, prefix, "call_summary", problems);
  self->call_type = vp_json_get_string (object, prefix, "call_type", problems);
  self->call_outcome = vp_json_get_string (object, prefix, "call_outcome", problems);
  read_customer (self, object, problems);
  read_agent (self, object, problems);
  read_financial (self, object, problems);
  read_compliance (self, object, problems);
  read_sentiment (self, object, problems);
  self->key_issues = vp_json_get_strv (object, prefix, "key_issues", problems);
  self->action_items = vp_json_get_strv (object, prefix, "action_items", problems);
  self->agreements = vp_json_get_strv (object, prefix, "agreements", problems);
  self->transcript_cleaned = vp_json_get_string (object, prefix, "transcript_cleaned", problems);

  /* Lite: transcript_cleaned and nothing else of the table, whatever
   * unknown members come along */
  only_cleaned = vp_json_has_value (object, "transcript_cleaned");
  for (guint i = 0; only_cleaned && i < G_N_ELEMENTS (analysis_members) - 1; i++)
    if (vp_json_has_value (object, analysis_members[i]))
      only_cleaned = FALSE;
  self->is_lite = only_cleaned;

  return g_steal_pointer (&self);
}

gboolean
vp_analysis_is_lite (VpAnalysis *self)
{
  g_return_val_if_fail (VP_IS_ANALYSIS (self), FALSE);

  return self->is_lite;
}

#define DEFINE_STRING_GETTER(name)                                      \
  const char *                                                          \
  vp_analysis_get_##name (VpAnalysis *self)                             \
  {                                                                     \
    g_return_val_if_fail (VP_IS_ANALYSIS (self), NULL);                 \
                                                                        \
    return self->name;                                                  \
  }

DEFINE_STRING_GETTER (call_summary)
DEFINE_STRING_GETTER (call_type)
DEFINE_STRING_GETTER (call_outcome)
DEFINE_STRING_GETTER (transcript_cleaned)
DEFINE_STRING_GETTER (customer_name)
DEFINE_STRING_GETTER (customer_company)
DEFINE_STRING_GETTER (customer_email)
DEFINE_STRING_GETTER (customer_phone)
DEFINE_STRING_GETTER (agent_name)
DEFINE_STRING_GETTER (agent_department)
DEFINE_STRING_GETTER (agent_id)
DEFINE_STRING_GETTER (payment_method)
DEFINE_STRING_GETTER (billing_date)
DEFINE_STRING_GETTER (customer_sentiment)
DEFINE_STRING_GETTER (agent_performance)

#undef DEFINE_STRING_GETTER

#define DEFINE_STRV_GETTER(name)                                        \
  const char * const *                                                  \
  vp_analysis_get_##name (VpAnalysis *self)                             \
  {                                                                     \
    g_return_val_if_fail (VP_IS_ANALYSIS (self), NULL);                 \
                                                                        \
    return (const char * const *) self->name;                           \
  }

DEFINE_STRV_GETTER (sensitive_data_shared)
DEFINE_STRV_GETTER (key_issues)
DEFINE_STRV_GETTER (action_items)
DEFINE_STRV_GETTER (agreements)

#undef DEFINE_STRV_GETTER

gboolean
vp_analysis_has_customer (VpAnalysis *self)
{
  g_return_val_if_fail (VP_IS_ANALYSIS (self), FALSE);

  return self->has_customer;
}

gboolean
vp_analysis_has_agent (VpAnalysis *self)
{
  g_return_val_if_fail (VP_IS_ANALYSIS (self), FALSE);

  return self->has_agent;
}

gboolean
vp_analysis_has_financial (VpAnalysis *self)
{
  g_return_val_if_fail (VP_IS_ANALYSIS (self), FALSE);

  return self->has_financial;
}

gboolean
vp_analysis_get_money (VpAnalysis   *self,
                       VpMoneyField  field,
                       double       *amount)
{
  g_return_val_if_fail (VP_IS_ANALYSIS (self), FALSE);
  g_return_val_if_fail ((guint) field < N_MONEY_FIELDS, FALSE);

  if (!self->has_money[field])
    return FALSE;

  if (amount != NULL)
    *amount = self->money[field];

  return TRUE;
}

/* A zero amount is what a model writes when no money came up, so only
 * non-zero amounts, a payment method or a billing date count. */
gboolean
vp_analysis_discusses_money (VpAnalysis *self)
{
  g_return_val_if_fail (VP_IS_ANALYSIS (self), FALSE);

  for (guint i = 0; i < N_MONEY_FIELDS; i++)
    if (self->has_money[i] && self->money[i] != 0.0)
      return TRUE;

  return (self->payment_method != NULL && self->payment_method[0] != '\0') ||
         (self->billing_date != NULL && self->billing_date[0] != '\0');
}

gboolean
vp_analysis_has_compliance (VpAnalysis *self)
{
  g_return_val_if_fail (VP_IS_ANALYSIS (self), FALSE);

  return self->has_compliance;
}

VpDisclosure
vp_analysis_get_recording_disclosure (VpAnalysis *self)
{
  g_return_val_if_fail (VP_IS_ANALYSIS (self), VP_DISCLOSURE_NOT_GIVEN);

  return self->recording_disclosure;
}

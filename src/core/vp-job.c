/* vp-job.c: one transcription job, as /v1/jobs describes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-job"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "vp-core-enums.h"
#include "vp-error.h"
#include "vp-job.h"
#include "vp-job-private.h"
#include "vp-json.h"

struct _VpJob
{
  GObject      parent_instance;

  /* What the server said of the job (vp-job-private.h).  Its json_text
   * and the json below are the object as the server sent it: either kept
   * as parsed (json set, json_text NULL), or, for jobs from a list, as
   * compact JSON text, with json parsed from it on demand and kept.  A
   * parsed job object costs about 1.5 KiB; its text a fifth of that. */
  VpJobFields  fields;
  char       **problems;
  JsonObject  *json;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_STATUS,
  PROP_TYPE_NAME,
  PROP_MODEL,
  PROP_DURATION_SECONDS,
  PROP_COST_CENTS,
  PROP_CREATED_AT,
  PROP_COMPLETED_AT,
  PROP_ERROR,
  PROP_RESULT_URL,
  PROP_WARNINGS,
  PROP_PROBLEMS,
  PROP_JSON,
  PROP_IS_FINISHED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (VpJob, vp_job, G_TYPE_OBJECT)

static GParamSpec *properties [N_PROPS];

static const char * const status_names[] = {
  [VP_JOB_STATUS_UNKNOWN] = "unknown",
  [VP_JOB_STATUS_QUEUED] = "queued",
  [VP_JOB_STATUS_PROCESSING] = "processing",
  [VP_JOB_STATUS_COMPLETED] = "completed",
  [VP_JOB_STATUS_FAILED] = "failed",
};

const char *
vp_job_status_to_string (VpJobStatus status)
{
  if ((guint) status >= G_N_ELEMENTS (status_names))
    return status_names[VP_JOB_STATUS_UNKNOWN];

  return status_names[status];
}

VpJobStatus
vp_job_status_from_string (const char *string)
{
  if (string == NULL)
    return VP_JOB_STATUS_UNKNOWN;

  for (guint i = VP_JOB_STATUS_UNKNOWN + 1; i < G_N_ELEMENTS (status_names); i++)
    if (g_str_equal (string, status_names[i]))
      return i;

  return VP_JOB_STATUS_UNKNOWN;
}

static void
vp_job_finalize (GObject *object)
{
  VpJob *self = (VpJob *)object;

  _vp_job_fields_clear (&self->fields);
  g_clear_pointer (&self->problems, g_strfreev);
  g_clear_pointer (&self->json, json_object_unref);

  G_OBJECT_CLASS (vp_job_parent_class)->finalize (object);
}

static void
vp_job_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  VpJob *self = VP_JOB (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->fields.id);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->fields.status);
      break;

    case PROP_TYPE_NAME:
      g_value_set_string (value, self->fields.type_name);
      break;

    case PROP_MODEL:
      g_value_set_string (value, self->fields.model);
      break;

    case PROP_DURATION_SECONDS:
      g_value_set_double (value, self->fields.duration_seconds);
      break;

    case PROP_COST_CENTS:
      g_value_set_int64 (value, self->fields.cost_cents);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->fields.created_at);
      break;

    case PROP_COMPLETED_AT:
      g_value_set_boxed (value, self->fields.completed_at);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->fields.error);
      break;

    case PROP_RESULT_URL:
      g_value_set_string (value, self->fields.result_url);
      break;

    case PROP_WARNINGS:
      g_value_set_boxed (value, self->fields.warnings);
      break;

    case PROP_PROBLEMS:
      g_value_set_boxed (value, self->problems);
      break;

    case PROP_JSON:
      g_value_set_boxed (value, vp_job_get_json (self));
      break;

    case PROP_IS_FINISHED:
      g_value_set_boolean (value, vp_job_is_finished (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_job_class_init (VpJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vp_job_finalize;
  object_class->get_property = vp_job_get_property;

  properties [PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, flags);

  properties [PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       VP_TYPE_JOB_STATUS, VP_JOB_STATUS_UNKNOWN, flags);

  /* The job's "type", e.g. "transcribe" */
  properties [PROP_TYPE_NAME] =
    g_param_spec_string ("type-name", NULL, NULL, NULL, flags);

  properties [PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, NULL, flags);

  /* -1 when not given */
  properties [PROP_DURATION_SECONDS] =
    g_param_spec_double ("duration-seconds", NULL, NULL,
                         -1.0, G_MAXDOUBLE, -1.0, flags);

  /* -1 when not given */
  properties [PROP_COST_CENTS] =
    g_param_spec_int64 ("cost-cents", NULL, NULL,
                        -1, G_MAXINT64, -1, flags);

  properties [PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, flags);

  properties [PROP_COMPLETED_AT] =
    g_param_spec_boxed ("completed-at", NULL, NULL, G_TYPE_DATE_TIME, flags);

  properties [PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL, flags);

  properties [PROP_RESULT_URL] =
    g_param_spec_string ("result-url", NULL, NULL, NULL, flags);

  properties [PROP_WARNINGS] =
    g_param_spec_boxed ("warnings", NULL, NULL, G_TYPE_STRV, flags);

  properties [PROP_PROBLEMS] =
    g_param_spec_boxed ("problems", NULL, NULL, G_TYPE_STRV, flags);

  properties [PROP_JSON] =
    g_param_spec_boxed ("json", NULL, NULL, JSON_TYPE_OBJECT, flags);

  properties [PROP_IS_FINISHED] =
    g_param_spec_boolean ("is-finished", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vp_job_init (VpJob *self)
{
  const VpJobFields init = VP_JOB_FIELDS_INIT;

  self->fields = init;
}

/* "error": "…", or {"message": "…", …} as many APIs send it */
static char *
get_error_message (JsonObject *object,
                   GPtrArray  *problems)
{
  JsonNode *node;
  JsonObject *error;

  g_assert (object != NULL);

  node = json_object_get_member (object, "error");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      error = json_node_get_object (node);
      if (json_object_has_member (error, "message"))
        return vp_json_get_string (error, "error", "message", problems);
    }

  /* A string, or a note saying what came instead */
  return vp_json_get_string (object, NULL, "error", problems);
}

static VpJob *
new_from_json (JsonNode    *node,
               gboolean     compact,
               const char  *text,
               gsize        length,
               GError     **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(VpJob) self = NULL;
  g_autofree char *status = NULL;
  JsonObject *object;
  JsonNode *id;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                           _("A job in the server’s answer is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);
  id = json_object_get_member (object, "id");

  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) ||
      json_node_get_value_type (id) != G_TYPE_STRING)
    {
      g_set_error_literal (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                           _("A job in the server’s answer has no id"));
      return NULL;
    }

  if (json_node_get_string (id)[0] == '\0')
    {
      g_set_error_literal (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                           _("A job in the server’s answer has an empty id"));
      return NULL;
    }

  problems = vp_json_problems_new ();
  self = g_object_new (VP_TYPE_JOB, NULL);
  if (compact && text != NULL)
    self->fields.json_text = g_strndup (text, length);
  else if (compact)
    self->fields.json_text = json_to_string (node, FALSE);
  else
    self->json = json_object_ref (object);
  self->fields.id = g_strdup (json_node_get_string (id));

  if ((status = vp_json_get_string (object, NULL, "status", problems)))
    {
      self->fields.status = vp_job_status_from_string (status);
      if (self->fields.status == VP_JOB_STATUS_UNKNOWN)
        {
          g_autofree char *excerpt = vp_json_excerpt (status);

          vp_json_add_problem (problems, "status: unknown status %s", excerpt);
        }
    }

  self->fields.type_name = vp_json_get_string (object, NULL, "type", problems);
  self->fields.model = vp_json_get_string (object, NULL, "model", problems);

  if (vp_json_get_double (object, NULL, "duration_seconds", &self->fields.duration_seconds, problems) &&
      self->fields.duration_seconds < 0)
    {
      vp_json_add_problem (problems, "duration_seconds: negative");
      self->fields.duration_seconds = -1.0;
    }

  if (vp_json_get_int64 (object, NULL, "cost_cents", &self->fields.cost_cents, problems) &&
      self->fields.cost_cents < 0)
    {
      vp_json_add_problem (problems, "cost_cents: negative");
      self->fields.cost_cents = -1;
    }

  self->fields.created_at = vp_json_get_date_time (object, NULL, "created_at", problems);
  self->fields.completed_at = vp_json_get_date_time (object, NULL, "completed_at", problems);
  self->fields.error = get_error_message (object, problems);
  self->fields.result_url = vp_json_get_string (object, NULL, "result_url", problems);
  self->fields.warnings = vp_json_get_warnings (object, problems);
  self->problems = vp_json_problems_to_strv (problems);

  if (self->problems != NULL)
    g_debug ("Job %s: %u problem(s), first: %s",
             self->fields.id, problems->len, self->problems[0]);

  return g_steal_pointer (&self);
}

VpJob *
vp_job_new_from_json (JsonNode  *node,
                      GError   **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return new_from_json (node, FALSE, NULL, 0, error);
}

VpJob *
_vp_job_new_compact (JsonNode    *node,
                     const char  *text,
                     gsize        length,
                     GError     **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return new_from_json (node, TRUE, text, length, error);
}

void
_vp_job_fields_clear (VpJobFields *fields)
{
  const VpJobFields init = VP_JOB_FIELDS_INIT;

  g_return_if_fail (fields != NULL);

  g_free (fields->id);
  g_free (fields->type_name);
  g_free (fields->model);
  g_clear_pointer (&fields->created_at, g_date_time_unref);
  g_clear_pointer (&fields->completed_at, g_date_time_unref);
  g_free (fields->error);
  g_free (fields->result_url);
  g_strfreev (fields->warnings);
  g_free (fields->json_text);

  *fields = init;
}

VpJob *
_vp_job_new_from_fields (VpJobFields *fields)
{
  const VpJobFields init = VP_JOB_FIELDS_INIT;
  VpJob *self;

  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (fields->id != NULL && fields->id[0] != '\0', NULL);
  g_return_val_if_fail (fields->json_text != NULL, NULL);

  self = g_object_new (VP_TYPE_JOB, NULL);
  self->fields = *fields;
  *fields = init;

  return self;
}

VpJob *
_vp_job_copy (VpJob *self)
{
  VpJob *copy;

  g_return_val_if_fail (VP_IS_JOB (self), NULL);

  copy = g_object_new (VP_TYPE_JOB, NULL);
  copy->fields.id = g_strdup (self->fields.id);
  copy->fields.status = self->fields.status;
  copy->fields.type_name = g_strdup (self->fields.type_name);
  copy->fields.model = g_strdup (self->fields.model);
  copy->fields.duration_seconds = self->fields.duration_seconds;
  copy->fields.cost_cents = self->fields.cost_cents;
  copy->fields.created_at = self->fields.created_at ? g_date_time_ref (self->fields.created_at) : NULL;
  copy->fields.completed_at = self->fields.completed_at ? g_date_time_ref (self->fields.completed_at) : NULL;
  copy->fields.error = g_strdup (self->fields.error);
  copy->fields.result_url = g_strdup (self->fields.result_url);
  copy->fields.warnings = g_strdupv (self->fields.warnings);
  copy->problems = g_strdupv (self->problems);

  /* A JSON tree's reference count is not atomic: the copy gets text, and
   * parses it when asked (vp_job_get_json()) */
  if (self->fields.json_text != NULL)
    copy->fields.json_text = g_strdup (self->fields.json_text);
  else if (self->json != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), self->json);

      copy->fields.json_text = json_to_string (node, FALSE);
    }

  return copy;
}

const char *
vp_job_get_id (VpJob *self)
{
  g_return_val_if_fail (VP_IS_JOB (self), NULL);

  return self->fields.id;
}

VpJobStatus
vp_job_get_status (VpJob *self)
{
  g_return_val_if_fail (VP_IS_JOB (self), VP_JOB_STATUS_UNKNOWN);

  return self->fields.status;
}

const char *
vp_job_get_type_name (VpJob *self)
{
  g_return_val_if_fail (VP_IS_JOB (self), NULL);

  return self->fields.type_name;
}

const char *
vp_job_get_model (VpJob *self)
{
  g_return_val_if_fail (VP_IS_JOB (self), NULL);

  return self->fields.model;
}

double
vp_job_get_duration_seconds (VpJob *self)
{
  g_return_val_if_fail (VP_IS_JOB (self), -1.0);

  return self->fields.duration_seconds;
}

gint64
vp_job_get_cost_cents (VpJob *self)
{
  g_return_val_if_fail (VP_IS_JOB (self), -1);

  return self->fields.cost_cents;
}

GDateTime *
vp_job_get_created_at (VpJob *self)
{
  g_return_val_if_fail (VP_IS_JOB (self), NULL);

  return self->fields.created_at;
}

GDateTime *
vp_job_get_completed_at (VpJob *self)
{
  g_return_val_if_fail (VP_IS_JOB (self), NULL);

  return self->fields.completed_at;
}

const char *
vp_job_get_error (VpJob *self)
{
  g_return_val_if_fail (VP_IS_JOB (self), NULL);

  return self->fields.error;
}

const char *
vp_job_get_result_url (VpJob *self)
{
  g_return_val_if_fail (VP_IS_JOB (self), NULL);

  return self->fields.result_url;
}

const char * const *
vp_job_get_warnings (VpJob *self)
{
  g_return_val_if_fail (VP_IS_JOB (self), NULL);

  return (const char * const *) self->fields.warnings;
}

const char * const *
vp_job_get_problems (VpJob *self)
{
  g_return_val_if_fail (VP_IS_JOB (self), NULL);

  return (const char * const *) self->problems;
}

JsonObject *
vp_job_get_json (VpJob *self)
{
  JsonObject *parsed;

  g_return_val_if_fail (VP_IS_JOB (self), NULL);

  parsed = g_atomic_pointer_get (&self->json);
  if (parsed != NULL || self->fields.json_text == NULL)
    return parsed;

  /* First asked for: parse the text once and keep the object (the export
   * may ask from its worker thread, hence the atomic exchange). */
  {
    g_autoptr(JsonNode) node = json_from_string (self->fields.json_text, NULL);

    if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
      return NULL;

    parsed = json_object_ref (json_node_get_object (node));
    if (!g_atomic_pointer_compare_and_exchange (&self->json, NULL, parsed))
      {
        json_object_unref (parsed);
        parsed = g_atomic_pointer_get (&self->json);
      }
  }

  return parsed;
}

gboolean
vp_job_is_finished (VpJob *self)
{
  g_return_val_if_fail (VP_IS_JOB (self), FALSE);

  return self->fields.status == VP_JOB_STATUS_COMPLETED ||
         self->fields.status == VP_JOB_STATUS_FAILED;
}

static gboolean
date_time_equal (GDateTime *a,
                 GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_date_time_equal (a, b);
}

static gboolean
strv_equal (char **a,
            char **b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strv_equal ((const char * const *) a, (const char * const *) b);
}

gboolean
_vp_job_equal (VpJob *a,
               VpJob *b)
{
  g_return_val_if_fail (VP_IS_JOB (a), FALSE);
  g_return_val_if_fail (VP_IS_JOB (b), FALSE);

  return g_strcmp0 (a->fields.id, b->fields.id) == 0 &&
         a->fields.status == b->fields.status &&
         g_strcmp0 (a->fields.type_name, b->fields.type_name) == 0 &&
         g_strcmp0 (a->fields.model, b->fields.model) == 0 &&
         /* the same number, or both missing (-1); bit for bit */
         memcmp (&a->fields.duration_seconds, &b->fields.duration_seconds, sizeof (double)) == 0 &&
         a->fields.cost_cents == b->fields.cost_cents &&
         date_time_equal (a->fields.created_at, b->fields.created_at) &&
         date_time_equal (a->fields.completed_at, b->fields.completed_at) &&
         g_strcmp0 (a->fields.error, b->fields.error) == 0 &&
         g_strcmp0 (a->fields.result_url, b->fields.result_url) == 0 &&
         strv_equal (a->fields.warnings, b->fields.warnings) &&
         strv_equal (a->problems, b->problems) &&
         g_strcmp0 (a->fields.json_text, b->fields.json_text) == 0;
}

/* Moves *@from into *@to when they differ; TRUE if it did */
static gboolean
take_string (char **to,
             char **from)
{
  g_assert (to != NULL);
  g_assert (from != NULL);

  if (g_strcmp0 (*to, *from) == 0)
    return FALSE;

  g_free (*to);
  *to = g_steal_pointer (from);
  return TRUE;
}

static gboolean
take_date_time (GDateTime **to,
                GDateTime **from)
{
  g_assert (to != NULL);
  g_assert (from != NULL);

  if (date_time_equal (*to, *from))
    return FALSE;

  g_clear_pointer (to, g_date_time_unref);
  *to = g_steal_pointer (from);
  return TRUE;
}

static gboolean
take_strv (char ***to,
           char ***from)
{
  g_assert (to != NULL);
  g_assert (from != NULL);

  if (strv_equal (*to, *from))
    return FALSE;

  g_clear_pointer (to, g_strfreev);
  *to = g_steal_pointer (from);
  return TRUE;
}

static gboolean
json_equal (VpJob *a,
            VpJob *b)
{
  JsonObject *a_json, *b_json;

  g_assert (VP_IS_JOB (a));
  g_assert (VP_IS_JOB (b));

  /* The usual case, a list seen again: two texts, the same as they are.
   * Texts that differ may still say the same (spacing, or one written out
   * by json-glib): compared parsed. */
  if (a->fields.json_text != NULL && b->fields.json_text != NULL &&
      g_str_equal (a->fields.json_text, b->fields.json_text))
    return TRUE;

  a_json = vp_job_get_json (a);
  b_json = vp_job_get_json (b);

  if (a_json == b_json)
    return TRUE;

  return a_json != NULL && b_json != NULL && json_object_equal (a_json, b_json);
}

void
vp_job_update_from (VpJob *self,
                    VpJob *other)
{
  gboolean was_finished;

  g_return_if_fail (VP_IS_JOB (self));
  g_return_if_fail (VP_IS_JOB (other));
  g_return_if_fail (g_strcmp0 (self->fields.id, other->fields.id) == 0);

  if (self == other)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  was_finished = vp_job_is_finished (self);

  if (self->fields.status != other->fields.status)
    {
      self->fields.status = other->fields.status;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATUS]);
    }

  if (was_finished != vp_job_is_finished (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_IS_FINISHED]);

  /* @other keeps its fields: take copies, then move them in */
#define TAKE_STRING(field, prop)                                        \
  G_STMT_START {                                                        \
    g_autofree char *copy = g_strdup (other->field);                    \
    if (take_string (&self->field, &copy))                              \
      g_object_notify_by_pspec (G_OBJECT (self), properties [prop]);    \
  } G_STMT_END

  TAKE_STRING (fields.type_name, PROP_TYPE_NAME);
  TAKE_STRING (fields.model, PROP_MODEL);
  TAKE_STRING (fields.error, PROP_ERROR);
  TAKE_STRING (fields.result_url, PROP_RESULT_URL);

#undef TAKE_STRING

  if (self->fields.duration_seconds != other->fields.duration_seconds)
    {
      self->fields.duration_seconds = other->fields.duration_seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DURATION_SECONDS]);
    }

  if (self->fields.cost_cents != other->fields.cost_cents)
    {
      self->fields.cost_cents = other->fields.cost_cents;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COST_CENTS]);
    }

#define TAKE_DATE_TIME(field, prop)                                     \
  G_STMT_START {                                                        \
    g_autoptr(GDateTime) copy = other->field ? g_date_time_ref (other->field) : NULL; \
    if (take_date_time (&self->field, &copy))                           \
      g_object_notify_by_pspec (G_OBJECT (self), properties [prop]);    \
  } G_STMT_END

  TAKE_DATE_TIME (fields.created_at, PROP_CREATED_AT);
  TAKE_DATE_TIME (fields.completed_at, PROP_COMPLETED_AT);

#undef TAKE_DATE_TIME

#define TAKE_STRV(field, prop)                                          \
  G_STMT_START {                                                        \
    g_auto(GStrv) copy = g_strdupv (other->field);                      \
    if (take_strv (&self->field, &copy))                                \
      g_object_notify_by_pspec (G_OBJECT (self), properties [prop]);    \
  } G_STMT_END

  TAKE_STRV (fields.warnings, PROP_WARNINGS);
  TAKE_STRV (problems, PROP_PROBLEMS);

#undef TAKE_STRV

  if (!json_equal (self, other))
    {
      g_clear_pointer (&self->json, json_object_unref);
      g_clear_pointer (&self->fields.json_text, g_free);
      self->fields.json_text = g_strdup (other->fields.json_text);
      if (self->fields.json_text == NULL && other->json != NULL)
        self->json = json_object_ref (other->json);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_JSON]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

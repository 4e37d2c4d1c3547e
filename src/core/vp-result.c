/* vp-result.c: the result of a completed job (/v1/jobs/{id}/result)
 *
 * The JSON tree lives only while the result is parsed: segments and words
 * go into plain arrays whose texts share one GStringChunk, and the body
 * itself is kept as it came for lossless export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-result"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "vp-error.h"
#include "vp-json.h"
#include "vp-result.h"

struct _VpResult
{
  GObject        parent_instance;

  GBytes        *bytes;
  char          *transcript;
  double         duration_seconds;
  char          *language;

  /* Owns every segment's text and word's word */
  GStringChunk  *texts;
  VpSegment     *segments;
  guint          n_segments;
  VpWord        *words;
  guint          n_words;

  VpAnalysis    *analysis;
  char         **warnings;
  char         **problems;
};

enum {
  PROP_0,
  PROP_TRANSCRIPT,
  PROP_DURATION_SECONDS,
  PROP_LANGUAGE,
  PROP_ANALYSIS,
  PROP_IS_LITE,
  PROP_N_SEGMENTS,
  PROP_N_WORDS,
  PROP_WARNINGS,
  PROP_PROBLEMS,
  PROP_BYTES,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (VpResult, vp_result, G_TYPE_OBJECT)

static GParamSpec *properties [N_PROPS];

static void
vp_result_dispose (GObject *object)
{
  VpResult *self = (VpResult *)object;

  g_clear_object (&self->analysis);

  G_OBJECT_CLASS (vp_result_parent_class)->dispose (object);
}

static void
vp_result_finalize (GObject *object)
{
  VpResult *self = (VpResult *)object;

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->transcript, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->segments, g_free);
  g_clear_pointer (&self->words, g_free);
  g_clear_pointer (&self->texts, g_string_chunk_free);
  g_clear_pointer (&self->warnings, g_strfreev);
  g_clear_pointer (&self->problems, g_strfreev);

  G_OBJECT_CLASS (vp_result_parent_class)->finalize (object);
}

static void
vp_result_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  VpResult *self = VP_RESULT (object);

  switch (prop_id)
    {
    case PROP_TRANSCRIPT:
      g_value_set_string (value, self->transcript);
      break;

    case PROP_DURATION_SECONDS:
      g_value_set_double (value, self->duration_seconds);
      break;

    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;

    case PROP_ANALYSIS:
      g_value_set_object (value, self->analysis);
      break;

    case PROP_IS_LITE:
      g_value_set_boolean (value, vp_result_is_lite (self));
      break;

    case PROP_N_SEGMENTS:
      g_value_set_uint (value, self->n_segments);
      break;

    case PROP_N_WORDS:
      g_value_set_uint (value, self->n_words);
      break;

    case PROP_WARNINGS:
      g_value_set_boxed (value, self->warnings);
      break;

    case PROP_PROBLEMS:
      g_value_set_boxed (value, self->problems);
      break;

    case PROP_BYTES:
      g_value_set_boxed (value, self->bytes);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_result_class_init (VpResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  /* A result never changes after parsing: nothing is ever notified */
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = vp_result_dispose;
  object_class->finalize = vp_result_finalize;
  object_class->get_property = vp_result_get_property;

  properties [PROP_TRANSCRIPT] =
    g_param_spec_string ("transcript", NULL, NULL, NULL, flags);

  /* -1 when not given */
  properties [PROP_DURATION_SECONDS] =
    g_param_spec_double ("duration-seconds", NULL, NULL,
                         -1.0, G_MAXDOUBLE, -1.0, flags);

  properties [PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL, flags);

  properties [PROP_ANALYSIS] =
    g_param_spec_object ("analysis", NULL, NULL, VP_TYPE_ANALYSIS, flags);

  properties [PROP_IS_LITE] =
    g_param_spec_boolean ("is-lite", NULL, NULL, FALSE, flags);

  properties [PROP_N_SEGMENTS] =
    g_param_spec_uint ("n-segments", NULL, NULL, 0, G_MAXUINT, 0, flags);

  properties [PROP_N_WORDS] =
    g_param_spec_uint ("n-words", NULL, NULL, 0, G_MAXUINT, 0, flags);

  properties [PROP_WARNINGS] =
    g_param_spec_boxed ("warnings", NULL, NULL, G_TYPE_STRV, flags);

  properties [PROP_PROBLEMS] =
    g_param_spec_boxed ("problems", NULL, NULL, G_TYPE_STRV, flags);

  properties [PROP_BYTES] =
    g_param_spec_boxed ("bytes", NULL, NULL, G_TYPE_BYTES, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vp_result_init (VpResult *self)
{
  self->duration_seconds = -1.0;
}

/* The entry's number, with no notes: a bad entry is noted once per array */
static gboolean
entry_get_number (JsonObject *entry,
                  const char *member,
                  double     *value)
{
  JsonNode *node;

  g_assert (entry != NULL);
  g_assert (member != NULL);
  g_assert (value != NULL);

  node = json_object_get_member (entry, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *value = json_node_get_int (node);
      return TRUE;

    case G_TYPE_DOUBLE:
      *value = json_node_get_double (node);
      return isfinite (*value);

    default:
      return FALSE;
    }
}

static const char *
entry_get_string (JsonObject *entry,
                  const char *member)
{
  JsonNode *node;

  g_assert (entry != NULL);
  g_assert (member != NULL);

  node = json_object_get_member (entry, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* Reads "segments" (into VpSegment) or "words" (into VpWord): start, end
 * and the text of each entry */
static gpointer
read_timed_texts (VpResult   *self,
                  JsonObject *object,
                  gboolean    words,
                  guint      *n_read,
                  GPtrArray  *problems)
{
  const char *member = words ? "words" : "segments";
  const char *text_member = words ? "word" : "text";
  g_autoptr(GArray) array = NULL;
  JsonArray *entries;
  guint n_skipped = 0;
  guint length;

  g_assert (VP_IS_RESULT (self));
  g_assert (object != NULL);
  g_assert (n_read != NULL);

  *n_read = 0;

  if (!(entries = vp_json_get_array (object, NULL, member, problems)))
    return NULL;

  length = json_array_get_length (entries);
  if (length == 0)
    return NULL;

  array = g_array_sized_new (FALSE, FALSE,
                             words ? sizeof (VpWord) : sizeof (VpSegment),
                             length);

  if (self->texts == NULL)
    self->texts = g_string_chunk_new (64 * 1024);

  for (guint i = 0; i < length; i++)
    {
      JsonNode *node = json_array_get_element (entries, i);
      JsonObject *entry;
      const char *text;
      double start;
      double end;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          n_skipped++;
          continue;
        }

      entry = json_node_get_object (node);

      if (!entry_get_number (entry, "start", &start) ||
          !entry_get_number (entry, "end", &end) ||
          !(text = entry_get_string (entry, text_member)))
        {
          n_skipped++;
          continue;
        }

      if (words)
        {
          VpWord word = { start, end, g_string_chunk_insert (self->texts, text) };

          g_array_append_val (array, word);
        }
      else
        {
          VpSegment segment = { start, end, g_string_chunk_insert (self->texts, text) };

          g_array_append_val (array, segment);
        }
    }

  if (n_skipped > 0)
    vp_json_add_problem (problems,
                         "%s: skipped %u of %u entries without a numeric start and end and a string %s",
                         member, n_skipped, length, text_member);

  *n_read = array->len;
  if (array->len == 0)
    return NULL;

  return g_array_steal (array, NULL);
}

VpResult *
vp_result_new_from_bytes (GBytes  *body,
                          GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(VpResult) self = NULL;
  JsonObject *object;
  JsonNode *analysis;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(root = vp_json_parse_bytes (body, error)))
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                           _("The result sent by the server is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (root);
  problems = vp_json_problems_new ();
  self = g_object_new (VP_TYPE_RESULT, NULL);
  self->bytes = g_bytes_ref (body);

  self->transcript = vp_json_get_string (object, NULL, "transcript", problems);

  if (vp_json_get_double (object, NULL, "duration_seconds", &self->duration_seconds, problems) &&
      self->duration_seconds < 0)
    {
      vp_json_add_problem (problems, "duration_seconds: negative");
      self->duration_seconds = -1.0;
    }

  self->language = vp_json_get_string (object, NULL, "language", problems);
  self->segments = read_timed_texts (self, object, FALSE,
                                     &self->n_segments, problems);
  self->words = read_timed_texts (self, object, TRUE,
                                  &self->n_words, problems);

  analysis = json_object_get_member (object, "ai_analysis");
  if (analysis != NULL && !JSON_NODE_HOLDS_NULL (analysis))
    {
      if (JSON_NODE_HOLDS_OBJECT (analysis))
        self->analysis = vp_analysis_new_from_json (analysis, problems, NULL);
      else
        vp_json_add_problem (problems, "ai_analysis: expected an object, got %s",
                             vp_json_describe_node (analysis));
    }

  self->warnings = vp_json_get_warnings (object, problems);
  self->problems = vp_json_problems_to_strv (problems);

  if (self->problems != NULL)
    g_debug ("Result: %u problem(s), first: %s", problems->len, self->problems[0]);

  return g_steal_pointer (&self);
}

const char *
vp_result_get_transcript (VpResult *self)
{
  g_return_val_if_fail (VP_IS_RESULT (self), NULL);

  return self->transcript;
}

double
vp_result_get_duration_seconds (VpResult *self)
{
  g_return_val_if_fail (VP_IS_RESULT (self), -1.0);

  return self->duration_seconds;
}

const char *
vp_result_get_language (VpResult *self)
{
  g_return_val_if_fail (VP_IS_RESULT (self), NULL);

  return self->language;
}

const VpSegment *
vp_result_get_segments (VpResult *self,
                        guint    *n_segments)
{
  g_return_val_if_fail (VP_IS_RESULT (self), NULL);

  if (n_segments != NULL)
    *n_segments = self->n_segments;

  return self->segments;
}

const VpWord *
vp_result_get_words (VpResult *self,
                     guint    *n_words)
{
  g_return_val_if_fail (VP_IS_RESULT (self), NULL);

  if (n_words != NULL)
    *n_words = self->n_words;

  return self->words;
}

VpAnalysis *
vp_result_get_analysis (VpResult *self)
{
  g_return_val_if_fail (VP_IS_RESULT (self), NULL);

  return self->analysis;
}

gboolean
vp_result_is_lite (VpResult *self)
{
  g_return_val_if_fail (VP_IS_RESULT (self), FALSE);

  return self->analysis != NULL && vp_analysis_is_lite (self->analysis);
}

const char * const *
vp_result_get_warnings (VpResult *self)
{
  g_return_val_if_fail (VP_IS_RESULT (self), NULL);

  return (const char * const *) self->warnings;
}

const char * const *
vp_result_get_problems (VpResult *self)
{
  g_return_val_if_fail (VP_IS_RESULT (self), NULL);

  return (const char * const *) self->problems;
}

GBytes *
vp_result_get_bytes (VpResult *self)
{
  g_return_val_if_fail (VP_IS_RESULT (self), NULL);

  return self->bytes;
}

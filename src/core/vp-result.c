/* vp-result.c: the result of a completed job (/v1/jobs/{id}/result)
 *
 * The JSON tree lives only while the result is parsed: segments and words
 * go into plain arrays whose texts share one GStringChunk, and the body
 * itself is kept as it came for lossless export.
 *
 * A fast path: "words" and "segments" are most of a long call's bytes and
 * json-glib would build a node for every start, end and word.  A small
 * scanner finds the two arrays at the top level and reads them straight
 * into the plain arrays when they hold only flat objects of strings,
 * numbers, booleans and nulls in strict JSON; json-glib then parses the
 * rest with the two arrays cut out.  Whenever anything is unusual (an
 * escape it does not know, invalid UTF-8, a nested value, a duplicate
 * member, the rest not parsing) the whole body goes the ordinary way, so
 * the result and its notes are the same either way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-result"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "vp-error.h"
#include "vp-json.h"
#include "vp-result.h"
#include "vp-result-private.h"

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

/* The fast path */

typedef struct {
  const char *p;
  const char *end;
} Scan;

static inline void
scan_ws (Scan *scan)
{
  while (scan->p < scan->end &&
         (*scan->p == ' ' || *scan->p == '\n' || *scan->p == '\r' || *scan->p == '\t'))
    scan->p++;
}

static inline gboolean
scan_char (Scan *scan,
           char  c)
{
  scan_ws (scan);
  if (scan->p < scan->end && *scan->p == c)
    {
      scan->p++;
      return TRUE;
    }
  return FALSE;
}

/* A string at scan->p ('"'): its raw bytes between the quotes.  Only
 * strings without escapes or control characters; @has_escape says whether
 * a backslash was seen (then the raw bytes are not the text). */
static gboolean
scan_string (Scan        *scan,
             const char **start,
             gsize       *len,
             gboolean    *has_escape)
{
  const char *p;

  if (scan->p >= scan->end || *scan->p != '"')
    return FALSE;

  *has_escape = FALSE;
  p = ++scan->p;
  while (p < scan->end && *p != '"')
    {
      if ((guchar) *p < 0x20)
        return FALSE;
      if (*p == '\\')
        {
          *has_escape = TRUE;
          if (++p >= scan->end)
            return FALSE;
        }
      p++;
    }
  if (p >= scan->end)
    return FALSE;

  *start = scan->p;
  *len = p - scan->p;
  scan->p = p + 1;

  return TRUE;
}

/* Decodes the escapes of a string's raw bytes into @out; FALSE for
 * anything but the plain escapes and \u of a character other than NUL
 * (surrogates included: those go the ordinary way) */
static gboolean
decode_escapes (const char *raw,
                gsize       len,
                GString    *out)
{
  g_string_truncate (out, 0);

  for (gsize i = 0; i < len; i++)
    {
      char c = raw[i];

      if (c != '\\')
        {
          g_string_append_c (out, c);
          continue;
        }

      c = raw[++i];
      switch (c)
        {
        case '"': case '\\': case '/':
          g_string_append_c (out, c);
          break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar u = 0;

            if (i + 4 >= len)
              return FALSE;
            for (guint k = 1; k <= 4; k++)
              {
                int d = g_ascii_xdigit_value (raw[i + k]);

                if (d < 0)
                  return FALSE;
                u = u * 16 + d;
              }
            if (u == 0 || (u >= 0xD800 && u <= 0xDFFF))
              return FALSE;
            g_string_append_unichar (out, u);
            i += 4;
          }
          break;
        default:
          return FALSE;
        }
    }

  return TRUE;
}

typedef enum {
  SCALAR_OTHER,
  SCALAR_NUMBER,
  SCALAR_STRING,
} ScalarKind;

/* A number in strict JSON syntax, read as json-glib reads it: an integer
 * (as a 64-bit integer, then a double) or a double */
static gboolean
scan_number (Scan   *scan,
             double *value)
{
  const char *start = scan->p;
  const char *p = scan->p;
  gboolean is_int = TRUE;
  char buf[64];

  if (p < scan->end && *p == '-')
    p++;
  if (p >= scan->end || !g_ascii_isdigit (*p))
    return FALSE;
  if (*p == '0')
    p++;
  else
    while (p < scan->end && g_ascii_isdigit (*p))
      p++;
  if (p < scan->end && *p == '.')
    {
      is_int = FALSE;
      p++;
      if (p >= scan->end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < scan->end && g_ascii_isdigit (*p))
        p++;
    }
  if (p < scan->end && (*p == 'e' || *p == 'E'))
    {
      is_int = FALSE;
      p++;
      if (p < scan->end && (*p == '+' || *p == '-'))
        p++;
      if (p >= scan->end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < scan->end && g_ascii_isdigit (*p))
        p++;
    }

  /* Long integers: json-glib's own overflow rules apply */
  if ((gsize) (p - start) >= sizeof buf || (is_int && p - start > 15))
    return FALSE;

  memcpy (buf, start, p - start);
  buf[p - start] = '\0';
  if (is_int)
    *value = (double) g_ascii_strtoll (buf, NULL, 10);
  else
    *value = g_ascii_strtod (buf, NULL);
  scan->p = p;

  return TRUE;
}

/* A flat value: a string, a number, true, false or null */
static gboolean
scan_scalar (Scan        *scan,
             ScalarKind  *kind,
             double      *number,
             const char **text,
             gsize       *text_len,
             gboolean    *has_escape)
{
  scan_ws (scan);
  if (scan->p >= scan->end)
    return FALSE;

  switch (*scan->p)
    {
    case '"':
      *kind = SCALAR_STRING;
      return scan_string (scan, text, text_len, has_escape);

    case 't':
    case 'f':
    case 'n':
      {
        static const char * const words[] = { "true", "false", "null" };

        *kind = SCALAR_OTHER;
        for (guint i = 0; i < G_N_ELEMENTS (words); i++)
          {
            gsize n = strlen (words[i]);

            if ((gsize) (scan->end - scan->p) >= n && memcmp (scan->p, words[i], n) == 0)
              {
                scan->p += n;
                return TRUE;
              }
          }
        return FALSE;
      }

    default:
      *kind = SCALAR_NUMBER;
      return scan_number (scan, number);
    }
}

/* Reads an array of flat objects as read_timed_texts() does from the tree.
 * FALSE: not for the fast path. */
static gboolean
fast_timed_texts (VpResult   *self,
                  const char *data,
                  gsize       length,
                  gboolean    words,
                  gpointer   *entries_out,
                  guint      *n_read,
                  guint      *n_skipped,
                  guint      *n_total)
{
  const char *text_member = words ? "word" : "text";
  g_autoptr(GArray) array = NULL;
  g_autoptr(GString) decoded = NULL;
  Scan scan = { data, data + length };

  g_assert (VP_IS_RESULT (self));

  *entries_out = NULL;
  *n_read = *n_skipped = *n_total = 0;

  if (!g_utf8_validate_len (data, length, NULL))
    return FALSE;

  if (!scan_char (&scan, '['))
    return FALSE;

  array = g_array_new (FALSE, FALSE, sizeof (VpWord));
  decoded = g_string_new (NULL);

  if (!scan_char (&scan, ']'))
    for (;;)
      {
        gboolean has_start = FALSE, has_end = FALSE;
        double start = 0, end = 0;
        const char *text = NULL;
        gsize text_len = 0;
        gboolean text_escaped = FALSE;

        if (!scan_char (&scan, '{'))
          return FALSE;

        (*n_total)++;

        if (!scan_char (&scan, '}'))
          for (;;)
            {
              const char *key;
              gsize key_len;
              gboolean escaped;
              ScalarKind kind;
              double number = 0;
              const char *str = NULL;
              gsize str_len = 0;
              gboolean str_escaped = FALSE;

              scan_ws (&scan);
              if (!scan_string (&scan, &key, &key_len, &escaped) || escaped)
                return FALSE;
              if (!scan_char (&scan, ':'))
                return FALSE;
              if (!scan_scalar (&scan, &kind, &number, &str, &str_len, &str_escaped))
                return FALSE;

              /* the last of duplicate members wins, as in json-glib */
              if (key_len == 5 && memcmp (key, "start", 5) == 0)
                {
                  has_start = kind == SCALAR_NUMBER && isfinite (number);
                  start = number;
                }
              else if (key_len == 3 && memcmp (key, "end", 3) == 0)
                {
                  has_end = kind == SCALAR_NUMBER && isfinite (number);
                  end = number;
                }
              else if (key_len == strlen (text_member) && memcmp (key, text_member, key_len) == 0)
                {
                  if (kind == SCALAR_STRING)
                    {
                      text = str;
                      text_len = str_len;
                      text_escaped = str_escaped;
                    }
                  else
                    text = NULL;
                }

              if (scan_char (&scan, ','))
                continue;
              if (scan_char (&scan, '}'))
                break;
              return FALSE;
            }

        if (text != NULL && text_escaped)
          {
            if (!decode_escapes (text, text_len, decoded))
              return FALSE;
          }

        if (!has_start || !has_end || text == NULL)
          (*n_skipped)++;
        else
          {
            VpWord entry = { start, end, NULL };

            if (self->texts == NULL)
              self->texts = g_string_chunk_new (64 * 1024);
            if (text_escaped)
              entry.word = g_string_chunk_insert_len (self->texts, decoded->str, decoded->len);
            else
              entry.word = g_string_chunk_insert_len (self->texts, text, text_len);
            g_array_append_val (array, entry);
          }

        if (scan_char (&scan, ','))
          continue;
        if (scan_char (&scan, ']'))
          break;
        return FALSE;
      }

  scan_ws (&scan);
  if (scan.p != scan.end)
    return FALSE;

  *n_read = array->len;
  if (array->len > 0)
    *entries_out = g_array_steal (array, NULL);

  return TRUE;
}

/* Skips any value, strings and all, for finding the top-level members;
 * the value's syntax is json-glib's to judge */
static gboolean
skip_value (Scan *scan)
{
  const char *s;
  gsize len;
  gboolean escaped;
  guint depth = 0;

  scan_ws (scan);
  if (scan->p >= scan->end)
    return FALSE;

  if (*scan->p == '"')
    return scan_string (scan, &s, &len, &escaped);

  if (*scan->p != '[' && *scan->p != '{')
    {
      while (scan->p < scan->end && strchr (",}] \n\r\t", *scan->p) == NULL)
        scan->p++;
      return TRUE;
    }

  do
    {
      if (scan->p >= scan->end)
        return FALSE;

      switch (*scan->p)
        {
        case '"':
          if (!scan_string (scan, &s, &len, &escaped))
            return FALSE;
          break;
        case '[': case '{':
          if (++depth > VP_JSON_MAX_DEPTH)
            return FALSE;
          scan->p++;
          break;
        case ']': case '}':
          depth--;
          scan->p++;
          break;
        default:
          scan->p++;
          break;
        }
    }
  while (depth > 0);

  return TRUE;
}

/* Byte ranges of the top-level "segments" and "words" values; FALSE when
 * the body is not a plain object or has either twice */
static gboolean
find_timed_members (const char *data,
                    gsize       length,
                    gsize       ranges[2][2])
{
  static const char * const names[2] = { "segments", "words" };
  Scan scan = { data, data + length };
  gboolean found[2] = { FALSE, FALSE };

  if (!scan_char (&scan, '{'))
    return FALSE;
  if (scan_char (&scan, '}'))
    return FALSE;

  for (;;)
    {
      const char *key;
      gsize key_len;
      gboolean escaped;
      const char *value;

      scan_ws (&scan);
      if (!scan_string (&scan, &key, &key_len, &escaped) || escaped)
        return FALSE;
      if (!scan_char (&scan, ':'))
        return FALSE;
      scan_ws (&scan);
      value = scan.p;
      if (!skip_value (&scan))
        return FALSE;

      for (guint i = 0; i < 2; i++)
        if (key_len == strlen (names[i]) && memcmp (key, names[i], key_len) == 0)
          {
            if (found[i])
              return FALSE;
            found[i] = TRUE;
            ranges[i][0] = value - data;
            ranges[i][1] = scan.p - data;
          }

      if (scan_char (&scan, ','))
        continue;
      if (scan_char (&scan, '}'))
        break;
      return FALSE;
    }

  return found[0] || found[1];
}

static VpResult *
new_from_bytes (GBytes    *body,
                gboolean   allow_fast,
                GError   **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(VpResult) self = NULL;
  JsonObject *object;
  JsonNode *analysis;
  /* The fast path: [0] segments, [1] words */
  gsize ranges[2][2] = { { 0, 0 }, { 0, 0 } };
  gpointer fast_entries[2] = { NULL, NULL };
  guint fast_counts[2][3] = { { 0 } };
  gboolean fast[2] = { FALSE, FALSE };
  const char *data;
  gsize length;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (VP_TYPE_RESULT, NULL);
  data = g_bytes_get_data (body, &length);

  if (allow_fast && length > 0 && find_timed_members (data, length, ranges))
    {
      g_autoptr(GString) rest = NULL;
      gsize pos = 0;
      guint order[2];

      for (guint i = 0; i < 2; i++)
        if (ranges[i][1] > ranges[i][0] && data[ranges[i][0]] == '[')
          {
            fast[i] = fast_timed_texts (self, data + ranges[i][0], ranges[i][1] - ranges[i][0],
                                        i == 1, &fast_entries[i], &fast_counts[i][0],
                                        &fast_counts[i][1], &fast_counts[i][2]);
            if (!fast[i])
              break;
          }

      if ((fast[0] || fast[1]) &&
          !((ranges[0][1] > ranges[0][0] && data[ranges[0][0]] == '[' && !fast[0]) ||
            (ranges[1][1] > ranges[1][0] && data[ranges[1][0]] == '[' && !fast[1])))
        {
          /* The rest, with the arrays read cut down to [] */
          order[0] = ranges[0][0] <= ranges[1][0] ? 0 : 1;
          order[1] = 1 - order[0];
          rest = g_string_sized_new (length);
          for (guint k = 0; k < 2; k++)
            {
              guint i = order[k];

              if (!fast[i])
                continue;
              g_string_append_len (rest, data + pos, ranges[i][0] - pos);
              g_string_append (rest, "[]");
              pos = ranges[i][1];
            }
          g_string_append_len (rest, data + pos, length - pos);
          root = vp_json_parse_data (rest->str, rest->len, NULL);
        }

      if (root == NULL)
        {
          /* The ordinary way after all */
          for (guint i = 0; i < 2; i++)
            {
              g_clear_pointer (&fast_entries[i], g_free);
              fast[i] = FALSE;
            }
          g_clear_pointer (&self->texts, g_string_chunk_free);
        }
    }

  if (root == NULL && !(root = vp_json_parse_bytes (body, error)))
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                           _("The result sent by the server is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (root);
  problems = vp_json_problems_new ();
  self->bytes = g_bytes_ref (body);

  self->transcript = vp_json_get_string (object, NULL, "transcript", problems);

  if (vp_json_get_double (object, NULL, "duration_seconds", &self->duration_seconds, problems) &&
      self->duration_seconds < 0)
    {
      vp_json_add_problem (problems, "duration_seconds: negative");
      self->duration_seconds = -1.0;
    }

  self->language = vp_json_get_string (object, NULL, "language", problems);
  for (guint i = 0; i < 2; i++)
    {
      gpointer entries;
      guint n_read;

      if (fast[i])
        {
          const char *member = i == 1 ? "words" : "segments";

          entries = g_steal_pointer (&fast_entries[i]);
          n_read = fast_counts[i][0];
          if (fast_counts[i][1] > 0)
            vp_json_add_problem (problems,
                                 "%s: skipped %u of %u entries without a numeric start and end and a string %s",
                                 member, fast_counts[i][1], fast_counts[i][2], i == 1 ? "word" : "text");
        }
      else
        entries = read_timed_texts (self, object, i == 1, &n_read, problems);

      if (i == 1)
        {
          self->words = entries;
          self->n_words = n_read;
        }
      else
        {
          self->segments = entries;
          self->n_segments = n_read;
        }
    }

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

VpResult *
vp_result_new_from_bytes (GBytes  *body,
                          GError **error)
{
  return new_from_bytes (body, TRUE, error);
}

/* Only json-glib, for the differential fuzzer: the fast path must give
 * exactly what this gives. */
VpResult *
_vp_result_new_from_bytes_slow (GBytes  *body,
                                GError **error)
{
  return new_from_bytes (body, FALSE, error);
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

/* vp-json.c: tolerant reading of the API's JSON (private to the core)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-json"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "vp-error.h"
#include "vp-json.h"

/* Longest excerpt of server data quoted in a note, in bytes */
#define EXCERPT_MAX 40
/* Longer strings cannot be a timestamp or an amount */
#define SHORT_TEXT_MAX 64
/* Longest json-glib error message passed on */
#define ERROR_MESSAGE_MAX 200

static char *
truncate_utf8 (const char *text,
               gsize       max_bytes,
               gboolean   *truncated)
{
  gsize len = 0;

  g_assert (text != NULL);

  while (len < max_bytes && text[len] != '\0')
    len++;

  *truncated = text[len] != '\0';

  /* Do not cut a character in half */
  if (*truncated)
    while (len > 0 && ((guchar) text[len] & 0xC0) == 0x80)
      len--;

  return g_utf8_make_valid (text, len);
}

static gboolean
check_nesting (const char  *data,
               gsize        length,
               GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  g_assert (data != NULL || length == 0);

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        {
          in_string = TRUE;
        }
      else if (c == '[' || c == '{')
        {
          if (++depth > VP_JSON_MAX_DEPTH)
            {
              g_set_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                           _("The server’s answer is nested more than %u levels deep"),
                           VP_JSON_MAX_DEPTH);
              return FALSE;
            }
        }
      else if (c == ']' || c == '}')
        {
          if (depth > 0)
            depth--;
        }
    }

  return TRUE;
}

static JsonNode *
parse_data (const char  *data,
            gsize        length,
            gboolean     immutable,
            gboolean     depth_checked,
            GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_assert (data != NULL || length == 0);

  if (length > G_MAXSSIZE)
    {
      g_set_error_literal (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                           _("The server’s answer is too large"));
      return NULL;
    }

  if (!depth_checked && !check_nesting (data, length, error))
    return NULL;

  parser = immutable ? json_parser_new_immutable () : json_parser_new ();

  if (length > 0 &&
      !json_parser_load_from_data (parser, data, length, &local_error))
    {
      gboolean truncated;
      g_autofree char *message = truncate_utf8 (local_error->message,
                                                ERROR_MESSAGE_MAX, &truncated);

      g_set_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                   _("The server’s answer is not valid JSON: %s%s"),
                   message, truncated ? "…" : "");
      return NULL;
    }

  root = length > 0 ? json_parser_get_root (parser) : NULL;
  if (root == NULL)
    {
      g_set_error_literal (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                           _("The server’s answer is empty"));
      return NULL;
    }

  return json_node_ref (root);
}

JsonNode *
vp_json_parse_data (const char  *data,
                    gsize        length,
                    GError     **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse_data (data, length, TRUE, FALSE, error);
}

JsonNode *
vp_json_parse_bytes (GBytes  *bytes,
                     GError **error)
{
  gconstpointer data;
  gsize length;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &length);

  return parse_data (data, length, TRUE, FALSE, error);
}

JsonNode *
vp_json_parse_bytes_unsealed (GBytes    *bytes,
                              gboolean   depth_checked,
                              GError   **error)
{
  gconstpointer data;
  gsize length;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &length);

  return parse_data (data, length, FALSE, depth_checked, error);
}

const char *
vp_json_describe_node (JsonNode *node)
{
  if (node == NULL)
    return "nothing";

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";

    case JSON_NODE_ARRAY:
      return "an array";

    case JSON_NODE_NULL:
      return "null";

    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";

    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      return "a number";

    case G_TYPE_BOOLEAN:
      return "a boolean";

    default:
      return "an unknown value";
    }
}

GPtrArray *
vp_json_problems_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

void
vp_json_add_problem (GPtrArray  *problems,
                     const char *format,
                     ...)
{
  va_list args;

  g_return_if_fail (format != NULL);

  if (problems == NULL || problems->len > VP_JSON_MAX_PROBLEMS)
    return;

  if (problems->len == VP_JSON_MAX_PROBLEMS)
    {
      g_ptr_array_add (problems, g_strdup ("(further problems not listed)"));
      return;
    }

  va_start (args, format);
  g_ptr_array_add (problems, g_strdup_vprintf (format, args));
  va_end (args);
}

char **
vp_json_problems_to_strv (GPtrArray *problems)
{
  char **strv;

  if (problems == NULL || problems->len == 0)
    return NULL;

  strv = g_new0 (char *, problems->len + 1);
  for (guint i = 0; i < problems->len; i++)
    strv[i] = g_strdup (g_ptr_array_index (problems, i));

  return strv;
}

char *
vp_json_excerpt (const char *text)
{
  g_autofree char *valid = NULL;
  gboolean truncated;

  if (text == NULL)
    return g_strdup ("null");

  valid = truncate_utf8 (text, EXCERPT_MAX, &truncated);

  /* Keep notes on one line */
  for (char *p = valid; *p; p++)
    if ((guchar) *p < 0x20)
      *p = ' ';

  return g_strdup_printf ("“%s%s”", valid, truncated ? "…" : "");
}

static void
note_wrong_type (GPtrArray  *problems,
                 const char *prefix,
                 const char *member,
                 const char *expected,
                 JsonNode   *node)
{
  g_assert (member != NULL);
  g_assert (expected != NULL);

  /* 1e400 reads as infinity */
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      vp_json_add_problem (problems, "%s%s%s: number out of range",
                           prefix ? prefix : "", prefix ? "." : "", member);
      return;
    }

  vp_json_add_problem (problems, "%s%s%s: expected %s, got %s",
                       prefix ? prefix : "", prefix ? "." : "", member,
                       expected, vp_json_describe_node (node));
}

/* The member's node, or NULL when absent or null */
static JsonNode *
get_value (JsonObject *object,
           const char *member)
{
  JsonNode *node;

  g_assert (object != NULL);
  g_assert (member != NULL);

  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static gboolean
node_holds (JsonNode *node,
            GType     type)
{
  g_assert (node != NULL);

  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
vp_json_has_value (JsonObject *object,
                   const char *member)
{
  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);

  return get_value (object, member) != NULL;
}

char *
vp_json_get_string (JsonObject *object,
                    const char *prefix,
                    const char *member,
                    GPtrArray  *problems)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (member != NULL, NULL);

  if (!(node = get_value (object, member)))
    return NULL;

  if (!node_holds (node, G_TYPE_STRING))
    {
      note_wrong_type (problems, prefix, member, "a string", node);
      return NULL;
    }

  return g_strdup (json_node_get_string (node));
}

/* A finite number from @node, which is not null */
static gboolean
node_get_number (JsonNode *node,
                 double   *value)
{
  g_assert (node != NULL);
  g_assert (value != NULL);

  if (node_holds (node, G_TYPE_INT64))
    {
      *value = json_node_get_int (node);
      return TRUE;
    }

  if (node_holds (node, G_TYPE_DOUBLE))
    {
      double d = json_node_get_double (node);

      if (isfinite (d))
        {
          *value = d;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
vp_json_get_double (JsonObject *object,
                    const char *prefix,
                    const char *member,
                    double     *value,
                    GPtrArray  *problems)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!(node = get_value (object, member)))
    return FALSE;

  if (!node_get_number (node, value))
    {
      note_wrong_type (problems, prefix, member, "a number", node);
      return FALSE;
    }

  return TRUE;
}

gboolean
vp_json_get_int64 (JsonObject *object,
                   const char *prefix,
                   const char *member,
                   gint64     *value,
                   GPtrArray  *problems)
{
  JsonNode *node;
  double d;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!(node = get_value (object, member)))
    return FALSE;

  if (node_holds (node, G_TYPE_INT64))
    {
      *value = json_node_get_int (node);
      return TRUE;
    }

  if (!node_get_number (node, &d))
    {
      note_wrong_type (problems, prefix, member, "a number", node);
      return FALSE;
    }

  /* 30.0 is fine; 30.5 or 1e300 is not a count */
  if (d != floor (d) || d < -9.0e18 || d > 9.0e18)
    {
      vp_json_add_problem (problems, "%s%s%s: expected a whole number",
                           prefix ? prefix : "", prefix ? "." : "", member);
      return FALSE;
    }

  *value = (gint64) d;
  return TRUE;
}

gboolean
vp_json_get_boolean (JsonObject *object,
                     const char *prefix,
                     const char *member,
                     gboolean   *value,
                     GPtrArray  *problems)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!(node = get_value (object, member)))
    return FALSE;

  if (!node_holds (node, G_TYPE_BOOLEAN))
    {
      note_wrong_type (problems, prefix, member, "true or false", node);
      return FALSE;
    }

  *value = json_node_get_boolean (node);
  return TRUE;
}

JsonObject *
vp_json_get_object (JsonObject *object,
                    const char *prefix,
                    const char *member,
                    GPtrArray  *problems)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (member != NULL, NULL);

  if (!(node = get_value (object, member)))
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      note_wrong_type (problems, prefix, member, "an object", node);
      return NULL;
    }

  return json_node_get_object (node);
}

JsonArray *
vp_json_get_array (JsonObject *object,
                   const char *prefix,
                   const char *member,
                   GPtrArray  *problems)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (member != NULL, NULL);

  if (!(node = get_value (object, member)))
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      note_wrong_type (problems, prefix, member, "an array", node);
      return NULL;
    }

  return json_node_get_array (node);
}

char **
vp_json_get_strv (JsonObject *object,
                  const char *prefix,
                  const char *member,
                  GPtrArray  *problems)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;
  guint n_skipped = 0;
  guint length;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (member != NULL, NULL);

  if (!(array = vp_json_get_array (object, prefix, member, problems)))
    return NULL;

  builder = g_strv_builder_new ();
  length = json_array_get_length (array);

  for (guint i = 0; i < length; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (node_holds (element, G_TYPE_STRING))
        g_strv_builder_add (builder, json_node_get_string (element));
      else
        n_skipped++;
    }

  if (n_skipped > 0)
    vp_json_add_problem (problems, "%s%s%s: skipped %u item(s) that were not strings",
                         prefix ? prefix : "", prefix ? "." : "", member,
                         n_skipped);

  return g_strv_builder_end (builder);
}

/* The digits text[from..from+n), as a number; -1 if any is not a digit */
static int
fixed_digits (const char *text,
              guint       from,
              guint       n)
{
  int value = 0;

  g_assert (text != NULL);

  for (guint i = from; i < from + n; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return -1;
      value = value * 10 + (text[i] - '0');
    }

  return value;
}

/* The API's own form, "2026-04-19 19:13:18" (or with a T, and a Z), read
 * by hand: a list of 100,000 jobs has 200,000 of them, and GLib's ISO 8601
 * parser took a tenth of the time of reading a page.  NULL for anything
 * else, which the general parser then reads. */
static GDateTime *
parse_api_date_time (const char *text)
{
  int year, month, day, hour, minute, second;
  gsize len;

  g_assert (text != NULL);

  len = strnlen (text, 21);
  if (!(len == 19 || (len == 20 && text[19] == 'Z')) ||
      text[4] != '-' || text[7] != '-' ||
      (text[10] != ' ' && text[10] != 'T') ||
      text[13] != ':' || text[16] != ':')
    return NULL;

  year = fixed_digits (text, 0, 4);
  month = fixed_digits (text, 5, 2);
  day = fixed_digits (text, 8, 2);
  hour = fixed_digits (text, 11, 2);
  minute = fixed_digits (text, 14, 2);
  second = fixed_digits (text, 17, 2);

  /* Out of range, e.g. a 31st of April: g_date_time_new_utc() says NULL,
   * and so would the general parser */
  if (year < 1 || month < 1 || day < 1 || hour < 0 || minute < 0 || second < 0 ||
      second > 59)
    return NULL;

  return g_date_time_new_utc (year, month, day, hour, minute, second);
}

GDateTime *
vp_json_parse_date_time (const char *text)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) date_time = NULL;
  GDateTime *fast;

  g_return_val_if_fail (text != NULL, NULL);

  if (strnlen (text, SHORT_TEXT_MAX + 1) > SHORT_TEXT_MAX)
    return NULL;

  if ((fast = parse_api_date_time (text)))
    return fast;

  /* GLib also takes the API's "2026-04-19 19:13:18"; no zone means UTC */
  utc = g_time_zone_new_utc ();
  if (!(date_time = g_date_time_new_from_iso8601 (text, utc)))
    return NULL;

  return g_date_time_to_utc (date_time);
}

GDateTime *
vp_json_get_date_time (JsonObject *object,
                       const char *prefix,
                       const char *member,
                       GPtrArray  *problems)
{
  g_autofree char *text = NULL;
  GDateTime *date_time;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (member != NULL, NULL);

  if (!(text = vp_json_get_string (object, prefix, member, problems)))
    return NULL;

  /* "" says as little as null */
  if (text[0] == '\0')
    return NULL;

  if (!(date_time = vp_json_parse_date_time (text)))
    {
      g_autofree char *excerpt = vp_json_excerpt (text);

      vp_json_add_problem (problems, "%s%s%s: %s is not a date and time",
                           prefix ? prefix : "", prefix ? "." : "", member,
                           excerpt);
    }

  return date_time;
}

/* What may surround an amount: spaces, currency symbols and codes */
static gboolean
is_money_filler (gunichar c)
{
  return g_unichar_isspace (c) ||
         (c < 0x80 && g_ascii_isalpha (c)) ||
         g_unichar_type (c) == G_UNICODE_CURRENCY_SYMBOL;
}

static gboolean
is_group_separator (gunichar c)
{
  /* 1,234.50  1 234.50  1'234.50 and the no-break and thin spaces */
  return c == ',' || c == ' ' || c == '\'' || c == 0x00A0 || c == 0x2009 || c == 0x202F;
}

gboolean
vp_json_parse_money (const char *text,
                     double     *amount)
{
  enum { PREFIX, NUMBER, SUFFIX } state = PREFIX;
  g_autoptr(GString) number = NULL;
  gboolean negative = FALSE;
  gboolean seen_digit = FALSE;
  gboolean seen_point = FALSE;
  double value;
  char *end;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (amount != NULL, FALSE);

  if (strnlen (text, SHORT_TEXT_MAX + 1) > SHORT_TEXT_MAX ||
      !g_utf8_validate (text, -1, NULL))
    return FALSE;

  number = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (state == NUMBER)
        {
          if (g_ascii_isdigit (c))
            {
              g_string_append_c (number, (char) c);
              seen_digit = TRUE;
              continue;
            }

          if (c == '.' && !seen_point)
            {
              g_string_append_c (number, '.');
              seen_point = TRUE;
              continue;
            }

          if (is_group_separator (c) && !seen_point &&
              g_ascii_isdigit (*g_utf8_next_char (p)))
            continue;

          state = SUFFIX;
        }

      if (state == PREFIX)
        {
          if (g_ascii_isdigit (c) || c == '.')
            {
              g_string_append_c (number, (char) c);
              seen_digit = g_ascii_isdigit (c);
              seen_point = c == '.';
              state = NUMBER;
              continue;
            }

          /* "-$5.00", "$-5.00", and U+2212 MINUS SIGN */
          if ((c == '-' || c == 0x2212) && !negative)
            {
              negative = TRUE;
              continue;
            }

          if (c == '+' || is_money_filler (c))
            continue;

          return FALSE;
        }

      /* SUFFIX: "USD", " per month"; a second number is not an amount */
      if (!is_money_filler (c))
        return FALSE;
    }

  if (!seen_digit)
    return FALSE;

  value = g_ascii_strtod (number->str, &end);
  if (*end != '\0' || !isfinite (value))
    return FALSE;

  *amount = negative ? -value : value;
  return TRUE;
}

gboolean
vp_json_get_money (JsonObject *object,
                   const char *prefix,
                   const char *member,
                   double     *amount,
                   GPtrArray  *problems)
{
  JsonNode *node;
  const char *text;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (amount != NULL, FALSE);

  if (!(node = get_value (object, member)))
    return FALSE;

  if (node_get_number (node, amount))
    return TRUE;

  if (!node_holds (node, G_TYPE_STRING))
    {
      note_wrong_type (problems, prefix, member, "an amount", node);
      return FALSE;
    }

  text = json_node_get_string (node);

  /* "" (or only spaces) says as little as null */
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return FALSE;

  if (!vp_json_parse_money (text, amount))
    {
      g_autofree char *excerpt = vp_json_excerpt (text);

      vp_json_add_problem (problems, "%s%s%s: cannot read %s as an amount",
                           prefix ? prefix : "", prefix ? "." : "", member,
                           excerpt);
      return FALSE;
    }

  return TRUE;
}

char **
vp_json_get_warnings (JsonObject *object,
                      GPtrArray  *problems)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonNode *node;
  JsonArray *array;
  guint n_skipped = 0;
  guint length;

  g_return_val_if_fail (object != NULL, NULL);

  if (!(node = get_value (object, "warnings")))
    return NULL;

  builder = g_strv_builder_new ();

  /* A lone warning is still a warning the user should see */
  if (node_holds (node, G_TYPE_STRING))
    {
      g_strv_builder_add (builder, json_node_get_string (node));
      return g_strv_builder_end (builder);
    }

  if (!(array = vp_json_get_array (object, NULL, "warnings", problems)))
    return NULL;

  length = json_array_get_length (array);
  for (guint i = 0; i < length; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (node_holds (element, G_TYPE_STRING))
        {
          g_strv_builder_add (builder, json_node_get_string (element));
        }
      else if (JSON_NODE_HOLDS_OBJECT (element))
        {
          JsonObject *warning = json_node_get_object (element);
          JsonNode *message = json_object_get_member (warning, "message");

          if (message != NULL && node_holds (message, G_TYPE_STRING))
            g_strv_builder_add (builder, json_node_get_string (message));
          else
            n_skipped++;
        }
      else
        {
          n_skipped++;
        }
    }

  if (n_skipped > 0)
    vp_json_add_problem (problems, "warnings: skipped %u item(s) that were not strings",
                         n_skipped);

  return g_strv_builder_end (builder);
}

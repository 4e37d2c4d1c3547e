/* vp-responses.c: the API's response bodies, read into call data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-responses"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vp-error.h"
#include "vp-job-private.h"
#include "vp-json.h"
#include "vp-page-scanner-private.h"
#include "vp-responses-private.h"

/* An error body larger than this is not read for a message. */
#define ERROR_BODY_MAX (16 * 1024)

JsonNode *
_vp_responses_parse_object (GBytes  *body,
                            GError **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (body != NULL, NULL);

  /* vp_json_parse_bytes() refuses what would hurt json-glib (nesting deep
   * enough to overflow its stack, invalid UTF-8) before parsing. */
  if (!(root = vp_json_parse_bytes (body, error)))
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                           _("The server’s answer is not a JSON object"));
      return NULL;
    }

  return g_steal_pointer (&root);
}

/* Where each job of a page starts and ends in the body, so that a job can
 * keep its text as the server sent it instead of writing the parsed tree
 * out again (which cost as much as parsing it).  The body was parsed by
 * json-glib already; this only finds ranges, and gives up (FALSE) on
 * anything it would have to think about: comments, single quotes, escaped
 * or repeated keys at the top, a NUL byte.  The caller then checks that it
 * found as many jobs as json-glib did. */
typedef struct {
  const char *p;
  const char *end;
  guint       max_depth;
} Scan;

static inline void
scan_space (Scan *scan)
{
  g_assert (scan != NULL);

  while (scan->p < scan->end &&
         (*scan->p == ' ' || *scan->p == '\n' || *scan->p == '\r' || *scan->p == '\t'))
    scan->p++;
}

/* Past a string at scan->p; *escaped set if it held a backslash */
static gboolean
scan_string (Scan     *scan,
             gboolean *escaped)
{
  g_assert (scan != NULL);
  g_assert (escaped != NULL);
  g_assert (scan->p < scan->end && *scan->p == '"');

  for (scan->p++; scan->p < scan->end; scan->p++)
    {
      if (*scan->p == '\\')
        {
          *escaped = TRUE;
          scan->p++;
        }
      else if (*scan->p == '"')
        {
          scan->p++;
          return TRUE;
        }
      else if (*scan->p == '\0')
        return FALSE;
    }

  return FALSE;
}

/* Past one value of any kind, @outer levels deep */
static gboolean
scan_value (Scan  *scan,
            guint  outer)
{
  guint depth = 0;
  gboolean escaped = FALSE;

  g_assert (scan != NULL);

  do
    {
      scan_space (scan);
      if (scan->p >= scan->end)
        return FALSE;

      switch (*scan->p)
        {
        case '"':
          if (!scan_string (scan, &escaped))
            return FALSE;
          break;

        case '{':
        case '[':
          depth++;
          scan->max_depth = MAX (scan->max_depth, outer + depth);
          scan->p++;
          break;

        case '}':
        case ']':
          if (depth == 0)
            return FALSE;
          depth--;
          scan->p++;
          break;

        case ',':
        case ':':
          if (depth == 0)
            return FALSE;
          scan->p++;
          break;

        default:
          /* numbers, true, false, null */
          if (!g_ascii_isalnum (*scan->p) && *scan->p != '-' &&
              *scan->p != '+' && *scan->p != '.')
            return FALSE;
          while (scan->p < scan->end &&
                 (g_ascii_isalnum (*scan->p) || *scan->p == '-' ||
                  *scan->p == '+' || *scan->p == '.'))
            scan->p++;
          break;
        }
    }
  while (depth > 0);

  return TRUE;
}

/* Fills @ranges with (start, end) offset pairs of the "jobs" array's
 * elements */
static gboolean
find_job_ranges (GBytes *body,
                 GArray *ranges,
                 guint  *max_depth)
{
  const char *data;
  gsize length;
  Scan scan;
  guint n_jobs_keys = 0;

  g_assert (body != NULL);
  g_assert (ranges != NULL);
  g_assert (max_depth != NULL);

  data = g_bytes_get_data (body, &length);
  if (data == NULL || memchr (data, '\0', length) != NULL)
    return FALSE;

  scan.p = data;
  scan.end = data + length;
  scan.max_depth = 2;
  scan_space (&scan);
  if (scan.p >= scan.end || *scan.p != '{')
    return FALSE;
  scan.p++;

  for (;;)
    {
      const char *key;
      gsize key_length;
      gboolean escaped = FALSE;

      scan_space (&scan);
      if (scan.p >= scan.end)
        return FALSE;
      if (*scan.p == '}')
        break;
      if (*scan.p != '"')
        return FALSE;

      key = scan.p;
      if (!scan_string (&scan, &escaped) || escaped)
        return FALSE;
      key_length = scan.p - key;
      scan_space (&scan);
      if (scan.p >= scan.end || *scan.p != ':')
        return FALSE;
      scan.p++;
      scan_space (&scan);

      if (key_length == 6 && memcmp (key, "\"jobs\"", 6) == 0)
        {
          if (++n_jobs_keys > 1 || scan.p >= scan.end || *scan.p != '[')
            return FALSE;
          scan.p++;
          scan_space (&scan);
          if (scan.p < scan.end && *scan.p == ']')
            scan.p++;
          else
            for (;;)
              {
                gsize range[2];

                scan_space (&scan);
                range[0] = scan.p - data;
                if (!scan_value (&scan, 2))
                  return FALSE;
                range[1] = scan.p - data;
                g_array_append_vals (ranges, range, 2);
                scan_space (&scan);
                if (scan.p >= scan.end)
                  return FALSE;
                if (*scan.p == ']')
                  {
                    scan.p++;
                    break;
                  }
                if (*scan.p != ',')
                  return FALSE;
                scan.p++;
              }
        }
      else if (!scan_value (&scan, 1))
        return FALSE;

      scan_space (&scan);
      if (scan.p >= scan.end)
        return FALSE;
      if (*scan.p == ',')
        scan.p++;
      else if (*scan.p != '}')
        return FALSE;
    }

  /* Nothing after the object, so that the depth found is the body's */
  scan.p++;
  scan_space (&scan);
  if (scan.p != scan.end)
    return FALSE;

  *max_depth = scan.max_depth;

  return n_jobs_keys == 1;
}

GPtrArray *
_vp_responses_parse_job_page (GBytes  *body,
                              GError **error)
{
  GPtrArray *jobs;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A page as the API writes it is read straight from its text; anything
   * else, errors and problems included, the general way */
  if ((jobs = _vp_page_scanner_read_jobs (body)))
    return jobs;

  return _vp_responses_parse_job_page_slow (body, error);
}

GPtrArray *
_vp_responses_parse_job_page_slow (GBytes  *body,
                                   GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GArray) ranges = NULL;
  const char *data;
  guint max_depth = 0;
  JsonNode *jobs_node;
  JsonArray *array;
  guint n;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Each job's own text from the body, if it can be told where it is.
   * Found before parsing, the scan also measures the nesting, which then
   * need not be measured again. */
  data = g_bytes_get_data (body, NULL);
  ranges = g_array_sized_new (FALSE, FALSE, sizeof (gsize), 256);
  if (!find_job_ranges (body, ranges, &max_depth))
    {
      g_clear_pointer (&ranges, g_array_unref);
      max_depth = 0;
    }

  if (max_depth > VP_JSON_MAX_DEPTH)
    {
      g_set_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                   _("The server’s answer is nested more than %u levels deep"),
                   VP_JSON_MAX_DEPTH);
      return NULL;
    }

  /* The tree is dropped here, each job keeping its text: not sealed */
  if (!(root = vp_json_parse_bytes_unsealed (body, ranges != NULL, error)))
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                           _("The server’s answer is not a JSON object"));
      return NULL;
    }

  jobs_node = json_object_get_member (json_node_get_object (root), "jobs");

  if (jobs_node == NULL || !JSON_NODE_HOLDS_ARRAY (jobs_node))
    {
      g_set_error_literal (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                           _("The server’s list of jobs has no “jobs” array"));
      return NULL;
    }

  array = json_node_get_array (jobs_node);
  n = json_array_get_length (array);
  jobs = g_ptr_array_new_full (n, g_object_unref);

  if (ranges != NULL && ranges->len != 2 * n)
    g_clear_pointer (&ranges, g_array_unref);

  /* A page is all or nothing: a job that cannot be identified would make
   * counting positions (and so paging) wrong. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) job_error = NULL;
      const char *text = NULL;
      gsize length = 0;
      VpJob *job;

      if (ranges != NULL)
        {
          text = data + g_array_index (ranges, gsize, 2 * i);
          length = g_array_index (ranges, gsize, 2 * i + 1) - g_array_index (ranges, gsize, 2 * i);
        }

      job = _vp_job_new_compact (json_array_get_element (array, i), text, length, &job_error);

      if (job == NULL)
        {
          g_set_error (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_RESPONSE,
                       _("Job %u of the server’s list cannot be read: %s"),
                       i + 1, job_error->message);
          return NULL;
        }

      g_ptr_array_add (jobs, job);
    }

  return g_steal_pointer (&jobs);
}

VpJob *
_vp_responses_parse_job (GBytes  *body,
                         GError **error)
{
  g_autoptr(JsonNode) root = NULL;

  if (!(root = _vp_responses_parse_object (body, error)))
    return NULL;

  return vp_job_new_from_json (root, error);
}

VpPricing *
_vp_responses_parse_pricing (GBytes  *body,
                             GError **error)
{
  g_autoptr(JsonNode) root = NULL;

  if (!(root = _vp_responses_parse_object (body, error)))
    return NULL;

  return vp_pricing_new_from_json (root, error);
}

char *
_vp_responses_error_message (GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *member;

  if (body == NULL || g_bytes_get_size (body) == 0 || g_bytes_get_size (body) > ERROR_BODY_MAX)
    return NULL;

  if (!(root = _vp_responses_parse_object (body, NULL)))
    return NULL;

  object = json_node_get_object (root);

  /* {"error": "…"}, {"error": {"message": "…"}} or {"message": "…"} */
  member = json_object_get_member (object, "error");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    member = json_object_get_member (json_node_get_object (member), "message");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    member = json_object_get_member (object, "message");

  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
      json_node_get_value_type (member) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (member));

  return NULL;
}

/* vp-responses.c: the API's response bodies, read into call data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-responses"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "vp-error.h"
#include "vp-job-private.h"
#include "vp-json.h"
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

GPtrArray *
_vp_responses_parse_job_page (GBytes  *body,
                              GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  JsonNode *jobs_node;
  JsonArray *array;
  guint n;

  if (!(root = _vp_responses_parse_object (body, error)))
    return NULL;

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

  /* A page is all or nothing: a job that cannot be identified would make
   * counting positions (and so paging) wrong. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) job_error = NULL;
      VpJob *job = _vp_job_new_compact (json_array_get_element (array, i), &job_error);

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

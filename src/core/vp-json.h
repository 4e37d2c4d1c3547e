/* vp-json.h: tolerant reading of the API's JSON (private to the core)
 *
 * Every reader here treats a member that is absent or null as "not given"
 * and a member of the wrong type as "not given" plus a short note appended
 * to @problems (a GPtrArray of strings, may be NULL).  Notes name the member
 * ("ai_analysis.customer.name: expected a string, got a number") and never
 * contain more than a short excerpt of what the server sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper bodies are refused before json-glib sees them: its parser and
 * its destructors recurse, and 100,000 nested arrays overflow the stack. */
#define VP_JSON_MAX_DEPTH    512
/* Further notes are summarised in a single line */
#define VP_JSON_MAX_PROBLEMS 64

/* Parses a response body.  Never returns NULL without setting @error
 * (VP_CLIENT_ERROR_INVALID_RESPONSE): empty bodies, invalid JSON, invalid
 * UTF-8 and nesting deeper than VP_JSON_MAX_DEPTH are errors.  The parser
 * is gone when this returns; the root node is yours. */
JsonNode    *vp_json_parse_bytes       (GBytes      *bytes,
                                        GError     **error);
JsonNode    *vp_json_parse_data        (const char  *data,
                                        gsize        length,
                                        GError     **error);
/* As vp_json_parse_bytes(), but the tree is not sealed (made immutable):
 * a tenth faster, for a tree read once and dropped, never shared.  If
 * @depth_checked, the caller has made sure the body is nested no deeper
 * than VP_JSON_MAX_DEPTH. */
JsonNode    *vp_json_parse_bytes_unsealed (GBytes    *bytes,
                                           gboolean   depth_checked,
                                           GError   **error);

/* "a string", "a number", "a boolean", "an object", "an array", "null" */
const char  *vp_json_describe_node     (JsonNode    *node);

GPtrArray   *vp_json_problems_new      (void);
void         vp_json_add_problem       (GPtrArray   *problems,
                                        const char  *format,
                                        ...) G_GNUC_PRINTF (2, 3);
/* A NULL-terminated copy of @problems, or NULL when there are none */
char       **vp_json_problems_to_strv  (GPtrArray   *problems);
/* A short, valid UTF-8 excerpt of @text for a note, quoted */
char        *vp_json_excerpt           (const char  *text);

/* TRUE when @member is present and not null */
gboolean     vp_json_has_value         (JsonObject  *object,
                                        const char  *member);

/* @prefix names the enclosing object for notes ("ai_analysis.customer"),
 * NULL at the top level. */
char        *vp_json_get_string        (JsonObject  *object,
                                        const char  *prefix,
                                        const char  *member,
                                        GPtrArray   *problems);
gboolean     vp_json_get_double        (JsonObject  *object,
                                        const char  *prefix,
                                        const char  *member,
                                        double      *value,
                                        GPtrArray   *problems);
gboolean     vp_json_get_int64         (JsonObject  *object,
                                        const char  *prefix,
                                        const char  *member,
                                        gint64      *value,
                                        GPtrArray   *problems);
gboolean     vp_json_get_boolean       (JsonObject  *object,
                                        const char  *prefix,
                                        const char  *member,
                                        gboolean    *value,
                                        GPtrArray   *problems);
/* Borrowed from @object */
JsonObject  *vp_json_get_object        (JsonObject  *object,
                                        const char  *prefix,
                                        const char  *member,
                                        GPtrArray   *problems);
JsonArray   *vp_json_get_array         (JsonObject  *object,
                                        const char  *prefix,
                                        const char  *member,
                                        GPtrArray   *problems);
/* An array of strings: NULL when not given, an empty vector for [];
 * elements that are not strings are skipped (one note per array). */
char       **vp_json_get_strv          (JsonObject  *object,
                                        const char  *prefix,
                                        const char  *member,
                                        GPtrArray   *problems);
/* "2026-04-19 19:13:18" (UTC) or ISO 8601; the result is in UTC */
GDateTime   *vp_json_get_date_time     (JsonObject  *object,
                                        const char  *prefix,
                                        const char  *member,
                                        GPtrArray   *problems);
/* A number, or a string such as "$49.99" or "1,234.50 USD" */
gboolean     vp_json_get_money         (JsonObject  *object,
                                        const char  *prefix,
                                        const char  *member,
                                        double      *amount,
                                        GPtrArray   *problems);
/* The "warnings" member: strings (or objects with a "message" string) */
char       **vp_json_get_warnings      (JsonObject  *object,
                                        GPtrArray   *problems);

GDateTime   *vp_json_parse_date_time   (const char  *text);
gboolean     vp_json_parse_money       (const char  *text,
                                        double      *amount);

G_END_DECLS

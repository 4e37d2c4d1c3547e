/* vp-job-private.h: what the core may ask of VpJob beyond its API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vp-job.h"

G_BEGIN_DECLS

/* As vp_job_new_from_json(), but the job keeps the object as JSON text
 * rather than the parsed tree: a fifth of the memory, for the pages of
 * /v1/jobs a list may hold by the hundred thousand.  vp_job_get_json()
 * parses it when first asked.  @text (@length bytes, need not end in a
 * nul), if not NULL, is @node exactly as the server sent it (a slice of the
 * page's body) and is copied; otherwise @node is written out compactly. */
VpJob *_vp_job_new_compact (JsonNode    *node,
                            const char  *text,
                            gsize        length,
                            GError     **error);

/* A job's fields, as VpJob keeps them; also what a caller fills that has
 * read a listed job, checked it as new_from_json() would and found nothing
 * to note (no problem): see the fast path of _vp_responses_parse_job_page().
 * Pointers are owned. */
typedef struct {
  char        *id;
  VpJobStatus  status;
  char        *type_name;
  char        *model;
  double       duration_seconds;
  gint64       cost_cents;
  GDateTime   *created_at;
  GDateTime   *completed_at;
  char        *error;
  char        *result_url;
  char       **warnings;
  /* the object as the server sent it */
  char        *json_text;
} VpJobFields;

#define VP_JOB_FIELDS_INIT { NULL, VP_JOB_STATUS_UNKNOWN, NULL, NULL, -1.0, -1, \
                             NULL, NULL, NULL, NULL, NULL, NULL }

/* Frees what @fields holds and resets it to VP_JOB_FIELDS_INIT */
void   _vp_job_fields_clear     (VpJobFields *fields);
/* A job of @fields (id and json_text set), which it takes: on return
 * @fields is as after _vp_job_fields_clear() */
VpJob *_vp_job_new_from_fields  (VpJobFields *fields);

/* A job with @self's fields and problems, all its own (nothing is shared
 * with @self, not even the JSON tree): for another thread */
VpJob *_vp_job_copy             (VpJob       *self);

/* Tests and fuzzers: every field, the problems and the text the same */
gboolean _vp_job_equal          (VpJob       *a,
                                 VpJob       *b);

G_END_DECLS

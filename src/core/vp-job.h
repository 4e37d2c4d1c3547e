/* vp-job.h: one transcription job, as /v1/jobs describes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * VpJobStatus:
 * @VP_JOB_STATUS_UNKNOWN: the server sent a status this client does not know
 *   (or none at all)
 *
 * queued -> processing -> completed or failed
 */
typedef enum {
  VP_JOB_STATUS_UNKNOWN,
  VP_JOB_STATUS_QUEUED,
  VP_JOB_STATUS_PROCESSING,
  VP_JOB_STATUS_COMPLETED,
  VP_JOB_STATUS_FAILED,
} VpJobStatus;

#define VP_TYPE_JOB (vp_job_get_type ())
G_DECLARE_FINAL_TYPE (VpJob, vp_job, VP, JOB, GObject)

/* Parses one job object.  Fails (VP_CLIENT_ERROR_INVALID_RESPONSE) only when
 * @node is not an object or has no string "id"; a field of the wrong type is
 * treated as absent and recorded in vp_job_get_problems(). */
VpJob              *vp_job_new_from_json        (JsonNode    *node,
                                                 GError     **error);

const char         *vp_job_get_id               (VpJob       *self);
VpJobStatus         vp_job_get_status           (VpJob       *self);
const char         *vp_job_get_type_name        (VpJob       *self); /* "type" */
const char         *vp_job_get_model            (VpJob       *self);
/* -1 when not given */
double              vp_job_get_duration_seconds (VpJob       *self);
gint64              vp_job_get_cost_cents       (VpJob       *self);
/* NULL when not given; UTC */
GDateTime          *vp_job_get_created_at       (VpJob       *self);
GDateTime          *vp_job_get_completed_at     (VpJob       *self);
const char         *vp_job_get_error            (VpJob       *self);
const char         *vp_job_get_result_url       (VpJob       *self);
/* The "warnings" array, when the response carried one */
const char * const *vp_job_get_warnings         (VpJob       *self);
/* Human-readable notes on fields that had the wrong type; NULL if none */
const char * const *vp_job_get_problems         (VpJob       *self);
/* The object exactly as the server sent it, unknown fields included */
JsonObject         *vp_job_get_json             (VpJob       *self);

gboolean            vp_job_is_finished          (VpJob       *self);
/* Takes over every field of @other (same id), notifying what changed. */
void                vp_job_update_from          (VpJob       *self,
                                                 VpJob       *other);

const char         *vp_job_status_to_string     (VpJobStatus  status);
VpJobStatus         vp_job_status_from_string   (const char  *string);

G_END_DECLS

/* vp-generator.h: deterministic generator of VoxParse jobs and results
 *
 * Every job is a pure function of (seed, index): index 0 is the oldest job,
 * and the same seed and index always give the same job and the same result
 * bytes.  Only the small metadata record is kept per job; results are
 * written on request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 2026-11-27 17:00:00 UTC: the creation time of the newest of the first
 * batch of jobs; older jobs go back from here. */
#define VP_GENERATOR_BASE_TIME G_GINT64_CONSTANT (1795798800)

typedef enum {
  VP_GEN_STATUS_QUEUED,
  VP_GEN_STATUS_PROCESSING,
  VP_GEN_STATUS_COMPLETED,
  VP_GEN_STATUS_FAILED,
} VpGenStatus;

typedef enum {
  VP_GEN_PLAN_PRO,
  VP_GEN_PLAN_LITE,
} VpGenPlan;

typedef enum {
  VP_GEN_CALL_RETENTION,
  VP_GEN_CALL_SALES,
  VP_GEN_CALL_SUPPORT,
  VP_GEN_CALL_BILLING,
  VP_GEN_CALL_COMPLAINT,
} VpGenCallType;

typedef struct _VpGenerator VpGenerator;

/* The metadata of one job: small and plain, so 100,000 of them are cheap. */
typedef struct {
  char     id[37];            /* UUID-shaped, NUL-terminated */
  guint8   status;            /* VpGenStatus */
  guint8   natural_status;    /* the status the generator chose */
  guint8   plan;              /* VpGenPlan */
  guint8   enhanced;          /* model "enhanced" rather than "standard" */
  guint8   call_type;         /* VpGenCallType */
  guint8   error_index;       /* which error message a failure shows */
  guint32  index;             /* 0 = the oldest job ever generated */
  guint32  duration_seconds;
  guint32  cost_cents;
  guint32  gap_seconds;       /* time since the previous job was created */
  guint32  turnaround_seconds;/* completed_at - created_at */
  gint64   created_at;        /* Unix time, UTC */
  gint64   completed_at;      /* 0 = null */
} VpGenJob;

VpGenerator *vp_generator_new              (guint64          seed);
void         vp_generator_free             (VpGenerator     *gen);
guint64      vp_generator_get_seed         (VpGenerator     *gen);

/* Fills @job for @index, with created_at/completed_at left at 0. */
void         vp_generator_make_job         (VpGenerator     *gen,
                                            guint32          index,
                                            VpGenJob        *job);
/* Appends @n jobs (VpGenJob) to @jobs with the next indices.  If @jobs is
 * empty, the newest one is created at VP_GENERATOR_BASE_TIME, its two
 * newest jobs are left queued/processing and times go back from there;
 * otherwise each new job is created after the newest one so far. */
void         vp_generator_append_jobs      (VpGenerator     *gen,
                                            GArray          *jobs,
                                            guint            n);
/* Sets @job->status and the fields that go with it (completed_at). */
void         vp_generator_job_set_status   (VpGenJob        *job,
                                            VpGenStatus      status);

/* The result body of a job, whatever its status.  The same for the same
 * (seed, job->index, job->plan, job->duration_seconds, job->call_type). */
char        *vp_generator_result_json      (VpGenerator     *gen,
                                            const VpGenJob  *job,
                                            gsize           *length);
/* A Pro result of a long call with about @n_words spoken words
 * (~40,000 for a four-hour call). */
char        *vp_generator_long_result_json (VpGenerator     *gen,
                                            guint32          index,
                                            guint            n_words,
                                            gsize           *length);

/* The duration in seconds of a long call of @n_words words */
guint        vp_generator_long_duration    (guint            n_words);

/* {"id":..,"status":..,...}; @full adds "error" and, when completed,
 * "result_url". */
void         vp_generator_write_job        (const VpGenJob  *job,
                                            gboolean         full,
                                            GString         *out);

const char  *vp_gen_status_to_string       (VpGenStatus      status);
gboolean     vp_gen_status_from_string     (const char      *str,
                                            VpGenStatus     *status);
const char  *vp_gen_call_type_to_string    (VpGenCallType    call_type);
const char  *vp_generator_error_message    (const VpGenJob  *job);
/* "2026-04-19 19:13:18" */
void         vp_generator_format_time      (gint64           unix_time,
                                            char             buf[20]);
/* Appends @str as a JSON string literal (quoted, escaped). */
void         vp_json_append_string         (GString         *out,
                                            const char      *str);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VpGenerator, vp_generator_free)

G_END_DECLS

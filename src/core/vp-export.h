/* vp-export.h: exporting jobs and their results to a CSV or JSON file
 *
 * One engine for the window and the command line.  A run has a thread of
 * its own: results are fetched concurrently (a bounded number at once, by
 * a copy of the caller's client with connections of its own) and written
 * in the order the jobs were given into a
 * temporary file beside the target that is renamed into place only once
 * complete: cancelling or failing leaves whatever was at the target as it
 * was.  Only completed jobs have results; the others are skipped, and the
 * report says which and why.
 *
 * JSON: {"format":"voxparse-export","version":1,"exported_at":"…Z",
 *        "mask_pii":false,"jobs":[{"job":{…},"result":{…}},…],
 *        "skipped":[{"id":"…","code":"…","reason":"…"},…]}
 * where "job" is the job object as the API sent it and "result" the result
 * body exactly as sent (byte for byte, unless PII is masked, in which case
 * it is rewritten with the transcript texts masked).
 *
 * A skipped job's "code" is one of "queued", "processing", "failed",
 * "unknown-status", "job-not-found", "job-not-fetched", "result-not-found"
 * and "result-not-fetched": stable, for programs; "reason" says the same
 * in the user's language.
 *
 * CSV: see vp_export_get_csv_columns(); lists are joined with " | ",
 * times are UTC as "YYYY-MM-DD HH:MM:SS", amounts are plain numbers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vp-client.h"

G_BEGIN_DECLS

typedef enum {
  VP_EXPORT_FORMAT_CSV,
  VP_EXPORT_FORMAT_JSON,
} VpExportFormat;

/* How many results are fetched at once, on as many connections: the
 * client's limit per host */
#define VP_EXPORT_MAX_CONCURRENT 8
/* The separator of list cells in CSV */
#define VP_EXPORT_CSV_LIST_SEPARATOR " | "

/**
 * VpExportSkipped:
 * @job_id: the job that is not in the file
 * @reason: why, in plain words and the user's language ("Job is still
 *   processing")
 * @code: why, as a stable word for programs ("processing"; see above);
 *   a static string
 */
typedef struct {
  char       *job_id;
  char       *reason;
  const char *code;
} VpExportSkipped;

#define VP_TYPE_EXPORT (vp_export_get_type ())
G_DECLARE_FINAL_TYPE (VpExport, vp_export, VP, EXPORT, GObject)

VpExport              *vp_export_new              (VpClient             *client,
                                                   VpExportFormat        format,
                                                   GFile                *file);
VpClient              *vp_export_get_client       (VpExport             *self);
VpExportFormat         vp_export_get_format       (VpExport             *self);
GFile                 *vp_export_get_file         (VpExport             *self);
gboolean               vp_export_get_mask_pii     (VpExport             *self);
/* Before running: mask card, account, social security and phone numbers in
 * the exported texts (see vp-pii.h). */
void                   vp_export_set_mask_pii     (VpExport             *self,
                                                   gboolean              mask_pii);

/* The selection, in the order the file lists it; before running.  A job
 * given by id is fetched first; a job given as an object is used as it is
 * when completed, and fetched again otherwise (it may have finished). */
void                   vp_export_add_job          (VpExport             *self,
                                                   VpJob                *job);
void                   vp_export_add_job_id       (VpExport             *self,
                                                   const char           *job_id);

/* Once only.  Progress: the "n-total", "n-fetched" and "n-written"
 * properties, notified on the caller's thread-default main context, at
 * most every 50 ms (at once for the first record). */
void                   vp_export_run_async        (VpExport             *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
/* TRUE when the file was written (even if some jobs were skipped: see the
 * report).  Errors: G_IO_ERROR_CANCELLED; G_IO_ERROR_* with a message
 * naming the file when it cannot be written (G_IO_ERROR_NO_SPACE: "The disk
 * is full"); VP_CLIENT_ERROR_UNAUTHORIZED, _CANNOT_CONNECT and
 * _INVALID_URL, which stop the whole export. */
gboolean               vp_export_run_finish       (VpExport             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

guint                  vp_export_get_n_total      (VpExport             *self);
/* Jobs whose fetching has ended, well or not */
guint                  vp_export_get_n_fetched    (VpExport             *self);
/* Jobs whose record is written so far (to the file, or to the buffer
 * that goes to it 64 KiB at a time) */
guint                  vp_export_get_n_written    (VpExport             *self);

/* The report, once finished: jobs in the file, and those skipped (in
 * selection order). */
guint                  vp_export_get_n_exported   (VpExport             *self);
const VpExportSkipped *vp_export_get_skipped      (VpExport             *self,
                                                   guint                *n_skipped);

/* The CSV header, NULL-terminated */
const char * const    *vp_export_get_csv_columns  (void);

G_END_DECLS

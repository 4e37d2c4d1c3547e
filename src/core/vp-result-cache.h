/* vp-result-cache.h: results kept for a session, and fetched in the background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vp-client.h"

G_BEGIN_DECLS

/* How many results are fetched at once by default */
#define VP_RESULT_CACHE_DEFAULT_CONCURRENCY 4
/* How much memory the cached results may take by default (estimated) */
#define VP_RESULT_CACHE_DEFAULT_MAX_BYTES (32 * 1024 * 1024)
/* How much the results kept between sessions may take on disk */
#define VP_RESULT_CACHE_DEFAULT_MAX_DISK_BYTES (G_GUINT64_CONSTANT (500) * 1024 * 1024)

#define VP_TYPE_RESULT_CACHE (vp_result_cache_get_type ())
G_DECLARE_FINAL_TYPE (VpResultCache, vp_result_cache, VP, RESULT_CACHE, GObject)

/* @max_bytes: 0 for VP_RESULT_CACHE_DEFAULT_MAX_BYTES */
VpResultCache *vp_result_cache_new                (VpClient      *client,
                                                   gsize          max_bytes);
VpClient      *vp_result_cache_get_client         (VpResultCache *self);
/* Another account: cancels the fetches and forgets every result. */
void           vp_result_cache_set_client         (VpResultCache *self,
                                                   VpClient      *client);

/* The cached result of @job_id, or NULL; marks it as recently used. */
VpResult      *vp_result_cache_lookup             (VpResultCache *self,
                                                   const char    *job_id);
/* The error its fetch ended with (a job whose result cannot be had), or
 * NULL.  Connection-wide errors (no connection, a rejected key, rate
 * limiting) are not remembered: they end the queue instead. */
const GError  *vp_result_cache_get_error          (VpResultCache *self,
                                                   const char    *job_id);
/* TRUE when the result is cached or its fetch failed for good */
gboolean       vp_result_cache_is_known           (VpResultCache *self,
                                                   const char    *job_id);
/* Adds a result fetched elsewhere (the reader) */
void           vp_result_cache_insert             (VpResultCache *self,
                                                   const char    *job_id,
                                                   VpResult      *result);

/* Queues @job's result for fetching unless it is known, queued or on its
 * way.  Only completed jobs have results: others are ignored.  Emits
 * "result-loaded" or "fetch-failed" when each one ends. */
void           vp_result_cache_fetch              (VpResultCache *self,
                                                   VpJob         *job);
/* Empties the queue and cancels the fetches on their way. */
void           vp_result_cache_cancel_fetches     (VpResultCache *self);

/* Keeps the results fetched on disk, between sessions, and looks there
 * first; switching it off deletes what was kept (in the background). */
gboolean       vp_result_cache_get_keep_on_disk   (VpResultCache *self);
void           vp_result_cache_set_keep_on_disk   (VpResultCache *self,
                                                   gboolean       keep_on_disk);
/* This server's folder of results, or NULL when not kept on disk */
char          *vp_result_cache_dup_disk_dir       (VpResultCache *self);
/* How many results were read from disk rather than fetched */
guint          vp_result_cache_get_n_from_disk    (VpResultCache *self);

guint          vp_result_cache_get_max_concurrent (VpResultCache *self);
void           vp_result_cache_set_max_concurrent (VpResultCache *self,
                                                   guint          max_concurrent);
/* Requests sent and not yet answered (cancelled ones included until their
 * answer comes back) */
guint          vp_result_cache_get_n_in_flight    (VpResultCache *self);
/* Waiting for a free slot */
guint          vp_result_cache_get_n_queued       (VpResultCache *self);
/* The most requests that were ever in flight at once */
guint          vp_result_cache_get_peak_in_flight (VpResultCache *self);
guint          vp_result_cache_get_n_results      (VpResultCache *self);
gsize          vp_result_cache_get_n_bytes        (VpResultCache *self);
gsize          vp_result_cache_get_max_bytes      (VpResultCache *self);
void           vp_result_cache_set_max_bytes      (VpResultCache *self,
                                                   gsize          max_bytes);

G_END_DECLS

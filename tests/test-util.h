/* test-util.h: what the tests share
 *
 * Waiting on the thread-default main context for something to happen,
 * with a guard against hanging (TEST_WAIT_SECONDS: not a time limit,
 * sanitizer runs are slow), and the client's calls made synchronous, for
 * tests that check what the app shows against what the server says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vp-client.h"

G_BEGIN_DECLS

#define TEST_WAIT_SECONDS 300

/* Iterates the main context until @cond holds (a timeout source keeps the
 * iteration from blocking past the guard), then asserts it */
#define WAIT_UNTIL(cond)                                                    \
  G_STMT_START {                                                            \
    gint64 deadline_ = g_get_monotonic_time () + TEST_WAIT_SECONDS * G_USEC_PER_SEC; \
    guint tick_ = g_timeout_add (50, test_tick_cb, NULL);                   \
    while (!(cond) && g_get_monotonic_time () < deadline_)                  \
      g_main_context_iteration (NULL, TRUE);                                \
    g_source_remove (tick_);                                                \
    g_assert_true (cond);                                                   \
  } G_STMT_END

gboolean      test_tick_cb          (gpointer       user_data);

/* A GAsyncReadyCallback: stores a reference to the result in the
 * GAsyncResult * that @user_data points to */
void          test_store_result_cb  (GObject       *object,
                                     GAsyncResult  *result,
                                     gpointer       user_data);
/* Iterates the main context until *@slot is set; returns it */
GAsyncResult *test_wait_for_result  (GAsyncResult **slot);

/* The client's calls, waited for; any error fails the test */
GPtrArray    *test_list_jobs        (VpClient      *client,
                                     guint          limit,
                                     guint          offset);
VpJob        *test_get_job          (VpClient      *client,
                                     const char    *job_id);
VpResult     *test_get_result       (VpClient      *client,
                                     VpJob         *job);

G_END_DECLS

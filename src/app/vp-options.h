/* vp-options.h: where the server URL and API key come from
 *
 * The command line wins over the environment (VOXPARSE_BASE_URL,
 * VOXPARSE_API_KEY), which wins over the stored settings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The sample calls of --demo: enough that "the last 500 calls" means
 * something to a supervisor trying the audit view. */
#define VP_DEMO_N_JOBS 600

typedef struct {
  char *base_url;   /* never NULL after vp_connection_options_resolve() */
  char *api_key;    /* NULL when none was given anywhere */
  gboolean demo;    /* --demo: use the in-process sandbox */
} VpConnectionOptions;

/* Fills what the command line left NULL from the environment, then the
 * default base URL. */
void vp_connection_options_resolve (VpConnectionOptions *options);
void vp_connection_options_clear   (VpConnectionOptions *options);

/* A copy of @argv in which the value of every unknown "--name=value" is
 * replaced by "…": an option parser's "Unknown option" error repeats the
 * argument, and a mistyped --api-key=KEY would print the key. */
char **vp_options_redact_unknown (int    argc,
                                  char **argv);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VpConnectionOptions, vp_connection_options_clear)

G_END_DECLS

/* vp-main.c: voxparse-browser, the window or one of its commands
 *
 * The program's body, in libvoxparse-browser.so: main.c says why it is
 * there rather than in the executable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-main"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "vp-application.h"
#include "vp-cli.h"
#include "vp-main.h"
#include "vp-options.h"

int
vp_main (int    argc,
         char **argv)
{
  g_autoptr(VpApplication) app = NULL;
  g_auto(GStrv) args = NULL;

  setlocale (LC_ALL, "");
  /* VOXPARSE_LOCALEDIR: the catalogues of a build tree (tests, running
   * uninstalled): <builddir>/po/<lang>/LC_MESSAGES. */
  bindtextdomain (GETTEXT_PACKAGE,
                  g_getenv ("VOXPARSE_LOCALEDIR") ? g_getenv ("VOXPARSE_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* A mistyped --api-key=KEY must not come back in an error message. */
  args = vp_options_redact_unknown (argc, argv);

  /* Commands such as "jobs" run without a display and never touch GTK. */
  if (vp_cli_wants_command (argc, args))
    return vp_cli_run (argc, args);

  app = vp_application_new ();

  return g_application_run (G_APPLICATION (app), argc, args);
}

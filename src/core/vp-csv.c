/* vp-csv.c: writing CSV that LibreOffice and Excel open cleanly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-csv"

#include "config.h"

#include <string.h>

#include "vp-csv.h"

static gboolean
looks_like_formula (const char *value)
{
  g_assert (value != NULL);

  return value[0] != '\0' && strchr ("=+-@\t\r", value[0]) != NULL;
}

void
vp_csv_append_field (GString        *record,
                     const char     *value,
                     VpCsvFieldKind  kind)
{
  g_autofree char *guarded = NULL;

  g_return_if_fail (record != NULL);

  /* Every field is followed by a comma; vp_csv_end_record() drops the last. */
  if (value == NULL || value[0] == '\0')
    {
      g_string_append_c (record, ',');
      return;
    }

  if (kind == VP_CSV_TEXT && looks_like_formula (value))
    value = guarded = g_strconcat ("'", value, NULL);

  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (record, value);
      g_string_append_c (record, ',');
      return;
    }

  g_string_append_c (record, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (record, '"');
      g_string_append_c (record, *p);
    }
  g_string_append (record, "\",");
}

void
vp_csv_end_record (GString *out,
                   GString *record)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (record != NULL);

  g_return_if_fail (record->len > 0);

  g_string_append_len (out, record->str, record->len - 1);
  g_string_append (out, "\r\n");
  g_string_truncate (record, 0);
}

/* vp-csv.h: writing CSV that LibreOffice and Excel open cleanly
 *
 * RFC 4180: fields separated by commas, records ended by CRLF; a field
 * holding a comma, a quote, CR or LF is quoted, with its quotes doubled.
 * A file starts with a UTF-8 byte order mark so that Excel reads UTF-8.
 *
 * Formula injection: a text field starting with '=', '+', '-', '@', TAB or
 * CR would be run as a formula by a spreadsheet, so it is written with a
 * single quote in front ("'=1+2"), which spreadsheets show as text.  Fields
 * written as numbers (VP_CSV_NUMBER: values the caller formatted itself,
 * such as "-20.5") are left as they are, so they stay numeric.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VP_CSV_BOM "\xef\xbb\xbf"

typedef enum {
  VP_CSV_TEXT,
  VP_CSV_NUMBER,
} VpCsvFieldKind;

/* Appends @value (NULL = empty) as the next field of the record being
 * built in @record. */
void  vp_csv_append_field (GString        *record,
                           const char     *value,
                           VpCsvFieldKind  kind);
/* Ends the record (of at least one field): appends it and CRLF to @out
 * and empties @record. */
void  vp_csv_end_record   (GString        *out,
                           GString        *record);

G_END_DECLS

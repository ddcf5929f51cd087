"""Spreadsheets (CSV, XLSX) imported by staff: read the table, map its columns to our fields,
turn each line into an event or into line errors.  Pure: bytes and values in, records out.

    table = read_table(content, filename)                 # table.py (SpreadsheetError)
    mapping = guess_mapping(table.headers)                # mapping.py (or read_mapping_file)
    lines = read_lines(table, mapping, tz=tz)             # rows.py: records and line errors

The orchestrator that stores them is ``agenda.services.spreadsheet_import``.
"""

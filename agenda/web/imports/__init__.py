"""The staff page that imports a spreadsheet: upload, mapping and preview, import, report."""

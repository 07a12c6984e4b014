"""Files made for people to download: tables (CSV, XLSX) and PDF, written one way for every capability."""

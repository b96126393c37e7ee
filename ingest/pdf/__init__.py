"""PDF fidelity: two readers compared page by page, the outline or the fonts for the
structure, the page layout for tables. Import the submodules (`ingest.pdf.reader`, ...)
directly: this package file stays empty so `ingest.clean` can use `ingest.pdf.words`."""

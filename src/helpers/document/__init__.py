"""The document and its renderers: the report's Markdown composed from the model, Quarto's shortcodes, the built-
in pandoc + Typst path, faces, Word styles, downloads and the GB/T 9704 preflight.
"""

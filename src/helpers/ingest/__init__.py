"""Ingest: an office's published report (Word, a saved web page, plain text) turned into its data: the
outline, the figures, the prose with each figure bound, the date, and a review of every match made."""

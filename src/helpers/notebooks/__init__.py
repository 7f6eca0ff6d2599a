"""Notebooks and kernels: papermill runs, the warm kernels and their provisioner, and the cell labels a report
embeds.
"""

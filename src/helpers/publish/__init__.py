"""Publishing: the build plan, the builds of one report and of a district, the caches, the staged and swapped
output folders, and the version a report records.
"""

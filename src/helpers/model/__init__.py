"""The model: a section's figures, comparisons and charts, the scorecard and a district's comparison, computed as
data that notebooks, documents and alt text read.
"""

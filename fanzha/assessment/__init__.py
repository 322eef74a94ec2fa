"""The monthly assessment's Python step: the rank-uncertainty simulation and empirical-Bayes rates.

The official scores and ranks are SQL (warehouse/models/marts/assessment/); this package only
adds what SQL does poorly: 1,000 seeded random draws per unit kind and month.
"""

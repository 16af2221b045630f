"""Findings: strengths and areas for improvement by theme."""

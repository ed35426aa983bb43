"""Suggested fixes: the smallest edit that makes a refuted relation hold."""

"""Maintainer tools: documentation generators and the mutation benchmark."""

"""Tests of the local replica site (replica)."""

"""Tests of the local replica site (bulletins.replica)."""

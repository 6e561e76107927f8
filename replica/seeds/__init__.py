"""The seed bulletins: real releases (package data), used as article bodies."""

"""The result cache: signed JSON entries in the user's cache folder, and their codec."""

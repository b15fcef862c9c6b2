"""Helpers shared by several test areas (fake servers, factories, fixture repositories):
imported as `tests.support.<module>`, never through sys.path."""

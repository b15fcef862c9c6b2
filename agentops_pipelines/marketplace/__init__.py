"""Template marketplace: catalog, upload checks, moderation, forks, ratings and seed templates."""

"""Load benchmark: seed a large dataset, serve the app with gunicorn, drive it with wrk."""

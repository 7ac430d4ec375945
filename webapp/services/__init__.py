"""Database-side workflows and read models: no request, no templates."""

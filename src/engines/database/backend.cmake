# Sources of the database secrets engine's paths (compiled into coffer_engines).
set(COFFER_DATABASE_BACKEND_SOURCES)

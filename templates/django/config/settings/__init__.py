"""Settings profiles: base (shared), local, production and test."""

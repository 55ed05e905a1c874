"""Live updates: published articles pushed to WebSocket clients (GET /api/ws/articles)."""

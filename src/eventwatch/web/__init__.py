"""The web UI: server-rendered Jinja2 pages, inline SVG charts and maps, small same-origin JS.

Templates, styles and scripts here are eventwatch's own; the API docs' Swagger UI and ReDoc
bundles come from the fastapi-offline wheel, and country shapes from the countryinfo package.
Nothing is loaded from the internet.
"""

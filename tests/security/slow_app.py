"""A WSGI app with one slow path, served by gunicorn with the repository's gunicorn.conf.py in a test."""

import time


def app(environ, start_response):
    if environ["PATH_INFO"] == "/slow":
        time.sleep(float(environ.get("QUERY_STRING") or 60))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]

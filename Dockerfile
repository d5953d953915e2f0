# One image for the web app, the Celery worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    TIERLIGHT_INSTANCE=/var/lib/tierlight
WORKDIR /app
COPY pyproject.toml README.md ./
COPY webapp webapp
COPY worker worker
COPY edi edi
COPY models models
RUN pip install . && useradd --system --home /app tierlight \
    && mkdir -p /var/lib/tierlight && chown tierlight /var/lib/tierlight
USER tierlight
EXPOSE 8000
CMD ["gunicorn", "-c", "python:webapp.gunicorn_conf", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "webapp.wsgi:app"]

# Union Portal: one image for web (gunicorn), worker and beat (celery). See docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    READ_DOT_ENV_FILE=false

# An unprivileged user owns only var/ (private media); the code stays root-owned, read-only.
RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /app --no-create-home app

WORKDIR /app

# Dependencies first, from the hash-locked lock file, so code changes reuse this layer.
COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes -r requirements/base.txt

COPY . .

# Static files are built into the image (whitenoise serves them). Settings refuse to load with
# DEBUG off and no SECRET_KEY, so this step alone gets a throwaway key; it is not kept in the
# image's environment.
RUN DEBUG=false SECRET_KEY=build-only-collectstatic-not-a-secret \
        FIELD_ENCRYPTION_KEY=build-only-not-a-key \
        python manage.py collectstatic --noinput \
    && mkdir -p /app/var/private /app/var/audit-export \
    && chown -R app:app /app/var/private /app/var/audit-export

USER app

EXPOSE 8000

CMD ["gunicorn", "unionportal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]

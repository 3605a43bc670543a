# The production image: one image for web, worker and beat (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 1000 portal
# WeasyPrint lays out the digest's PDF with Pango; a font for it to use.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md ./
COPY smt_portal ./smt_portal
COPY teams ./teams
COPY meetings ./meetings
COPY initiatives ./initiatives
COPY datasystem ./datasystem
COPY digests ./digests
RUN pip install --no-cache-dir .

COPY manage.py ./
COPY templates ./templates
COPY static ./static
# collectstatic needs settings but no secret worth keeping: a throwaway one for the build.
RUN DJANGO_SECRET_KEY=build-only-collectstatic python manage.py collectstatic --noinput

RUN mkdir -p /var/lib/portal/imports && chown portal /var/lib/portal/imports
USER portal
EXPOSE 8000
CMD ["gunicorn", "smt_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]

